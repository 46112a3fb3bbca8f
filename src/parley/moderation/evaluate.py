"""`parley eval`: per-data-set AUC, identity-template bias metrics and throughput.

Bias metrics follow Borkan et al. 2019 / Dixon et al. 2018: for each identity term, subgroup AUC
(only sentences naming it), BPSN (its non-toxic vs other toxic) and BNSP (its toxic vs other
non-toxic).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import rankdata

from parley.domain.moderation import Action, ModerationContext, Verdict
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


def print_evaluation(
    engine: Engine, data_dir: Path, functional: Path | None = None, plot: Path | None = None
) -> None:
    """The `parley eval` report: AUC per test split and label, calibration, spans, functional."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    score = english_scorer(engine)
    sets = held_out_sets(data_dir)
    summary = Table(title=f"Parley {engine.model_version}: AUC per held-out set and label")
    for column in ("data set", "n", *LABELS, "comments/s"):
        summary.add_column(column)
    scores = {}
    for name, examples in sets.items():
        started = time.perf_counter()
        scores[name] = score([e.text for e in examples])
        rate = len(examples) / (time.perf_counter() - started)
        cells = []
        for label in LABELS:
            known = [i for i, e in enumerate(examples) if label in e.targets]
            gold = np.array([examples[i].targets[label] for i in known])
            value = auc(gold, scores[name][label][known]) if known else float("nan")
            cells.append("" if np.isnan(value) else f"{value:.3f}")
        summary.add_row(name, str(len(examples)), *cells, f"{rate:,.0f}")
    console.print(summary)
    name = "identity-templates (not trained)"
    templates = sets[name]
    console.print(
        _bias_report(
            bias_table([e.group for e in templates], _targets(templates), scores[name]["toxicity"])
        )
    )
    calibration = Table(title="Calibration on the test splits of the training sources")
    for column in ("label", "n", "ECE"):
        calibration.add_column(column)
    for row in calibration_table(sets, scores):
        calibration.add_row(row.label, str(row.size), f"{row.ece:.3f}")
        if plot:
            plot.mkdir(parents=True, exist_ok=True)
            (plot / f"reliability-{row.label}.svg").write_text(
                reliability_svg(row.label, row.points, row.ece)
            )
    console.print(calibration)
    f1 = span_f1(engine, corpora.semeval_span_test(data_dir))
    console.print(f"Toxic spans (SemEval-2021 test, {engine.model_version}): F1 {f1:.3f}")
    if functional:
        results = functional_results(engine, read_functional(functional))
        table = Table(
            title="Functional suite: verdict accuracy and hate accuracy per functionality"
        )
        for column in ("functionality", "n", "accuracy", "hate accuracy", "held out"):
            table.add_column(column)
        for key in sorted(results, key=lambda k: (k in ("all", "tuned", "held-out"), k)):
            result = results[key]
            held = "yes" if key in FUNCTIONAL_HELD_OUT else ""
            table.add_row(
                key, str(result.size), f"{result.accuracy:.3f}", f"{result.hate_accuracy:.3f}", held
            )
        console.print(table)
    if plot:
        console.print(f"reliability plots: {plot}/reliability-<label>.svg")


def _targets(examples: Sequence[corpora.Example] | Sequence[corpora.Labelled]) -> np.ndarray:
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


# --- v2: every test split, calibration, spans and the functional suite -------------------------


def english_scorer(engine: Engine) -> LabelScorer:
    """Every label of the full engine on English text (the held-out sets are English: no comment
    is taken for another language and left unscored)."""

    def score(texts: Sequence[str]) -> dict[str, np.ndarray]:
        verdicts = engine.assess_many(texts, ModerationContext(language="en"))
        return {label: np.array([v.scores[label] for v in verdicts]) for label in LABELS}

    return score


TEMPLATE_SAMPLE = 12_000  # of 76,564 identity templates, seeded: every identity term is in it


def held_out_sets(data_dir: Path) -> dict[str, list[corpora.Labelled]]:
    """The test split of every training source, then the sets never trained on."""
    sets = {name: read(data_dir)["test"] for name, read in corpora.TRAINING_SOURCES.items()}
    sets["impermium (not trained)"] = corpora.impermium_sets(data_dir)["test"]
    for name, fuzzed in (("wikipedia (not trained)", False), ("wikipedia-fuzzed", True)):
        sets[name] = [
            corpora.Labelled(e.text, e.targets) for e in corpora.wikipedia(data_dir, fuzzed=fuzzed)
        ]
    templates = corpora.identity_templates(data_dir)
    random.Random(corpora.SPLIT_SEED).shuffle(templates)
    sets["identity-templates (not trained)"] = [
        corpora.Labelled(e.text, e.targets, group=e.group) for e in templates[:TEMPLATE_SAMPLE]
    ]
    return sets


