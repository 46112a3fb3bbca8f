"""Routes for a comment's author, proven by the author token returned when it was posted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, Router, delete, patch
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from parley.services.limits import LimitKind
from parley.web.context import PathCommentId, author_token, count_write, runtime
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
    request: Request[Any, Any, Any], comment_id: PathCommentId, data: JSONBody[CommentUpdate]
) -> CommentPublic:
    await count_write(request, LimitKind.EDITS)
    rt, token = runtime(request), author_token(request)
    edited = await rt.comments.edit(comment_id, data.body, token)
    window = timedelta(seconds=rt.settings.edit_window)
    return comment_public(edited, rt.comments.avatar, rt.comments.viewer_key(token), window)


@delete(
    "/comments/{comment_id:int}",
    summary="Delete one's own comment within the edit window",
    responses=_PROBLEMS,
)
async def delete_comment(request: Request[Any, Any, Any], comment_id: PathCommentId) -> None:
    await count_write(request, LimitKind.EDITS)
    await runtime(request).comments.delete(comment_id, author_token(request))


author_router = Router(
    path="/api/v1",
    route_handlers=[edit_comment, delete_comment],
    tags=["author"],
    guards=[checked_request],
)
