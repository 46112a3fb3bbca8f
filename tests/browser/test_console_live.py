"""The console's queue live in Chromium: the moderators' event stream shows "N new" and other
moderators' decisions at once, against the real server and the seed thread.

The queue API is polled every 15 s only while the stream is down; these tests set no clock and
wait far less than that, so what they see came through the stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import pytest

from parley.domain.accounts import Role
from tests.admin.helpers import ADMIN_API, create_user
from tests.admin.helpers import sign_in as api_sign_in
from tests.browser.test_console import HELD_TEXT, SEED, SLUR_COMMENT, SLUR_TEXT, item, post_held
from tests.browser.test_console import sign_in as page_sign_in
from tests.live import LiveServer

pytestmark = pytest.mark.browser

Serve = Callable[..., LiveServer]
NewPage = Callable[..., Any]
AT_ONCE_MS = 3_000  # well under the 15 s poll: only the stream can be this quick


@pytest.fixture
def live(serve: Serve) -> Iterator[tuple[LiveServer, int]]:
    """The seeded server with two owners, "olga" and "otto", and one held comment."""
    server = serve()
    create_user(server.settings.database_url, "olga", Role.OWNER)
    create_user(server.settings.database_url, "otto", Role.OWNER)
    held = post_held(server, HELD_TEXT, "Held Poster", parent=SEED[SLUR_COMMENT - 1]["parent"])
    yield server, held


def open_queue(page: Any, server: LiveServer) -> None:
    """The held queue, signed in as olga, once its stream is open and its first count read
    (so that a comment posted after this can only reach the page through the stream)."""
    with page.expect_response(lambda r: f"{ADMIN_API}/queue?" in r.url):
        page_sign_in(page, server)
    page.locator(".console-page[data-stream=open]").wait_for()


def test_a_held_comment_shows_in_the_pill_at_once_and_loads_on_click(
    live: tuple[LiveServer, int], new_page: NewPage
) -> None:
    server, held_id = live
    page = new_page(1280)
    open_queue(page, server)
    pill = page.locator("[data-new-pill]")
    assert pill.is_hidden()

    arrived = post_held(server, f"Arrived later: {SLUR_TEXT}", "Latecomer")  # a reader's post
    pill.filter(has_text="1 new").wait_for(timeout=AT_ONCE_MS)
    assert item(page, arrived).count() == 0
    page.locator("[data-live]").filter(has_text="1 new comment in this queue.").wait_for(
        state="attached", timeout=AT_ONCE_MS
    )
    pill.click()
    item(page, arrived).wait_for()
    assert pill.is_hidden()
    ids = [li.get_attribute("data-id") for li in page.locator("[data-items] > li").all()]
    assert ids == [str(arrived), str(held_id)]
    assert page.locator(".tabs a[aria-current=page]").inner_text().split() == ["Held", "2"]


def test_another_moderators_decision_leaves_the_open_queue_and_an_undo_returns(
    live: tuple[LiveServer, int], new_page: NewPage
) -> None:
    server, held_id = live
    second = post_held(server, f"Second one. {SLUR_TEXT}", "Second")
    page = new_page(1280)
    open_queue(page, server)
    item(page, held_id).wait_for()
    tab = page.locator(".tabs a[aria-current=page]")
    assert tab.inner_text().split() == ["Held", "2"]

    with closing(api_sign_in(server, "otto")) as otto:
        approved = otto.post(f"{ADMIN_API}/comments/{held_id}/approve", json={})
        assert approved.status_code == 200, approved.text
        item(page, held_id).wait_for(state="detached", timeout=AT_ONCE_MS)
        page.locator("[data-live]").filter(has_text="decided by another moderator").wait_for(
            state="attached", timeout=AT_ONCE_MS
        )
        assert tab.inner_text().split() == ["Held", "1"]
        assert item(page, second).is_visible()

        # Undone: back in the queue, so offered as new (its id is older than the page's).
        undone = otto.post(f"{ADMIN_API}/undo/{approved.json()['undo_id']}", json={})
        assert undone.status_code == 200, undone.text
    pill = page.locator("[data-new-pill]")
    pill.filter(has_text="1 new").wait_for(timeout=AT_ONCE_MS)
    pill.click()
    item(page, held_id).wait_for()
