"""The console's review pages: the queues (`/admin/`), one comment in context, and the audit log.

Every page is rendered whole on the server (Jinja2), so the console works without JavaScript:
decisions are plain forms posted to `/admin/decide` and answered with a redirect back, which
offers the undo. static/admin/console.js enhances the same markup (keyboard triage, actions
over the JSON API with an undo toast, the author drawer, "N new" by polling the queue API).
Comment text is escaped by Jinja2; matched spans are cut into (text, marked) segments here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request, Response, get, post
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect
from litestar.types import ExceptionHandlersMap

from parley.domain.comments import CommentStatus
from parley.domain.review import (
    Assessment,
    AuditFilter,
    BranchComment,
    Queue,
    QueueOrder,
    RejectionReason,
    ReviewAction,
    ReviewItem,
)
from parley.services.audit import AuditService
from parley.services.errors import InvalidInput, NotAllowed, ServiceError
from parley.services.review import DEFAULT_PAGE, ActionRequest, ReviewService
from parley.web.admin.auth import SessionStaff, accounts, require_session
from parley.web.admin.policy_api import service_error_page
from parley.web.admin.render import PAGE_HEADERS, admin_page
from parley.web.context import PathCommentId, runtime
from parley.web.schemas import MAX_ID

PAGE_ERRORS: ExceptionHandlersMap = {ServiceError: service_error_page}
COUNT_CAP = 999  # a tab counts this far, then shows "999+"
EXCERPT = 280  # characters of an ancestor shown above a queue item
AUDIT_PAGE = 50
QUEUE_NAMES = {
    Queue.HELD: "Held",
    Queue.FLAGGED: "Flagged",
    Queue.REPORTED: "Reported",
    Queue.RECENT: "All recent",
}
REASON_NAMES = {
    RejectionReason.ABUSE: "Abuse",
    RejectionReason.HATE: "Hate",
    RejectionReason.THREAT: "Threat",
    RejectionReason.PERSONAL_DATA: "Personal data",
    RejectionReason.SPAM: "Spam",
    RejectionReason.OFF_TOPIC: "Off topic",
    RejectionReason.OTHER: "Other",
}
STATUS_NAMES = {
    "pending": "held",
    "published": "published",
    "flagged": "flagged",
    "rejected": "rejected",
    "deleted": "deleted",
}
# Which decisions a comment in this status can take (review.py's table).
_ACTIONS = {
    "pending": ("approve", "reject", "spam", "delete", "edit"),
    "flagged": ("approve", "reject", "spam", "delete", "edit"),
    "published": ("reject", "spam", "delete", "edit"),
    "rejected": ("approve", "restore", "spam", "delete", "edit"),
    "deleted": ("restore",),
}


# -- what the templates show ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    marked: bool


@dataclass(frozen=True, slots=True)
class ReasonView:
    action: str
    message: str
    label: str | None
    score: float | None
    threshold: float | None
    rule: str | None


@dataclass(frozen=True, slots=True)
class VerdictView:
    action: str
    model_version: str
    language: str | None
    reasons: list[ReasonView]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CommentExcerpt:
    id: int
    author: str
    excerpt: str
    cut: bool
    status: str


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    status: str
    site_id: int
    site_name: str
    thread_title: str
    thread_url: str
    thread_key: str
    author_name: str
    author_email: str | None
    author_website: str | None
    created_at: datetime
    edited_at: datetime | None
    open_reports: int
    priority: float
    segments: list[Segment]
    verdict: VerdictView | None
    branch: list[CommentExcerpt]  # root first, down to the parent
    actions: tuple[str, ...]


def marked_segments(text: str, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """The text cut at the spans (character offsets), each piece saying whether it is marked;
    spans out of range (a text edited since its verdict) are clipped, overlaps merged."""
    segments: list[Segment] = []
    at = 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        if start > at:
            segments.append(Segment(text[at:start], False))
        segments.append(Segment(text[start:end], True))
        at = end
    if at < len(text) or not segments:
        segments.append(Segment(text[at:], False))
    return segments


def _highlight(assessment: Assessment | None) -> list[tuple[int, int]]:
    if assessment is None:
        return []
    return [
        (int(a), int(b))
        for reason in assessment.reasons
        if reason.get("action") != "publish"
        for a, b in reason.get("spans") or ()
    ]


def _verdict(assessment: Assessment | None) -> VerdictView | None:
    if assessment is None:
        return None
    return VerdictView(
        action=assessment.action,
        model_version=assessment.model_version,
        language=assessment.language,
        reasons=[
            ReasonView(
                action=str(r.get("action")),
                message=str(r.get("message") or ""),
                label=r.get("label"),
                score=r.get("score"),
                threshold=r.get("threshold"),
                rule=r.get("rule"),
            )
            for r in assessment.reasons
        ],
        created_at=assessment.created_at,
    )


def _ancestor(comment: BranchComment, excerpt: int | None) -> CommentExcerpt:
    return comment_excerpt(
        comment.id, comment.author_name, comment.body_md, comment.status, excerpt
    )


def comment_excerpt(
    comment_id: int,
    author: str | None,
    text: str,
    status: CommentStatus,
    excerpt: int | None = EXCERPT,
) -> CommentExcerpt:
    """A comment as a page shows it beside another: its author, status and first words (all
    of it when `excerpt` is None)."""
    cut = excerpt is not None and len(text) > excerpt
    return CommentExcerpt(
        id=comment_id,
        author=author or "Anonymous",
        excerpt=text[:excerpt] if cut else text,
        cut=cut,
        status=STATUS_NAMES.get(status.value, status.value),
    )


def web_link(url: str) -> str:
    """An article's address as a link, when it is a web address (never `javascript:`)."""
    return url if url.startswith(("https://", "http://", "/")) else ""


