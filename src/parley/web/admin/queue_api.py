"""The moderators' JSON API: the review queues, one comment in context, decisions (single and
bulk) with undo, and the audit log (JSON and CSV). Handlers parse, call services/review.py or
services/audit.py, and shape the answer; which sites a moderator may see is decided there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, JSONBody, PathParameter, QueryParameter
from litestar.response import Stream

from parley.domain.review import (
    Assessment,
    AuditFilter,
    AuditRecord,
    BranchComment,
    ModeratorLabel,
    Queue,
    QueueOrder,
    RejectionReason,
    ReviewAction,
    ReviewItem,
    StoredDecision,
)
from parley.services.audit import DEFAULT_PAGE as AUDIT_PAGE
from parley.services.audit import MAX_PAGE as AUDIT_MAX_PAGE
from parley.services.errors import InvalidInput
from parley.services.review import (
    DEFAULT_PAGE,
    MAX_PAGE,
    ActionRequest,
    ActionResult,
    CommentDetail,
)
from parley.web.admin import services
from parley.web.admin.auth import SessionStaff
from parley.web.context import PathCommentId
from parley.web.errors import NOT_FOUND, ProblemException
from parley.web.schemas import MAX_ID, CommentId, ProblemDetail

EXCERPT = 280  # characters of an ancestor shown in a queue item
_PROBLEMS = {
    401: ResponseSpec(ProblemDetail, description="No valid session"),
    403: ResponseSpec(ProblemDetail, description="Missing CSRF token, or not your site"),
    422: ResponseSpec(ProblemDetail, description="A bad filter, cursor or body"),
}
_ACT_PROBLEMS = {
    **_PROBLEMS,
    404: ResponseSpec(ProblemDetail, description="No such comment (on your sites)"),
    409: ResponseSpec(ProblemDetail, description="The decision does not apply to its state"),
}


# -- answers --------------------------------------------------------------------------------
class ReasonOut(msgspec.Struct):
    action: str
    message: str
    label: str | None
    score: float | None
    threshold: float | None
    rule: str | None
    spans: list[tuple[int, int]]  # character offsets into body_md (see judged_text)


class VerdictOut(msgspec.Struct):
    action: str
    model_version: str
    language: str | None
    scores: dict[str, float]
    reasons: list[ReasonOut]  # strictest first, exactly as stored
    highlight: list[tuple[int, int]]  # the spans of every reason that is not `publish`, merged
    created_at: datetime


class ThreadOut(msgspec.Struct):
    id: int
    site_id: int
    key: str
    title: str
    url: str


class AuthorOut(msgspec.Struct):
    name: str | None
    email: str | None
    website: str | None


class BranchOut(msgspec.Struct):
    id: int
    parent_id: int | None
    author_name: str | None
    text: str  # Markdown; cut to EXCERPT characters in queue items
    status: str
    created_at: datetime


class QueueItemOut(msgspec.Struct):
    id: int
    status: str
    thread: ThreadOut
    parent_id: int | None
    depth: int
    author: AuthorOut
    body_md: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    votes: int
    open_reports: int
    priority: float  # the top reason's score over its threshold, + 0.1 per open report
    verdict: VerdictOut | None
    branch: list[BranchOut]  # the ancestors, root first, down to the parent


class QueuePageOut(msgspec.Struct):
    queue: str
    order: str
    items: list[QueueItemOut]
    next: str | None  # pass as `cursor` for the next page; None on the last


class DecisionOut(msgspec.Struct):
    id: int
    user_id: int | None
    action: str
    reason: str | None
    label: str | None  # the moderator's
    engine_action: str | None  # the engine's verdict it confirmed or overrode
    engine_model_version: str | None
    status_before: str
    status_after: str
    before: dict[str, Any]
    after: dict[str, Any]
    undo_id: str | None
    created_at: datetime
    undone_at: datetime | None


class ReportOut(msgspec.Struct):
    id: int
    reason: str
    note: str | None
    created_at: datetime
    resolved_at: datetime | None


class CommentDetailOut(msgspec.Struct):
    comment: QueueItemOut
    replies: list[BranchOut]
    assessments: list[VerdictOut]  # oldest first; the item's `verdict` is the latest
    decisions: list[DecisionOut]
    reports: list[ReportOut]
    judged_text: str | None  # the text the verdict's spans index into, when edited since


class ActionBody(msgspec.Struct, forbid_unknown_fields=True):
    reason: RejectionReason | None = None  # required to reject; never shown to the author
    label: ModeratorLabel | None = None  # the moderator's reading; implied by the action
    body: str | None = None  # an edit's new Markdown


class BulkBody(msgspec.Struct, forbid_unknown_fields=True):
    """Either `ids`, or a whole queue's filter (`queue` and `q`, as the queue was listed)."""

    action: ReviewAction
    ids: list[CommentId] | None = None
    queue: Queue | None = None
    q: Annotated[str, msgspec.Meta(max_length=500)] = ""
    reason: RejectionReason | None = None
    label: ModeratorLabel | None = None


class AppliedOut(msgspec.Struct):
    id: int
    status_before: str
    status_after: str


