"""Thread-health alerts for moderators: where a discussion branch derailed (left the article,
heated up) and what the site's policy did about it.

JSON under /api/v1/admin/alerts (list, dismiss, resolve) and the console's Alerts page under
/admin/alerts. Handlers parse, call services/thread_health.py, and shape the answer; which
sites a moderator may see is decided here for a site named (403) and there for an alert's id
(404). The branch's own actions (lock, hold replies, and back; lifting the flagging or slowing
an alert's step put on) are the author API's `/branches/{comment_id}/...` endpoints; the page's
no-JavaScript forms go through the same service calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, PathParameter, QueryParameter
from litestar.response import Redirect

from parley.domain.accounts import Staff
from parley.domain.comments import Comment
from parley.domain.sanctions import BranchRule
from parley.domain.thread_health import AlertStatus, StoredAlert
from parley.services.errors import InvalidInput, NotFound
from parley.services.thread_health import MAX_ALERTS_PAGE, ThreadHealthService
from parley.web.admin import services
from parley.web.admin.auth import SessionStaff, accounts, require_session, require_site
from parley.web.admin.console_pages import (
    PAGE_ERRORS,
    CommentExcerpt,
    comment_excerpt,
    web_link,
)
from parley.web.admin.events_api import moderated_sites
from parley.web.admin.render import PAGE_HEADERS, admin_page
from parley.web.context import runtime
from parley.web.schemas import MAX_ID, ProblemDetail

PAGE = 50  # alerts a page
_PROBLEMS = {
    401: ResponseSpec(ProblemDetail, description="No valid session"),
    403: ResponseSpec(ProblemDetail, description="Not your site, or no CSRF token"),
    404: ResponseSpec(ProblemDetail, description="No such alert (on your sites)"),
    422: ResponseSpec(ProblemDetail, description="A bad filter or cursor"),
}
StatusFilter = Literal["open", "dismissed", "resolved", "all"]
PathAlertId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="An alert's id")]
SiteFilter = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_ID, description="A site's id; left out: every site of yours"),
]
Before = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_ID, description="`next` of the previous page")
]
# What the page's forms may do to an alert, and to the branch it names.
CLOSING = {"dismiss": AlertStatus.DISMISSED, "resolve": AlertStatus.RESOLVED}
BRANCH_ACTIONS = {
    "lock": (BranchRule.LOCK, True),
    "unlock": (BranchRule.LOCK, False),
    "hold-replies": (BranchRule.HOLD_REPLIES, True),
    "release": (BranchRule.HOLD_REPLIES, False),
    "unflag": (BranchRule.FLAG_REPLIES, False),
    "unslow": (BranchRule.SLOW, False),
}
DONE = {
    "dismiss": "Alert dismissed.",
    "resolve": "Alert resolved.",
    "lock": "Branch locked: no new replies under it.",
    "unlock": "Branch unlocked.",
    "hold-replies": "New replies in the branch are held for review.",
    "release": "New replies in the branch are no longer held.",
    "unflag": "New replies in the branch are no longer flagged.",
    "unslow": "New replies in the branch are no longer slowed.",
}


# -- answers --------------------------------------------------------------------------------
class AlertOut(msgspec.Struct):
    id: int
    site_id: int
    thread_key: str
    thread_title: str
    branch_root: int  # the comment where the branch turned
    at_comment: int  # the comment the alert was raised at
    reasons: list[str]
    drift: float  # how far the branch left the article, 0 to 1
    heat: float  # toxicity and insult with their trend, 0 to 1
    step: str  # what the site's policy did: none, flag, slow, hold or lock
    status: str  # open, dismissed or resolved
    created_at: datetime
    closed_at: datetime | None
    closed_by: int | None  # the moderator's user id


class AlertPageOut(msgspec.Struct):
    alerts: list[AlertOut]  # newest first
    next: int | None  # pass as `before` for older alerts; None on the last page


def _alert(alert: StoredAlert) -> AlertOut:
    return AlertOut(
        id=alert.id,
        site_id=alert.site_id,
        thread_key=alert.thread_key,
        thread_title=alert.thread_title,
        branch_root=alert.branch_root,
        at_comment=alert.at_comment,
        reasons=list(alert.reasons),
        drift=alert.drift,
        heat=alert.heat,
        step=alert.step,
        status=alert.status,
        created_at=alert.created_at,
        closed_at=alert.closed_at,
        closed_by=alert.closed_by,
    )


# -- the service ----------------------------------------------------------------------------
def health(request: Request[Any, Any, Any]) -> ThreadHealthService:
    service = runtime(request).health
    assert service is not None
    return service


def _sites(request: Request[Any, Any, Any], staff: Staff, site: int | None) -> list[int]:
    """The sites to list: the one named (403 unless the caller moderates it), else all theirs."""
    if site is not None:
        require_site(staff, site)
        return [site]
    return sorted(moderated_sites(request, staff))


async def _page(
    request: Request[Any, Any, Any],
    staff: Staff,
    site: int | None,
    status: StatusFilter,
    before: int | None,
    limit: int,
) -> tuple[list[StoredAlert], int | None]:
    site_ids = _sites(request, staff, site)
    wanted = None if status == "all" else status
    found = await health(request).alerts(site_ids, wanted, limit, before) if site_ids else []
    return found, found[-1].id if len(found) == limit else None


# -- the API --------------------------------------------------------------------------------
@get("/alerts", summary="Thread-health alerts of your sites, newest first", responses=_PROBLEMS)
async def list_alerts(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    site: SiteFilter = None,
    status: Annotated[StatusFilter, QueryParameter(description="all: every status")] = "open",
    before: Before = None,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_ALERTS_PAGE)] = PAGE,
) -> AlertPageOut:
    found, following = await _page(request, staff, site, status, before, limit)
    return AlertPageOut([_alert(a) for a in found], following)


def _closing(action: str, status: AlertStatus) -> Any:
    """Handler of POST /alerts/{alert_id}/ACTION: the alert closed as `status` (audited)."""

    async def close(
        request: Request[Any, Any, Any], staff: SessionStaff, alert_id: PathAlertId
    ) -> AlertOut:
        return _alert(await health(request).close_alert(staff, alert_id, status.value))

    close.__name__ = close.__qualname__ = f"{action}_alert"  # the OpenAPI operationId ends so
    summary = f"{action.capitalize()} an alert (it leaves the open list; audited)"
    path = f"/alerts/{{alert_id:int}}/{action}"
    return post(path, summary=summary, status_code=200, responses=_PROBLEMS)(close)


dismiss_alert = _closing("dismiss", AlertStatus.DISMISSED)
resolve_alert = _closing("resolve", AlertStatus.RESOLVED)

ALERT_API_HANDLERS = [list_alerts, dismiss_alert, resolve_alert]


# -- the page -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AlertView:
    alert: StoredAlert
    site_name: str
    thread_title: str
    thread_url: str
    root: CommentExcerpt | None  # None: the comment is gone
    at: CommentExcerpt | None  # None when it is the root itself, or gone
    rules: frozenset[str]  # the BranchRule values on the branch root now


def _excerpt(comment: Comment) -> CommentExcerpt:
    return comment_excerpt(comment.id, comment.author.name, comment.body_md, comment.status)


async def _views(
    request: Request[Any, Any, Any], staff: Staff, alerts: Sequence[StoredAlert]
) -> list[AlertView]:
    """Each alert with its two comments' excerpts and its branch's rules now."""
    store, sanctions = runtime(request).store, services.sanctions(request)
    site_names = await accounts(request).site_names()
    views = []
    for alert in alerts:
        root = await store.get_comment(alert.branch_root)
        at = None
        if alert.at_comment != alert.branch_root:
            at = await store.get_comment(alert.at_comment)
        try:
            rules = (await sanctions.branch(staff, alert.branch_root)).rules
        except NotFound:
            rules = frozenset()
        views.append(
            AlertView(
                alert=alert,
                site_name=site_names.get(alert.site_id, str(alert.site_id)),
                thread_title=alert.thread_title or alert.thread_key,
                thread_url=web_link((root[1].url if root else "") or alert.thread_key),
                root=_excerpt(root[0]) if root else None,
                at=_excerpt(at[0]) if at else None,
                rules=frozenset(rule.value for rule in rules),
            )
        )
    return views


@get("/alerts", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def alerts_page(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    status: FromQuery[StatusFilter] = "open",
    site: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    before: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    done: Annotated[str | None, QueryParameter(max_length=20)] = None,
) -> Response[str]:
    current = await require_session(request)
    found, following = await _page(request, staff, site, status, before, PAGE)
    here = {"status": status, **({"site": str(site)} if site else {})}
    return admin_page(
        "alerts.html",
        current,
        active="alerts",
        status=status,
        site_id=site,
        sites=await accounts(request).sites_of(staff),
        alerts=await _views(request, staff, found),
        first_page=before is None,
        here_url=_url(here),
        first_url=_url(here) if before else None,
        older_url=_url({**here, "before": str(following)}) if following else None,
        done=DONE.get(done or ""),
    )


def _url(query: dict[str, str]) -> str:
    return "/admin/alerts?" + urlencode(query)


def _back(raw: object) -> str:
    """Where a form goes back to: the alerts page, never another site."""
    if isinstance(raw, str) and raw.startswith("/admin/alerts") and "//" not in raw:
        return raw
    return "/admin/alerts"


@post(
    "/alerts/{alert_id:int}/{action:str}",
    include_in_schema=False,
    exception_handlers=PAGE_ERRORS,
)
async def alert_form(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    alert_id: PathAlertId,
    action: Annotated[str, PathParameter(max_length=20)],
) -> Response[Any]:
    """A button of the page without JavaScript: close the alert, or change its branch."""
    form = await request.form()
    if action in CLOSING:
        await health(request).close_alert(staff, alert_id, CLOSING[action].value)
    elif action in BRANCH_ACTIONS:
        branch_root = str(form.get("branch_root") or "")
        if not branch_root.isdigit() or not 0 < int(branch_root) <= MAX_ID:
            raise InvalidInput("name the branch: branch_root", "branch_root")
        rule, on = BRANCH_ACTIONS[action]
        await services.sanctions(request).set_branch_rule(staff, int(branch_root), rule, on)
    else:
        raise NotFound(f"no action {action!r}")
    back = _back(form.get("back"))
    joiner = "&" if "?" in back else "?"
    return Redirect(f"{back}{joiner}done={action}", status_code=303, headers=dict(PAGE_HEADERS))


ALERT_PAGE_HANDLERS = [alerts_page, alert_form]
