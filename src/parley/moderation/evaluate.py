"""`parley eval`: per-data-set AUC, identity-template bias metrics and throughput.

Bias metrics follow Borkan et al. 2019 / Dixon et al. 2018: for each identity term, subgroup AUC
(only sentences naming it), BPSN (its non-toxic vs other toxic) and BNSP (its toxic vs other
non-toxic).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import rankdata

from parley.domain.moderation import ModerationContext
from parley.moderation import corpora
from parley.moderation.engine import Engine
from parley.moderation.policy import LABELS

LabelScorer = Callable[[Sequence[str]], dict[str, np.ndarray]]  # texts -> label -> scores


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve by ranks (ties count half); nan when one class is missing."""
    positives = labels >= 0.5
    n_positive = int(positives.sum())
    n_negative = len(labels) - n_positive
    if n_positive == 0 or n_negative == 0:
        return float("nan")
    ranks = rankdata(scores)
    return float(
        (ranks[positives].sum() - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative)
    )


@dataclass(frozen=True, slots=True)
class BiasRow:
    identity: str
    size: int
    subgroup_auc: float
    bpsn_auc: float
    bnsp_auc: float


def bias_table(groups: Sequence[str], labels: np.ndarray, scores: np.ndarray) -> list[BiasRow]:
    group_array = np.array(groups)
    rows = []
    for identity in sorted(set(groups)):
        inside = group_array == identity
        toxic = labels >= 0.5
        bpsn = (inside & ~toxic) | (~inside & toxic)
        bnsp = (inside & toxic) | (~inside & ~toxic)
        rows.append(
            BiasRow(
                identity,
                int(inside.sum()),
                auc(labels[inside], scores[inside]),
                auc(labels[bpsn], scores[bpsn]),
                auc(labels[bnsp], scores[bnsp]),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class DataSetResult:
    name: str
    size: int
    aucs: dict[str, float]  # label -> AUC
    comments_per_second: float


def evaluation_sets(data_dir: Path) -> dict[str, list[corpora.Example]]:
    """The held-out sets, by the name the report uses."""
    _, toxigen_test = corpora.toxigen_split(data_dir)
    return {
        "wikipedia": corpora.wikipedia(data_dir),
        "wikipedia-fuzzed": corpora.wikipedia(data_dir, fuzzed=True),
        "identity-templates": corpora.identity_templates(data_dir),
        "toxigen-test": toxigen_test,
    }


def evaluate_set(
    name: str, examples: Sequence[corpora.Example], score: LabelScorer
) -> tuple[DataSetResult, dict[str, np.ndarray]]:
    """AUC of each label the examples carry, and the throughput of `score` on them."""
    texts = [e.text for e in examples]
    started = time.perf_counter()
    scores = score(texts)
    elapsed = time.perf_counter() - started
    labels = sorted({label for e in examples for label in e.targets} & set(scores))
    aucs = {
        label: auc(np.array([e.targets[label] for e in examples]), scores[label])
        for label in labels
    }
    return DataSetResult(name, len(examples), aucs, len(texts) / max(elapsed, 1e-9)), scores


def engine_scorer(engine: Engine) -> LabelScorer:
    """Every label of the full engine (rules and model) for each text."""

    def score(texts: Sequence[str]) -> dict[str, np.ndarray]:
        context = ModerationContext()
        verdicts = [engine.assess(text, context) for text in texts]
        return {label: np.array([v.scores[label] for v in verdicts]) for label in LABELS}

    return score


def print_evaluation(engine: Engine, data_dir: Path) -> None:
    """The `parley eval` report: one table per data set, then identity-template bias."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    score = engine_scorer(engine)
    summary = Table(title=f"Parley {engine.model_version}: AUC per data set (held out)")
    for column in ("data set", "n", "label", "AUC", "comments/s (1 process)"):
        summary.add_column(column)
    for name, examples in evaluation_sets(data_dir).items():
        result, scores = evaluate_set(name, examples, score)
        for label, value in result.aucs.items():
            summary.add_row(
                name, str(result.size), label, f"{value:.4f}", f"{result.comments_per_second:,.0f}"
            )
        if name == "identity-templates":
            bias = bias_table([e.group for e in examples], _targets(examples), scores["toxicity"])
    console.print(summary)
    console.print(_bias_report(bias))


def _targets(examples: Sequence[corpora.Example]) -> np.ndarray:
    return np.array([e.targets["toxicity"] for e in examples])


def _bias_report(rows: list[BiasRow]) -> Any:
    from rich.table import Table

    table = Table(title="Identity templates: toxicity AUC per identity term (worst subgroup first)")
    for column in ("identity", "n", "subgroup AUC", "BPSN AUC", "BNSP AUC"):
        table.add_column(column)
    for row in sorted(rows, key=lambda r: r.subgroup_auc):
        table.add_row(
            row.identity,
            str(row.size),
            f"{row.subgroup_auc:.4f}",
            f"{row.bpsn_auc:.4f}",
            f"{row.bnsp_auc:.4f}",
        )
    return table
