"""Sanctions on authors and rules on branches and threads: making and lifting them, and
enforcing them where comments are posted, edited and voted on.

On an author, per site: `warn` (recorded, shown in the author drawer), `suspend` (refused until
a time), `ban` (refused until lifted, or until a time), `always_hold` (every new comment held,
with the reason `author: always hold`). Each matches the author `by` one identity: the author
key behind their author token (`account`), a keyed hash of the email they gave (`email`; the
address itself is never stored with a sanction nor shown), or the network tag of their latest
comment (`network`: an HMAC of the /24 or /48 and the UTC day, so such a sanction ends with
that day, and makes no sense for a tag of an earlier day).

A refused author gets one neutral answer (`AuthorRefused`) whichever rule refused them.

On a branch (a comment and everything under it): `lock` (no new replies: `BranchLocked`),
`hold_replies` (every new reply held, with the reason `branch: replies held`), and the two a
site's policy puts on a derailing branch (services/thread_health.py): `flag_replies` (every new
reply published but flagged) and `slow` (one new reply per cooldown: `BranchSlowed`, 429). On
a thread: lock and unlock, as `parley thread lock` does. A whole branch is rejected through the
review's decisions, so each comment's decision is audited and the lot can be undone like any
action.
Every change is written to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from parley.domain.accounts import Staff
from parley.domain.comments import Thread
from parley.domain.review import AuditEntry, RejectionReason, ReviewAction
from parley.domain.sanctions import (
    ALWAYS_HOLD_REASON,
    FLAG_REPLIES_REASON,
    HOLD_REPLIES_REASON,
    NO_HOLDS,
    REFUSING,
    AuthorSummary,
    AuthorTraces,
    BranchRule,
    NewSanction,
    Sanction,
    SanctionBy,
    SanctionKind,
    SlowBranch,
    Standing,
)
from parley.services.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    ServiceError,
    storing,
)
from parley.services.events import EventSink, NoEvents
from parley.services.review import BULK_LIMIT, ActionRequest, ActionResult, ReviewService

MAX_NOTE = 500


class AuthorRefused(ServiceError):
    """A sanction in force refuses the author; the message never says which (403)."""


class BranchLocked(ServiceError):
    """The comment is under a locked branch: no new replies there (403)."""


class BranchSlowed(ServiceError):
    """The comment is under a slowed branch whose cooldown runs: try again later (429)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SanctionStorage(Protocol):
    async def standing(
        self,
        site_id: int,
        matches: Mapping[SanctionBy, str],
        parent_id: int | None,
        now: datetime,
    ) -> tuple[set[SanctionKind], set[BranchRule], list[SlowBranch]]: ...

    async def take_slow_turn(self, branches: Sequence[SlowBranch], now: datetime) -> bool: ...

    async def add_sanction(self, new: NewSanction, at: datetime) -> Sanction: ...

    async def sanction(self, sanction_id: int) -> Sanction | None: ...

    async def lift(self, sanction_id: int, user_id: int | None, at: datetime) -> bool: ...

    async def author_summary(self, site_id: int, author_key: str) -> AuthorSummary: ...

    async def author_traces(self, site_id: int, author_key: str) -> AuthorTraces: ...

    async def comment_thread(self, comment_id: int) -> Thread | None: ...

    async def thread(self, thread_id: int) -> Thread | None: ...

    async def set_rule(
        self,
        comment_id: int,
        rule: BranchRule,
        on: bool,
        user_id: int | None,
        at: datetime,
        cooldown_s: int | None = None,
    ) -> bool: ...

    async def rules_on(self, comment_id: int) -> set[BranchRule]: ...

    async def subtree(self, comment_id: int) -> list[int]: ...


class ThreadLocks(Protocol):
    async def set_thread_locked(self, site_id: int, key: str, locked: bool) -> bool: ...


class AuditLog(Protocol):
    async def record(self, entry: AuditEntry) -> None: ...


