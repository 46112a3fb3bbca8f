"""Moderation benchmark: Parley's engine vs the issue's TF-IDF+LR baseline vs alt-profanity-check.

Prints AUC on the held-out sets and comments/s on 10,000 Wikipedia comments with one worker per
core (2 on the reference machine). The baseline is trained here on Davidson, as the issue
describes. Needs the `train` extra (scikit-learn) and, optionally, `alt-profanity-check`.

    python bench/moderation.py [--data-dir ../shared/data] [--workers 2]
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from parley.domain.moderation import ModerationContext
from parley.moderation import corpora
from parley.moderation.engine import Engine
from parley.moderation.evaluate import auc, bias_table

ToxicityScorer = Callable[[Sequence[str]], np.ndarray]
THROUGHPUT_COMMENTS = 10_000
_worker_scorer: ToxicityScorer | None = None


def parley_scorer() -> ToxicityScorer:
    engine = Engine.load()
    context = ModerationContext()
    return lambda texts: np.array([engine.assess(t, context).scores["toxicity"] for t in texts])


def baseline_scorer(data_dir: Path) -> ToxicityScorer:
    """TF-IDF word + char n-grams, logistic regression, Davidson only (the issue's baseline)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    examples = corpora.davidson(data_dir)
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(max_iter=2000))
    model.fit([e.text for e in examples], [e.targets["toxicity"] >= 0.5 for e in examples])
    return lambda texts: model.predict_proba(list(texts))[:, 1]


def profanity_check_scorer() -> ToxicityScorer | None:
    try:
        from profanity_check import predict_prob
    except ImportError:
        return None
    return lambda texts: predict_prob(list(texts))


def _init_worker(name: str, data_dir: Path) -> None:
    global _worker_scorer
    _worker_scorer = _make(name, data_dir)


def _score_chunk(texts: list[str]) -> int:
    assert _worker_scorer is not None
    _worker_scorer(texts)
    return len(texts)


def _make(name: str, data_dir: Path) -> ToxicityScorer:
    scorer = {
        "parley": parley_scorer,
        "baseline": lambda: baseline_scorer(data_dir),
        "alt-profanity-check": profanity_check_scorer,
    }[name]()
    assert scorer is not None
    return scorer


def throughput(name: str, data_dir: Path, texts: list[str], workers: int) -> float:
    """Comments per second over `texts` split across `workers` processes (set-up not timed)."""
    chunks = [texts[i : i + 250] for i in range(0, len(texts), 250)]
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(name, data_dir)) as pool:
        list(pool.map(_score_chunk, chunks[:workers]))  # warm every worker
        started = time.perf_counter()
        done = sum(pool.map(_score_chunk, chunks))
        return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=corpora.default_data_dir())
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    sets = _evaluation_sets(args.data_dir)
    wikipedia = [e.text for e in sets["wikipedia"]]
    stream = list(itertools.islice(itertools.cycle(wikipedia), THROUGHPUT_COMMENTS))
    table = Table(title=f"Moderation: AUC (toxicity) and comments/s, {args.workers} workers")
    for column in ("scorer", *sets, "worst identity subgroup", "comments/s"):
        table.add_column(column)
    names = ["parley", "baseline"]
    if profanity_check_scorer() is not None:
        names.append("alt-profanity-check")
    for name in names:
        scorer = _make(name, args.data_dir)
        cells = [_auc_cell(scorer, examples) for examples in sets.values()]
        worst = _worst_subgroup(scorer, sets["identity-templates"])
        rate = throughput(name, args.data_dir, stream, args.workers)
        table.add_row(name, *cells, worst, f"{rate:,.0f}")
    console = Console()
    console.print(table)
    console.print(_model_line())


def _model_line() -> str:
    """Which model Parley's row measured, its size and how long `Engine.load` takes."""
    from parley.moderation.scorer import shipped_model_path

    started = time.perf_counter()
    engine = Engine.load()
    load_seconds = time.perf_counter() - started
    size = shipped_model_path().stat().st_size / 1e6
    return f"Parley model {engine.model_version}: {size:.2f} MB, Engine.load {load_seconds:.3f} s"


def _evaluation_sets(data_dir: Path) -> dict[str, list[corpora.Example]]:
    _, toxigen_test = corpora.toxigen_split(data_dir)
    return {
        "wikipedia": corpora.wikipedia(data_dir),
        "identity-templates": corpora.identity_templates(data_dir),
        "toxigen-test": toxigen_test,
    }


def _auc_cell(scorer: ToxicityScorer, examples: list[corpora.Example]) -> str:
    labels = np.array([e.targets["toxicity"] for e in examples])
    return f"{auc(labels, scorer([e.text for e in examples])):.3f}"


def _worst_subgroup(scorer: ToxicityScorer, examples: list[corpora.Example]) -> str:
    labels = np.array([e.targets["toxicity"] for e in examples])
    rows = bias_table([e.group for e in examples], labels, scorer([e.text for e in examples]))
    worst = min(rows, key=lambda row: row.subgroup_auc)
    return f"{worst.identity} {worst.subgroup_auc:.3f}"


if __name__ == "__main__":
    main()
