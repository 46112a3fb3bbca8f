"""Routes anyone may call: read threads and counts, post comments, vote."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.channels import ChannelsPlugin
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.response import ServerSentEvent

from parley.domain.comments import CommentStatus, SortOrder
from parley.domain.reports import ReportReason
from parley.services.articles import article_service
from parley.services.limits import LimitKind
from parley.services.reading import DEFAULT_PAGE, MAX_PAGE
from parley.web.asgi import plain_scope
from parley.web.cache import (
    PERSONAL_READ_CACHE_CONTROL,
    PUBLIC_READ_CACHE_CONTROL,
    READ_VARY,
    etag_for,
)
from parley.web.context import (
    AuthorToken,
    PathCommentId,
    author_token_dependency,
    client_address,
    comment_service,
    count_write,
    reading_site,
    runtime,
    writing_site,
)
from parley.web.events import STREAM_HEADERS, hold_stream_slot, thread_events, when_response_ends
from parley.web.guards import checked_request
from parley.web.schemas import (
    CommentCreate,
    CommentCreated,
    Counts,
    PreviewRequest,
    PreviewResult,
    ProblemDetail,
    ThreadComments,
    VoteCreate,
    VoteResult,
    comment_public,
    thread_comments,
)

_JSON = "application/json"
_PROBLEMS = {
    400: ResponseSpec(ProblemDetail, description="Malformed or invalid request"),
    413: ResponseSpec(ProblemDetail, description="The request body is too large"),
    415: ResponseSpec(ProblemDetail, description="The request body is not declared as JSON"),
    429: ResponseSpec(ProblemDetail, description="Too many writes from this address"),
}
ThreadKey = Annotated[
    str,
    QueryParameter(
        description="The page path, e.g. /reviews/nanking/", min_length=1, max_length=500
    ),
]


def _json(
    body: bytes, etag: str, request: Request[Any, Any, Any], personal: bool = False
) -> Response[bytes]:
    headers = {
        "ETag": etag,
        "Cache-Control": PERSONAL_READ_CACHE_CONTROL if personal else PUBLIC_READ_CACHE_CONTROL,
        "Vary": READ_VARY,
    }
    if request.headers.get("if-none-match") == etag:
        return Response(b"", status_code=304, headers=headers)
    return Response(body, media_type=_JSON, headers=headers)


PageLimit = Annotated[
    int,
    QueryParameter(
        description="Top-level comments per page, each with all its replies",
        ge=1,
        le=MAX_PAGE,
    ),
]
Cursor = Annotated[
    str | None,
    QueryParameter(
        description="The `next` of the previous page: the page after it", max_length=200
    ),
]


@get(
    "/comments",
    summary="A page of a thread's comments: top-level comments with their replies, in order",
    responses={200: ResponseSpec(ThreadComments), **_PROBLEMS},
)
async def list_comments(
    request: Request[Any, Any, Any],
    thread: ThreadKey,
    author_token: AuthorToken,
    sort: FromQuery[SortOrder] = SortOrder.OLDEST,
    limit: PageLimit = DEFAULT_PAGE,
    after: Cursor = None,
) -> Response[bytes]:
    rt, site, token = runtime(request), reading_site(request), author_token
    comments = comment_service(request)
    viewer = comments.viewer_key(token)
    window = timedelta(seconds=rt.settings.edit_window)
    if viewer:  # the author's own held comments make this answer theirs alone
        page = await comments.read_page(site, thread, sort, limit, after, token)
        body = msgspec.json.encode(thread_comments(thread, page, comments.avatar, viewer, window))
        return _json(body, etag_for(body), request, personal=True)
    # Anonymous pages, as the fast path in web/fastpath.py answers them while the thread holds.
    cache = request.app.state.thread_cache
    cache_key = (site.id, thread, sort.value, limit, after or "")
    version = await comments.thread_version(site, thread)
    cached = cache.get(cache_key, version)
    if cached is None:
        page = await comments.read_page(site, thread, sort, limit, after)
        body = msgspec.json.encode(thread_comments(thread, page, comments.avatar, None))
        cached = cache.put(cache_key, version, body)
    return _json(cached.body, cached.etag, request)


@post(
    "/comments",
    summary="Post a comment or a reply",
    status_code=201,
    responses={
        201: ResponseSpec(CommentCreated, description="Published"),
        202: ResponseSpec(CommentCreated, description="Held for review; visible to its author"),
        **_PROBLEMS,
    },
)
async def create_comment(
    request: Request[Any, Any, Any], data: JSONBody[CommentCreate], author_token: AuthorToken
) -> Response[CommentCreated]:
    site = writing_site(request)
    await count_write(request, LimitKind.POSTS)
    rt, comments = runtime(request), comment_service(request)
    assert rt.audit is not None
    articles = article_service(rt.store, rt.audit)
    if data.article is not None:  # before the post, so that it is judged against the article
        await articles.offer_from_page(site, data.thread, data.article)
    else:
        await articles.fetch_from_page(site, data.thread)
    posted = await comments.post(site, data.draft(), author_token, client_address(request))
    author_key = comments.viewer_key(posted.author_token)
    held = posted.comment.status is CommentStatus.PENDING
    window = timedelta(seconds=rt.settings.edit_window)
    created = CommentCreated(
        comment=comment_public(posted.comment, comments.avatar, author_key, window),
        author_token=posted.author_token,
        held=held,
        edit_until=posted.comment.created_at + timedelta(seconds=rt.settings.edit_window),
    )
    return Response(created, status_code=202 if held else 201)


@post(
    "/comments/{comment_id:int}/vote",
    summary="Vote a comment up (1) or down (-1), or take one's vote back (0)",
    status_code=200,
    responses={403: ResponseSpec(ProblemDetail, description="A foreign origin"), **_PROBLEMS},
)
async def vote(
    request: Request[Any, Any, Any],
    comment_id: PathCommentId,
    data: JSONBody[VoteCreate],
    author_token: AuthorToken,
) -> VoteResult:
    site = writing_site(request)
    await count_write(request, LimitKind.VOTES)
    voted = await comment_service(request).vote(site, comment_id, data.value, author_token)
    return VoteResult(id=comment_id, votes=voted.total, author_token=voted.author_token)


class ReportCreate(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[ReportReason, msgspec.Meta(description="One of the fixed reasons")]
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class ReportResult(msgspec.Struct):
    id: int
    reason: ReportReason  # the reader's report: on a repeat, the first one's reason
    reported_at: datetime
    # The reader's identity, as from posting or voting: send it as X-Author-Token from then on.
    author_token: str


@post(
    "/comments/{comment_id:int}/report",
    summary="Report a public comment to the moderators, once per reader",
    status_code=201,
    responses={
        200: ResponseSpec(ReportResult, description="Reported before by this reader: unchanged"),
        201: ResponseSpec(ReportResult, description="Reported"),
        403: ResponseSpec(ProblemDetail, description="A foreign origin"),
        404: ResponseSpec(ProblemDetail, description="No public comment with this id"),
        **_PROBLEMS,
    },
)
async def report(
    request: Request[Any, Any, Any],
    comment_id: PathCommentId,
    data: JSONBody[ReportCreate],
    author_token: AuthorToken,
) -> Response[ReportResult]:
    site = writing_site(request)
    await count_write(request, LimitKind.REPORTS)
    reports = runtime(request).reports
    assert reports is not None
    done = await reports.report(site, comment_id, data.reason, author_token, data.note)
    result = ReportResult(comment_id, done.reason, done.reported_at, done.author_token)
    return Response(result, status_code=201 if done.created else 200)


@get(
    "/events",
    summary="Server-Sent Events: `change` events ({type, id}) as a thread changes",
    responses={
        200: ResponseSpec(None, media_type="text/event-stream", description="The stream"),
        429: ResponseSpec(ProblemDetail, description="Too many open streams"),
    },
)
async def thread_events_stream(
    request: Request[Any, Any, Any], thread: ThreadKey
) -> ServerSentEvent:
    hold_stream_slot(request)
    plugin = request.app.plugins.get(ChannelsPlugin)
    stream = thread_events(plugin, reading_site(request).id, thread)
    when_response_ends(plain_scope(request), stream.aclose)
    return ServerSentEvent(stream, headers=STREAM_HEADERS)


@post(
    "/preview",
    summary="Render Markdown as a posted comment would be",
    status_code=200,
    responses=_PROBLEMS,
)
async def preview(request: Request[Any, Any, Any], data: JSONBody[PreviewRequest]) -> PreviewResult:
    await count_write(request, LimitKind.PREVIEWS)
    return PreviewResult(html=await comment_service(request).preview(data.body))


@get("/counts", summary="Public comment counts for many pages in one request")
async def counts(
    request: Request[Any, Any, Any],
    thread: Annotated[list[str], QueryParameter(description="Repeat for each page")],
) -> Counts:
    return Counts(counts=await comment_service(request).counts(reading_site(request), thread))


public_router = Router(
    path="/api/v1",
    route_handlers=[
        list_comments,
        create_comment,
        vote,
        report,
        counts,
        thread_events_stream,
        preview,
    ],
    tags=["public"],
    guards=[checked_request],
    dependencies={"author_token": author_token_dependency},
)
