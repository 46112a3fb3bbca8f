"""The moderator's review: queues, decisions on comments, and the audit log, as plain data."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parley.domain.comments import Comment, CommentStatus, Thread

# An action (single or bulk) can be taken back this long after it was taken.
UNDO_SECONDS = 10.0
# Open reports that put a comment in the reported queue when its site's policy names none.
DEFAULT_REPORT_THRESHOLD = 3


class Queue(enum.StrEnum):
    HELD = "held"  # pending: not public until approved
    FLAGGED = "flagged"  # public, queued for a look
    REPORTED = "reported"  # public, with at least the site's report_threshold open reports
    RECENT = "recent"  # everything, newest first


class QueueOrder(enum.StrEnum):
    NEWEST = "newest"
    PRIORITY = "priority"


class ReviewAction(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    DELETE = "delete"
    EDIT = "edit"
    RESTORE = "restore"


class RejectionReason(enum.StrEnum):
    """Why a moderator rejected a comment: kept for the audit, never shown to the author."""

    ABUSE = "abuse"
    HATE = "hate"
    THREAT = "threat"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class ModeratorLabel(enum.StrEnum):
    """The moderator's reading of a comment, stored beside the engine's for calibration."""

    OK = "ok"
    TOXIC = "toxic"
    SPAM = "spam"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


_LABEL_FOR_REASON = {
    RejectionReason.ABUSE: ModeratorLabel.TOXIC,
    RejectionReason.HATE: ModeratorLabel.TOXIC,
    RejectionReason.THREAT: ModeratorLabel.TOXIC,
    RejectionReason.PERSONAL_DATA: ModeratorLabel.PERSONAL_DATA,
    RejectionReason.SPAM: ModeratorLabel.SPAM,
    RejectionReason.OFF_TOPIC: ModeratorLabel.OFF_TOPIC,
    RejectionReason.OTHER: ModeratorLabel.OTHER,
}


def label_for(action: ReviewAction, reason: RejectionReason | None) -> ModeratorLabel | None:
    """The label a decision implies when the moderator names none (None: it says nothing)."""
    if action is ReviewAction.APPROVE:
        return ModeratorLabel.OK
    if action is ReviewAction.SPAM:
        return ModeratorLabel.SPAM
    if action is ReviewAction.REJECT and reason is not None:
        return _LABEL_FOR_REASON[reason]
    return None


# A list or pattern match is certain: it ranks as a score this far over its threshold.
RULE_MARGIN = 1.0


def verdict_margin(reasons: Sequence[Mapping[str, Any]]) -> float:
    """How far a verdict's strictest reason (reasons come strictest first, as stored) is over
    its threshold: score - threshold, RULE_MARGIN for a match without a score, 0 for none.
    The review queues rank by it (plus open reports)."""
    top = reasons[0] if reasons else None
    if top is None or top.get("action") == "publish":
        return 0.0
    if top.get("score") is not None and top.get("threshold") is not None:
        return float(top["score"]) - float(top["threshold"])
    return RULE_MARGIN


HIDING_ACTIONS = frozenset({ReviewAction.REJECT, ReviewAction.SPAM, ReviewAction.DELETE})


@dataclass(frozen=True, slots=True)
class ScoreTest:
    """`score>0.8`: a label's score (any label's when `label` is None) against a number."""

    op: str  # one of > >= < <=
    value: float
    label: str | None = None


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """One queue, narrowed by the search terms of its `q` and the moderator's sites."""

    queue: Queue = Queue.HELD
    order: QueueOrder = QueueOrder.NEWEST
    site_ids: frozenset[int] | None = None  # None: every site
    thread_key: str | None = None
    author: str | None = None  # a name (case-insensitive) or an e-mail address
    label: str | None = None  # a reason (not a publish one) with this label
    score: ScoreTest | None = None
    language: str | None = None
    words: tuple[str, ...] = ()  # each in the text, case-insensitive
    report_thresholds: dict[int, int] = field(default_factory=dict)  # site id -> threshold


@dataclass(frozen=True, slots=True)
class QueueCursor:
    """Where the previous page ended: the sort key and id of its last item."""

    order: QueueOrder
    key: float | datetime
    id: int


