"""Moderation benchmark: Parley v2 (MiniLM) vs Parley v1 (linear) vs alt-profanity-check, one run.

Prints, for each scorer side by side: AUC on every held-out test split (and the sets never
trained on), the functional suite (all / tuned / held-out third), comments/s on 10,000 Wikipedia
comments with one worker process per core, p50/p99 of one comment at a time, load time and RSS.
Also the topicality sentence encoder: load time and RSS, p50/p99 of short and 128-token comments
on one thread (`--encoder-only` for just that); and what thread health adds per comment
(topicality and branch state, replaying tests/data/threads in posting order) next to the scorer
on the same comments, and a whole server's RSS with every model loaded (`--health-only`).
Needs the `train` extra (scikit-learn) and `alt-profanity-check` (`make bench-moderation`
installs both).

    python bench/moderation.py [--data-dir ../shared/data] [--workers 2] [--comments 10000]
    python bench/moderation.py --encoder-only
    python bench/moderation.py --health-only
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


def latency(scorer: Callable[[Sequence[str]], object], texts: Sequence[str]) -> tuple[float, float]:
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
ENCODER_LOAD = "from parley.moderation.embedding import SentenceEncoder; SentenceEncoder.load()"


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


def encoder_load() -> tuple[float, float]:
    """Seconds to import and load the sentence encoder, and the RSS (MB) after it, in a fresh
    interpreter (VmRSS: a child's ru_maxrss starts from its parent's on Linux)."""
    script = (
        "import re, time; started = time.perf_counter(); "
        f"{ENCODER_LOAD}; print(time.perf_counter() - started, "
        r"re.search(r'VmRSS:\s+(\d+)', open('/proc/self/status').read())[1])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    seconds, rss_kb = completed.stdout.split()[-2:]
    return float(seconds), int(rss_kb) / 1024


def encoder_table(data_dir: Path, comments: int = 500) -> Table:
    """The topicality encoder, one thread, one comment at a time: short Wikipedia comments
    (10-20 word pieces) and long ones (read up to the 128-token limit)."""
    from parley.moderation.embedding import SentenceEncoder

    seconds, rss = encoder_load()
    encoder = SentenceEncoder.load(threads=1)
    texts = [e.text for e in corpora.wikipedia(data_dir)]
    lengths = [encoder.token_count(text) for text in texts]
    short = [t for t, n in zip(texts, lengths, strict=True) if 10 <= n <= 20][:comments]
    long = [t for t, n in zip(texts, lengths, strict=True) if n >= 126][:comments]
    table = Table(title=f"Sentence encoder {encoder.version}: 1 thread, one comment at a time")
    for column in ("comments", "n", "mean tokens", "p50 ms", "p99 ms"):
        table.add_column(column)
    for name, group in (("short", short), ("long (128 tokens)", long)):
        p50, p99 = latency(encoder.encode_many, group)
        tokens = statistics.mean(len(encoder.token_ids(text)) for text in group)
        table.add_row(name, f"{len(group)}", f"{tokens:.1f}", f"{p50:.2f}", f"{p99:.2f}")
    table.caption = f"load {seconds:.2f} s (fresh interpreter, imports included), RSS {rss:.0f} MB"
    return table


THREADS = Path(__file__).resolve().parents[1] / "tests" / "data" / "threads"
SEED_WXR = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "seed-thread.wxr.xml"


def health_table(engine: Engine) -> Table:
    """Per comment, one thread: the scorer (Engine.assess) and what thread health adds on top
    (ThreadWatch.observe: encode, topicality, branch state, alert), every comment of the
    labelled threads replayed in posting order (each article encoded once, outside the timing,
    as the server caches it)."""
    from parley.moderation.thread_eval import load_threads
    from parley.moderation.thread_health import BranchWatch, Signals, ThreadWatch

    started = time.perf_counter()
    watch = BranchWatch.load(threads=1)
    load = time.perf_counter() - started
    scorer_ms, health_ms = [], []
    context = ModerationContext()
    for thread in load_threads(THREADS):
        watched = ThreadWatch(watch, thread.title, thread.article)
        for comment in thread.comments:
            began = time.perf_counter()
            scores = engine.assess(comment.body, context).scores
            scored = time.perf_counter()
            signals = Signals(comment.body, comment.author, comment.created_at, scores)
            watched.observe(comment.id, comment.parent, signals)
            scorer_ms.append((scored - began) * 1000)
            health_ms.append((time.perf_counter() - scored) * 1000)
    table = Table(title=f"Thread health next to the scorer: {len(health_ms)} thread comments")
    for column in ("step", "p50 ms", "p99 ms", "mean ms"):
        table.add_column(column)
    for name, times in (("scorer (Engine.assess)", scorer_ms), ("+ thread health", health_ms)):
        ordered = sorted(times)
        table.add_row(
            name,
            f"{statistics.median(ordered):.2f}",
            f"{ordered[int(len(ordered) * 0.99) - 1]:.2f}",
            f"{statistics.mean(ordered):.2f}",
        )
    table.caption = (
        f"encoder + topic model load {load:.2f} s in this process; "
        f"whole server RSS with every model: {server_rss():.0f} MB"
    )
    return table


def server_rss() -> float:
    """VmRSS (MB) of `parley serve` on SQLite after importing the seed thread and posting one
    moderated reply (the engine, the language detector, the encoder and an article loaded)."""
    import json
    import tempfile
    import urllib.request

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import PARLEY_BIN, Children, start_parley  # a script, not a package

    with tempfile.TemporaryDirectory() as scratch:
        env = {"PARLEY_DATABASE_URL": f"sqlite+aiosqlite:///{scratch}/bench.db"}
        for argv in (["migrate"], ["import", "wordpress", str(SEED_WXR)]):
            subprocess.run([str(PARLEY_BIN), *argv], env={**os.environ, **env}, check=True,
                           capture_output=True)  # fmt: skip
        with Children(Path(scratch) / "logs") as children:
            base = start_parley(children, env, ready="/api/v1/counts?thread=/reviews/nanking/")
            reply = {"thread": "/reviews/nanking/", "body": "Hard to watch, and worth it.",
                     "parent_id": 1}  # fmt: skip
            request = urllib.request.Request(
                f"{base}/api/v1/comments",
                data=json.dumps(reply).encode(),
                headers={"Content-Type": "application/json", "Origin": "http://127.0.0.1:8080"},
            )
            urllib.request.urlopen(request, timeout=60).read()
            pid = children.pid("parley")
            status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=corpora.default_data_dir())
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--encoder-only", action="store_true", help="Only the sentence encoder.")
    parser.add_argument("--health-only", action="store_true", help="Only thread health.")
    args = parser.parse_args()
    console = Console()
    console.print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    if not args.health_only:
        console.print(encoder_table(args.data_dir))
    if args.encoder_only:
        return
    console.print(health_table(Engine.load(threads=1)))
    if args.health_only:
        return
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
