"""The console's cookies: the session's, and the one that guards the sign-in form."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from parley.web.admin.auth import SESSION_COOKIE

LOGIN_COOKIE = "parley_admin_login"  # double-submit token of the sign-in form


def over_https(request: Request[Any, Any, Any]) -> bool:
    """Whether the browser reached us over HTTPS, directly or through a trusted proxy."""
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else None
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    if not peer or forwarded != "https":
        return False
    try:
        address = ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in request.app.state.trusted_proxies)


def session_cookie(request: Request[Any, Any, Any], token: str, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path="/",
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=over_https(request),
    )


def login_cookie(request: Request[Any, Any, Any], token: str) -> Cookie:
    return Cookie(
        key=LOGIN_COOKIE,
        value=token,
        path="/admin/login",
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=over_https(request),
    )


def cleared(request: Request[Any, Any, Any], key: str, path: str = "/") -> Cookie:
    return Cookie(
        key=key,
        value="",
        path=path,
        max_age=0,
        httponly=True,
        samesite="lax",
        secure=over_https(request),
    )
