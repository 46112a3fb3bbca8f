"""What a handler needs from the request, found once: the runtime, the site, the caller."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.params import PathParameter

from parley.domain.comments import Site
from parley.services.runtime import Runtime
from parley.web.errors import ORIGIN_NOT_ALLOWED, RATE_LIMITED, ProblemException
from parley.web.schemas import MAX_ID

AUTHOR_TOKEN_HEADER = "x-author-token"
PathCommentId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="A comment's id")]


def runtime(request: Request[Any, Any, Any]) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def reading_site(request: Request[Any, Any, Any]) -> Site:
    sites = runtime(request).sites
    return sites.for_origin(request.headers.get("origin")) or sites.default


def writing_site(request: Request[Any, Any, Any]) -> Site:
    origin = request.headers.get("origin")
    site = runtime(request).sites.for_origin(origin)
    if site is None:
        raise ProblemException(ORIGIN_NOT_ALLOWED, f"{origin} is not an origin of any site here")
    return site


def author_token(request: Request[Any, Any, Any]) -> str | None:
    return request.headers.get(AUTHOR_TOKEN_HEADER)


def client_address(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


def count_write(request: Request[Any, Any, Any]) -> None:
    """Charge one write to the caller's address, or answer 429."""
    wait = request.app.state.limiter.retry_after(client_address(request) or "unknown")
    if wait is not None:
        raise ProblemException(
            RATE_LIMITED,
            f"too many writes from your address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
