"""`parley health eval` and `parley health fit`: the thread-health model against labelled threads.

The threads (tests/data/threads/*.json, see its README) carry a label per comment (`off_topic`)
and per thread (`derailment`: the comment where a branch turned and where it is clearly derailed,
or null). Every third thread is held out: `fit` never sees it, and `eval` reports it apart.

Figures: off-topic precision and recall per comment; per thread, whether an alert named the
labelled branch (its `branch_root` inside the labelled subtree), how late (the alert's comment
minus the labelled start, counted in posting order: negative is before it), and false alarms
(alerts on threads that do not derail, or outside the labelled branch).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from parley.moderation.normalize import normalized_text
from parley.moderation.thread_health import (
    Alert,
    BranchState,
    BranchWatch,
    CommentId,
    Encoder,
    Signals,
    ThreadWatch,
    Thresholds,
)
from parley.moderation.topicality import (
    SHORT_REPLY_WORDS,
    Neighbour,
    TopicModel,
    comment_features,
    content_words,
    fit,
)

ScoresOf = Callable[[str], Mapping[str, float]]


@dataclass(frozen=True, slots=True)
class LabelledComment:
    id: CommentId
    parent: CommentId | None
    author: str | None
    created_at: datetime
    body: str
    off_topic: bool | None


@dataclass(frozen=True, slots=True)
class LabelledThread:
    name: str
    title: str
    article: str
    split: str  # "tune" or "holdout"
    branch_root: CommentId | None  # where the labelled derailment turned, if any
    starts_at: CommentId | None
    comments: tuple[LabelledComment, ...]

    def subtree(self, root: CommentId) -> set[CommentId]:
        inside = {root}
        for comment in self.comments:  # parents come first
            if comment.parent in inside:
                inside.add(comment.id)
        return inside

    def position(self, comment_id: CommentId) -> int:
        return next(i for i, c in enumerate(self.comments) if c.id == comment_id)


def read_thread(data: Mapping[str, Any], name: str = "thread") -> LabelledThread:
    """A thread file (the seed-thread.json schema; labels optional); ValueError when malformed."""
    derailment = data.get("derailment") or {}
    comments = []
    seen: set[CommentId] = set()
    start = datetime(2026, 1, 1)
    for position, raw in enumerate(data["comments"]):
        parent = raw.get("parent")
        if parent is not None and parent not in seen:
            raise ValueError(f"comment {raw['id']} replies to {parent}, which is not before it")
        seen.add(raw["id"])
        created = raw.get("created")
        comments.append(
            LabelledComment(
                raw["id"],
                parent,
                raw.get("author"),
                _timestamp(created) if created else start.replace(hour=position % 24),
                str(raw.get("body", "")),
                raw.get("off_topic"),
            )
        )
    return LabelledThread(
        name,
        str(data.get("title", "")),
        str(data.get("article", "")),
        str(data.get("split", "tune")),
        derailment.get("branch_root"),
        derailment.get("starts_at"),
        tuple(comments),
    )


def load_threads(directory: Path) -> list[LabelledThread]:
    return [
        read_thread(json.loads(path.read_text("utf-8")), path.stem)
        for path in sorted(directory.glob("*.json"))
    ]


def _timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def watch_thread(watch: BranchWatch, thread: LabelledThread, scores_of: ScoresOf) -> ThreadWatch:
    """The thread replayed in posting order through the watch."""
    watched = ThreadWatch(watch, thread.title, thread.article)
    for comment in thread.comments:
        signals = Signals(comment.body, comment.author, comment.created_at, scores_of(comment.body))
        watched.observe(comment.id, comment.parent, signals)
    return watched


@dataclass(frozen=True, slots=True)
class ThreadOutcome:
    thread: LabelledThread
    alerts: tuple[Alert, ...]
    off_topic: Mapping[CommentId, float]

    @property
    def hit(self) -> Alert | None:
        """The first alert inside the labelled branch."""
        if self.thread.branch_root is None:
            return None
        inside = self.thread.subtree(self.thread.branch_root)
        return next((a for a in self.alerts if a.branch_root in inside), None)

    @property
    def false_alarms(self) -> list[Alert]:
        if self.thread.branch_root is None:
            return list(self.alerts)
        inside = self.thread.subtree(self.thread.branch_root)
        return [a for a in self.alerts if a.branch_root not in inside]

    @property
    def delay(self) -> int | None:
        hit, start = self.hit, self.thread.starts_at
        if hit is None or start is None:
            return None
        return self.thread.position(hit.at_comment) - self.thread.position(start)


def outcomes(
    watch: BranchWatch, threads: Iterable[LabelledThread], scores_of: ScoresOf
) -> list[ThreadOutcome]:
    results = []
    for thread in threads:
        watched = watch_thread(watch, thread, scores_of)
        off_topic = {cid: o.topicality.off_topic for cid, o in watched.observations.items()}
        results.append(ThreadOutcome(thread, tuple(watched.alerts), off_topic))
    return results


@dataclass(frozen=True, slots=True)
class Report:
    threads: int
    comments: int
    precision: float
    recall: float
    derailing: int
    alerted: int  # derailing threads whose branch an alert named
    false_alarms: int
    calm_alerted: int  # threads that do not derail, with an alert
    delays: tuple[int, ...]

    @property
    def median_delay(self) -> float | None:
        return float(np.median(self.delays)) if self.delays else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "threads": self.threads,
            "comments": self.comments,
            "off_topic_precision": round(self.precision, 3),
            "off_topic_recall": round(self.recall, 3),
            "derailing_threads": self.derailing,
            "alerted_in_branch": self.alerted,
            "false_alarms": self.false_alarms,
            "calm_threads_alerted": self.calm_alerted,
            "delays": list(self.delays),
            "median_delay": self.median_delay,
        }


def report(results: Sequence[ThreadOutcome], threshold: float = 0.5) -> Report:
    predicted, actual = [], []
    for result in results:
        for comment in result.thread.comments:
            if comment.off_topic is not None:
                predicted.append(result.off_topic[comment.id] >= threshold)
                actual.append(comment.off_topic)
    p, a = np.array(predicted, dtype=bool), np.array(actual, dtype=bool)
    true_positive = int((p & a).sum())
    derailing = [r for r in results if r.thread.branch_root is not None]
    return Report(
        threads=len(results),
        comments=len(p),
        precision=true_positive / max(int(p.sum()), 1),
        recall=true_positive / max(int(a.sum()), 1),
        derailing=len(derailing),
        alerted=sum(r.hit is not None for r in derailing),
        false_alarms=sum(len(r.false_alarms) for r in results),
        calm_alerted=sum(bool(r.alerts) for r in results if r.thread.branch_root is None),
        delays=tuple(d for r in derailing if (d := r.delay) is not None),
    )


def fit_topic_model(
    watch: BranchWatch, threads: Sequence[LabelledThread], scores_of: ScoresOf
) -> TopicModel:
    """Logistic weights from every labelled comment that is not a short reply, in two passes:
    first with each parent's label as its score, then with the first model's prediction for
    the parent, which is what the model gets at run time (a model fitted on labels alone
    leans on a parent's score more than its own predictions deserve)."""
    first = _fit_pass(watch, threads, scores_of, None)
    predicted = BranchWatch(watch.encoder, first, watch.thresholds)
    return _fit_pass(watch, threads, scores_of, predicted)


def _fit_pass(
    watch: BranchWatch,
    threads: Sequence[LabelledThread],
    scores_of: ScoresOf,
    predicted: BranchWatch | None,
) -> TopicModel:
    features, labels = [], []
    for thread in threads:
        watched = watch_thread(predicted or watch, thread, scores_of)
        article = watch.article(thread.title, thread.article)
        label = {c.id: float(bool(c.off_topic)) for c in thread.comments}
        score = {cid: s.off_topic for cid, s in watched.states.items()} if predicted else label
        for comment in thread.comments:
            words = content_words(comment.body)
            if comment.off_topic is None or (
                comment.parent is not None and len(words) <= SHORT_REPLY_WORDS
            ):
                continue
            parent = watched.states.get(comment.parent) if comment.parent is not None else None
            top = watched.states.get(parent.top_id) if parent is not None else None
            features.append(
                comment_features(
                    normalized_text(comment.body),
                    _vector(watched.states[comment.id]),
                    words,
                    article,
                    _scored(parent, score) if parent else None,
                    _scored(top, score) if top else None,
                )
            )
            labels.append(comment.off_topic)
    return fit(features, labels)


def _vector(state: BranchState) -> np.ndarray:
    return np.frombuffer(state.vector, np.float16).astype(np.float32)


def _scored(state: BranchState, score: Mapping[CommentId, float]) -> Neighbour:
    return Neighbour(_vector(state), score[state.comment_id], frozenset(state.words))


def tune_thresholds(
    watch: BranchWatch, threads: Sequence[LabelledThread], scores_of: ScoresOf
) -> Thresholds:
    """The thresholds that name the most labelled branches with the fewest false alarms, then
    the earliest; among equals, the most sensitive (alerts as early as the evidence allows)."""
    best: tuple[tuple[float, ...], Thresholds] | None = None
    grid = itertools.product(
        (1, 2),  # run
        (0.45, 0.5, 0.55, 0.6),  # drift
        (0.25, 0.3, 0.35, 0.45),  # heat
        (3, 4),  # pair
        (2, 3),  # long_run
    )
    for run, drift, heat, pair, long_run in grid:
        if long_run < run:
            continue
        limits = Thresholds(Thresholds().off_topic, run, drift, heat, pair, long_run)
        candidate = BranchWatch(watch.encoder, watch.model, limits)
        summary = report(outcomes(candidate, threads, scores_of), limits.off_topic)
        delay = summary.median_delay if summary.median_delay is not None else 99.0
        found = summary.alerted - summary.false_alarms - 2 * summary.calm_alerted
        key = (found, -delay, -drift, -heat, -run, -pair, -long_run)
        if best is None or key > best[0]:
            best = (key, limits)
    assert best is not None
    return best[1]


class RememberingEncoder:
    """The encoder with every vector kept: tuning replays the same comments many times."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}

    def encode(self, text: str) -> np.ndarray:
        if text not in self._vectors:
            self._vectors[text] = self._encoder.encode(text)
        return self._vectors[text]

    def encode_document(self, title: str, text: str) -> np.ndarray:
        return self._encoder.encode_document(title, text)


def evaluate_and_fit(directory: Path, engine: Any, refit: bool) -> dict[str, Any]:
    """The `parley health eval` report; with `refit`, fit on the tuning split and save first."""
    from parley.domain.moderation import ModerationContext
    from parley.moderation.topicality import weights_path

    threads = load_threads(directory)
    if not threads:
        raise ValueError(f"no thread files (*.json) in {directory}")
    remembered: dict[str, Mapping[str, float]] = {}

    def scores_of(text: str) -> Mapping[str, float]:
        if text not in remembered:
            remembered[text] = engine.assess(text, ModerationContext()).scores
        return remembered[text]

    watch = BranchWatch.load()
    version = getattr(watch.encoder, "version", None)
    watch = BranchWatch(RememberingEncoder(watch.encoder), watch.model, watch.thresholds)
    tuning = [t for t in threads if t.split != "holdout"]
    if refit:
        model = fit_topic_model(watch, tuning, scores_of)
        watch = BranchWatch(watch.encoder, model, watch.thresholds)
        thresholds = tune_thresholds(watch, tuning, scores_of)
        model.thresholds = dataclasses.asdict(thresholds)
        watch = BranchWatch(watch.encoder, model, thresholds)
        path = weights_path()
        path.write_text(json.dumps(model.to_dict(), indent=1) + "\n", "utf-8")
    result: dict[str, Any] = {"encoder": version}
    for split in ("tune", "holdout"):
        chosen = [t for t in threads if t.split == split]
        outcome = outcomes(watch, chosen, scores_of)
        result[split] = report(outcome, watch.thresholds.off_topic).to_dict()
        result[split]["per_thread"] = {
            o.thread.name: {
                "alerts": [a.to_dict() for a in o.alerts],
                "labelled": [o.thread.branch_root, o.thread.starts_at],
                "delay": o.delay,
            }
            for o in outcome
        }
    result["weights"] = watch.model.to_dict()
    return result
