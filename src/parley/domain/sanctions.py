"""Sanctions on authors and rules on branches, as plain data, and the rule that combines them
with a verdict."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from parley.domain.moderation import Action, Reason, Verdict


class SanctionKind(enum.StrEnum):
    WARN = "warn"  # recorded and shown to moderators; changes nothing for the author
    SUSPEND = "suspend"  # refused until `until`
    BAN = "ban"  # refused until lifted (or until `until`, when one is given)
    ALWAYS_HOLD = "always_hold"  # every new comment held for a moderator


class SanctionBy(enum.StrEnum):
    """What identifies the author a sanction applies to."""

    ACCOUNT = "account"  # the author key behind the browser's author token
    EMAIL = "email"  # a keyed hash of the address they gave (never the address)
    NETWORK = "network"  # the network tag: a /24 or /48 on one day, so at most that day


class BranchRule(enum.StrEnum):
    LOCK = "lock"  # no new replies anywhere under the comment
    HOLD_REPLIES = "hold_replies"  # every new reply under the comment is held
    FLAG_REPLIES = "flag_replies"  # every new reply under the comment is published but flagged
    SLOW = "slow"  # one new reply under the comment per cooldown (the rule's `cooldown_s`)


# What a sanction refuses, and what holds; warnings change nothing.
REFUSING = frozenset({SanctionKind.SUSPEND, SanctionKind.BAN})
ALWAYS_HOLD_REASON = "author: always hold"
HOLD_REPLIES_REASON = "branch: replies held"
FLAG_REPLIES_REASON = "branch: derailing, replies flagged"


@dataclass(frozen=True, slots=True)
class Sanction:
    id: int
    site_id: int
    author_key: str | None  # the author whose drawer it was made from
    kind: SanctionKind
    by: SanctionBy
    until: datetime | None
    note: str | None
    user_id: int | None  # who made it
    created_at: datetime
    lifted_at: datetime | None
    lifted_by: int | None

    def in_force(self, now: datetime) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > now)


@dataclass(frozen=True, slots=True)
class NewSanction:
    site_id: int
    author_key: str
    kind: SanctionKind
    by: SanctionBy
    value: str  # the author key, email hash or network tag it matches
    until: datetime | None
    note: str | None
    user_id: int | None


@dataclass(frozen=True, slots=True)
class SlowBranch:
    """A `slow` rule above a new reply: the branch's root, its cooldown, its latest reply."""

    comment_id: int
    cooldown_s: int
    last_reply_at: datetime | None

    def wait(self, now: datetime) -> float:
        """Seconds until the branch takes its next reply (0: it takes one now)."""
        if self.last_reply_at is None:
            return 0.0
        return max(0.0, self.cooldown_s - (now - self.last_reply_at).total_seconds())


@dataclass(frozen=True, slots=True)
class Standing:
    """What the sanctions and branch rules in force make of a new comment: nothing, or held
    or flagged for these reasons (a refusal is raised, never returned)."""

    holds: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def applied_to(self, verdict: Verdict) -> Verdict:
        """The verdict, held with a reason per hold when it would not be held or rejected;
        flagged with a reason per flag when it would be published."""
        if not self.holds:
            return self._flagged(verdict)
        reasons = tuple(Reason(Action.HOLD, message, rule=message) for message in self.holds)
        action = verdict.action if verdict.action.severity >= Action.HOLD.severity else Action.HOLD
        stricter = tuple(r for r in verdict.reasons if r.action.severity > Action.HOLD.severity)
        rest = tuple(r for r in verdict.reasons if r.action.severity <= Action.HOLD.severity)
        return replace(verdict, action=action, reasons=stricter + reasons + rest)

    def _flagged(self, verdict: Verdict) -> Verdict:
        if not self.flags:
            return verdict
        reasons = tuple(Reason(Action.FLAG, message, rule=message) for message in self.flags)
        action = verdict.action if verdict.action.severity >= Action.FLAG.severity else Action.FLAG
        ranked = sorted((*verdict.reasons, *reasons), key=lambda reason: -reason.action.severity)
        return replace(verdict, action=action, reasons=tuple(ranked))


NO_HOLDS = Standing()


# -- the author drawer ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AuthorComment:
    """One of an author's comments as the drawer lists it."""

    id: int
    thread_id: int
    thread_key: str
    thread_title: str
    parent_id: int | None
    author_name: str | None
    status: str
    body_md: str
    created_at: datetime
    verdict_action: str | None  # the latest verdict's
    verdict_labels: tuple[str, ...]  # labels of its reasons that are not `publish`


@dataclass(frozen=True, slots=True)
class AuthorSummary:
    comments: int
    first_seen: datetime | None
    last_seen: datetime | None
    decided: int  # comments whose standing decision approved, rejected, spammed or deleted
    approved: int


@dataclass(frozen=True, slots=True)
class AuthorTraces:
    """What identifies an author on a site besides their key (the raw email stays here: the
    service hashes it, nothing stores or shows it)."""

    emails: tuple[str, ...]  # newest first
    network_tags: tuple[tuple[str, datetime], ...]  # (tag, when the comment came), newest first


@dataclass(frozen=True, slots=True)
class AuthorNote:
    id: int
    user_id: int | None
    body: str
    created_at: datetime
