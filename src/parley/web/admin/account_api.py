"""The console's own JSON API for accounts: who am I, sign in and out, change the password."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, PathParameter

from parley.domain.accounts import MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH
from parley.services.accounts import LoginFailed, LoginLocked, NewSession, StaffSession
from parley.web.admin.auth import (
    NO_SESSION,
    SESSION_COOKIE,
    SessionStaff,
    accounts,
    current_session,
    owner_only,
    require_session,
    require_site,
)
from parley.web.admin.cookies import cleared, session_cookie
from parley.web.context import client_address
from parley.web.errors import LOGIN_FAILED, LOGIN_LOCKED, NOT_FOUND, NOT_JSON, ProblemException
from parley.web.schemas import MAX_ID, ProblemDetail

PathSiteId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="A site's id")]
_SESSION_PROBLEMS = {
    401: ResponseSpec(ProblemDetail, description="No valid session"),
    403: ResponseSpec(ProblemDetail, description="Missing CSRF token, or not allowed"),
}


class SiteRef(msgspec.Struct):
    id: int
    name: str


class AdminMe(msgspec.Struct):
    name: str
    role: str
    sites: list[SiteRef]
    csrf_token: str  # send it back in X-CSRF-Token with every change


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME_LENGTH)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    old_password: Annotated[str, msgspec.Meta(max_length=MAX_PASSWORD_LENGTH)]
    new_password: Annotated[str, msgspec.Meta(max_length=MAX_PASSWORD_LENGTH)]


class SiteAdmin(msgspec.Struct):
    id: int
    name: str
    origins: list[str]
    policy: dict[str, Any]


class UserAdmin(msgspec.Struct):
    id: int
    name: str
    role: str
    sites: list[SiteRef]  # assigned sites (owners: every site, listed as none)
    created_at: datetime
    disabled: bool


async def _me(request: Request[Any, Any, Any], session: StaffSession) -> AdminMe:
    sites = await accounts(request).sites_of(session.staff)
    return AdminMe(
        name=session.staff.name,
        role=session.staff.role.value,
        sites=[SiteRef(site.id, site.name) for site in sites],
        csrf_token=session.csrf_token,
    )


async def sign_in(request: Request[Any, Any, Any], name: str, password: str) -> NewSession:
    """Check a name and password, as a 401 or 429 problem when they do not pass.

    A session the browser held before ends: each sign-in starts a new one (no fixation).
    """
    service = accounts(request)
    try:
        started = await service.login(name, password, client_address(request) or "unknown")
    except LoginLocked as error:
        raise ProblemException(
            LOGIN_LOCKED, str(error), headers={"Retry-After": str(error.retry_after)}
        ) from error
    except LoginFailed as error:
        raise ProblemException(LOGIN_FAILED, str(error)) from error
    previous = await current_session(request)
    if previous is not None:
        await service.logout(previous)
    return started


def session_max_age(request: Request[Any, Any, Any]) -> int:
    return int(request.app.state.settings.admin_session_lifetime)


@get("/me", summary="Who is signed in, the sites they moderate, and the CSRF token",
     responses=_SESSION_PROBLEMS)  # fmt: skip
async def me(request: Request[Any, Any, Any], staff: SessionStaff) -> AdminMe:
    return await _me(request, await require_session(request))


@post(
    "/session",
    summary="Sign in (for scripts; the console signs in at /admin/login)",
    opt=NO_SESSION,
    status_code=200,
    responses={
        401: ResponseSpec(ProblemDetail, description="Wrong user name or password"),
        415: ResponseSpec(ProblemDetail, description="The body is not sent as JSON"),
        429: ResponseSpec(ProblemDetail, description="Too many failed sign-ins"),
    },
)
async def create_session(
    request: Request[Any, Any, Any], data: JSONBody[LoginRequest]
) -> Response[AdminMe]:
    # Only a JSON body, which no other site's form can send without asking first.
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise ProblemException(NOT_JSON, "send the name and password as application/json")
    started = await sign_in(request, data.name, data.password)
    body = await _me(request, started.session)
    return Response(
        body, cookies=[session_cookie(request, started.token, session_max_age(request))]
    )


@delete("/session", summary="Sign out", responses=_SESSION_PROBLEMS, status_code=204)
async def end_session(request: Request[Any, Any, Any], staff: SessionStaff) -> Response[None]:
    await accounts(request).logout(await require_session(request))
    return Response(None, status_code=204, cookies=[cleared(request, SESSION_COOKIE)])


@post(
    "/password",
    summary="Change one's password (needs the current one); ends one's other sessions",
    status_code=204,
    responses={**_SESSION_PROBLEMS, 422: ResponseSpec(ProblemDetail, description="Refused")},
)
async def change_password(
    request: Request[Any, Any, Any], staff: SessionStaff, data: JSONBody[PasswordChange]
) -> None:
    current = await require_session(request)
    await accounts(request).change_password(current, data.old_password, data.new_password)


@get("/sites", summary="The sites one moderates", responses=_SESSION_PROBLEMS)
async def list_sites(request: Request[Any, Any, Any], staff: SessionStaff) -> list[SiteRef]:
    return [SiteRef(site.id, site.name) for site in await accounts(request).sites_of(staff)]


@get(
    "/sites/{site_id:int}",
    summary="One site one moderates, with its moderation policy",
    responses={**_SESSION_PROBLEMS, 404: ResponseSpec(ProblemDetail, description="No such site")},
)
async def get_site(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId
) -> SiteAdmin:
    require_site(staff, site_id)
    site = next((s for s in await accounts(request).sites_of(staff) if s.id == site_id), None)
    if site is None:
        raise ProblemException(NOT_FOUND, f"no site {site_id}")
    return SiteAdmin(site.id, site.name, list(site.origins), dict(site.policy))


@get(
    "/users",
    summary="Every console account (owners only)",
    guards=[owner_only],
    responses=_SESSION_PROBLEMS,
)
async def list_users(request: Request[Any, Any, Any], staff: SessionStaff) -> list[UserAdmin]:
    service = accounts(request)
    names = {site.id: site.name for site in await service.sites_of(staff)}
    return [
        UserAdmin(
            id=user.id,
            name=user.name,
            role=user.role.value,
            sites=[SiteRef(i, names.get(i, "")) for i in sorted(user.site_ids)],
            created_at=user.created_at,
            disabled=user.disabled,
        )
        for user in await service.list_users()
    ]


ACCOUNT_API_HANDLERS = [me, create_session, end_session, change_password, list_sites, get_site,
                        list_users]  # fmt: skip
