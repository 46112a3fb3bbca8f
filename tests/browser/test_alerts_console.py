"""The console's Alerts page in Chromium, against the real server: the seed thread, posted
through the public API as its readers wrote it, raises a derailment alert (the shipped engine
and thread health judge each comment); a moderator reads it, locks its branch, lifts the rule
the site's policy put on it, dismisses it, and hears of a new alert over the event stream.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from parley.storage.schema import comments
from tests.admin.helpers import ADMIN_API, Room, assert_problem, start_room
from tests.admin.test_alerts_api import post_thread
from tests.browser.conftest import axe_violations
from tests.browser.test_console import sign_in
from tests.conftest import SEED_JSON
from tests.live import LiveServer

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
SEED = json.loads(SEED_JSON.read_text())
FIRST, SECOND = "/reviews/nanking/", "/reviews/nanking-again/"
BRANCH_LOCKED = 2051
SCREENSHOT = Path("/tmp/alerts.png")
AT_ONCE_MS = 5_000  # the page never polls: only the stream can bring the alert


def with_article(room: Room, thread: str) -> None:
    """The seed's article on `thread`, set by the owner: thread health judges against it."""
    with room.client("olga") as olga:
        article = {"title": SEED["title"], "text": SEED["article"]}
        answer = olga.put(
            f"{ADMIN_API}/sites/{room.sites.a}/article", params={"thread": thread}, json=article
        )
        assert answer.status_code == 200, answer.text


def open_alerts(room: Room) -> list[dict[str, Any]]:
    with room.client("olga") as olga:
        answer = olga.get(f"{ADMIN_API}/alerts")
        assert answer.status_code == 200, answer.text
        return answer.json()["alerts"]  # type: ignore[no-any-return]


@pytest.fixture
def room(sqlite_url: str, start_server: Callable[..., LiveServer]) -> Room:
    """The moderated server, its staff, and the seed thread posted on FIRST: one open alert."""
    room = start_room(Room, sqlite_url, start_server, hold_terms=())
    with_article(room, FIRST)
    post_thread(room, SEED, FIRST)
    return room


def card(page: Any, alert_id: int) -> Any:
    return page.locator(f"[data-alerts] > li[data-alert-id='{alert_id}']")


def test_a_moderator_reads_locks_lifts_and_dismisses_an_alert_and_hears_a_new_one(
    room: Room, new_page: NewPage
) -> None:
    (alert,) = open_alerts(room)
    bodies = dict(room.execute(sa.select(comments.c.id, comments.c.body_md)))
    page = new_page(1280, bypass_csp=True)  # axe-core is injected inline
    sign_in(page, room.server, "/admin/alerts")
    page.locator(".alerts-page[data-stream=open]").wait_for()

    shown = card(page, alert["id"])
    for where, comment_id in (("root", alert["branch_root"]), ("at", alert["at_comment"])):
        excerpt = shown.locator(f"[data-{where}] blockquote").inner_text().removesuffix("…")
        assert len(excerpt) > 40 and bodies[comment_id].startswith(excerpt)
    reasons = shown.get_by_role("list", name="Reasons").locator("li").all_inner_texts()
    assert reasons == alert["reasons"]
    # The site's default step flags the branch's new replies: said, and liftable.
    assert alert["step"] == "flag"
    assert shown.locator("[data-rules]").inner_text() == "new replies flagged"
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    shown.get_by_role("button", name="Lock branch").click()
    shown.get_by_role("button", name="Unlock branch").wait_for()
    assert shown.locator("[data-rules]").inner_text() == "locked, new replies flagged"
    reply = room.send("Replying under the locked branch.", FIRST, parent_id=alert["at_comment"])
    assert_problem(reply, 403, BRANCH_LOCKED)

    shown.get_by_role("button", name="Stop flagging replies").click()
    shown.get_by_role("button", name="Stop flagging replies").wait_for(state="hidden")
    assert shown.locator("[data-rules]").inner_text() == "locked"
    with room.client("olga") as olga:
        branch = olga.get(f"{ADMIN_API}/branches/{alert['branch_root']}").json()
    assert branch["locked"] and not branch["flag_replies"]

    # The same discussion on another page: its alert comes over the stream, never by a poll.
    with_article(room, SECOND)
    post_thread(room, SEED, SECOND)
    pill = page.locator("[data-new-alerts]")
    pill.filter(has_text="1 new alert").wait_for(timeout=AT_ONCE_MS)
    page.locator("[data-live]").filter(has_text="1 new alert").wait_for(state="attached")
    pill.click()
    (newer, older) = open_alerts(room)
    assert older["id"] == alert["id"]
    card(page, newer["id"]).wait_for()
    assert pill.is_hidden()

    card(page, alert["id"]).get_by_role("button", name="Dismiss").click()
    card(page, alert["id"]).wait_for(state="detached")
    assert [a["id"] for a in open_alerts(room)] == [newer["id"]]
    page.reload()
    assert page.locator("[data-alerts] > li").evaluate_all(
        "items => items.map(li => Number(li.dataset.alertId))"
    ) == [newer["id"]]


def test_the_queue_and_comment_pages_mark_the_comments_an_open_alert_names(
    room: Room, new_page: NewPage
) -> None:
    (alert,) = open_alerts(room)
    page = new_page(1280, bypass_csp=True)
    sign_in(page, room.server)
    page.goto(f"{room.server.url}/admin/?queue=flagged")
    # The comment the alert was raised at was flagged by the site's step: it waits there.
    marker = page.locator(f"li.item[data-id='{alert['at_comment']}'] [data-derailing]")
    marker.wait_for()
    assert marker.text_content() == "derailing branch"
    assert marker.get_attribute("href") == f"/admin/alerts?status=open#alert-{alert['id']}"
    assert axe_violations(page) == []
    marker.locator("xpath=ancestor::li[1]").screenshot(path=SCREENSHOT.with_name("alerts-mark.png"))

    # A second derailing thread while the queue is open: its items come with "N new", marked.
    with_article(room, SECOND)
    post_thread(room, SEED, SECOND)
    second = next(a for a in open_alerts(room) if a["thread_key"] == SECOND)
    page.locator("[data-new-pill]:visible").click()
    page.locator(f"li.item[data-id='{second['at_comment']}'] [data-derailing]").wait_for()

    page.goto(f"{room.server.url}/admin/comments/{alert['branch_root']}")
    page.locator(f"li.item[data-id='{alert['branch_root']}'] [data-derailing]").click()
    page.wait_for_url(f"**/admin/alerts?status=open#alert-{alert['id']}")
    card(page, alert["id"]).wait_for()

    with room.client("olga") as olga:
        assert olga.post(f"{ADMIN_API}/alerts/{alert['id']}/resolve").status_code == 200
    page.goto(f"{room.server.url}/admin/comments/{alert['branch_root']}")
    page.locator(".console-page[data-stream=open]").wait_for()
    assert page.locator("[data-derailing]").count() == 0  # closed: no marker
    assert second["id"] != alert["id"]
