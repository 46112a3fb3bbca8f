"""A running picture of each branch of a thread: heat (toxicity) and drift (off-topic replies).

Comments are observed in posting order. Along each reply chain, heat and drift are exponentially
weighted averages, so one sharp comment in a calm branch moves them less than a run of them. A
branch (the subtree under one top-level comment) raises one `derailing` alert, on the first
comment that takes it over the line, so moderators can step in before it burns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parley.moderation.topicality import content_words

SMOOTHING = 0.5  # weight of the newest comment in the running averages
HEAT_ALERT = 0.5
DRIFT_ALERT = 0.85
DRIFT_HEAT_ALERT = 0.3  # drift alone is a tangent; drift with some heat is a derailment
MIN_ALERT_DEPTH = 2


@dataclass(frozen=True, slots=True)
class ThreadComment:
    comment_id: int | str
    parent_id: int | str | None
    text: str
    heat: float  # how hot this one comment is, e.g. max(toxicity, identity_attack)


@dataclass(frozen=True, slots=True)
class _BranchState:
    root: int | str
    depth: int
    heat: float
    drift: float


@dataclass
class ThreadHealth:
    """Feed comments in posting order with `observe`; read `alerts`."""

    article: str
    alerts: list[dict[str, Any]] = field(default_factory=list)
    _states: dict[int | str, _BranchState] = field(default_factory=dict)
    _texts: dict[int | str, set[str]] = field(default_factory=dict)
    _alerted_roots: set[int | str] = field(default_factory=set)
    _article_words: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._article_words = content_words(self.article)

    def observe(self, comment: ThreadComment) -> dict[str, Any] | None:
        words = content_words(comment.text)
        parent = self._states.get(comment.parent_id) if comment.parent_id is not None else None
        context = self._article_words | self._texts.get(comment.parent_id, set())
        off_topic = 1.0 - (len(words & context) / len(words) if words else 1.0)
        state = self._next_state(comment, parent, off_topic)
        self._states[comment.comment_id] = state
        self._texts[comment.comment_id] = words
        return self._maybe_alert(comment, state)

    def _next_state(
        self, comment: ThreadComment, parent: _BranchState | None, off_topic: float
    ) -> _BranchState:
        if parent is None:
            return _BranchState(comment.comment_id, 0, comment.heat, off_topic)
        return _BranchState(
            parent.root,
            parent.depth + 1,
            _smooth(parent.heat, comment.heat),
            _smooth(parent.drift, off_topic),
        )

    def _maybe_alert(self, comment: ThreadComment, state: _BranchState) -> dict[str, Any] | None:
        derailing = state.heat >= HEAT_ALERT or (
            state.drift >= DRIFT_ALERT and state.heat >= DRIFT_HEAT_ALERT
        )
        if not derailing or state.depth < MIN_ALERT_DEPTH or state.root in self._alerted_roots:
            return None
        self._alerted_roots.add(state.root)
        alert = {
            "comment_id": comment.comment_id,
            "branch_root": state.root,
            "kind": "derailing",
            "message": (
                f"branch under comment {state.root} is heating up (heat {state.heat:.2f},"
                f" drift {state.drift:.2f}) at depth {state.depth}"
            ),
            "heat": round(state.heat, 3),
            "drift": round(state.drift, 3),
            "depth": state.depth,
        }
        self.alerts.append(alert)
        return alert


def _smooth(previous: float, newest: float) -> float:
    return (1 - SMOOTHING) * previous + SMOOTHING * newest
