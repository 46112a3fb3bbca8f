"""The moderators' JSON API on authors, branches and threads: the author drawer and notes,
sanctions (warn, suspend, ban, always hold) and lifting them, branch locks and held replies,
thread locks, and rejecting a comment with all its replies. Handlers parse, call
services/authors.py or services/sanctions.py, and shape the answer; which sites a moderator may
see is decided there (403 for a site named, 404 for an item of another's site)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, delete, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, PathParameter, QueryParameter

from parley.domain.accounts import Staff
from parley.domain.review import RejectionReason, StoredDecision
from parley.domain.sanctions import BranchRule, Sanction, SanctionBy, SanctionKind
from parley.services.authors import AuthorDrawer
from parley.services.errors import InvalidInput
from parley.services.sanctions import BranchState, SanctionRequest
from parley.web.admin import services
from parley.web.admin.auth import SessionStaff, require_site
from parley.web.admin.queue_api import ActionResultOut, DecisionOut, _decision, _result
from parley.web.context import PathCommentId
from parley.web.schemas import MAX_ID, ProblemDetail

_PROBLEMS = {
    401: ResponseSpec(ProblemDetail, description="No valid session"),
    403: ResponseSpec(ProblemDetail, description="Missing CSRF token, or not your site"),
    404: ResponseSpec(ProblemDetail, description="No such author, comment or thread (yours)"),
    422: ResponseSpec(ProblemDetail, description="A bad body or parameter"),
}
AuthorKey = Annotated[
    str, PathParameter(min_length=1, max_length=64, description="An author's key")
]
# Optional to the validator, so that a request without a session is answered 401 first.
SiteId = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_ID, description="The site's id (required)")
]
PathThreadId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="A thread's id")]
PathSanctionId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="A sanction's id")]


# -- bodies and answers ---------------------------------------------------------------------
class SanctionBody(msgspec.Struct, forbid_unknown_fields=True):
    kind: SanctionKind
    # account: the author key; email: a keyed hash of their latest address (never stored
    # or shown); network: their latest comment's network tag, a /24 or /48 on one UTC day,
    # so a sanction by it ends with that day at the latest.
    by: SanctionBy = SanctionBy.ACCOUNT
    # Required to suspend; none for a ban: until lifted. ISO 8601 with its offset.
    until: Annotated[datetime, msgspec.Meta(tz=True)] | None = None
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class NoteBody(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(max_length=2000)]


class RejectBranchBody(msgspec.Struct, forbid_unknown_fields=True):
    reason: RejectionReason  # kept for the audit, never shown to the authors


class SanctionOut(msgspec.Struct):
    id: int
    site_id: int
    author_key: str | None
    kind: str
    by: str
    until: datetime | None
    note: str | None
    user_id: int | None
    created_at: datetime
    lifted_at: datetime | None
    lifted_by: int | None
    in_force: bool


class NoteOut(msgspec.Struct):
    id: int
    user_id: int | None
    body: str
    created_at: datetime


class DrawerCommentOut(msgspec.Struct):
    id: int
    thread_id: int
    thread_key: str
    thread_title: str
    parent_id: int | None
    author_name: str | None
    status: str
    body_md: str
    created_at: datetime
    verdict_action: str | None  # the engine's latest verdict
    verdict_labels: list[str]  # the labels of its reasons that are not `publish`
    decisions: list[DecisionOut]  # oldest first


class AuthorDrawerOut(msgspec.Struct):
    site_id: int
    author_key: str
    names: list[str]  # newest first
    comments_count: int  # every comment of the author on the site
    first_seen: datetime | None
    last_seen: datetime | None
    decided: int  # comments whose standing decision approved, rejected, spammed or deleted
    approved: int
    approval_rate: float | None  # approved / decided; null while nothing is decided
    comments: list[DrawerCommentOut]  # the newest 200
    sanctions: list[SanctionOut]  # newest first, lifted and ended ones too (in_force says)
    notes: list[NoteOut]  # newest first


class BranchOut(msgspec.Struct):
    comment_id: int
    thread_id: int
    locked: bool  # no new replies anywhere under the comment
    hold_replies: bool  # every new reply under it is held
    flag_replies: bool  # every new reply under it is flagged (a derailment alert's step)
    slow: bool  # one new reply under it per cooldown (a derailment alert's step)


class ThreadLockOut(msgspec.Struct):
    id: int
    site_id: int
    key: str
    locked: bool


# -- handlers -------------------------------------------------------------------------------
def _site(staff: Staff, site: int | None) -> int:
    if site is None:
        raise InvalidInput("name the author's site: ?site=ID", "site")
    require_site(staff, site)
    return site


@get("/authors/{author_key:str}", summary="The author drawer", responses=_PROBLEMS)
async def author_drawer(
    request: Request[Any, Any, Any], staff: SessionStaff, author_key: AuthorKey, site: SiteId = None
) -> AuthorDrawerOut:
    site_id = _site(staff, site)
    return _drawer(await services.authors(request).drawer(staff, site_id, author_key))


@get(
    "/comments/{comment_id:int}/author",
    summary="The author drawer of a comment's author",
    responses=_PROBLEMS,
)
async def comment_author_drawer(
    request: Request[Any, Any, Any], staff: SessionStaff, comment_id: PathCommentId
) -> AuthorDrawerOut:
    return _drawer(await services.authors(request).drawer_of_comment(staff, comment_id))


@post(
    "/authors/{author_key:str}/notes",
    summary="Add a moderator's note on an author",
    status_code=201,
    responses=_PROBLEMS,
)
async def add_author_note(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    author_key: AuthorKey,
    data: JSONBody[NoteBody],
    site: SiteId = None,
) -> NoteOut:
    site_id = _site(staff, site)
    note = await services.authors(request).add_note(staff, site_id, author_key, data.body)
    return NoteOut(note.id, note.user_id, note.body, note.created_at)


@post(
    "/authors/{author_key:str}/sanctions",
    summary="Warn, suspend (until), ban or always hold an author, by account, email or network",
    description=(
        "`by: network` matches the network tag of the author's latest comment: an HMAC of its "
        "/24 (IPv4) or /48 (IPv6) and the UTC day, so such a sanction ends with that day at "
        "the latest (and is refused for a tag of an earlier day). `by: email` matches a keyed "
        "hash of the author's latest address; the address is neither stored nor shown."
    ),
    status_code=201,
    responses=_PROBLEMS,
)
async def add_sanction(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    author_key: AuthorKey,
    data: JSONBody[SanctionBody],
    site: SiteId = None,
) -> SanctionOut:
    site_id = _site(staff, site)
    wanted = SanctionRequest(data.kind, data.by, data.until, data.note)
    made = await services.sanctions(request).sanction(staff, site_id, author_key, wanted)
    return _sanction(made, datetime.now(UTC))


@delete(
    "/sanctions/{sanction_id:int}",
    summary="Lift a sanction (it stays in the drawer, lifted)",
    status_code=200,
    responses=_PROBLEMS,
)
async def lift_sanction(
    request: Request[Any, Any, Any], staff: SessionStaff, sanction_id: PathSanctionId
) -> SanctionOut:
    lifted = await services.sanctions(request).lift(staff, sanction_id)
    return _sanction(lifted, datetime.now(UTC))


@get("/branches/{comment_id:int}", summary="The rules on a branch", responses=_PROBLEMS)
async def branch_rules(
    request: Request[Any, Any, Any], staff: SessionStaff, comment_id: PathCommentId
) -> BranchOut:
    return _branch(await services.sanctions(request).branch(staff, comment_id))


def _branch_rule(
    name: str, action: str, summary: str, rule: BranchRule, on: bool
) -> HTTPRouteHandler:
    """Handler `name`, POST /branches/{comment_id}/ACTION: `rule` set `on` (or off)."""

    async def set_rule(
        request: Request[Any, Any, Any], staff: SessionStaff, comment_id: PathCommentId
    ) -> BranchOut:
        return _branch(
            await services.sanctions(request).set_branch_rule(staff, comment_id, rule, on)
        )

    set_rule.__name__ = set_rule.__qualname__ = name  # the OpenAPI operationId ends with it
    path = f"/branches/{{comment_id:int}}/{action}"
    return post(path, summary=summary, status_code=200, responses=_PROBLEMS)(set_rule)


lock_branch = _branch_rule(
    "lock_branch", "lock", "No new replies anywhere under this comment", BranchRule.LOCK, True
)
unlock_branch = _branch_rule(
    "unlock_branch", "unlock", "Take replies under this comment again", BranchRule.LOCK, False
)
hold_branch_replies = _branch_rule(
    "hold_branch_replies",
    "hold-replies",
    "Hold every new reply under this comment for review",
    BranchRule.HOLD_REPLIES,
    True,
)
release_branch = _branch_rule(
    "release_branch",
    "release",
    "Stop holding new replies under this comment",
    BranchRule.HOLD_REPLIES,
    False,
)
# A derailment alert's automatic rules (services/thread_health.py) are lifted here; only the
# site's policy puts them on.
unflag_branch = _branch_rule(
    "unflag_branch",
    "unflag",
    "Stop flagging new replies under this comment",
    BranchRule.FLAG_REPLIES,
    False,
)
unslow_branch = _branch_rule(
    "unslow_branch",
    "unslow",
    "Stop slowing new replies under this comment",
    BranchRule.SLOW,
    False,
)


def _thread_lock(action: str, summary: str, locked: bool) -> HTTPRouteHandler:
    """The handler of POST /threads/{thread_id}/ACTION: the thread locked, or not."""

    async def set_lock(
        request: Request[Any, Any, Any], staff: SessionStaff, thread_id: PathThreadId
    ) -> ThreadLockOut:
        thread = await services.sanctions(request).lock_thread(staff, thread_id, locked)
        return ThreadLockOut(thread.id, thread.site_id, thread.key, thread.locked)

    set_lock.__name__ = set_lock.__qualname__ = f"{action}_thread"  # as operationId ends
    path = f"/threads/{{thread_id:int}}/{action}"
    return post(path, summary=summary, status_code=200, responses=_PROBLEMS)(set_lock)


lock_thread = _thread_lock("lock", "Lock a thread: no new comments, no edits", True)
unlock_thread = _thread_lock("unlock", "Open a locked thread again", False)


@post(
    "/comments/{comment_id:int}/reject-branch",
    summary="Reject a comment and every reply under it (one undo id for all)",
    status_code=200,
    responses=_PROBLEMS,
)
async def reject_branch(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    comment_id: PathCommentId,
    data: JSONBody[RejectBranchBody],
) -> ActionResultOut:
    return _result(await services.sanctions(request).reject_branch(staff, comment_id, data.reason))


AUTHOR_API_HANDLERS = [
    author_drawer,
    comment_author_drawer,
    add_author_note,
    add_sanction,
    lift_sanction,
    branch_rules,
    lock_branch,
    unlock_branch,
    hold_branch_replies,
    release_branch,
    unflag_branch,
    unslow_branch,
    lock_thread,
    unlock_thread,
    reject_branch,
]


# -- shaping --------------------------------------------------------------------------------
def _sanction(sanction: Sanction, now: datetime) -> SanctionOut:
    return SanctionOut(
        id=sanction.id,
        site_id=sanction.site_id,
        author_key=sanction.author_key,
        kind=sanction.kind.value,
        by=sanction.by.value,
        until=sanction.until,
        note=sanction.note,
        user_id=sanction.user_id,
        created_at=sanction.created_at,
        lifted_at=sanction.lifted_at,
        lifted_by=sanction.lifted_by,
        in_force=sanction.in_force(now),
    )


def _decisions(made: list[StoredDecision]) -> list[DecisionOut]:
    return [_decision(d) for d in made]


def _drawer(drawer: AuthorDrawer) -> AuthorDrawerOut:
    summary = drawer.summary
    return AuthorDrawerOut(
        site_id=drawer.site_id,
        author_key=drawer.author_key,
        names=drawer.names,
        comments_count=summary.comments,
        first_seen=summary.first_seen,
        last_seen=summary.last_seen,
        decided=summary.decided,
        approved=summary.approved,
        approval_rate=drawer.approval_rate,
        comments=[
            DrawerCommentOut(
                id=c.comment.id,
                thread_id=c.comment.thread_id,
                thread_key=c.comment.thread_key,
                thread_title=c.comment.thread_title,
                parent_id=c.comment.parent_id,
                author_name=c.comment.author_name,
                status=c.comment.status,
                body_md=c.comment.body_md,
                created_at=c.comment.created_at,
                verdict_action=c.comment.verdict_action,
                verdict_labels=list(c.comment.verdict_labels),
                decisions=_decisions(c.decisions),
            )
            for c in drawer.comments
        ],
        sanctions=[_sanction(s, drawer.now) for s in drawer.sanctions],
        notes=[NoteOut(n.id, n.user_id, n.body, n.created_at) for n in drawer.notes],
    )


def _branch(state: BranchState) -> BranchOut:
    return BranchOut(
        comment_id=state.comment_id,
        thread_id=state.thread_id,
        locked=BranchRule.LOCK in state.rules,
        hold_replies=BranchRule.HOLD_REPLIES in state.rules,
        flag_replies=BranchRule.FLAG_REPLIES in state.rules,
        slow=BranchRule.SLOW in state.rules,
    )