def item_view(
    item: ReviewItem,
    ancestors: Sequence[BranchComment],
    site_names: Mapping[int, str],
    judged_text: str | None = None,
    excerpt: int | None = EXCERPT,
) -> ItemView:
    comment, thread = item.comment, item.thread
    # The verdict's spans index into the text it judged: marked there, or in the text now.
    text = judged_text if judged_text is not None else comment.body_md
    return ItemView(
        id=comment.id,
        status=comment.status.value,
        site_id=thread.site_id,
        site_name=site_names.get(thread.site_id, str(thread.site_id)),
        thread_title=thread.title or thread.key,
        thread_url=web_link(thread.url or thread.key),
        thread_key=thread.key,
        author_name=comment.author.name or "Anonymous",
        author_email=comment.author.email,
        author_website=comment.author.website,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        open_reports=item.open_reports,
        priority=item.priority,
        segments=marked_segments(text, _highlight(item.assessment)),
        verdict=_verdict(item.assessment),
        branch=[_ancestor(a, excerpt) for a in ancestors],
        actions=_ACTIONS.get(comment.status.value, ()),
    )


# -- services -------------------------------------------------------------------------------
def _review(request: Request[Any, Any, Any]) -> ReviewService:
    service = runtime(request).review
    assert service is not None
    return service


def _audit(request: Request[Any, Any, Any]) -> AuditService:
    service = runtime(request).audit
    assert service is not None
    return service


def _count_label(count: int) -> str:
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


# -- the queues -----------------------------------------------------------------------------
QueueText = Annotated[str, QueryParameter(max_length=500)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]


