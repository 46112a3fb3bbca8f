"""What a handler needs from the request, found once: the runtime, the site, the caller."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Annotated, Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import HeaderParameter, PathParameter

from parley.domain.comments import Site
from parley.services.comments import CommentService
from parley.services.limits import LimitKind
from parley.services.runtime import Runtime
from parley.services.sites import SiteDirectory
from parley.settings import Settings, SettingsError
from parley.web.errors import ORIGIN_NOT_ALLOWED, RATE_LIMITED, ProblemException
from parley.web.schemas import MAX_ID

AUTHOR_TOKEN_HEADER = "x-author-token"
PathCommentId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="A comment's id")]


def runtime(request: Request[Any, Any, Any]) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def comment_service(request: Request[Any, Any, Any]) -> CommentService:
    """The comments of the full server (a scoring-only server has none, and no such routes)."""
    service = runtime(request).comments
    assert service is not None, "a comments route on a scoring-only server"
    return service


def site_directory(request: Request[Any, Any, Any]) -> SiteDirectory:
    directory = runtime(request).sites
    assert directory is not None, "a sites route on a scoring-only server"
    return directory


def reading_site(request: Request[Any, Any, Any]) -> Site:
    sites = site_directory(request)
    return sites.for_origin(request.headers.get("origin")) or sites.default


def writing_site(request: Request[Any, Any, Any]) -> Site:
    origin = request.headers.get("origin")
    site = site_directory(request).for_origin(origin)
    if site is None:
        raise ProblemException(ORIGIN_NOT_ALLOWED, f"{origin} is not an origin of any site here")
    return site


async def _author_token(
    token: Annotated[
        str | None,
        HeaderParameter(
            name=AUTHOR_TOKEN_HEADER,
            required=False,
            max_length=500,
            description="The `author_token` a post, vote or report answered: this browser's "
            "identity (its own held comments, edits, one vote per comment)",
        ),
    ] = None,
) -> str | None:
    return token or None


# How a handler asks for the caller's author token: `author_token: AuthorToken`.
AuthorToken = NamedDependency[str | None]
author_token_dependency = Provide(_author_token)


Network = IPv4Network | IPv6Network


def trusted_networks(settings: Settings) -> tuple[Network, ...]:
    """The `trusted_proxies` setting read as networks (a bare address is a network of one)."""
    try:
        return tuple(ip_network(entry, strict=False) for entry in settings.trusted_proxies)
    except ValueError as error:
        raise SettingsError(f"setting 'trusted_proxies': {error}") from error


def client_address(request: Request[Any, Any, Any]) -> str | None:
    """The caller's address: the peer's, or when the peer is a trusted proxy, the address
    X-Forwarded-For names last that no trusted proxy added (anything before it is hearsay).
    """
    peer = request.client.host if request.client else None
    trusted: tuple[Network, ...] = request.app.state.trusted_proxies
    if peer is None or not trusted:
        return peer
    address = peer
    hops = [h.strip() for h in ",".join(request.headers.getall("x-forwarded-for", [])).split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _within(address, trusted):
            break
        address = hop
    return address if _within(address, trusted) or _is_address(address) else peer


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


async def count_write(request: Request[Any, Any, Any], kind: LimitKind) -> None:
    """Charge one request of `kind` to the caller's address, or 429 with Retry-After."""
    limits = runtime(request).limits
    assert limits is not None
    wait = await limits.retry_after(kind, client_address(request) or "unknown")
    if wait is not None:
        raise ProblemException(
            RATE_LIMITED,
            f"too many {kind} from your address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