def expected_calibration_error(
    labels: np.ndarray, probabilities: np.ndarray, bins: int = 10
) -> float:
    """Mean |observed rate - mean score| over equal-width score bins, weighted by bin size."""
    edges = np.minimum((probabilities * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        inside = edges == b
        if inside.any():
            error += inside.sum() * abs(labels[inside].mean() - probabilities[inside].mean())
    return float(error / len(labels))


def reliability_points(
    labels: np.ndarray, probabilities: np.ndarray, bins: int = 10
) -> list[tuple[float, float, int]]:
    """(mean score, observed rate, size) per non-empty bin."""
    edges = np.minimum((probabilities * bins).astype(int), bins - 1)
    return [
        (
            float(probabilities[edges == b].mean()),
            float(labels[edges == b].mean()),
            int((edges == b).sum()),
        )
        for b in range(bins)
        if (edges == b).any()
    ]


def reliability_svg(label: str, points: Sequence[tuple[float, float, int]], ece: float) -> str:
    """A reliability diagram: observed rate against mean score per bin, the diagonal is perfect."""
    size, pad = 320, 40
    scale = size - 2 * pad

    def xy(x: float, y: float) -> str:
        return f"{pad + x * scale:.1f},{size - pad - y * scale:.1f}"

    dots = "".join(
        f'<circle cx="{xy(x, y).split(",")[0]}" cy="{xy(x, y).split(",")[1]}" '
        f'r="{2 + min(6.0, n**0.5 / 6):.1f}" fill="#c0392b"><title>{n} comments</title></circle>'
        for x, y, n in points
    )
    line = " ".join(xy(x, y) for x, y, _ in points)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'font-family="sans-serif" font-size="11">'
        f'<rect width="{size}" height="{size}" fill="white"/>'
        f'<line x1="{pad}" y1="{size - pad}" x2="{size - pad}" y2="{pad}" stroke="#999" '
        f'stroke-dasharray="4"/>'
        f'<rect x="{pad}" y="{pad}" width="{scale}" height="{scale}" fill="none" stroke="#333"/>'
        f'<polyline points="{line}" fill="none" stroke="#c0392b"/>{dots}'
        f'<text x="{pad}" y="{pad - 12}">{label}: ECE {ece:.3f}</text>'
        f'<text x="{size / 2 - 30}" y="{size - 10}">mean score</text>'
        f'<text x="10" y="{size / 2}" transform="rotate(-90 10,{size / 2})">observed rate</text>'
        f"</svg>\n"
    )


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    label: str
    size: int
    ece: float
    points: list[tuple[float, float, int]]


def calibration_table(
    sets: dict[str, list[corpora.Labelled]], scores: dict[str, dict[str, np.ndarray]]
) -> list[CalibrationRow]:
    """ECE per label over the test splits of the training sources (the scale the model learnt)."""
    rows = []
    for label in LABELS:
        ys, ps = [], []
        for name in corpora.TRAINING_SOURCES:
            for example, p in zip(sets[name], scores[name][label], strict=True):
                if label in example.targets:
                    ys.append(example.targets[label] >= 0.5)
                    ps.append(p)
        if ys:
            y, p = np.array(ys, dtype=float), np.array(ps)
            rows.append(
                CalibrationRow(
                    label, len(y), expected_calibration_error(y, p), reliability_points(y, p)
                )
            )
    return rows


def span_f1(engine: Engine, posts: Sequence[tuple[str, set[int]]]) -> float:
    """SemEval-2021 task 5 F1: per post over character offsets, averaged (both empty = 1)."""
    verdicts = engine.assess_many([text for text, _ in posts], ModerationContext())
    total = 0.0
    for (_, gold), verdict in zip(posts, verdicts, strict=True):
        predicted = model_span_offsets(verdict)
        if not gold and not predicted:
            total += 1.0
        elif gold and predicted:
            overlap = len(gold & predicted)
            total += 2 * overlap / (len(gold) + len(predicted))
    return total / len(posts)


def model_span_offsets(verdict: Verdict) -> set[int]:
    """Offsets the score reasons of a verdict that is not publish name (none when published)."""
    offsets: set[int] = set()
    if verdict.action is Action.PUBLISH:
        return offsets
    for reason in verdict.reasons:
        if reason.score is not None:
            for begin, end in reason.spans:
                offsets.update(range(begin, end))
    return offsets


# --- the functional suite ------------------------------------------------------------------------

FUNCTIONAL_HELD_OUT = frozenset(
    {
        "abuse_nonprotected_group", "critique_civil", "derogation_implicit", "identity_neutral",
        "opinion_hateful", "profanity_aimed", "pronoun_reference", "slur_unlisted",
        "spelling_leet", "spelling_swap", "threat_normative",
    }
)  # fmt: skip  # random.Random(20261202).sample of the 33 names, a third, before any training


@dataclass(frozen=True, slots=True)
class FunctionalCase:
    id: str
    functionality: str
    text: str
    label: str  # hateful | abusive | ok


@dataclass(frozen=True, slots=True)
class FunctionalResult:
    accuracy: float  # verdict: hateful/abusive must not be published unflagged, ok must be
    hate_accuracy: float  # identity_attack >= 0.5 exactly when hateful
    size: int


def read_functional(path: Path) -> list[FunctionalCase]:
    import json

    cases = []
    with path.open(encoding="utf-8") as file:
        for line in file:
            record = json.loads(line)
            cases.append(
                FunctionalCase(
                    record["id"], record["functionality"], record["text"], record["label"]
                )
            )
    return cases


def functional_results(
    engine: Engine, cases: Sequence[FunctionalCase]
) -> dict[str, FunctionalResult]:
    """Accuracy per functionality, plus "all", "tuned" and "held-out" rows."""
    verdicts = engine.assess_many([c.text for c in cases], ModerationContext())
    right = [
        (v.action.value != "publish") == (c.label != "ok")
        for c, v in zip(cases, verdicts, strict=True)
    ]
    hate_right = [
        (v.scores["identity_attack"] >= 0.5) == (c.label == "hateful")
        for c, v in zip(cases, verdicts, strict=True)
    ]
    groups: dict[str, list[int]] = {"all": list(range(len(cases)))}
    for i, case in enumerate(cases):
        groups.setdefault(case.functionality, []).append(i)
        groups.setdefault(
            "held-out" if case.functionality in FUNCTIONAL_HELD_OUT else "tuned", []
        ).append(i)
    return {
        name: FunctionalResult(
            sum(right[i] for i in members) / len(members),
            sum(hate_right[i] for i in members) / len(members),
            len(members),
        )
        for name, members in groups.items()
    }