class SkippedOut(msgspec.Struct):
    id: int
    reason: str  # not_found, deleted, unchanged, parent_held, not_hidden, ...


class ActionResultOut(msgspec.Struct):
    action: str
    undo_id: str  # POST /api/v1/admin/undo/{undo_id} within undo_until; "" when nothing done
    undo_until: datetime
    applied: list[AppliedOut]
    skipped: list[SkippedOut]
    more: bool  # the filter matched more than one bulk action takes: send it again


class UndoOut(msgspec.Struct):
    reverted: list[AppliedOut]
    skipped: list[int]  # changed since the action: left as they are


class AuditOut(msgspec.Struct):
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


class AuditPageOut(msgspec.Struct):
    entries: list[AuditOut]
    next: int | None  # pass as `before` for older entries


# -- handlers -------------------------------------------------------------------------------
@get("/queue", summary="A review queue, a page at a time", responses=_PROBLEMS)
async def review_queue(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    queue: FromQuery[Queue] = Queue.HELD,
    q: Annotated[
        str,
        QueryParameter(
            max_length=500,
            description="site:NAME thread:/KEY/ author:NAME label:insult score>0.8 lang:de text",
        ),
    ] = "",
    order: FromQuery[QueueOrder] = QueueOrder.NEWEST,
    cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
) -> QueuePageOut:
    page = await services.review(request).queue(staff, queue, q, order, cursor, limit)
    return QueuePageOut(
        queue=queue.value,
        order=order.value,
        items=[_queue_item(entry.item, entry.ancestors, EXCERPT) for entry in page.entries],
        next=page.next,
    )


@get(
    "/comments/{comment_id:int}",
    summary="One comment in context: its thread, branch, replies, verdicts, decisions, reports",
    responses={**_PROBLEMS, 404: ResponseSpec(ProblemDetail, description="No such comment")},
)
async def review_comment(
    request: Request[Any, Any, Any], staff: SessionStaff, comment_id: PathCommentId
) -> CommentDetailOut:
    return _detail(await services.review(request).detail(staff, comment_id))


@post(
    "/comments/{comment_id:int}/{action:str}",
    summary="Decide on one comment: approve, reject, spam, delete, edit or restore",
    status_code=200,
    responses=_ACT_PROBLEMS,
)
async def decide_comment(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    comment_id: PathCommentId,
    action: Annotated[str, PathParameter(max_length=20)],
    data: JSONBody[ActionBody | None] = None,
) -> ActionResultOut:
    try:
        chosen = ReviewAction(action)
    except ValueError:
        raise ProblemException(
            NOT_FOUND, f"no action {action!r}: one of {', '.join(a.value for a in ReviewAction)}"
        ) from None
    body = data or ActionBody()
    request_ = ActionRequest(chosen, body.reason, body.label, body.body)
    return _result(await services.review(request).act(staff, [comment_id], request_))


@post(
    "/bulk",
    summary="Decide on many comments: a selection (`ids`) or a whole filter (`queue`, `q`)",
    status_code=200,
    responses=_ACT_PROBLEMS,
)
async def decide_many(
    request: Request[Any, Any, Any], staff: SessionStaff, data: JSONBody[BulkBody]
) -> ActionResultOut:
    wanted = ActionRequest(data.action, data.reason, data.label)
    if (data.ids is None) == (data.queue is None):
        raise InvalidInput("send either ids or a queue (with its q)", "ids")
    if data.ids is not None:
        return _result(await services.review(request).act(staff, data.ids, wanted))
    assert data.queue is not None
    return _result(await services.review(request).act_on_queue(staff, data.queue, data.q, wanted))


@post(
    "/undo/{undo_id:str}",
    summary="Take back one of one's actions, within 10 s of it",
    status_code=200,
    responses={
        **_PROBLEMS,
        410: ResponseSpec(ProblemDetail, description="Nothing of yours to undo: too late?"),
    },
)
async def undo_action(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    undo_id: Annotated[str, PathParameter(max_length=32)],
) -> UndoOut:
    outcome = await services.review(request).undo(staff, undo_id)
    return UndoOut(
        reverted=[AppliedOut(r.comment_id, r.was.value, r.now.value) for r in outcome.reverted],
        skipped=outcome.skipped,
    )


AuditUser = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="A user's id")]
AuditSite = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="A site's id")]
Moment = Annotated[datetime | None, QueryParameter(description="ISO 8601, with its offset")]
AuditAction = Annotated[
    str | None,
    QueryParameter(max_length=64, description='exact ("comment.reject") or a prefix ("comment.")'),
]


@get("/audit", summary="The audit log, newest first", responses=_PROBLEMS)
async def audit_log(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    user: AuditUser = None,
    action: AuditAction = None,
    site: AuditSite = None,
    since: Moment = None,
    until: Moment = None,
    before: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=AUDIT_MAX_PAGE)] = AUDIT_PAGE,
) -> AuditPageOut:
    wanted = _audit_filter(user, action, site, since, until, before)
    page = await services.audit(request).page(staff, wanted, limit)
    return AuditPageOut(entries=[_audit_out(r) for r in page.records], next=page.next)


