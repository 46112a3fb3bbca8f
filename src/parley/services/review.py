"""The moderators' review: queues, decisions on comments (single and bulk), and undo.

What a decision does to a comment:

| action    | from                                   | to                                          |
|-----------|----------------------------------------|---------------------------------------------|
| approve   | pending, flagged, published, rejected  | published (at once in the widget)           |
| reject    | pending, flagged, published            | rejected (public reads drop it)             |
| spam      | anything but deleted                   | rejected, labelled spam                     |
| delete    | anything but deleted                   | deleted: text and name blanked (a tombstone |
|           |                                        | while it has replies); the text is kept in  |
|           |                                        | the decision, for restore and the audit     |
| edit      | anything but deleted                   | the same status, the new text; the original |
|           |                                        | is kept in the decision                     |
| restore   | rejected or deleted by a moderator     | the state before that decision              |

Replies: a reply held because its parent was held (`comments._status_under`) stays held when
the parent is approved: it has its own verdict and waits in the held queue for its own look.
A reply is never made public while its parent is held (approve and restore refuse it), as a
public reply would give the held parent's id away. Rejecting or deleting a parent leaves its
published replies public (a rejected parent's replies read at the top level).

Every decision closes the comment's open reports, bumps its thread's version (cached reads
change at once) and, when public readers see a difference, announces a change event. Every
action answers an undo id: for UNDO_SECONDS the same moderator may put back everything it did.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from parley.domain.accounts import Staff
from parley.domain.comments import CommentStatus, Site
from parley.domain.review import (
    HIDING_ACTIONS,
    UNDO_SECONDS,
    Assessment,
    BranchComment,
    CommentState,
    Decision,
    EngineVerdict,
    ModeratorLabel,
    Queue,
    QueueCursor,
    QueueFilter,
    QueueOrder,
    RejectionReason,
    Reverted,
    ReviewAction,
    ReviewItem,
    ScoreTest,
    StoredDecision,
    UndoOutcome,
    label_for,
)
from parley.moderation.policy import LABELS
from parley.services.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    ServiceError,
    storing,
)
from parley.services.events import EventSink, NoEvents, moderator_event, queue_of
from parley.services.markup import MarkdownRenderer
from parley.services.reports import report_threshold

DEFAULT_PAGE = 50
MAX_PAGE = 200
BULK_LIMIT = 500  # comments one bulk action decides; a larger filter is done in several


class ReviewConflict(ServiceError):
    """The comment is not in a state this decision applies to (409)."""


class UndoExpired(ServiceError):
    """No decisions of yours under this undo id within its time (410)."""


class ReviewStorage(Protocol):
    async def queue(
        self, wanted: QueueFilter, cursor: QueueCursor | None, limit: int
    ) -> list[ReviewItem]: ...

    async def queue_ids(self, wanted: QueueFilter, limit: int) -> list[int]: ...

    async def items(self, ids: Sequence[int]) -> list[ReviewItem]: ...

    async def branches(self, ids: Sequence[int]) -> dict[int, BranchComment]: ...

    async def replies(self, comment_id: int) -> list[BranchComment]: ...

    async def assessments(self, comment_id: int) -> list[Assessment]: ...

    async def decisions(self, comment_id: int) -> list[StoredDecision]: ...

    async def reports(self, comment_id: int) -> list[dict[str, Any]]: ...

    async def apply(
        self, made: Sequence[Decision], undo_id: str, at: datetime
    ) -> list[Decision]: ...

    async def undo(
        self, undo_id: str, user_id: int | None, not_before: datetime, at: datetime
    ) -> UndoOutcome | None: ...


class SiteList(Protocol):
    async def list_sites(self) -> list[Site]: ...


# -- search terms ---------------------------------------------------------------------------
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_SCORE = re.compile(r"^score(?::([a-z_]+))?(>=|<=|>|<)(\d+(?:\.\d+)?|\.\d+)$")
_KEYS = frozenset({"site", "thread", "author", "label", "lang"})
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """What a queue's `q` asks for, before sites are resolved."""

    sites: tuple[str, ...] = ()
    thread_key: str | None = None
    author: str | None = None
    label: str | None = None
    score: tuple[str | None, str, float] | None = None  # label, op, value
    language: str | None = None
    words: tuple[str, ...] = ()


