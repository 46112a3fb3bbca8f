"""Thread health: each comment's topicality, each branch's course, and when a branch derails.

This is the one place the derailment logic lives; posting, editing, importing and the CLI all
call `BranchWatch.observe`. Every comment leaves a `BranchState` behind (its vector, its
off-topic score and the running figures of the reply chain down to it), so judging a reply
reads its parent's and its branch root's states and never re-scores an ancestor.

Along a reply chain the watch keeps: drift (running mean of off-topic scores), the run of
off-topic comments ending here and where it began, heat (running toxicity, insult and identity
attack) and its trend, reply pace, and how many comments in a row alternate between the same two
authors. A branch derails when a run of off-topic comments is long enough and carried by heat,
a two-person exchange or sheer length (thresholds in `Thresholds`, chosen on the tuning two
thirds of tests/data/threads). The alert names the comment where the run began, i.e. the
smallest subtree that holds the derailment, so the on-topic comments beside it stay out of it;
it is raised once for that subtree, on the comment that completed the evidence.
"""

from __future__ import annotations

import dataclasses
import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from hashlib import blake2b
from typing import Any, Protocol

import numpy as np

from parley.domain.moderation import Action, Reason, Verdict
from parley.moderation.normalize import normalized_text
from parley.moderation.policy import Policy
from parley.moderation.topicality import Article, Neighbour, Topicality, TopicModel, content_words

CommentId = int | str
NEW: CommentId = "new"  # the id of a comment judged before it is stored (see `stored_as`)
SMOOTHING = 0.5  # weight of the newest comment in the chain's running figures
ARTICLE_CACHE = 64  # articles kept encoded per process


class Encoder(Protocol):
    def encode(self, text: str) -> np.ndarray: ...

    def encode_document(self, title: str, text: str) -> np.ndarray: ...


class _Stored(dict[CommentId, CommentId]):
    """Comment ids as they are, but `NEW` as the id the judged comment was stored under: what
    `renamed` takes to turn a state or an alert judged before storing into the stored one."""

    def __init__(self, comment_id: CommentId) -> None:
        super().__init__({NEW: comment_id})

    def __missing__(self, key: CommentId) -> CommentId:
        return key


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a chain's figures make a derailment (tuned by `parley health fit`)."""

    off_topic: float = 0.5  # a comment at or above this counts as off-topic
    run: int = 2  # off-topic comments in a row along the chain
    drift: float = 0.55  # running off-topic mean
    heat: float = 0.3  # running heat that carries a run of `run` into a derailment
    pair: int = 3  # or: this many comments in a row alternating between the same two authors
    long_run: int = 3  # or: a run this long on its own


@dataclass(frozen=True, slots=True)
class Signals:
    """What the watch needs of a new comment besides its place in the tree."""

    text: str
    author: str | None
    created_at: datetime
    scores: Mapping[str, float]  # the moderation model's

    @property
    def heat(self) -> float:
        return max(
            self.scores.get("toxicity", 0.0),
            self.scores.get("insult", 0.0),
            self.scores.get("identity_attack", 0.0),
        )