@get(
    "/audit.csv",
    summary="The audit log as CSV (the same filters), newest first",
    responses={**_PROBLEMS, 200: ResponseSpec(None, media_type="text/csv")},
)
async def audit_csv(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    user: AuditUser = None,
    action: AuditAction = None,
    site: AuditSite = None,
    since: Moment = None,
    until: Moment = None,
) -> Stream:
    wanted = _audit_filter(user, action, site, since, until, None)
    chunks = services.audit(request).csv(staff, wanted)
    first = await anext(chunks)  # a refusal (403, 422) is answered before the body starts

    async def body() -> AsyncIterator[str]:
        yield first
        async for chunk in chunks:
            yield chunk

    return Stream(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="parley-audit.csv"'},
    )


REVIEW_API_HANDLERS = [
    review_queue,
    review_comment,
    decide_comment,
    decide_many,
    undo_action,
    audit_log,
    audit_csv,
]


# -- shaping --------------------------------------------------------------------------------
def _verdict(assessment: Assessment) -> VerdictOut:
    reasons = [
        ReasonOut(
            action=str(r.get("action")),
            message=str(r.get("message", "")),
            label=r.get("label"),
            score=r.get("score"),
            threshold=r.get("threshold"),
            rule=r.get("rule"),
            spans=[(int(a), int(b)) for a, b in r.get("spans") or ()],
        )
        for r in assessment.reasons
    ]
    marked = sorted(s for r in reasons if r.action != "publish" for s in r.spans)
    merged: list[tuple[int, int]] = []
    for start, end in marked:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return VerdictOut(
        action=assessment.action,
        model_version=assessment.model_version,
        language=assessment.language,
        scores=assessment.scores,
        reasons=reasons,
        highlight=merged,
        created_at=assessment.created_at,
    )


def _branch(comment: BranchComment, excerpt: int | None) -> BranchOut:
    text = comment.body_md if excerpt is None else comment.body_md[:excerpt]
    return BranchOut(
        comment.id,
        comment.parent_id,
        comment.author_name,
        text,
        comment.status.value,
        comment.created_at,
    )


def _queue_item(
    item: ReviewItem, ancestors: list[BranchComment], excerpt: int | None
) -> QueueItemOut:
    comment, thread = item.comment, item.thread
    return QueueItemOut(
        id=comment.id,
        status=comment.status.value,
        thread=ThreadOut(thread.id, thread.site_id, thread.key, thread.title, thread.url),
        parent_id=comment.parent_id,
        depth=comment.depth,
        author=AuthorOut(comment.author.name, comment.author.email, comment.author.website),
        body_md=comment.body_md,
        body_html=comment.body_html,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        votes=comment.votes,
        open_reports=item.open_reports,
        priority=round(item.priority, 6),
        verdict=_verdict(item.assessment) if item.assessment else None,
        branch=[_branch(a, excerpt) for a in ancestors],
    )


def _decision(made: StoredDecision) -> DecisionOut:
    return DecisionOut(
        id=made.id,
        user_id=made.user_id,
        action=made.action,
        reason=made.reason,
        label=made.label,
        engine_action=made.engine_action,
        engine_model_version=made.engine_model_version,
        status_before=made.status_before,
        status_after=made.status_after,
        before=made.before,
        after=made.after,
        undo_id=made.undo_id,
        created_at=made.created_at,
        undone_at=made.undone_at,
    )


def _detail(found: CommentDetail) -> CommentDetailOut:
    return CommentDetailOut(
        comment=_queue_item(found.item, found.ancestors, None),
        replies=[_branch(r, EXCERPT) for r in found.replies],
        assessments=[_verdict(a) for a in found.assessments],
        decisions=[_decision(d) for d in found.decisions],
        reports=[
            ReportOut(r["id"], r["reason"], r["note"], r["created_at"], r["resolved_at"])
            for r in found.reports
        ],
        judged_text=found.judged_text,
    )


def _result(result: ActionResult) -> ActionResultOut:
    return ActionResultOut(
        action=result.action.value,
        undo_id=result.undo_id,
        undo_until=result.undo_until,
        applied=[
            AppliedOut(a.id, a.status_before.value, a.status_after.value) for a in result.applied
        ],
        skipped=[SkippedOut(s.id, s.reason) for s in result.skipped],
        more=result.more,
    )


def _audit_filter(
    user: int | None,
    action: str | None,
    site: int | None,
    since: datetime | None,
    until: datetime | None,
    before: int | None,
) -> AuditFilter:
    return AuditFilter(
        user_id=user,
        action=action or None,
        site_ids=frozenset({site}) if site is not None else None,
        since=since,
        until=until,
        before_id=before,
    )


def _audit_out(record: AuditRecord) -> AuditOut:
    return AuditOut(
        id=record.id,
        created_at=record.created_at,
        user_id=record.user_id,
        site_id=record.site_id,
        action=record.action,
        target=record.target,
        before=record.before,
        after=record.after,
        model_version=record.model_version,
        threshold=record.threshold,
        undo_id=record.undo_id,
    )