def parse_terms(q: str) -> SearchTerms:
    """`site:blog thread:/a/ author:ann label:insult score>0.8 lang:de "free text" words`.

    `score>X` tests the highest score of any label, or with `label:` (or `score:insult>X`)
    that label's. A word with an unknown `key:` is searched as text.
    """
    terms = SearchTerms()
    words: list[str] = []
    sites: list[str] = []
    for quoted, bare in _TERM.findall(q):
        if quoted:
            words.append(quoted)
            continue
        score = _SCORE.match(bare)
        if score:
            label = score.group(1)
            _check_label(label)
            terms = replace(terms, score=(label, score.group(2), float(score.group(3))))
            continue
        key, colon, value = bare.partition(":")
        if not colon or key not in _KEYS or not value:
            words.append(bare)
        elif key == "site":
            sites.append(value)
        elif key == "thread":
            terms = replace(terms, thread_key=value)
        elif key == "author":
            terms = replace(terms, author=value)
        elif key == "label":
            _check_label(value)
            terms = replace(terms, label=value)
        else:
            if not _LANGUAGE.match(value.lower()):
                raise InvalidInput(f"lang:{value} is not a language code (en, de, ...)", "q")
            terms = replace(terms, language=value.lower())
    return replace(terms, words=tuple(w for w in words if w), sites=tuple(sites))


def _check_label(label: str | None) -> None:
    if label is not None and label not in LABELS:
        raise InvalidInput(f"unknown label {label!r}: one of {', '.join(LABELS)}", "q")