class EmailHashes:
    """A keyed hash of an email address: equal for one address (case and spaces aside), and
    no one without the server's secret can confirm a guessed address from it."""

    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), b"parley.sanction-email", hashlib.sha256).digest()

    def of(self, email: str) -> str:
        return hmac.new(self._key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class SanctionRequest:
    kind: SanctionKind
    by: SanctionBy = SanctionBy.ACCOUNT
    until: datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class BranchState:
    comment_id: int
    thread_id: int
    rules: frozenset[BranchRule]


_REFUSED = "your {} cannot be accepted"
_RULE_ACTIONS = {
    (BranchRule.LOCK, True): "branch.lock",
    (BranchRule.LOCK, False): "branch.unlock",
    (BranchRule.HOLD_REPLIES, True): "branch.hold_replies",
    (BranchRule.HOLD_REPLIES, False): "branch.release",
    (BranchRule.FLAG_REPLIES, False): "branch.unflag",
    (BranchRule.SLOW, False): "branch.unslow",
}


class SanctionService:
    def __init__(
        self,
        storage: SanctionStorage,
        threads: ThreadLocks,
        audit: AuditLog,
        review: ReviewService,
        secret: str,
        events: EventSink | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._storage = storage
        self._threads = threads
        self._audit = audit
        self._review = review
        self._events = events or NoEvents()
        self._clock = clock
        self.emails = EmailHashes(secret)

    # -- enforcement ----------------------------------------------------------------------
    async def check(
        self,
        site_id: int,
        author_key: str | None,
        email: str | None,
        network_tag: str | None,
        parent_id: int | None = None,
        what: str = "comment",
    ) -> Standing:
        """What the sanctions and branch rules in force make of a comment (or an edit, or a
        vote: `what`) by this author under `parent_id`: refused (raised), held, flagged, or
        nothing. A reply that a slowed branch accepts takes the branch's turn here, before it is
        judged and stored: a second reply racing it is refused."""
        matches: dict[SanctionBy, str] = {}
        if author_key:
            matches[SanctionBy.ACCOUNT] = author_key
        if email:
            matches[SanctionBy.EMAIL] = self.emails.of(email)
        if network_tag:
            matches[SanctionBy.NETWORK] = network_tag
        now = self._clock()
        kinds, rules, slow = await storing(self._storage.standing(site_id, matches, parent_id, now))
        if kinds & REFUSING:
            raise AuthorRefused(_REFUSED.format(what))
        if BranchRule.LOCK in rules:
            raise BranchLocked("this conversation is closed: it takes no new replies")
        if slow:
            await self._take_turn(slow, now)
        holds = [ALWAYS_HOLD_REASON] if SanctionKind.ALWAYS_HOLD in kinds else []
        if BranchRule.HOLD_REPLIES in rules:
            holds.append(HOLD_REPLIES_REASON)
        flags = [FLAG_REPLIES_REASON] if BranchRule.FLAG_REPLIES in rules else []
        return Standing(tuple(holds), tuple(flags)) if holds or flags else NO_HOLDS

    async def _take_turn(self, slow: Sequence[SlowBranch], now: datetime) -> None:
        """Let the reply into slowed branches past their cooldown; BranchSlowed otherwise."""
        wait = max(branch.wait(now) for branch in slow)
        if wait <= 0 and await storing(self._storage.take_slow_turn(slow, now)):
            return
        retry_after = max(1, math.ceil(wait or min(branch.cooldown_s for branch in slow)))
        raise BranchSlowed(
            f"this conversation is slowed down: try again in {retry_after} s", retry_after
        )

    # -- sanctions on authors -------------------------------------------------------------
    async def sanction(
        self, staff: Staff, site_id: int, author_key: str, wanted: SanctionRequest
    ) -> Sanction:
        if not staff.may_moderate(site_id):
            raise NotAllowed(f"you do not moderate site {site_id}")
        summary = await storing(self._storage.author_summary(site_id, author_key))
        if summary.comments == 0:
            raise NotFound("no such author on this site")
        now = self._clock()
        by, until = wanted.by, wanted.until
        note = (wanted.note or "").strip() or None
        if note is not None and len(note) > MAX_NOTE:
            raise InvalidInput(f"a note takes at most {MAX_NOTE} characters", "note")
        if until is not None and until <= now:
            raise InvalidInput("until must be in the future", "until")
        if wanted.kind is SanctionKind.SUSPEND and until is None:
            raise InvalidInput("a suspension needs an end (until)", "until")
        if wanted.kind is SanctionKind.WARN:
            by, until = SanctionBy.ACCOUNT, None
        value, until = await self._identity(site_id, author_key, by, until, now)
        new = NewSanction(site_id, author_key, wanted.kind, by, value, until, note, staff.user_id)
        made = await storing(self._storage.add_sanction(new, now))
        await self._audit.record(
            AuditEntry(
                user_id=staff.user_id,
                site_id=site_id,
                action=f"author.{made.kind.value}",
                target=f"author:{author_key}",
                after=_described(made),
            )
        )
        return made

    async def _identity(
        self,
        site_id: int,
        author_key: str,
        by: SanctionBy,
        until: datetime | None,
        now: datetime,
    ) -> tuple[str, datetime | None]:
        """The value a sanction matches by, and its end (a network tag's day ends it)."""
        if by is SanctionBy.ACCOUNT:
            return author_key, until
        traces = await storing(self._storage.author_traces(site_id, author_key))
        if by is SanctionBy.EMAIL:
            if not traces.emails:
                raise InvalidInput("this author gave no email address", "by")
            return self.emails.of(traces.emails[0]), until
        if not traces.network_tags:
            raise InvalidInput("no network tag is kept of this author's comments", "by")
        tag, seen = traces.network_tags[0]
        day_end = datetime.combine(seen.astimezone(UTC).date() + timedelta(days=1), time(), UTC)
        if day_end <= now:
            raise InvalidInput(
                f"the network tag of this author's latest comment is of {seen.date()}: "
                "a tag matches one day only, so nothing posted now would match it",
                "by",
            )
        return tag, min(until, day_end) if until else day_end

    async def lift(self, staff: Staff, sanction_id: int) -> Sanction:
        """Lift a sanction (a second time changes nothing)."""
        found = await storing(self._storage.sanction(sanction_id))
        if found is None or not staff.may_moderate(found.site_id):
            raise NotFound(f"no sanction {sanction_id}")
        if await storing(self._storage.lift(sanction_id, staff.user_id, self._clock())):
            lifted = await storing(self._storage.sanction(sanction_id))
            assert lifted is not None
            await self._audit.record(
                AuditEntry(
                    user_id=staff.user_id,
                    site_id=found.site_id,
                    action="sanction.lift",
                    target=f"author:{found.author_key}",
                    before=_described(found),
                    after=_described(lifted),
                )
            )
            return lifted
        return found

    # -- branches and threads -------------------------------------------------------------
    async def set_branch_rule(
        self, staff: Staff, comment_id: int, rule: BranchRule, on: bool
    ) -> BranchState:
        thread = await self._thread_of(staff, comment_id)
        before = await storing(self._storage.rules_on(comment_id))
        now = self._clock()
        if await storing(self._storage.set_rule(comment_id, rule, on, staff.user_id, now)):
            after = await storing(self._storage.rules_on(comment_id))
            await self._audit.record(
                AuditEntry(
                    user_id=staff.user_id,
                    site_id=thread.site_id,
                    action=_RULE_ACTIONS[rule, on],
                    target=f"comment:{comment_id}",
                    before={"rules": sorted(r.value for r in before)},
                    after={"rules": sorted(r.value for r in after)},
                )
            )
            before = after
        return BranchState(comment_id, thread.id, frozenset(before))

    async def branch(self, staff: Staff, comment_id: int) -> BranchState:
        thread = await self._thread_of(staff, comment_id)
        rules = await storing(self._storage.rules_on(comment_id))
        return BranchState(comment_id, thread.id, frozenset(rules))

    async def lock_thread(self, staff: Staff, thread_id: int, locked: bool) -> Thread:
        thread = await storing(self._storage.thread(thread_id))
        if thread is None or not staff.may_moderate(thread.site_id):
            raise NotFound(f"no thread {thread_id}")
        if thread.locked != locked:
            await storing(self._threads.set_thread_locked(thread.site_id, thread.key, locked))
            await self._audit.record(
                AuditEntry(
                    user_id=staff.user_id,
                    site_id=thread.site_id,
                    action="thread.lock" if locked else "thread.unlock",
                    target=f"thread:{thread_id}",
                    before={"locked": thread.locked},
                    after={"locked": locked},
                )
            )
            # Readers re-read the thread: the form goes (or comes back) at once.
            self._events.publish(
                thread.site_id, thread.key, {"type": "locked" if locked else "unlocked"}
            )
        found = await storing(self._storage.thread(thread_id))
        assert found is not None
        return found

    async def reject_branch(
        self, staff: Staff, comment_id: int, reason: RejectionReason
    ) -> ActionResult:
        """Reject a comment and every reply under it, as one action with one undo id."""
        thread = await self._thread_of(staff, comment_id)
        ids = await storing(self._storage.subtree(comment_id))
        if len(ids) > BULK_LIMIT:
            raise InvalidInput(
                f"this branch holds {len(ids)} comments: reject at most {BULK_LIMIT} at once "
                "(reject its deeper branches first)",
                "comment_id",
            )
        result = await self._review.act(staff, ids, ActionRequest(ReviewAction.REJECT, reason))
        if result.applied:
            await self._audit.record(
                AuditEntry(
                    user_id=staff.user_id,
                    site_id=thread.site_id,
                    action="branch.reject",
                    target=f"comment:{comment_id}",
                    after={
                        "reason": reason.value,
                        "rejected": [a.id for a in result.applied],
                    },
                    undo_id=result.undo_id,
                )
            )
        return result

    async def _thread_of(self, staff: Staff, comment_id: int) -> Thread:
        thread = await storing(self._storage.comment_thread(comment_id))
        if thread is None or not staff.may_moderate(thread.site_id):
            raise NotFound(f"no comment {comment_id}")
        return thread


def sanction_matches(
    emails: EmailHashes, author_key: str, traces: AuthorTraces
) -> Sequence[tuple[SanctionBy, str]]:
    """Every identity of an author a sanction may match."""
    found = [(SanctionBy.ACCOUNT, author_key)]
    found += [(SanctionBy.EMAIL, emails.of(email)) for email in traces.emails]
    found += [(SanctionBy.NETWORK, tag) for tag, _ in traces.network_tags]
    return found


def _described(sanction: Sanction) -> dict[str, Any]:
    """A sanction for the audit log: what, how, until when, and lifted (never its value)."""
    described = asdict(sanction)
    return {
        key: value.isoformat() if isinstance(value, datetime) else getattr(value, "value", value)
        for key, value in described.items()
        if key in {"id", "kind", "by", "until", "note", "lifted_at", "lifted_by"}
    }