@dataclass(frozen=True, slots=True)
class BranchState:
    """What is kept of each comment for the replies to come (stored per comment)."""

    comment_id: CommentId
    parent_id: CommentId | None
    top_id: CommentId  # the top-level comment of its branch
    depth: int
    author: str | None
    posted: float  # POSIX seconds
    off_topic: float
    heat: float
    drift: float  # running mean of off_topic along the chain
    chain_heat: float  # running mean of heat along the chain
    heat_trend: float  # chain_heat less the parent's
    run: int  # off-topic comments in a row ending here
    run_start: CommentId | None  # the first of them
    pair: int  # comments in a row ending here alternating between the same two authors
    pace: float  # running mean of log10(seconds since the parent)
    path: tuple[CommentId, ...] = ()  # its ancestors, the top-level comment first
    vector: bytes = field(repr=False, default=b"")  # float16 unit vector
    words: tuple[str, ...] = field(repr=False, default=())  # content words (for replies)
    other_author: str | None = None  # the parent's author (for the two-person count)

    def neighbour(self) -> Neighbour:
        return Neighbour(
            np.frombuffer(self.vector, dtype=np.float16).astype(np.float32),
            self.off_topic,
            frozenset(self.words),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without the vector (stored as bytes beside it)."""
        data = asdict(self)
        del data["vector"]
        data["words"] = list(self.words)
        data["path"] = list(self.path)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], vector: bytes) -> BranchState:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["words"] = tuple(data.get("words", ()))
        known["path"] = tuple(data.get("path", ()))
        return cls(**{**known, "vector": vector})

    def stored_as(self, comment_id: CommentId) -> BranchState:
        return self.renamed(_Stored(comment_id))

    def renamed(self, ids: Mapping[CommentId, CommentId]) -> BranchState:
        """The same state under other comment ids (an import watches a file's ids)."""
        return replace(
            self,
            comment_id=ids[self.comment_id],
            parent_id=None if self.parent_id is None else ids[self.parent_id],
            top_id=ids[self.top_id],
            run_start=None if self.run_start is None else ids[self.run_start],
            path=tuple(ids[i] for i in self.path),
        )

    @property
    def lineage(self) -> tuple[CommentId, ...]:
        """Its ancestors and itself, the top-level comment first."""
        return (*self.path, self.comment_id)


@dataclass(frozen=True, slots=True)
class Alert:
    """A derailing branch: where it turned (`branch_root`), where the watch saw it."""

    branch_root: CommentId
    at_comment: CommentId
    reasons: tuple[str, ...]
    drift: float
    heat: float
    root_path: tuple[CommentId, ...] = ()  # the branch root's ancestors, top-level first
    widened_at: CommentId | None = None  # the comment that showed the turn was higher up

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "derailment",
            "branch_root": self.branch_root,
            "at_comment": self.at_comment,
            "reasons": list(self.reasons),
            "drift": round(self.drift, 3),
            "heat": round(self.heat, 3),
            "root_path": list(self.root_path),
            "widened_at": self.widened_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Alert:
        return cls(
            data["branch_root"],
            data["at_comment"],
            tuple(data.get("reasons", ())),
            float(data.get("drift", 0.0)),
            float(data.get("heat", 0.0)),
            tuple(data.get("root_path", ())),
            data.get("widened_at"),
        )

    def renamed(self, ids: Mapping[CommentId, CommentId]) -> Alert:
        """The same alert under other comment ids (an import watches a file's ids)."""
        return replace(
            self,
            branch_root=ids[self.branch_root],
            at_comment=ids[self.at_comment],
            root_path=tuple(ids[i] for i in self.root_path),
            widened_at=None if self.widened_at is None else ids[self.widened_at],
        )

    def covers(self, state: BranchState) -> bool:
        return self.branch_root in state.lineage

    def widened(self, state: BranchState) -> Alert | None:
        """This alert moved up to where its branch and the off-topic run ending at `state`
        meet, when that is below the top-level comment: the turn happened there, and both
        runs are its replies (on the seed thread: the flame war under #4 and the slur under
        #7 both answer #3). None when they meet only at the top, or the state is covered."""
        if self.covers(state) or state.run_start is None:
            return None
        mine = (*self.root_path, self.branch_root)
        theirs = state.lineage[: state.lineage.index(state.run_start) + 1]
        common = 0
        while common < min(len(mine), len(theirs)) and mine[common] == theirs[common]:
            common += 1
        if common < 2:  # they meet at a top-level comment or not at all
            return None
        meet = mine[common - 1]
        reason = f"widened to #{meet}: another reply chain under it left the article too"
        return replace(
            self,
            branch_root=meet,
            root_path=mine[: common - 1],
            widened_at=state.comment_id,
            reasons=(*self.reasons, reason),
        )

    @property
    def message(self) -> str:
        return f"branch under comment {self.branch_root} is derailing: " + "; ".join(self.reasons)

    def stored_as(self, comment_id: CommentId) -> Alert:
        return self.renamed(_Stored(comment_id))


@dataclass(frozen=True, slots=True)
class Observation:
    """One comment judged in its branch: its state to store, its topicality, maybe an alert."""

    state: BranchState
    topicality: Topicality
    alert: Alert | None  # a new alert this comment raised
    widened: tuple[Alert, Alert] | None = None  # (before, after): an alert this comment moved

    def stored_as(self, comment_id: CommentId) -> Observation:
        """The same, once the comment has its id (it was judged as `NEW`)."""
        alert = self.alert.stored_as(comment_id) if self.alert else None
        widened = None
        if self.widened is not None:
            widened = (self.widened[0], self.widened[1].stored_as(comment_id))
        return Observation(self.state.stored_as(comment_id), self.topicality, alert, widened)


class BranchWatch:
    """The encoder, the topic model and the thresholds; thread-safe, shared by a process."""

    def __init__(
        self, encoder: Encoder, model: TopicModel, thresholds: Thresholds | None = None
    ) -> None:
        self.encoder = encoder
        self.model = model
        self.thresholds = thresholds or Thresholds()
        self._articles: OrderedDict[bytes, Article] = OrderedDict()

    @classmethod
    def load(cls, threads: int = 1) -> BranchWatch:
        """The shipped encoder and topic model (loads in well under a second)."""
        from parley.moderation.embedding import SentenceEncoder

        model = TopicModel.load()
        return cls(SentenceEncoder.load(threads=threads), model, Thresholds(**model.thresholds))

    def article(self, title: str, text: str) -> Article:
        """The article encoded, from a small per-process cache keyed by its content."""
        key = blake2b(f"{title}\x00{text}".encode(), digest_size=16).digest()
        found = self._articles.get(key)
        if found is not None:
            self._articles.move_to_end(key)
            return found
        article = Article.of(self.encoder.encode_document(title, text), f"{title}\n{text}")
        self._articles[key] = article
        if len(self._articles) > ARTICLE_CACHE:
            self._articles.popitem(last=False)
        return article

    def observe(
        self,
        comment_id: CommentId,
        signals: Signals,
        article: Article,
        parent: BranchState | None,
        top: BranchState | None,
        alerts: Sequence[Alert] = (),
    ) -> Observation:
        """Judge one comment against its parent's and branch root's states (None for a
        top-level comment), and decide whether its chain now derails; `alerts` are the
        thread's alerts so far (one may be widened, none is raised twice)."""
        vector = self.encoder.encode(signals.text)
        words = content_words(signals.text)
        topicality = self.model.judge(
            normalized_text(signals.text),
            vector,
            words,
            article,
            parent.neighbour() if parent else None,
            top.neighbour() if top else None,
        )
        state = self._next_state(comment_id, signals, vector, words, topicality, parent)
        if any(alert.covers(state) for alert in alerts):
            return Observation(state, topicality, None)
        for alert in alerts:
            widened = alert.widened(state)
            if widened is not None:
                return Observation(state, topicality, None, (alert, widened))
        return Observation(state, topicality, self._alert(state))

    def _next_state(
        self,
        comment_id: CommentId,
        signals: Signals,
        vector: np.ndarray,
        words: set[str],
        topicality: Topicality,
        parent: BranchState | None,
    ) -> BranchState:
        off = topicality.off_topic >= self.thresholds.off_topic
        posted = signals.created_at.timestamp()
        heat = signals.heat
        common = {
            "comment_id": comment_id,
            "author": signals.author,
            "posted": posted,
            "off_topic": topicality.off_topic,
            "heat": heat,
            "vector": vector.astype(np.float16).tobytes(),
            "words": tuple(sorted(words)),
        }
        if parent is None:
            return BranchState(
                parent_id=None,
                top_id=comment_id,
                depth=0,
                drift=topicality.off_topic,
                chain_heat=heat,
                heat_trend=0.0,
                run=1 if off else 0,
                run_start=comment_id if off else None,
                pair=1,
                pace=0.0,
                **common,
            )
        chain_heat = _smooth(parent.chain_heat, heat)
        seconds = max(posted - parent.posted, 1.0)
        return BranchState(
            parent_id=parent.comment_id,
            top_id=parent.top_id,
            depth=parent.depth + 1,
            drift=_smooth(parent.drift, topicality.off_topic),
            chain_heat=chain_heat,
            heat_trend=chain_heat - parent.chain_heat,
            run=parent.run + 1 if off else 0,
            run_start=(parent.run_start if parent.run else comment_id) if off else None,
            pair=_pair(parent, signals.author),
            pace=math.log10(seconds)
            if parent.depth == 0
            else _smooth(parent.pace, math.log10(seconds)),
            path=parent.lineage,
            other_author=parent.author,
            **common,
        )

    def _alert(self, state: BranchState) -> Alert | None:
        """An alert when the chain down to `state` derails."""
        limits = self.thresholds
        if state.run_start is None or state.run < limits.run:
            return None
        if state.drift < limits.drift:
            return None
        reasons = [f"{state.run} off-topic comments in a row (drift {state.drift:.2f})"]
        carried = False
        if state.chain_heat >= limits.heat:
            trend = "rising" if state.heat_trend > 0 else "steady"
            reasons.append(f"heat {state.chain_heat:.2f}, {trend}")
            carried = True
        if state.pair >= limits.pair:
            reasons.append(f"the same two authors, {state.pair} comments in a row")
            carried = True
        if state.run >= limits.long_run:
            carried = True
        if not carried:
            return None
        if state.pace < 3.6:  # replies within about an hour, on average
            reasons.append(f"fast replies (about {_duration(10**state.pace)} apart)")
        root_path = state.lineage[: state.lineage.index(state.run_start)]
        return Alert(
            state.run_start,
            state.comment_id,
            tuple(reasons),
            state.drift,
            state.chain_heat,
            root_path,
        )


def _pair(parent: BranchState, author: str | None) -> int:
    """How many comments in a row, ending with this one, alternate between two authors."""
    if author is None or parent.author is None or author == parent.author:
        return 1
    if parent.other_author == author:
        return parent.pair + 1
    return 2


def _smooth(previous: float, newest: float) -> float:
    return (1 - SMOOTHING) * previous + SMOOTHING * newest


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass
class ThreadWatch:
    """A whole thread watched in posting order, states in memory: the import, the CLI and the
    evaluation use it; the server keeps the states in its database instead."""

    watch: BranchWatch
    title: str
    text: str
    states: dict[CommentId, BranchState] = field(default_factory=dict)
    observations: dict[CommentId, Observation] = field(default_factory=dict)
    alerts: list[Alert] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._article = self.watch.article(self.title, self.text)

    def observe(
        self, comment_id: CommentId, parent_id: CommentId | None, signals: Signals
    ) -> Observation:
        parent = self.states.get(parent_id) if parent_id is not None else None
        top = self.states.get(parent.top_id) if parent is not None else None
        observation = self.watch.observe(
            comment_id, signals, self._article, parent, top, self.alerts
        )
        self.states[comment_id] = observation.state
        self.observations[comment_id] = observation
        if observation.alert is not None:
            self.alerts.append(observation.alert)
        if observation.widened is not None:
            before, after = observation.widened
            self.alerts[self.alerts.index(before)] = after
        return observation


def with_topicality(verdict: Verdict, observation: Observation, policy: Policy) -> Verdict:
    """The verdict with the comment's `off_topic` score and its reason, and the policy's step
    for a derailment alert the comment raised. Off-topic alone does nothing unless the site
    sets thresholds for it (`thresholds.off_topic`)."""
    topicality = observation.topicality
    scores = {**verdict.scores, "off_topic": topicality.off_topic}
    limits = policy.thresholds.get("off_topic")
    step = limits.action_for(topicality.off_topic) if limits else None
    action, threshold = step if step else (Action.PUBLISH, None)
    reason = Reason(
        action,
        f"off_topic: {topicality.reason}",
        label="off_topic",
        score=topicality.off_topic,
        threshold=threshold,
    )
    reasons = (*verdict.reasons, reason)
    final = action if action.severity > verdict.action.severity else verdict.action
    if observation.alert is not None:
        final, reasons = policy.with_derailment(final, reasons, observation.alert.message)
    return dataclasses.replace(verdict, action=final, scores=scores, reasons=reasons)
