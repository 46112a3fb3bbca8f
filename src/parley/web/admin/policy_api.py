"""The policy editor: a site's moderation policy as JSON under /api/v1/admin and as a form under
/admin/policies, each with its what-if. Handlers parse, call services/policies.py, and shape
the answer; who may read and who may save is decided there (moderators read, owners save)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, PathParameter
from litestar.response import Redirect

from parley.domain.moderation import Action, Reason
from parley.services.errors import InvalidInput, NotAllowed, NotFound, ServiceError
from parley.services.policies import (
    DERAILMENT_ACTIONS,
    LISTS,
    STEPS,
    WHAT_IF_COMMENTS,
    Policy,
    WhatIf,
)
from parley.web.admin import services
from parley.web.admin.account_pages import problem_page
from parley.web.admin.auth import SessionStaff, accounts, require_session
from parley.web.admin.render import PAGE_HEADERS, admin_page
from parley.web.errors import (
    NOT_ALLOWED,
    NOT_FOUND,
    STORAGE_UNAVAILABLE,
    UNPROCESSABLE,
    ProblemException,
)
from parley.web.schemas import MAX_ID, ProblemDetail

EXCERPT = 200  # characters of a changed comment shown
# Every label a site may set thresholds for (the model's, then thread health's `off_topic`),
# in the policy's own order.
THRESHOLD_LABELS = tuple(Policy().to_dict()["thresholds"])
# What each derailment step does to the branch, as the form's options say it.
DERAILMENT_NAMES = {
    "none": "Do nothing",
    "flag": "Flag new replies",
    "slow": "Slow new replies (cooldown)",
    "hold": "Hold new replies",
    "lock": "Lock the branch",
}
SHOWN_CHANGES = 200  # changed comments listed on the page (the API answers them all)
PathSiteId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="A site's id")]
_PROBLEMS = {
    401: ResponseSpec(ProblemDetail, description="No valid session"),
    403: ResponseSpec(ProblemDetail, description="Not your site, not an owner, or no CSRF token"),
    404: ResponseSpec(ProblemDetail, description="No such site"),
}
_EDIT_PROBLEMS = {
    **_PROBLEMS,
    422: ResponseSpec(ProblemDetail, description="A wrong field: `field` names it"),
}


# -- answers --------------------------------------------------------------------------------
class PolicyOut(msgspec.Struct):
    site_id: int
    site_name: str
    editable: bool  # whether the caller may save it (owners)
    policy: dict[str, Any]  # complete: every key, defaults filled in


class PolicyReasonOut(msgspec.Struct):
    action: str
    message: str
    label: str | None
    score: float | None
    threshold: float | None
    rule: str | None


class ChangedOut(msgspec.Struct):
    comment_id: int
    thread_key: str
    created_at: datetime
    excerpt: str
    status: str  # the comment's status now
    old: str  # the verdict under the saved policy
    new: str  # under the edited one
    old_reasons: list[PolicyReasonOut]
    new_reasons: list[PolicyReasonOut]


class WhatIfOut(msgspec.Struct):
    site_id: int
    compared: int  # the site's last assessed comments re-decided (at most 1,000)
    recorded: dict[str, int]  # verdicts as stored when each was judged
    before: dict[str, int]  # under the saved policy, re-decided now
    after: dict[str, int]  # under the edited policy
    changed: list[ChangedOut]  # newest first


def _reasons(reasons: tuple[Reason, ...]) -> list[PolicyReasonOut]:
    return [
        PolicyReasonOut(r.action.value, r.message, r.label, r.score, r.threshold, r.rule)
        for r in reasons
    ]


def _what_if_out(found: WhatIf) -> WhatIfOut:
    return WhatIfOut(
        site_id=found.site.id,
        compared=found.compared,
        recorded=found.recorded,
        before=found.before,
        after=found.after,
        changed=[
            ChangedOut(
                comment_id=c.comment.comment_id,
                thread_key=c.comment.thread_key,
                created_at=c.comment.created_at,
                excerpt=c.comment.body_md[:EXCERPT],
                status=c.comment.status,
                old=c.old.value,
                new=c.new.value,
                old_reasons=_reasons(c.old_reasons),
                new_reasons=_reasons(c.new_reasons),
            )
            for c in found.changed
        ],
    )


# -- the API --------------------------------------------------------------------------------
@get("/sites/{site_id:int}/policy", summary="A site's moderation policy", responses=_PROBLEMS)
async def get_policy(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId
) -> PolicyOut:
    view = await services.policies(request).view(staff, site_id)
    return PolicyOut(view.site.id, view.site.name, view.editable, view.policy.to_dict())


@post(
    "/sites/{site_id:int}/policy/what-if",
    summary=f"What an edited policy would have decided on the site's last {WHAT_IF_COMMENTS:,} "
    "assessed comments",
    status_code=200,
    responses=_EDIT_PROBLEMS,
)
async def policy_what_if(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    site_id: PathSiteId,
    data: JSONBody[dict[str, Any]],
) -> WhatIfOut:
    return _what_if_out(await services.policies(request).what_if(staff, site_id, data))


@put(
    "/sites/{site_id:int}/policy",
    summary="Replace a site's policy (owners; keys left out take their defaults)",
    responses=_EDIT_PROBLEMS,
)
async def put_policy(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    site_id: PathSiteId,
    data: JSONBody[dict[str, Any]],
) -> PolicyOut:
    view = await services.policies(request).save(staff, site_id, data)
    return PolicyOut(view.site.id, view.site.name, view.editable, view.policy.to_dict())


POLICY_API_HANDLERS = [get_policy, policy_what_if, put_policy]


# -- the pages ------------------------------------------------------------------------------
def service_error_page(request: Request[Any, Any, Any], error: ServiceError) -> Response[Any]:
    """A refusal from a service on a console page, as a page."""
    problem = STORAGE_UNAVAILABLE
    if isinstance(error, NotAllowed):
        problem = NOT_ALLOWED
    elif isinstance(error, NotFound):
        problem = NOT_FOUND
    elif isinstance(error, InvalidInput):
        problem = UNPROCESSABLE
    return problem_page(request, ProblemException(problem, str(error)))


PAGE_ERRORS: dict[int | type[Exception], Any] = {ServiceError: service_error_page}


def form_values(policy: Mapping[str, Any]) -> dict[str, str]:
    """A policy's fields as the form's inputs show them."""
    values: dict[str, str] = {}
    for label, steps in policy["thresholds"].items():
        for step in STEPS:
            value = steps.get(step)
            values[f"thresholds.{label}.{step}"] = "" if value is None else f"{value:g}"
    for name in LISTS:
        values[name] = "\n".join(policy[name])
    for name in ("hold_first_time", "hold_identity_slurs"):
        values[name] = "on" if policy[name] else ""
    values["max_links"] = "" if policy["max_links"] is None else str(policy["max_links"])
    values["report_threshold"] = str(policy["report_threshold"])
    values["derailment"] = policy["derailment"]
    values["derailment_cooldown"] = str(policy["derailment_cooldown"])
    values["unsupported_language"] = policy["unsupported_language"]
    return values


def policy_from_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The policy a submitted form describes, and the form's values as sent (to show again).
    A number that does not parse is passed on as written, for the service to name the field;
    an empty cooldown is left out (its default)."""
    values = {key: str(form.get(key) or "") for key in form_values(Policy().to_dict())}
    data: dict[str, Any] = {
        "thresholds": {
            label: {step: _number(values[f"thresholds.{label}.{step}"]) for step in STEPS}
            for label in THRESHOLD_LABELS
        },
        "hold_first_time": values["hold_first_time"] == "on",
        "hold_identity_slurs": values["hold_identity_slurs"] == "on",
        "max_links": _number(values["max_links"], whole=True),
        "report_threshold": _number(values["report_threshold"], whole=True),
        "derailment": values["derailment"],
        "unsupported_language": values["unsupported_language"],
    }
    if values["derailment_cooldown"].strip():
        data["derailment_cooldown"] = _number(values["derailment_cooldown"], whole=True)
    for name in LISTS:
        data[name] = [line.strip() for line in values[name].splitlines() if line.strip()]
    return data, values


