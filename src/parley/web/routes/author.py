"""Routes for a comment's author, proven by the author token returned when it was posted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, Router, delete, patch
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from parley.services.limits import LimitKind
from parley.web.context import (
    AuthorToken,
    PathCommentId,
    author_token_dependency,
    comment_service,
    count_write,
    runtime,
)
from parley.web.guards import checked_request
from parley.web.schemas import CommentPublic, CommentUpdate, ProblemDetail, comment_public

_PROBLEMS = {
    403: ResponseSpec(ProblemDetail, description="Not the author, or the edit window closed"),
    404: ResponseSpec(ProblemDetail, description="No such comment"),
}


@patch(
    "/comments/{comment_id:int}",
    summary="Edit one's own comment within the edit window",
    responses=_PROBLEMS,
)
async def edit_comment(
    request: Request[Any, Any, Any],
    comment_id: PathCommentId,
    data: JSONBody[CommentUpdate],
    author_token: AuthorToken,
) -> CommentPublic:
    await count_write(request, LimitKind.EDITS)
    rt, comments = runtime(request), comment_service(request)
    edited = await comments.edit(comment_id, data.body, author_token)
    window = timedelta(seconds=rt.settings.edit_window)
    viewer = comments.viewer_key(author_token)
    return comment_public(edited, comments.avatar, viewer, window)


@delete(
    "/comments/{comment_id:int}",
    summary="Delete one's own comment within the edit window",
    responses=_PROBLEMS,
)
async def delete_comment(
    request: Request[Any, Any, Any], comment_id: PathCommentId, author_token: AuthorToken
) -> None:
    await count_write(request, LimitKind.EDITS)
    await comment_service(request).delete(comment_id, author_token)


author_router = Router(
    path="/api/v1",
    route_handlers=[edit_comment, delete_comment],
    tags=["author"],
    guards=[checked_request],
    dependencies={"author_token": author_token_dependency},
)
