"""The widget's `data-article` in Chromium, against the real server: the text of the element it
names goes with a thread's first comment (and with no later one), and is kept as the thread's
article only where the site's owner allowed it (`article_from_page`)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from typing import Any

import pytest
import sqlalchemy as sa

from parley.domain.accounts import Role
from parley.services.markup import plain_text
from parley.storage.schema import sites, threads
from tests.admin.helpers import ADMIN_API, create_user, execute, sign_in
from tests.live import LiveServer

pytestmark = pytest.mark.browser

Serve = Callable[..., LiveServer]
NewPage = Callable[..., Any]
STORY = "Nanking (2007). A documentary on the fall of the city in 1937, told through letters."
HOST_PAGE = """<!doctype html><html lang="en"><head><title>Nanking</title>
<script src="/widget/parley.js" defer></script></head><body>
<nav>Home · Films · Sign in</nav>
<article id="story"><h1>Nanking (2007).</h1>
<p>A documentary on the fall of the city in 1937, told through letters.</p></article>
<parley-comments thread="{key}" data-article="#story"></parley-comments>
</body></html>"""


def words(text: str) -> str:
    return " ".join(text.split())


def article_of(server: LiveServer, key: str) -> str | None:
    found = execute(
        server.settings.database_url,
        sa.select(threads.c.article_html).where(threads.c.key == key),
    )
    return words(plain_text(found[0][0])) if found else None


def allow_page_articles(server: LiveServer) -> None:
    url = server.settings.database_url
    create_user(url, "olga", Role.OWNER)
    ((site_id,),) = execute(url, sa.select(sites.c.id).where(sites.c.name == server.settings.site))
    with closing(sign_in(server, "olga")) as olga:
        answer = olga.put(f"{ADMIN_API}/sites/{site_id}/settings", json={"article_from_page": True})
        assert answer.status_code == 200, answer.text


def post_from_page(page: Any, server: LiveServer, key: str, bodies: list[str]) -> list[Any]:
    """Each of `bodies` posted through the widget on a host page of thread `key`; the JSON
    each post sent."""
    page.route(
        f"{server.url}{key}",
        lambda route: route.fulfill(body=HOST_PAGE.format(key=key), content_type="text/html"),
    )
    page.goto(f"{server.url}{key}")
    sent = []
    form = page.locator("parley-comments .top form")
    for body in bodies:
        form.locator("textarea").fill(body)
        with page.expect_request(
            lambda r: r.url.endswith("/api/v1/comments") and r.method == "POST"
        ) as request:
            form.locator("button[type=submit]").click()
        sent.append(request.value.post_data_json)
        page.locator("parley-comments article", has_text=body).wait_for()
    return sent


def test_the_page_text_goes_with_the_first_post_and_is_kept_where_the_site_allows(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    page = new_page()

    (first,) = post_from_page(page, server, "/reviews/not-allowed/", ["A fine film."])
    assert words(first["article"]) == STORY  # the element named, not the page's menu
    assert article_of(server, "/reviews/not-allowed/") == ""  # the site has not allowed it

    allow_page_articles(server)
    sent = post_from_page(page, server, "/reviews/allowed/", ["A fine film.", "And a second."])
    assert words(sent[0]["article"]) == STORY
    assert "article" not in sent[1]  # the thread has comments: its article is settled
    assert article_of(server, "/reviews/allowed/") == STORY
