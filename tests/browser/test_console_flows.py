"""What a moderator decides, a reader meets, and the other way round (Chromium, real server).

A reader's report sent from the widget lands in the console's reported queue; an author banned
from the console has their next post refused in their own widget with a neutral message.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from typing import Any

import pytest

from parley.domain.accounts import Role
from tests.admin import helpers as admin
from tests.admin.helpers import ADMIN_API, PASSWORD, create_user
from tests.browser.conftest import THREAD, screenshot
from tests.browser.test_widget import comment, open_thread, post
from tests.live import LiveServer

pytestmark = pytest.mark.browser

Serve = Callable[..., LiveServer]
NewPage = Callable[..., Any]


def owner(server: LiveServer) -> Any:
    create_user(server.settings.database_url, "olga", Role.OWNER)
    return closing(admin.sign_in(server, "olga"))


def sign_in(page: Any, server: LiveServer, path: str) -> None:
    page.goto(server.url + path)
    page.get_by_label("User name").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url + path)


def test_a_report_from_the_widget_is_in_the_reported_queue(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    with owner(server) as client:
        (site,) = client.get(f"{ADMIN_API}/me").json()["sites"]
        url = f"{ADMIN_API}/sites/{site['id']}/policy"
        policy = client.get(url).json()["policy"]
        saved = client.put(url, json={**policy, "report_threshold": 1})
        assert saved.status_code == 200, saved.text
    reader = new_page()
    second = open_thread(reader, server).nth(1)
    reported_id = second.get_attribute("data-id")
    second.locator(":scope > .card [data-act=report]").click()
    form = second.locator(":scope > .slot [role=dialog]")
    form.get_by_text("Spam or advertising").click()
    form.get_by_role("button", name="Send report").click()
    second.locator(":scope > .slot .done").wait_for()

    moderator = new_page(1280)
    sign_in(moderator, server, "/admin/")
    moderator.get_by_role("link", name="Reported").click()
    moderator.wait_for_url("**/admin/?*queue=reported*")
    listed = moderator.locator(f"[data-items] > li.item[data-id='{reported_id}']")
    listed.wait_for()
    assert listed.locator("a.reports").inner_text() == "1 open report"
    screenshot(moderator, "console-reported-queue")


def test_a_banned_author_meets_a_neutral_refusal_in_the_widget(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    reader = new_page()
    open_thread(reader, server)
    post(reader, "A friendly first word about the film.", name="Pat")
    mine = comment(reader, "A friendly first word about the film.")
    mine.wait_for()
    comment_id = mine.get_attribute("data-id")
    with owner(server) as client:
        (site,) = client.get(f"{ADMIN_API}/me").json()["sites"]
        key = client.get(f"{ADMIN_API}/comments/{comment_id}/author").json()["author_key"]
        banned = client.post(
            f"{ADMIN_API}/authors/{key}/sanctions",
            params={"site": site["id"]},
            json={"kind": "ban", "by": "account"},
        )
        assert banned.status_code == 201, banned.text
    post(reader, "A second word, after the ban.")
    refusal = reader.locator("parley-comments .top form .err")
    refusal.wait_for()
    assert refusal.text_content() == "This could not be accepted."  # never which rule
    assert comment(reader, "A second word, after the ban.").count() == 0
    screenshot(reader, "banned-author-refused")
    # Another reader is not affected.
    other = new_page()
    other.goto(f"{server.url}{THREAD}")
    post(other, "Someone else entirely.", name="Sam")
    comment(other, "Someone else entirely.").wait_for()
