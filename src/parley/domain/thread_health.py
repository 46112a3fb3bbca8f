"""Derailment alerts as stored, and what a site's policy does when one is raised."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from parley.domain.moderation import Action


class DerailmentStep(enum.StrEnum):
    """What a site does when a branch derails (policy `derailment`): the alerting comment is
    flagged (held, for `hold` and `lock`), and new replies in the branch are left alone,
    flagged, slowed to one per cooldown, held, or refused."""

    NONE = "none"
    FLAG = "flag"
    SLOW = "slow"
    HOLD = "hold"
    LOCK = "lock"

    @property
    def comment_action(self) -> Action:
        """The action for the comment that raised the alert."""
        return _COMMENT_ACTION[self]


_COMMENT_ACTION = {
    DerailmentStep.NONE: Action.PUBLISH,
    DerailmentStep.FLAG: Action.FLAG,
    DerailmentStep.SLOW: Action.FLAG,
    DerailmentStep.HOLD: Action.HOLD,
    DerailmentStep.LOCK: Action.HOLD,
}


class AlertStatus(enum.StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"  # a moderator read it and found nothing to do
    RESOLVED = "resolved"  # a moderator dealt with the branch


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """A derailment alert as the moderators' console lists it."""

    id: int
    site_id: int
    thread_key: str
    thread_title: str
    branch_root: int  # the comment where the branch turned
    at_comment: int  # the comment that completed the evidence
    reasons: tuple[str, ...]
    drift: float
    heat: float
    step: str  # the DerailmentStep the site's policy applied
    status: str  # an AlertStatus
    created_at: datetime
    closed_at: datetime | None
    closed_by: int | None
