"""The article a thread is judged against, and where a site's articles come from: JSON under
/api/v1/admin/sites/{site_id}/ and the site-settings form under /admin/sites/{site_id}.

A thread's key is a page path, slashes and all, so it travels as `?thread=KEY` (as in the
public API) rather than in the path, where `/a/b/` and `/a/b` would be one route. Handlers
parse, call services/articles.py, and shape the answer; owners change, moderators read.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, QueryParameter
from litestar.response import Redirect

from parley.services.articles import ArticleService, ArticleSource, article_service
from parley.services.errors import InvalidInput
from parley.web.admin.auth import SessionStaff, accounts, require_session, require_site
from parley.web.admin.policy_api import PAGE_ERRORS, PathSiteId
from parley.web.admin.render import PAGE_HEADERS, admin_page
from parley.web.context import runtime
from parley.web.schemas import ProblemDetail

_PROBLEMS = {
    401: ResponseSpec(ProblemDetail, description="No valid session"),
    403: ResponseSpec(ProblemDetail, description="Not your site, not an owner, or no CSRF token"),
    404: ResponseSpec(ProblemDetail, description="No such site or thread"),
    422: ResponseSpec(ProblemDetail, description="A bad body or parameter: `field` names it"),
}
ThreadKey = Annotated[
    str,
    QueryParameter(
        min_length=1, max_length=500, description="The thread's key, its page path: /reviews/x/"
    ),
]


class ArticleBody(msgspec.Struct, forbid_unknown_fields=True):
    """Either `html` (sanitised: structure kept, anything active dropped) or `text` (blank
    lines part paragraphs)."""

    html: str | None = None
    text: str | None = None
    title: str | None = None  # the thread's title; left out: kept as it is


class ArticleOut(msgspec.Struct):
    site_id: int
    thread_id: int
    key: str
    title: str
    html: str  # as stored, sanitised


class SiteSettingsBody(msgspec.Struct, forbid_unknown_fields=True):
    # Keep the text of the page a widget sends with a thread's first comment (its embed's
    # `data-article` selector) while the thread has no article.
    article_from_page: bool


class SiteSettingsOut(msgspec.Struct):
    site_id: int
    article_from_page: bool


def articles(request: Request[Any, Any, Any]) -> ArticleService:
    rt = runtime(request)
    assert rt.audit is not None
    return article_service(rt.store, rt.audit)


@get("/sites/{site_id:int}/article", summary="A thread's article", responses=_PROBLEMS)
async def get_article(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId, thread: ThreadKey
) -> ArticleOut:
    require_site(staff, site_id)
    found = await articles(request).thread(site_id, thread)
    return ArticleOut(site_id, found.id, found.key, found.title, found.article_html)


@put(
    "/sites/{site_id:int}/article",
    summary="Set a thread's article (owners): what its comments are judged against",
    responses=_PROBLEMS,
)
async def put_article(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    site_id: PathSiteId,
    thread: ThreadKey,
    data: JSONBody[ArticleBody],
) -> ArticleOut:
    source = ArticleSource(data.title, data.html, data.text)
    saved = await articles(request).set_article(staff, site_id, thread, source)
    return ArticleOut(site_id, saved.id, saved.key, saved.title, saved.article_html)


@get("/sites/{site_id:int}/settings", summary="A site's settings", responses=_PROBLEMS)
async def get_site_settings(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId
) -> SiteSettingsOut:
    require_site(staff, site_id)
    return SiteSettingsOut(site_id, await articles(request).article_from_page(site_id))


@put(
    "/sites/{site_id:int}/settings",
    summary="Change a site's settings (owners)",
    responses=_PROBLEMS,
)
async def put_site_settings(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    site_id: PathSiteId,
    data: JSONBody[SiteSettingsBody],
) -> SiteSettingsOut:
    service = articles(request)
    await service.set_article_from_page(staff, site_id, data.article_from_page)
    return SiteSettingsOut(site_id, await service.article_from_page(site_id))


ARTICLE_API_HANDLERS = [get_article, put_article, get_site_settings, put_site_settings]


# -- the page -------------------------------------------------------------------------------
@get("/sites/{site_id:int}", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def site_settings_page(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId
) -> Response[str]:
    current = await require_session(request)
    require_site(staff, site_id)
    names = await accounts(request).site_names()
    return admin_page(
        "site_settings.html",
        current,
        active="policies",
        site_id=site_id,
        site_name=names.get(site_id, str(site_id)),
        article_from_page=await articles(request).article_from_page(site_id),
        editable=staff.is_owner,
        saved=request.query_params.get("saved") == "1",
    )


@post("/sites/{site_id:int}", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def site_settings_form(
    request: Request[Any, Any, Any], staff: SessionStaff, site_id: PathSiteId
) -> Response[Any]:
    form = await request.form()
    value = form.get("article_from_page")
    if value not in (None, "on"):
        raise InvalidInput("article_from_page is a check box", "article_from_page")
    await articles(request).set_article_from_page(staff, site_id, value == "on")
    return Redirect(f"/admin/sites/{site_id}?saved=1", status_code=303, headers=dict(PAGE_HEADERS))


ARTICLE_PAGE_HANDLERS = [site_settings_page, site_settings_form]
