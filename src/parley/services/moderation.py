"""Choosing the moderator a process uses, and watching threads for derailment."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from parley.domain.moderation import PUBLISH_ALL, Action, ModerationContext, Reason, Verdict
from parley.moderation.engine import Engine
from parley.moderation.thread_health import ThreadComment, ThreadHealth
from parley.settings import Settings


class Moderator(Protocol):
    """Judges a comment before it is stored; the moderation engine is one."""

    def assess(self, text: str, context: ModerationContext) -> Verdict: ...


class PublishEverything:
    """The moderator used when moderation is turned off."""

    def assess(self, text: str, context: ModerationContext) -> Verdict:
        return PUBLISH_ALL


def load_moderator(settings: Settings) -> Moderator:
    """The engine with the model shipped in the package (loads in well under 2 s)."""
    if not settings.moderation:
        return PublishEverything()
    return Engine.load()


@dataclass(frozen=True, slots=True)
class BranchComment:
    id: int | str
    parent_id: int | str | None
    text: str


def heat(scores: dict[str, float]) -> float:
    return max(scores.get("toxicity", 0.0), scores.get("identity_attack", 0.0))


def with_alert(verdict: Verdict, alert: dict[str, object] | None) -> Verdict:
    """A derailment alert queues a published comment for a look and explains why."""
    if alert is None:
        return verdict
    reason = Reason(Action.FLAG, f"derailing: {alert['message']}", rule="thread_health")
    action = Action.FLAG if verdict.action is Action.PUBLISH else verdict.action
    return dataclasses.replace(verdict, action=action, reasons=(*verdict.reasons, reason))


def branch_verdict(
    moderator: Moderator,
    article: str,
    ancestors: Sequence[BranchComment],
    newest: BranchComment,
    verdict: Verdict,
) -> Verdict:
    """Judge the newest comment's place in its branch: root first, then each reply down to it."""
    health = ThreadHealth(article)
    context = ModerationContext(article=article)
    for comment in ancestors:
        scores = moderator.assess(comment.text, context).scores
        health.observe(ThreadComment(comment.id, comment.parent_id, comment.text, heat(scores)))
    alert = health.observe(
        ThreadComment(newest.id, newest.parent_id, newest.text, heat(verdict.scores))
    )
    return with_alert(verdict, alert)
