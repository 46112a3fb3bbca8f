"""Moderation benchmark: Parley v2 (MiniLM) vs Parley v1 (linear) vs alt-profanity-check, one run.

Prints, for each scorer side by side: AUC on every held-out test split (and the sets never
trained on), the functional suite (all / tuned / held-out third), comments/s on 10,000 Wikipedia
comments with one worker process per core, p50/p99 of one comment at a time, load time and RSS.
Needs the `train` extra (scikit-learn) and `alt-profanity-check` (`make bench-moderation`
installs both).

    python bench/moderation.py [--data-dir ../shared/data] [--workers 2] [--comments 10000]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from parley.domain.moderation import ModerationContext
from parley.moderation import corpora
from parley.moderation.engine import Engine
from parley.moderation.evaluate import (
    FUNCTIONAL_HELD_OUT,
    auc,
    bias_table,
    held_out_sets,
    read_functional,
)
from parley.moderation.policy import Policy, Thresholds
from parley.moderation.scorer import LinearScorer

FUNCTIONAL = Path(__file__).parents[1] / "tests" / "data" / "functional" / "cases.jsonl"
SCORERS = ("parley-v2", "parley-v1", "alt-profanity-check")
# The label each set's gold speaks to most directly.
PRIMARY_LABEL = {
    "toxic-spans": "insult",
    "stormfront": "identity_attack",
    "fox-news": "identity_attack",
    "implicit-hate": "identity_attack",
    "impermium (not trained)": "insult",
}


@dataclass
class Scored:
    """Scores per label (alt-profanity-check has one) and "not published as is" per text."""

    labels: dict[str, np.ndarray]
    flagged: np.ndarray


Scorer = Callable[[Sequence[str]], Scored]
_worker: Scorer | None = None
# v1's default thresholds as it shipped (its scores were not calibrated).
V1_POLICY = Policy(
    thresholds={
        "toxicity": Thresholds(flag=0.85, hold=0.97),
        "severe_toxicity": Thresholds(flag=0.70, hold=0.90),
        "identity_attack": Thresholds(flag=0.70, hold=0.90),
        "insult": Thresholds(flag=0.90),
        "profanity": Thresholds(flag=0.85),
        "threat": Thresholds(flag=0.50, hold=0.80),
    }
)


def make_scorer(name: str) -> Scorer:
    if name == "alt-profanity-check":
        from profanity_check import predict_prob

        def profanity(texts: Sequence[str]) -> Scored:
            p = np.asarray(predict_prob(list(texts)), dtype=float)
            return Scored(
                {label: p for label in ("toxicity", "insult", "identity_attack")}, p >= 0.5
            )

        return profanity
    v1 = Engine(LinearScorer.load(), V1_POLICY, None) if name == "parley-v1" else None
    engine = v1 or Engine.load()
    context = ModerationContext()

    def parley(texts: Sequence[str]) -> Scored:
        verdicts = engine.assess_many(texts, context)
        labels = {
            label: np.array([v.scores[label] for v in verdicts]) for label in verdicts[0].scores
        }
        return Scored(labels, np.array([v.action.value != "publish" for v in verdicts]))

    return parley


def _init_worker(name: str) -> None:
    global _worker
    _worker = make_scorer(name)


def _score_chunk(texts: list[str]) -> tuple[int, int]:
    assert _worker is not None
    _worker(texts)
    return len(texts), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def throughput(name: str, texts: list[str], workers: int) -> tuple[float, float]:
    """Comments/s over `texts` split across `workers` processes, and the largest worker RSS (MB)."""
    chunks = [texts[i : i + 250] for i in range(0, len(texts), 250)]
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(name,)) as pool:
        list(pool.map(_score_chunk, chunks[:workers]))  # warm every worker
        started = time.perf_counter()
        results = list(pool.map(_score_chunk, chunks))
        elapsed = time.perf_counter() - started
    return sum(n for n, _ in results) / elapsed, max(rss for _, rss in results) / 1024


def latency(scorer: Scorer, texts: Sequence[str]) -> tuple[float, float]:
    """p50 and p99 (ms) of scoring one comment at a time, in this process."""
    times = []
    for text in texts:
        started = time.perf_counter()
        scorer([text])
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


LOAD_SCRIPTS = {
    "parley-v2": "from parley.moderation.engine import Engine; Engine.load()",
    "parley-v1": "from parley.moderation.scorer import LinearScorer; LinearScorer.load()",
    "alt-profanity-check": "from profanity_check import predict_prob; predict_prob(['x'])",
}


def load_seconds(name: str) -> float:
    """Imports and model load in a fresh interpreter (a model and the language detector are
    loaded once per process, so timing it in this one would measure a cache)."""
    script = (
        "import time; started = time.perf_counter(); "
        f"{LOAD_SCRIPTS[name]}; print(time.perf_counter() - started)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return float(completed.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=corpora.default_data_dir())
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--comments", type=int, default=10_000)
    args = parser.parse_args()
    console = Console()
    console.print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    sets = held_out_sets(args.data_dir)
    cases = read_functional(FUNCTIONAL)
    wikipedia = [e.text for e in sets["wikipedia (not trained)"]]
    stream = list(itertools.islice(itertools.cycle(wikipedia), args.comments))
    quality = Table(title="AUC per held-out set (label), functional suite accuracy")
    quality.add_column("set (label)")
    speed = Table(title=f"Speed: {args.comments:,} Wikipedia comments, {args.workers} workers")
    for column in ("scorer", "comments/s", "p50 ms", "p99 ms", "load s", "worker RSS MB"):
        speed.add_column(column)
    columns: dict[str, list[str]] = {}
    for name in SCORERS:
        quality.add_column(name)
        scorer = make_scorer(name)
        cells = []
        for set_name, examples in sets.items():
            label = PRIMARY_LABEL.get(set_name, "toxicity")
            scored = scorer([e.text for e in examples])
            gold = np.array(
                [e.targets.get(label, e.targets.get("toxicity", 0.0)) for e in examples]
            )
            cells.append(f"{auc(gold, scored.labels[label]):.3f}")
            if set_name.startswith("identity-templates"):
                groups = [e.group for e in examples]
                rows = bias_table(groups, gold, scored.labels["toxicity"])
                worst = min(rows, key=lambda row: row.subgroup_auc)
                cells.append(f"{worst.subgroup_auc:.3f} ({worst.identity})")
        cells.extend(_functional_cells(scorer, cases))
        columns[name] = cells
        rate, rss = throughput(name, stream, args.workers)
        p50, p99 = latency(scorer, wikipedia[:500])
        speed.add_row(
            name,
            f"{rate:,.0f}",
            f"{p50:.2f}",
            f"{p99:.2f}",
            f"{load_seconds(name):.2f}",
            f"{rss:,.0f}",
        )
    row_names = []
    for set_name in sets:
        row_names.append(f"{set_name} ({PRIMARY_LABEL.get(set_name, 'toxicity')})")
        if set_name.startswith("identity-templates"):
            row_names.append("identity-templates worst subgroup")
    row_names += ["functional: all", "functional: tuned two thirds", "functional: held-out third"]
    for i, row_name in enumerate(row_names):
        quality.add_row(row_name, *(columns[name][i] for name in SCORERS))
    console.print(quality)
    console.print(speed)


def _functional_cells(scorer: Scorer, cases: Sequence[object]) -> list[str]:
    flagged = scorer([c.text for c in cases]).flagged  # type: ignore[attr-defined]
    right = np.array([f == (c.label != "ok") for c, f in zip(cases, flagged, strict=True)])  # type: ignore[attr-defined]
    held = np.array([c.functionality in FUNCTIONAL_HELD_OUT for c in cases])  # type: ignore[attr-defined]
    return [f"{right.mean():.3f}", f"{right[~held].mean():.3f}", f"{right[held].mean():.3f}"]


if __name__ == "__main__":
    main()