# -- cursors --------------------------------------------------------------------------------
def encode_cursor(cursor: QueueCursor) -> str:
    key = cursor.key.isoformat() if isinstance(cursor.key, datetime) else cursor.key
    text = json.dumps([cursor.order.value, key, cursor.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(text: str, order: QueueOrder) -> QueueCursor:
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        kind, key, last_id = value
        if kind != order.value or not isinstance(last_id, int):
            raise ValueError(kind)
        if order is QueueOrder.NEWEST:
            return QueueCursor(order, datetime.fromisoformat(key), last_id)
        if isinstance(key, bool) or not isinstance(key, int | float):
            raise ValueError(key)
        return QueueCursor(order, float(key), last_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidInput("not a cursor of this queue and order", "cursor") from None


# -- answers --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QueueEntry:
    item: ReviewItem
    ancestors: list[BranchComment]  # root first, down to the parent


@dataclass(frozen=True, slots=True)
class QueuePage:
    entries: list[QueueEntry]
    next: str | None


@dataclass(frozen=True, slots=True)
class CommentDetail:
    item: ReviewItem
    ancestors: list[BranchComment]
    replies: list[BranchComment]
    assessments: list[Assessment]
    decisions: list[StoredDecision]
    reports: list[dict[str, Any]]
    # The text the latest verdict's spans index into, when a moderator has edited it since.
    judged_text: str | None


@dataclass(frozen=True, slots=True)
class Applied:
    id: int
    status_before: CommentStatus
    status_after: CommentStatus


@dataclass(frozen=True, slots=True)
class Skipped:
    id: int
    reason: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    action: ReviewAction
    undo_id: str
    undo_until: datetime
    applied: list[Applied]
    skipped: list[Skipped]
    more: bool = False  # a filter matched more than BULK_LIMIT: run it again for the rest


@dataclass(frozen=True, slots=True)
class ActionRequest:
    action: ReviewAction
    reason: RejectionReason | None = None
    label: ModeratorLabel | None = None
    body: str | None = None


class ReviewService:
    def __init__(
        self,
        storage: ReviewStorage,
        sites: SiteList,
        max_body: int,
        events: EventSink | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._storage = storage
        self._sites = sites
        self._max_body = max_body
        self._events = events or NoEvents()
        self._clock = clock
        self._markup = MarkdownRenderer()

    # -- queues --------------------------------------------------------------------------
    async def queue(
        self,
        staff: Staff,
        queue: Queue,
        q: str = "",
        order: QueueOrder = QueueOrder.NEWEST,
        cursor: str | None = None,
        limit: int = DEFAULT_PAGE,
    ) -> QueuePage:
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit is 1 to {MAX_PAGE}", "limit")
        wanted = await self._filter(staff, queue, q, order)
        after = decode_cursor(cursor, order) if cursor else None
        items = await storing(self._storage.queue(wanted, after, limit + 1))
        more = len(items) > limit
        items = items[:limit]
        branches = await storing(
            self._storage.branches([i.comment.parent_id for i in items if i.comment.parent_id])
        )
        entries = [QueueEntry(item, _ancestors(item.comment.parent_id, branches)) for item in items]
        following = None
        if more and items:
            last = items[-1]
            key: float | datetime = (
                last.priority if order is QueueOrder.PRIORITY else last.comment.created_at
            )
            following = encode_cursor(QueueCursor(order, key, last.comment.id))
        return QueuePage(entries, following)

    async def count(self, staff: Staff, queue: Queue, q: str = "", cap: int = 999) -> int:
        """How many comments a queue's filter holds, counting no further than cap + 1 (a
        console shows "999+")."""
        wanted = await self._filter(staff, queue, q, QueueOrder.NEWEST)
        return len(await storing(self._storage.queue_ids(wanted, cap + 1)))

    async def detail(self, staff: Staff, comment_id: int) -> CommentDetail:
        item = await self._item(staff, comment_id)
        parent_id = item.comment.parent_id
        branches = await storing(self._storage.branches([parent_id] if parent_id else []))
        made = await storing(self._storage.decisions(comment_id))
        return CommentDetail(
            item=item,
            ancestors=_ancestors(parent_id, branches),
            replies=await storing(self._storage.replies(comment_id)),
            assessments=await storing(self._storage.assessments(comment_id)),
            decisions=made,
            reports=await storing(self._storage.reports(comment_id)),
            judged_text=_judged_text(item.assessment, made),
        )

    async def _item(self, staff: Staff, comment_id: int) -> ReviewItem:
        found = await storing(self._storage.items([comment_id]))
        if not found or not staff.may_moderate(found[0].thread.site_id):
            raise NotFound(f"no comment {comment_id}")
        return found[0]

    async def _filter(self, staff: Staff, queue: Queue, q: str, order: QueueOrder) -> QueueFilter:
        if len(q) > 500:
            raise InvalidInput("q is longer than 500 characters", "q")
        terms = parse_terms(q)
        sites = await storing(self._sites.list_sites())
        scope = staff.site_ids
        if terms.sites:
            named = {_site_named(sites, name).id for name in terms.sites}
            for site_id in named:
                if not staff.may_moderate(site_id):
                    raise NotAllowed(f"you do not moderate site {site_id}")
            scope = frozenset(named)
        score = None
        if terms.score is not None:
            label, op, value = terms.score
            score = ScoreTest(op, value, label or terms.label)
        return QueueFilter(
            queue=queue,
            order=order,
            site_ids=scope,
            thread_key=terms.thread_key,
            author=terms.author,
            label=terms.label,
            score=score,
            language=terms.language,
            words=terms.words,
            report_thresholds={site.id: report_threshold(site) for site in sites},
        )

    # -- deciding ------------------------------------------------------------------------
    async def act(self, staff: Staff, ids: Sequence[int], request: ActionRequest) -> ActionResult:
        """Decide on these comments. One id: a refusal is an error (404, 409). Several: the
        refused ones are listed as skipped, the others decided in one transaction."""
        request = self._checked(request, len(ids))
        wanted = list(dict.fromkeys(ids))
        if not wanted or len(wanted) > BULK_LIMIT:
            raise InvalidInput(f"name 1 to {BULK_LIMIT} comments", "ids")
        result = await self._decide(staff, wanted, request)
        if len(wanted) == 1 and result.skipped:
            skipped = result.skipped[0]
            if skipped.reason == "not_found":
                raise NotFound(f"no comment {skipped.id}")
            raise ReviewConflict(_EXPLAINED.get(skipped.reason, skipped.reason))
        return result

    async def act_on_queue(
        self, staff: Staff, queue: Queue, q: str, request: ActionRequest
    ) -> ActionResult:
        """Decide on every comment of a queue's filter (at most BULK_LIMIT at once)."""
        request = self._checked(request, 2)
        wanted = await self._filter(staff, queue, q, QueueOrder.NEWEST)
        ids = await storing(self._storage.queue_ids(wanted, BULK_LIMIT + 1))
        if not ids:
            return ActionResult(request.action, "", self._clock(), [], [])
        result = await self._decide(staff, ids[:BULK_LIMIT], request)
        return replace(result, more=len(ids) > BULK_LIMIT)

    async def undo(self, staff: Staff, undo_id: str) -> UndoOutcome:
        """Put back what one of the caller's actions changed, within UNDO_SECONDS."""
        now = self._clock()
        not_before = now - timedelta(seconds=UNDO_SECONDS)
        outcome = await storing(self._storage.undo(undo_id, staff.user_id, not_before, now))
        if outcome is None:
            raise UndoExpired(
                f"nothing of yours to undo under {undo_id!r}: "
                f"an action can be undone for {UNDO_SECONDS:g} s"
            )
        for reverted in outcome.reverted:
            self._announce_change(reverted, body_changed=True)
        return outcome

    def _checked(self, request: ActionRequest, count: int) -> ActionRequest:
        action = request.action
        if action is ReviewAction.REJECT and request.reason is None:
            raise InvalidInput("a rejection needs a reason", "reason")
        if action is ReviewAction.SPAM:
            request = replace(request, reason=RejectionReason.SPAM)
        if action is ReviewAction.EDIT:
            if count != 1:
                raise InvalidInput("edit one comment at a time", "action")
            body = (request.body or "").strip()
            if not body or len(body) > self._max_body:
                raise InvalidInput(f"the text needs 1 to {self._max_body} characters", "body")
            request = replace(request, body=body)
        elif request.body is not None:
            raise InvalidInput("only an edit takes a body", "body")
        if request.label is None:
            request = replace(request, label=label_for(action, request.reason))
        return request

    async def _decide(
        self, staff: Staff, ids: Sequence[int], request: ActionRequest
    ) -> ActionResult:
        items = {
            item.comment.id: item
            for item in await storing(self._storage.items(ids))
            if staff.may_moderate(item.thread.site_id)
        }
        parents = {i.comment.parent_id for i in items.values() if i.comment.parent_id}
        branches = await storing(self._storage.branches(sorted(p for p in parents if p)))
        status = {cid: b.status for cid, b in branches.items()}
        status.update({cid: i.comment.status for cid, i in items.items()})
        html = await self._markup.render(request.body) if request.body else None
        now = self._clock()
        made: list[Decision] = []
        skipped: list[Skipped] = []
        for comment_id in sorted(ids):  # parents (older, smaller ids) before their replies
            item = items.get(comment_id)
            if item is None:
                skipped.append(Skipped(comment_id, "not_found"))
                continue
            after = await self._after(item, request, html, now)
            problem = after if isinstance(after, str) else None
            if isinstance(after, CommentState):
                parent = item.comment.parent_id
                held_parent = parent is not None and status.get(parent) is CommentStatus.PENDING
                if _visible(after.status) and held_parent:
                    problem = "parent_held"
            if problem is not None or not isinstance(after, CommentState):
                skipped.append(Skipped(comment_id, problem or "unchanged"))
                continue
            status[comment_id] = after.status
            made.append(self._decision(staff, item, request, after))
        undo_id = secrets.token_urlsafe(12)
        applied = await storing(self._storage.apply(made, undo_id, now)) if made else []
        done = {d.comment_id for d in applied}
        skipped += [
            Skipped(d.comment_id, "changed_meanwhile") for d in made if d.comment_id not in done
        ]
        for decision in applied:
            item = items[decision.comment_id]
            self._announce_change(
                Reverted(
                    decision.comment_id,
                    item.thread.site_id,
                    item.thread.key,
                    decision.before.status,
                    decision.after.status,
                ),
                body_changed=decision.before.body_md != decision.after.body_md,
            )
        return ActionResult(
            action=request.action,
            undo_id=undo_id if applied else "",
            undo_until=now + timedelta(seconds=UNDO_SECONDS),
            applied=[Applied(d.comment_id, d.before.status, d.after.status) for d in applied],
            skipped=sorted(skipped, key=lambda s: s.id),
        )

    async def _after(
        self, item: ReviewItem, request: ActionRequest, html: str | None, now: datetime
    ) -> CommentState | str:
        """The comment's state after the decision, or why the decision does not apply."""
        before = CommentState.of(item.comment)
        current = before.status
        action = request.action
        if current is CommentStatus.DELETED and action is not ReviewAction.RESTORE:
            return "deleted"
        if action is ReviewAction.APPROVE:
            return replace(before, status=CommentStatus.PUBLISHED)
        if action is ReviewAction.REJECT:
            if current is CommentStatus.REJECTED:
                return "unchanged"
            return replace(before, status=CommentStatus.REJECTED)
        if action is ReviewAction.SPAM:
            return replace(before, status=CommentStatus.REJECTED)
        if action is ReviewAction.DELETE:
            return CommentState(CommentStatus.DELETED, "", "", None, None, None, before.edited_at)
        if action is ReviewAction.EDIT:
            assert request.body is not None and html is not None
            return replace(before, body_md=request.body, body_html=html, edited_at=now)
        return await self._restored(item, before)

    async def _restored(self, item: ReviewItem, before: CommentState) -> CommentState | str:
        if before.status not in (CommentStatus.REJECTED, CommentStatus.DELETED):
            return "not_hidden"
        made = await storing(self._storage.decisions(item.comment.id))
        for decision in reversed(made):
            if decision.undone_at is not None:
                continue
            if (
                ReviewAction(decision.action) in HIDING_ACTIONS
                and decision.status_after == before.status.value
            ):
                return CommentState.from_dict(decision.before)
            break
        return "nothing_to_restore"

    def _decision(
        self, staff: Staff, item: ReviewItem, request: ActionRequest, after: CommentState
    ) -> Decision:
        return Decision(
            comment_id=item.comment.id,
            thread_id=item.thread.id,
            site_id=item.thread.site_id,
            user_id=staff.user_id,
            action=request.action,
            reason=request.reason,
            label=request.label,
            engine=EngineVerdict.of(item.assessment),
            before=CommentState.of(item.comment),
            after=after,
        )

    def _announce_change(self, change: Reverted, body_changed: bool) -> None:
        """Tell the site's moderators of every decision and undo (`decided`, with the queue the
        comment waits in now), and the thread's readers when what they see changed (never a
        held comment's id)."""
        self._events.publish_to_moderators(
            change.site_id,
            moderator_event("decided", change.comment_id, change.site_id, queue_of(change.now)),
        )
        was, now = _visible(change.was), _visible(change.now)
        if was and now:
            kind = "edited" if body_changed else None
        elif now:
            kind = "created"
        elif was:
            kind = "deleted"
        else:
            kind = None
        if kind is not None:
            self._events.publish(
                change.site_id, change.thread_key, {"type": kind, "id": change.comment_id}
            )


_EXPLAINED = {
    "deleted": "the comment is deleted: restore it first",
    "unchanged": "the comment is in that state already",
    "parent_held": "its parent is held: approve the parent first",
    "not_hidden": "only a rejected or deleted comment can be restored",
    "nothing_to_restore": "no moderator's decision hid this comment: approve it instead",
    "changed_meanwhile": "the comment changed meanwhile: reload it",
}


def _visible(status: CommentStatus) -> bool:
    return status in (CommentStatus.PUBLISHED, CommentStatus.FLAGGED)


def _ancestors(parent_id: int | None, branches: dict[int, BranchComment]) -> list[BranchComment]:
    chain: list[BranchComment] = []
    while parent_id is not None and parent_id in branches and len(chain) < 100:
        chain.append(branches[parent_id])
        parent_id = branches[parent_id].parent_id
    return chain[::-1]


def _judged_text(assessment: Assessment | None, made: Sequence[StoredDecision]) -> str | None:
    if assessment is None:
        return None
    for decision in made:
        edited = decision.action == ReviewAction.EDIT.value and decision.undone_at is None
        if edited and decision.created_at >= assessment.created_at:
            return str(decision.before["body_md"])
    return None


def _site_named(sites: Sequence[Site], name: str) -> Site:
    for site in sites:
        if site.name == name or (name.isdigit() and site.id == int(name)):
            return site
    raise InvalidInput(f"no site {name!r}", "q")
