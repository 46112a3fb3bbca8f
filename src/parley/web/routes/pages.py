"""The demo site: an HTML page for each thread, with its article and comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment, PackageLoader, select_autoescape
from litestar import MediaType, Request, Response, Router, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from parley.domain.comments import Comment, SortOrder
from parley.web.context import comment_service, reading_site


@dataclass(slots=True)
class _Node:
    comment: Comment
    replies: list[_Node] = field(default_factory=list)


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("parley.web", "templates"), autoescape=select_autoescape(["html"])
    )


def _tree(comments: list[Comment]) -> list[_Node]:
    nodes = {c.id: _Node(c) for c in comments}
    roots: list[_Node] = []
    for comment in comments:  # display order keeps siblings in order
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        (parent.replies if parent else roots).append(nodes[comment.id])
    return roots


def _html(template: str, **context: Any) -> Response[str]:
    return Response(
        _templates().get_template(template).render(**context), media_type=MediaType.HTML
    )


@get("/", include_in_schema=False)
async def index(request: Request[Any, Any, Any]) -> Response[str]:
    threads = await comment_service(request).threads(reading_site(request))
    return _html("index.html", threads=threads)


@get("/{page:path}", include_in_schema=False)
async def thread_page(request: Request[Any, Any, Any], page: FromPath[str]) -> Response[str]:
    # The router drops a trailing slash from the path; thread keys keep it.
    key = unquote(request.scope.get("raw_path", b"").decode("latin-1")) or page
    view = await comment_service(request).read(reading_site(request), key, SortOrder.OLDEST)
    if view.thread is None:
        raise NotFoundException(f"no page {key}")
    return _html(
        "thread.html", thread=view.thread, roots=_tree(list(view.comments)), count=view.public_count
    )


pages_router = Router(path="/", route_handlers=[index, thread_page])