@get("/", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def queue_page(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    queue: FromQuery[Queue] = Queue.HELD,
    q: QueueText = "",
    order: FromQuery[QueueOrder] = QueueOrder.NEWEST,
    cursor: Cursor = None,
    done: Annotated[str | None, QueryParameter(max_length=20)] = None,
    count: Annotated[int, QueryParameter(ge=0, le=100_000)] = 0,
    undo: Annotated[str | None, QueryParameter(max_length=32)] = None,
) -> Response[str]:
    current = await require_session(request)
    review = _review(request)
    site_names = await accounts(request).site_names()
    error = ""
    items: list[ItemView] = []
    following: str | None = None
    counts: dict[str, str] = {}
    try:
        page = await review.queue(staff, queue, q, order, cursor, DEFAULT_PAGE)
        items = [item_view(e.item, e.ancestors, site_names) for e in page.entries]
        following = page.next
        for each in Queue:
            counts[each.value] = _count_label(await review.count(staff, each, q, COUNT_CAP))
    except (InvalidInput, NotAllowed) as refused:
        error = str(refused)
    here = {"queue": queue.value, "q": q, "order": order.value}
    return admin_page(
        "queues.html",
        current,
        status_code=422 if error else 200,
        active="queues",
        queue=queue.value,
        queue_names={k.value: v for k, v in QUEUE_NAMES.items()},
        q=q,
        order=order.value,
        cursor=cursor,
        items=items,
        counts=counts,
        error=error,
        here_url="/admin/?" + urlencode(here),
        next_url=("/admin/?" + urlencode({**here, "cursor": following})) if following else None,
        tab_url=lambda name: "/admin/?" + urlencode({**here, "queue": name}),
        reasons={k.value: v for k, v in REASON_NAMES.items()},
        status_names=STATUS_NAMES,
        done=done if done in {*ReviewAction, "undone"} else None,
        done_count=count,
        undo_id=undo or "",
    )


def _back(raw: object) -> str:
    """Where a form goes back to: a console page, never another site."""
    if isinstance(raw, str) and raw.startswith("/admin/") and not raw.startswith("/admin//"):
        return raw
    return "/admin/"


def _after(back: str, **outcome: str | int) -> Redirect:
    """Back to the page the form was on, saying what was done (and how to undo it)."""
    path, _, query = back.split("#")[0].partition("?")
    kept = [(k, v) for k, v in parse_qsl(query) if k not in ("done", "count", "undo")]
    address = f"{path}?{urlencode([*kept, *((k, str(v)) for k, v in outcome.items())])}"
    return Redirect(address, status_code=303, headers=dict(PAGE_HEADERS))


@post("/decide", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def decide_form(request: Request[Any, Any, Any], staff: SessionStaff) -> Response[Any]:
    """A decision from a form (no JavaScript): on the ids sent, or on a whole filter."""
    form = await request.form()
    try:
        action = ReviewAction(str(form.get("action") or ""))
    except ValueError:
        raise InvalidInput("choose an action", "action") from None
    raw_reason = str(form.get("reason") or "")
    # Every form sends its reason select; only a rejection keeps the reason.
    wants_reason = action is ReviewAction.REJECT and raw_reason in set(RejectionReason)
    reason = RejectionReason(raw_reason) if wants_reason else None
    body = form.get("body") if action is ReviewAction.EDIT else None
    wanted = ActionRequest(action, reason, None, str(body) if body is not None else None)
    review = _review(request)
    if form.get("scope") == "filter":
        try:
            queue = Queue(str(form.get("queue") or "held"))
        except ValueError:
            raise InvalidInput("no such queue", "queue") from None
        result = await review.act_on_queue(staff, queue, str(form.get("q") or ""), wanted)
    else:
        ids = [int(i) for i in form.getall("ids", []) if str(i).isdigit() and 0 < int(i) <= MAX_ID]
        if not ids:
            raise InvalidInput("select at least one comment", "ids")
        result = await review.act(staff, ids, wanted)
    back = _back(form.get("back"))
    return _after(back, done=action.value, count=len(result.applied), undo=result.undo_id)


@post("/undo", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def undo_form(request: Request[Any, Any, Any], staff: SessionStaff) -> Response[Any]:
    form = await request.form()
    undo_id = str(form.get("undo_id") or "")[:32]
    outcome = await _review(request).undo(staff, undo_id)
    return _after(_back(form.get("back")), done="undone", count=len(outcome.reverted))


# -- one comment ----------------------------------------------------------------------------
@get("/comments/{comment_id:int}", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def comment_page(
    request: Request[Any, Any, Any], staff: SessionStaff, comment_id: PathCommentId
) -> Response[str]:
    current = await require_session(request)
    found = await _review(request).detail(staff, comment_id)
    site_names = await accounts(request).site_names()
    users = {u.id: u.name for u in await accounts(request).list_users()}
    return admin_page(
        "comment.html",
        current,
        active="queues",
        item=item_view(found.item, found.ancestors, site_names, found.judged_text, None),
        judged_text=found.judged_text,
        body_now=found.item.comment.body_md,
        replies=[_ancestor(r, EXCERPT) for r in found.replies],
        assessments=[_verdict(a) for a in found.assessments],
        decisions=found.decisions,
        reports=found.reports,
        users=users,
        reasons={k.value: v for k, v in REASON_NAMES.items()},
        status_names=STATUS_NAMES,
        back=f"/admin/comments/{comment_id}",
        detail=True,
    )


# -- the audit log --------------------------------------------------------------------------
def _day(raw: str | None, name: str, end: bool = False) -> datetime | None:
    """A date from `<input type=date>` as the start (or the end) of that UTC day."""
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{name} is a date (YYYY-MM-DD)", name) from None
    moment = datetime.combine(day, time(0, 0), tzinfo=UTC)
    return moment + timedelta(days=1) - timedelta(microseconds=1) if end else moment


def _short(value: Mapping[str, Any] | None) -> str:
    if not value:
        return ""
    return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", [], {}))[:300]


@get("/audit", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def audit_page(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    user: Annotated[str | None, QueryParameter(max_length=12)] = None,
    action: Annotated[str | None, QueryParameter(max_length=64)] = None,
    site: Annotated[str | None, QueryParameter(max_length=12)] = None,
    since: Annotated[str | None, QueryParameter(max_length=10)] = None,
    until: Annotated[str | None, QueryParameter(max_length=10)] = None,
    before: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
) -> Response[str]:
    current = await require_session(request)
    people = await accounts(request).list_users()
    sites = await accounts(request).sites_of(staff)
    user_id = int(user) if user and user.isdigit() else None
    site_id = int(site) if site and site.isdigit() else None
    chosen = {
        "user": str(user_id or ""),
        "action": action or "",
        "site": str(site_id or ""),
        "since": since or "",
        "until": until or "",
    }
    error = ""
    records: list[Any] = []
    following = None
    csv_query: dict[str, str] = {}
    try:
        start, end = _day(since, "since"), _day(until, "until", end=True)
        wanted = AuditFilter(
            user_id=user_id,
            action=action or None,
            site_ids=frozenset({site_id}) if site_id else None,
            since=start,
            until=end,
            before_id=before,
        )
        found = await _audit(request).page(staff, wanted, AUDIT_PAGE)
        records, following = found.records, found.next
        csv_query = {k: v for k, v in chosen.items() if v and k in ("user", "action", "site")}
        if start:
            csv_query["since"] = start.isoformat()
        if end:
            csv_query["until"] = end.isoformat()
    except (InvalidInput, NotAllowed) as refused:
        error = str(refused)
    filters = {k: v for k, v in chosen.items() if v}
    return admin_page(
        "audit.html",
        current,
        status_code=422 if error else 200,
        active="audit",
        error=error,
        chosen=chosen,
        people=people,
        users={u.id: u.name for u in people},
        sites=sites,
        site_names={s.id: s.name for s in sites},
        records=records,
        summary=_short,
        first_url="/admin/audit?" + urlencode(filters) if before else None,
        older_url=("/admin/audit?" + urlencode({**filters, "before": following}))
        if following
        else None,
        csv_url="/api/v1/admin/audit.csv" + ("?" + urlencode(csv_query) if csv_query else ""),
    )


CONSOLE_PAGE_HANDLERS = [queue_page, decide_form, undo_form, comment_page, audit_page]
