"""Who is asking, and may they: the console's session, CSRF and role checks.

Every handler under `/admin/` and `/api/v1/admin/` passes `session_guard`, so none answers
without a session: the API with 401 problem+json, the pages with a redirect to the login form.
Handlers take the person as `staff: SessionStaff` (through `staff_dependency`). Every state
change also passes `csrf_guard`.

Sites: `require_site` answers 403 when a moderator names a site they do not moderate
(a `site` filter, a site's own page); `require_item_site` answers 404 for an item (a comment,
a report) that belongs to such a site, so its id reveals nothing.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.params import CookieParameter

from parley.domain.accounts import Staff
from parley.services.accounts import AccountService, StaffSession
from parley.web.errors import (
    CSRF_FAILED,
    NOT_ALLOWED,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    ProblemException,
)

SESSION_COOKIE = "parley_admin"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
STATE_CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Handlers that run before there is a session (the login form and its JSON twin) say so:
NO_SESSION = {"no_session": True}
_SESSION_STATE_KEY = "parley_admin_session"


class SessionRequired(ProblemException):
    """No valid session: 401 problem+json from the API, a redirect to the login form for pages."""

    def __init__(self, detail: str = "sign in to the moderator console first") -> None:
        super().__init__(NOT_AUTHENTICATED, detail)


def accounts(connection: ASGIConnection[Any, Any, Any, Any]) -> AccountService:
    service: AccountService | None = connection.app.state.runtime.accounts
    assert service is not None
    return service


def session_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return connection.cookies.get(SESSION_COOKIE) or None


async def current_session(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffSession | None:
    """The request's live session, looked up once per request (the guard and handler share it)."""
    state = connection.scope.setdefault("state", {})
    if _SESSION_STATE_KEY not in state:
        token = session_token(connection)
        state[_SESSION_STATE_KEY] = await accounts(connection).session(token) if token else None
    found: StaffSession | None = state[_SESSION_STATE_KEY]
    return found


async def require_session(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffSession:
    found = await current_session(connection)
    if found is None:
        raise SessionRequired()
    return found


async def _provide_staff(
    request: Request[Any, Any, Any],
    session_cookie: Annotated[
        str | None,
        CookieParameter(
            name=SESSION_COOKIE,
            required=False,
            description="The console session, set by signing in (HttpOnly)",
        ),
    ] = None,
) -> Staff:
    return (await require_session(request)).staff


staff_dependency = Provide(_provide_staff)
# How a handler asks for it: `staff: SessionStaff` (the parameter must be named `staff`).
SessionStaff = NamedDependency[Staff]


async def session_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """No session, no answer: 401 before anything else about the request is looked at (a
    handler's parameters are validated only after the guards, so a bad query cannot tell an
    anonymous caller what a route takes). Handlers marked `opt=NO_SESSION` are let through.
    """
    if not handler.opt.get("no_session"):
        await require_session(connection)


async def csrf_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A state change must carry its session's CSRF token (header or form field), else 403.

    Without a session it is 401, as for any other console request; the login handlers, which
    run before there is a session, check a token of their own.
    """
    if not isinstance(connection, Request) or connection.method not in STATE_CHANGES:
        return
    if handler.opt.get("no_session"):
        return
    found = await require_session(connection)
    sent = connection.headers.get(CSRF_HEADER)
    if sent is None and _is_form(connection):
        value = (await connection.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), found.csrf_token.encode()):
        raise ProblemException(
            CSRF_FAILED,
            f"this change needs the session's CSRF token in the {CSRF_HEADER} header "
            f"or the {CSRF_FIELD} form field",
        )


def _is_form(request: Request[Any, Any, Any]) -> bool:
    media_type = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    return media_type in {"application/x-www-form-urlencoded", "multipart/form-data"}


async def owner_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Only owners (403 for moderators; 401 without a session)."""
    found = await require_session(connection)
    if not found.staff.is_owner:
        raise ProblemException(NOT_ALLOWED, "only an owner may do this")


def require_site(staff: Staff, site_id: int) -> None:
    """403 unless `staff` moderates the site (for a site the caller names)."""
    if not staff.may_moderate(site_id):
        raise ProblemException(NOT_ALLOWED, f"you do not moderate site {site_id}")


def require_item_site(staff: Staff, site_id: int, what: str = "item") -> None:
    """404 unless `staff` moderates the site an item belongs to: its id reveals nothing."""
    if not staff.may_moderate(site_id):
        raise ProblemException(NOT_FOUND, f"no such {what}")


__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "NO_SESSION",
    "SESSION_COOKIE",
    "SessionRequired",
    "SessionStaff",
    "csrf_guard",
    "current_session",
    "owner_only",
    "require_item_site",
    "require_session",
    "require_site",
    "session_guard",
    "staff_dependency",
]
