"""The console's two routers, built from handler lists each part of the console extends.

To add handlers, import them in this file and add them to `API_HANDLERS` (served under
`/api/v1/admin`, JSON, in the OpenAPI document) or `PAGE_HANDLERS` (served under `/admin`,
HTML), one line each, above the routers built from them at the end. Both routers give every
handler `staff: SessionStaff`, refuse every request without a session (401 problem+json from
the API, a redirect to the sign-in form from pages) and check the CSRF token of every state
change; see `parley.web.admin.auth`.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from parley.web.admin.account_api import ACCOUNT_API_HANDLERS
from parley.web.admin.account_pages import ACCOUNT_PAGE_HANDLERS, problem_page, to_login
from parley.web.admin.alerts_api import ALERT_API_HANDLERS, ALERT_PAGE_HANDLERS
from parley.web.admin.article_api import ARTICLE_API_HANDLERS, ARTICLE_PAGE_HANDLERS
from parley.web.admin.auth import SessionRequired, csrf_guard, session_guard, staff_dependency
from parley.web.admin.author_api import AUTHOR_API_HANDLERS
from parley.web.admin.console_pages import CONSOLE_PAGE_HANDLERS
from parley.web.admin.events_api import EVENTS_API_HANDLERS
from parley.web.admin.overview_api import OVERVIEW_API_HANDLERS, OVERVIEW_PAGE_HANDLERS
from parley.web.admin.policy_api import POLICY_API_HANDLERS, POLICY_PAGE_HANDLERS
from parley.web.admin.queue_api import REVIEW_API_HANDLERS
from parley.web.errors import ProblemException

API_HANDLERS: list[Any] = [*ACCOUNT_API_HANDLERS]
API_HANDLERS += REVIEW_API_HANDLERS
API_HANDLERS += POLICY_API_HANDLERS
API_HANDLERS += OVERVIEW_API_HANDLERS
API_HANDLERS += AUTHOR_API_HANDLERS
API_HANDLERS += EVENTS_API_HANDLERS
API_HANDLERS += ALERT_API_HANDLERS
API_HANDLERS += ARTICLE_API_HANDLERS
PAGE_HANDLERS: list[Any] = [*ACCOUNT_PAGE_HANDLERS]
PAGE_HANDLERS += POLICY_PAGE_HANDLERS
PAGE_HANDLERS += CONSOLE_PAGE_HANDLERS
PAGE_HANDLERS += OVERVIEW_PAGE_HANDLERS
PAGE_HANDLERS += ALERT_PAGE_HANDLERS
PAGE_HANDLERS += ARTICLE_PAGE_HANDLERS


admin_api_router = Router(
    path="/api/v1/admin",
    route_handlers=API_HANDLERS,
    dependencies={"staff": staff_dependency},
    guards=[session_guard, csrf_guard],
    tags=["admin"],
)

admin_pages_router = Router(
    path="/admin",
    route_handlers=PAGE_HANDLERS,
    dependencies={"staff": staff_dependency},
    guards=[session_guard, csrf_guard],
    exception_handlers={SessionRequired: to_login, ProblemException: problem_page},
    include_in_schema=False,
)

admin_static_router = create_static_files_router(
    path="/admin/static",
    directories=[files("parley.web") / "static" / "admin"],  # type: ignore[list-item]
    send_as_attachment=False,
    include_in_schema=False,
    cache_control=CacheControlHeader(max_age=300),
)
