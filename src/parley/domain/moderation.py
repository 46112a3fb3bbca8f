"""What the moderation engine returns, and what the rest of Parley stores and shows."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Action(enum.StrEnum):
    """The four outcomes of moderation, from most to least permissive."""

    PUBLISH = "publish"
    FLAG = "flag"  # published, queued for a moderator's look
    HOLD = "hold"  # not public until a moderator approves it
    REJECT = "reject"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Action.PUBLISH: 0, Action.FLAG: 1, Action.HOLD: 2, Action.REJECT: 3}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason for a verdict; a moderator reads `message`, the console uses the rest."""

    action: Action
    message: str
    label: str | None = None
    score: float | None = None
    threshold: float | None = None
    rule: str | None = None
    spans: tuple[tuple[int, int], ...] = ()  # character offsets into the original text

    @property
    def span(self) -> tuple[int, int] | None:
        """The first span: where a moderator's eye goes first."""
        return self.spans[0] if self.spans else None

    def to_dict(self) -> dict[str, object]:
        return {
            "action": self.action.value,
            "message": self.message,
            "label": self.label,
            "score": self.score,
            "threshold": self.threshold,
            "rule": self.rule,
            "span": list(self.span) if self.span else None,
            "spans": [list(span) for span in self.spans],
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    scores: dict[str, float] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    model_version: str = "none"
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ModerationContext:
    """What the engine may know about a comment besides its text."""

    site: str = "default"
    article: str = ""
    thread_title: str = ""
    parent_text: str | None = None
    first_time_author: bool = False
    # The language the caller vouches for (the scoring API's `languages: ["en"]`): no detection.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Language:
    """The language a comment was detected as (ISO 639-1 `code`)."""

    code: str
    confidence: float
    reliable: bool


PUBLISH_ALL = Verdict(action=Action.PUBLISH, model_version="none")