def _number(text: str, whole: bool = False) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        return text


def _page_context(site_policy: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "labels": THRESHOLD_LABELS,
        "steps": STEPS,
        "derailment_actions": [(a.value, DERAILMENT_NAMES[a.value]) for a in DERAILMENT_ACTIONS],
        "language_actions": [a.value for a in Action],
        "saved_values": form_values(site_policy),
        "what_if_limit": WHAT_IF_COMMENTS,
    }


@get("/policies", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def policies_page(request: Request[Any, Any, Any], staff: SessionStaff) -> Response[str]:
    current = await require_session(request)
    sites = await accounts(request).sites_of(staff)
    return admin_page("policies.html", current, active="policies", sites=sites, site=None)


@get("/policies/{site_id:int}", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def policy_page(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId
) -> Response[str]:
    current = await require_session(request)
    view = await services.policies(request).view(staff, site_id)
    policy = view.policy.to_dict()
    return admin_page(
        "policies.html",
        current,
        active="policies",
        site=view.site,
        editable=view.editable,
        values=form_values(policy),
        saved=request.query_params.get("saved") == "1",
        **_page_context(policy),
    )


@post(
    "/policies/{site_id:int}",
    include_in_schema=False,
    status_code=200,
    exception_handlers=PAGE_ERRORS,
)
async def policy_form(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId
) -> Response[Any]:
    """The form's two buttons: `intent=what-if` shows what the edit would change, `save`
    stores it (owners) and comes back to the page."""
    current = await require_session(request)
    service = services.policies(request)
    form = await request.form()
    data, values = policy_from_form(form)
    view = await service.view(staff, site_id)
    context = {
        "active": "policies",
        "site": view.site,
        "editable": view.editable,
        "values": values,
        **_page_context(view.policy.to_dict()),
    }
    try:
        if form.get("intent") == "save":
            await service.save(staff, site_id, data)
            return Redirect(
                f"/admin/policies/{site_id}?saved=1#saved",
                status_code=303,
                headers=dict(PAGE_HEADERS),
            )
        found = await service.what_if(staff, site_id, data)
    except InvalidInput as error:
        field = error.field or "policy"
        message = f"{field}: {error}" if field not in str(error) else str(error)
        return admin_page(
            "policies.html", current, 422, error=message, error_field=field, **context
        )
    shown = _what_if_out(found)
    return admin_page(
        "policies.html",
        current,
        what_if=shown,
        shown_changes=shown.changed[:SHOWN_CHANGES],
        **context,
    )


POLICY_PAGE_HANDLERS = [policies_page, policy_page, policy_form]
