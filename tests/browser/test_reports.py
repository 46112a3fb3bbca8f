"""Reporting a comment from the widget, with the mouse and with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from parley.storage.reports import OpenReports
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_widget import open_thread
from tests.live import LiveServer
from tests.test_reports import open_reports

pytestmark = pytest.mark.browser

Serve = Callable[..., LiveServer]
NewPage = Callable[..., Any]


def stored_reports(server: LiveServer) -> list[OpenReports]:
    """Read on a worker thread: Playwright's event loop owns this one."""
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(open_reports, server.settings.database_url).result()


FOCUS = """() => { let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return {act: el?.dataset.act || null, role: el?.getAttribute('role'),
            id: el?.dataset.id || null, tag: el?.tagName, value: el?.value || null}; }"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUS)  # type: ignore[no-any-return]


def tab_until(page: Any, act: str, most: int = 40) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused(page)["act"] == act:
            return
    raise AssertionError(f"no [data-act={act}] reached with Tab")


def reach_action(page: Any, act: str) -> None:
    """Tab to the first comment, Tab into its action bar (one tab stop), arrows to `act`."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page)["tag"] == "ARTICLE":
            break
    page.keyboard.press("Tab")
    for _ in range(8):
        if focused(page)["act"] == act:
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"no [data-act={act}] reached in the first comment's action bar")


def test_reporting_with_the_mouse(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    first = open_thread(page, server).first
    comment_id = int(first.get_attribute("data-id"))
    first.locator(":scope > .card [data-act=report]").click()
    form = first.locator(":scope > .slot [role=dialog]")
    assert form.get_attribute("aria-label") == "Report"
    assert form.locator("legend").text_content() == "Why should a moderator look at this comment?"
    assert form.locator("label").all_text_contents() == [
        "Spam or advertising",
        "Harassment or abuse",
        "Hate against a group",
        "A threat",
        "Someone's personal data",
        "Off topic",
        "Something else",
    ]
    assert axe_violations(page) == []
    screenshot(page, "report-form")

    form.get_by_role("button", name="Send report").click()  # no reason chosen yet
    assert form.get_by_role("alert").text_content() == "Choose a reason."
    form.get_by_text("Hate against a group").click()
    form.get_by_role("button", name="Send report").click()

    done = first.locator(":scope > .slot .done")
    done.wait_for()
    assert done.text_content() == "Reported. Thank you."
    assert page.locator("parley-comments .sr[aria-live=polite]").text_content() == (
        "Reported. Thank you."
    )
    assert first.locator(":scope > .card [data-act=report]").count() == 0
    screenshot(page, "reported")
    (stored,) = stored_reports(server)
    assert (stored.comment_id, stored.count, stored.reasons) == (comment_id, 1, {"hate": 1})

    # The browser remembers: after a reload there is no Report item on that comment.
    page.reload()
    again = open_thread(page, server).first
    again.locator(":scope > .card [data-act=reply]").wait_for()
    assert again.locator(":scope > .card [data-act=report]").count() == 0


def test_reporting_with_the_keyboard(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    items = open_thread(page, server)
    reach_action(page, "report")
    li = items.first
    comment_id = int(li.get_attribute("data-id"))

    page.keyboard.press("Enter")
    now = focused(page)
    assert (now["tag"], now["value"]) == ("INPUT", "spam")  # the first reason, not chosen yet
    page.keyboard.press("Escape")  # closes the form, focus goes back to its button
    assert focused(page)["act"] == "report"
    assert li.locator(":scope > .slot form").count() == 0

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")  # radios: the arrow moves to and chooses the next reason
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "hate"
    page.keyboard.press("ArrowUp")
    assert focused(page)["value"] == "harassment"
    tab_until(page, "cancel", most=2)
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "BUTTON"
    page.keyboard.press("Enter")

    li.locator(":scope > .slot .done").wait_for()
    now = focused(page)
    assert (now["tag"], now["id"]) == ("ARTICLE", str(comment_id))
    assert page.locator("parley-comments .sr").text_content() == "Reported. Thank you."
    (stored,) = stored_reports(server)
    assert (stored.comment_id, stored.reasons) == (comment_id, {"harassment": 1})


def test_the_report_form_speaks_the_readers_language(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page(locale="de-DE")
    first = open_thread(page, server).first
    first.locator(":scope > .card [data-act=report]", has_text="Melden").click()
    form = first.locator(":scope > .slot form")
    form.get_by_text("Spam oder Werbung").click()
    form.get_by_role("button", name="Meldung senden").click()
    done = first.locator(":scope > .slot .done")
    done.wait_for()
    assert done.text_content() == "Gemeldet. Vielen Dank."
    assert [r.reasons for r in stored_reports(server)] == [{"spam": 1}]
