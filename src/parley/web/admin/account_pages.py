"""The console's account pages: sign in, sign out, change the password (the start page,
`/admin/`, is the queues: console_pages.py)."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import quote, unquote

from litestar import Request, Response, get, post
from litestar.response import Redirect

from parley.services.errors import InvalidInput
from parley.web.admin.account_api import session_max_age, sign_in
from parley.web.admin.auth import (
    NO_SESSION,
    SESSION_COOKIE,
    SessionRequired,
    SessionStaff,
    accounts,
    current_session,
    require_session,
)
from parley.web.admin.cookies import LOGIN_COOKIE, cleared, login_cookie, session_cookie
from parley.web.admin.render import PAGE_HEADERS, admin_page
from parley.web.errors import ProblemException

LOGIN_PATH = "/admin/login"


def _next_page(raw: object) -> str:
    """Where to go after signing in: a console page, never another site."""
    if isinstance(raw, str) and raw.startswith("/admin/") and not raw.startswith("/admin//"):
        return raw
    return "/admin/"


def _see_other(path: str, cookies: list[Any] | None = None) -> Redirect:
    return Redirect(path, status_code=303, cookies=cookies or [], headers=dict(PAGE_HEADERS))


def to_login(request: Request[Any, Any, Any], _: SessionRequired) -> Response[Any]:
    """Pages answer a missing session with the sign-in form (and come back after it)."""
    # The router drops a trailing slash from the path; the address the browser asked keeps it.
    path = unquote(request.scope.get("raw_path", b"").decode("latin-1")) or request.url.path
    back = path if request.method == "GET" else "/admin/"
    return _see_other(f"{LOGIN_PATH}?next={quote(back)}")


def problem_page(request: Request[Any, Any, Any], error: ProblemException) -> Response[Any]:
    """Any other refusal on a page, as a page (the API answers problem+json)."""
    return admin_page(
        "error.html",
        None,
        status_code=error.problem.status,
        title=error.problem.title,
        detail=error.detail,
    )


def _login_form(
    request: Request[Any, Any, Any],
    next_page: object,
    status_code: int = 200,
    error: str = "",
    name: str = "",
) -> Response[str]:
    # One token per browser until it signs in, so a second tab's form stays good.
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    page = admin_page(
        "login.html",
        None,
        status_code=status_code,
        login_token=token,
        error=error,
        name=name,
        next=_next_page(next_page),
    )
    page.cookies.append(login_cookie(request, token))
    return page


@get("/login", opt=NO_SESSION, include_in_schema=False)
async def login_form(request: Request[Any, Any, Any]) -> Response[Any]:
    if await current_session(request) is not None:
        return _see_other(_next_page(request.query_params.get("next")))
    return _login_form(request, request.query_params.get("next"))


@post("/login", opt=NO_SESSION, include_in_schema=False)
async def login(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    # The form's own token, matched against its cookie: no other site can sign you in.
    sent, expected = str(form.get("csrf_token") or ""), request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        expired = "The form expired; please sign in again."
        return _login_form(request, form.get("next"), 403, expired, name)
    try:
        started = await sign_in(request, name, password)
    except ProblemException as error:
        message = error.detail[:1].upper() + error.detail[1:] + "."
        return _login_form(request, form.get("next"), error.problem.status, message, name)
    cookies = [
        session_cookie(request, started.token, session_max_age(request)),
        cleared(request, LOGIN_COOKIE, LOGIN_PATH),
    ]
    return _see_other(_next_page(form.get("next")), cookies)


@post("/logout", include_in_schema=False)
async def logout(request: Request[Any, Any, Any], staff: SessionStaff) -> Response[Any]:
    await accounts(request).logout(await require_session(request))
    return _see_other(LOGIN_PATH, [cleared(request, SESSION_COOKIE)])


@get("/password", include_in_schema=False)
async def password_form(request: Request[Any, Any, Any], staff: SessionStaff) -> Response[str]:
    return admin_page("password.html", await require_session(request))


@post("/password", include_in_schema=False)
async def change_password(request: Request[Any, Any, Any], staff: SessionStaff) -> Response[str]:
    current = await require_session(request)
    form = await request.form()
    old, new = str(form.get("old_password") or ""), str(form.get("new_password") or "")
    if new != str(form.get("confirm_password") or ""):
        return admin_page("password.html", current, 422, error="The new passwords differ.")
    try:
        await accounts(request).change_password(current, old, new)
    except InvalidInput as error:
        return admin_page("password.html", current, 422, error=str(error).capitalize() + ".")
    return admin_page("password.html", current, changed=True)


# The start page, `/admin/`, is the queue page: console_pages.py.
ACCOUNT_PAGE_HANDLERS = [login_form, login, logout, password_form, change_password]