@dataclass(frozen=True, slots=True)
class Assessment:
    """A verdict as stored: reasons are dicts (action, message, label, score, threshold, rule,
    spans), spans character offsets into the text judged."""

    id: int
    model_version: str
    action: str
    scores: dict[str, float]
    reasons: list[dict[str, Any]]
    language: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ReviewItem:
    comment: Comment
    thread: Thread
    assessment: Assessment | None
    open_reports: int
    priority: float


@dataclass(frozen=True, slots=True)
class BranchComment:
    """An ancestor as a queue item shows it: enough to read the branch."""

    id: int
    parent_id: int | None
    author_name: str | None
    body_md: str
    status: CommentStatus
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CommentState:
    """What a decision changes of a comment, and what undo and restore put back."""

    status: CommentStatus
    body_md: str
    body_html: str
    author_name: str | None
    author_email: str | None
    author_website: str | None
    edited_at: datetime | None

    @classmethod
    def of(cls, comment: Comment) -> CommentState:
        return cls(
            comment.status,
            comment.body_md,
            comment.body_html,
            comment.author.name,
            comment.author.email,
            comment.author.website,
            comment.edited_at,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "body_md": self.body_md,
            "body_html": self.body_html,
            "author_name": self.author_name,
            "author_email": self.author_email,
            "author_website": self.author_website,
            "edited_at": self.edited_at.isoformat() if self.edited_at else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CommentState:
        edited = data.get("edited_at")
        return cls(
            CommentStatus(data["status"]),
            data["body_md"],
            data["body_html"],
            data.get("author_name"),
            data.get("author_email"),
            data.get("author_website"),
            datetime.fromisoformat(edited) if edited else None,
        )


@dataclass(frozen=True, slots=True)
class EngineVerdict:
    """The engine's verdict a decision confirms or overrides (its strictest reason)."""

    action: str | None = None
    model_version: str | None = None
    label: str | None = None
    score: float | None = None
    threshold: float | None = None
    scores: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)  # label -> threshold crossed

    @classmethod
    def of(cls, assessment: Assessment | None) -> EngineVerdict:
        if assessment is None:
            return cls()
        top = assessment.reasons[0] if assessment.reasons else {}
        thresholds = {
            str(r["label"]): float(r["threshold"])
            for r in assessment.reasons
            if r.get("label") and r.get("threshold") is not None
        }
        return cls(
            action=assessment.action,
            model_version=assessment.model_version,
            label=top.get("label"),
            score=top.get("score"),
            threshold=top.get("threshold"),
            scores=dict(assessment.scores),
            thresholds=thresholds,
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """One moderator's decision on one comment, ready to store with its audit entry.

    The store applies it only if the comment is still in `before` (else it is a conflict).
    """

    comment_id: int
    thread_id: int
    site_id: int
    user_id: int | None
    action: ReviewAction
    reason: RejectionReason | None
    label: ModeratorLabel | None
    engine: EngineVerdict
    before: CommentState
    after: CommentState
    resolve_reports: bool = True


@dataclass(frozen=True, slots=True)
class StoredDecision:
    id: int
    comment_id: int | None
    user_id: int | None
    action: str
    reason: str | None
    label: str | None
    engine_action: str | None
    engine_model_version: str | None
    status_before: str
    status_after: str
    before: dict[str, Any]
    after: dict[str, Any]
    undo_id: str | None
    created_at: datetime
    undone_at: datetime | None


@dataclass(frozen=True, slots=True)
class Reverted:
    """A comment an undo (or restore) put back: where it is and what it went from and to."""

    comment_id: int
    site_id: int
    thread_key: str
    was: CommentStatus
    now: CommentStatus


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    reverted: list[Reverted]
    skipped: list[int]  # changed since: left as they are


@dataclass(frozen=True, slots=True)
class AuditEntry:
    user_id: int | None
    site_id: int | None
    action: str  # "comment.approve", "site.policy", ...
    target: str  # "comment:12", "site:3", ...
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    model_version: str | None = None  # of the verdict a decision overrode
    threshold: float | None = None
    undo_id: str | None = None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    created_at: datetime
    user_id: int | None
    site_id: int | None
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    model_version: str | None
    threshold: float | None
    undo_id: str | None


@dataclass(frozen=True, slots=True)
class AuditFilter:
    user_id: int | None = None
    action: str | None = None  # exact, or a prefix ending in "." ("comment.")
    site_ids: frozenset[int] | None = None  # None: every site (and entries of none)
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None  # the cursor: entries older than this one
