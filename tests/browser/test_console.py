"""The moderator console's review pages in Chromium, against the real server and the seed thread.

The seed thread is imported as published; the comments under review are posted over the public
API as a reader would, with the seed's slur text (tests/test_cli.py SLUR_COMMENT), and held by
the shipped engine. Each test signs in through the login form as a moderator would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from parley.domain.accounts import Role
from tests.admin import helpers as admin
from tests.admin.helpers import ADMIN_API, PASSWORD, create_user
from tests.browser.conftest import ARTIFACTS, THREAD, axe_violations
from tests.conftest import SEED_JSON
from tests.live import LiveServer
from tests.test_cli import SLUR_COMMENT

pytestmark = pytest.mark.browser

Serve = Callable[..., LiveServer]
NewPage = Callable[..., Any]
SEED = json.loads(SEED_JSON.read_text())["comments"]
SLUR_TEXT: str = SEED[SLUR_COMMENT - 1]["body"]
HELD_TEXT = f"Held for review. {SLUR_TEXT}"


@dataclass
class Console:
    server: LiveServer
    held: int  # a held reply to the seed's comment 7, with the slur text


@pytest.fixture
def console(serve: Serve) -> Iterator[Console]:
    """The seeded server with an owner, "olga", and one held comment."""
    server = serve()
    create_user(server.settings.database_url, "olga", Role.OWNER)
    held = post_held(server, HELD_TEXT, "Held Poster", parent=SEED[SLUR_COMMENT - 1]["parent"])
    yield Console(server, held)


def api(server: LiveServer) -> httpx.Client:
    """An owner's API session, to check what the pages did."""
    return admin.sign_in(server, "olga")


def held_queue(server: LiveServer) -> list[dict[str, Any]]:
    with closing(api(server)) as client:
        answer = client.get(f"{ADMIN_API}/queue", params={"queue": "held"})
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items


def post_held(server: LiveServer, body: str, name: str, parent: int | None = None) -> int:
    """A comment posted as a reader would, and held for review (202): its id."""
    sent = admin.send(server, body, THREAD, name=name, parent_id=parent, origin=server.url)
    made: int = admin.posted(sent, 202)["comment"]["id"]
    return made


def sign_in(page: Any, server: LiveServer, path: str = "/admin/") -> None:
    page.goto(server.url + path)
    page.get_by_label("User name").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url + path)


def item(page: Any, comment_id: int) -> Any:
    return page.locator(f"[data-items] > li.item[data-id='{comment_id}']")


def focus_item(page: Any, comment_id: int) -> None:
    """Moves with j from the first item to this one, as a moderator would."""
    page.locator("[data-items] > li.item").first.locator("[data-item]").focus()
    for _ in range(page.locator("[data-items] > li.item").count()):
        if page.evaluate("() => document.activeElement.closest('li.item')?.dataset.id") == str(
            comment_id
        ):
            return
        page.keyboard.press("j")
    raise AssertionError(f"comment {comment_id} is not in the list")


def focused_id(page: Any) -> str | None:
    found: str | None = page.evaluate("() => document.activeElement.closest('li.item')?.dataset.id")
    return found


def reader_sees(page: Any, text: str) -> Any:
    return page.locator("parley-comments article").filter(
        has=page.locator(":scope > .card", has_text=text[:40])
    )


def shot(page: Any, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=full_page)


# -- tests ----------------------------------------------------------------------------------
def test_a_held_comment_shows_its_verdict_and_is_approved_with_the_keyboard(
    console: Console, new_page: NewPage
) -> None:
    server, held_id = console.server, console.held
    second = post_held(server, f"Second one. {SLUR_TEXT}", "Second")
    (stored,) = [i for i in held_queue(server) if i["id"] == held_id]
    verdict = stored["verdict"]
    moderator, reader = new_page(1280), new_page()
    reader.goto(server.url + THREAD)
    reader.locator("parley-comments article").nth(12).wait_for()
    assert reader_sees(reader, HELD_TEXT).count() == 0

    sign_in(moderator, server)
    held = item(moderator, held_id)
    # The verdict exactly as stored: its action, model version, language, each reason.
    text = held.locator(".verdict").inner_text()
    assert f"Verdict: {verdict['action']}" in text
    assert verdict["model_version"] in text and (verdict["language"] or "unknown") in text
    for reason in verdict["reasons"]:
        assert (reason["label"] or reason["rule"] or "") in text
        if reason["score"] is not None:
            assert f"{reason['score']:.3f}" in text
    # The matched spans, marked in the text as the API's offsets say.
    marked = held.locator("[data-text] mark").all_inner_texts()
    assert verdict["highlight"], verdict
    assert marked == [stored["body_md"][a:b] for a, b in verdict["highlight"]]
    assert held.locator("[data-text]").inner_text() == stored["body_md"]
    # In context: the article's title links to its page, the parent's excerpt is shown.
    assert held.locator("h3 a").get_attribute("href") == stored["thread"]["url"]
    parent = stored["branch"][-1]
    assert held.locator("blockquote.parent").inner_text().startswith(parent["text"][:60])
    tab = moderator.locator(".tabs a[aria-current=page]").inner_text()
    assert tab.split() == ["Held", "2"]
    shot(moderator, "queue-1280")

    focus_item(moderator, held_id)
    moderator.keyboard.press("a")
    held.wait_for(state="detached")
    assert moderator.locator("[data-toast-text]").inner_text() == f"Approved: comment {held_id}."
    assert focused_id(moderator) == str(second)  # the next item has the focus
    assert moderator.locator(".tabs a[aria-current=page]").inner_text().split() == ["Held", "1"]
    moderator.locator("[data-live]").filter(has_text="Approved").wait_for(state="attached")
    # The reader's open widget hears of it (SSE) and offers it, without a reload.
    fresh = reader.locator("parley-comments button.fresh")
    fresh.wait_for()
    assert fresh.inner_text() == "1 new comment"
    fresh.click()
    reader_sees(reader, HELD_TEXT).first.wait_for()
    assert [i["id"] for i in held_queue(server)] == [second]


def test_reject_with_a_reason_bulk_select_and_undo(console: Console, new_page: NewPage) -> None:
    server = console.server
    made = [post_held(server, f"Poster {n}: {SLUR_TEXT}", f"Poster {n}") for n in range(3)]
    page = new_page(1280)
    sign_in(page, server)

    # r asks for a reason, and says that the author only sees a neutral message.
    focus_item(page, made[0])
    page.keyboard.press("r")
    dialog = page.get_by_role("dialog", name="Reject this comment")
    assert "neutral message" in dialog.inner_text()
    dialog.get_by_label("Reason").select_option("hate")
    dialog.get_by_label("Reason").press("Enter")
    item(page, made[0]).wait_for(state="detached")
    with closing(api(server)) as client:
        decided = client.get(f"{ADMIN_API}/comments/{made[0]}").json()
    assert decided["comment"]["status"] == "rejected"
    assert decided["decisions"][-1]["reason"] == "hate"

    # x selects the focused item; the bulk form acts on the selection; Undo puts it back.
    before = {i["id"] for i in held_queue(server)}
    focus_item(page, made[1])
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    selected = page.locator("[data-items] [data-select]:checked")
    assert selected.count() == 2
    chosen = {int(v) for v in selected.evaluate_all("boxes => boxes.map(b => b.value)")}
    assert page.locator("[data-selected-count]").inner_text() == "(2 selected)"
    page.get_by_label("Action", exact=True).select_option("approve")
    page.get_by_role("button", name="Apply to selected").click()
    page.locator("[data-toast-text]").filter(has_text="Approved: 2 comments.").wait_for()
    assert {i["id"] for i in held_queue(server)} == before - chosen
    shot(page, "undo-toast-1280")
    page.get_by_role("button", name="Undo").click()
    for comment_id in chosen:
        item(page, comment_id).wait_for()
    page.locator("[data-live]").filter(has_text="Undone: 2 comments put back.").wait_for(
        state="attached"
    )
    assert {i["id"] for i in held_queue(server)} == before

    # The audit page lists the decisions, filters them, and links the CSV.
    page.get_by_role("link", name="Audit").click()
    page.wait_for_url(f"{server.url}/admin/audit")
    rows = page.locator("table.audit tbody tr")
    actions = rows.locator("td:nth-child(3)").all_inner_texts()
    assert "comment.reject" in actions and actions.count("comment.approve") == 2
    assert all(who == "olga" for who in rows.locator("td:nth-child(2)").all_inner_texts())
    page.get_by_label("Action").fill("comment.reject")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/admin/audit?*action=comment.reject*")
    assert rows.locator("td:nth-child(3)").all_inner_texts() == ["comment.reject"]
    assert rows.locator("td:nth-child(5)").inner_text() == f"comment:{made[0]}"
    csv_link = page.get_by_role("link", name="Download CSV")
    assert csv_link.get_attribute("href") == f"{ADMIN_API}/audit.csv?action=comment.reject"
    csv = page.request.get(server.url + str(csv_link.get_attribute("href")))
    assert csv.status == 200 and f"comment:{made[0]}" in csv.text()
    assert "comment.approve" not in csv.text()


def test_help_keys_while_typing_and_the_comment_page(console: Console, new_page: NewPage) -> None:
    server, held_id = console.server, console.held
    page = new_page(1280, bypass_csp=True)  # axe is injected inline
    sign_in(page, server)
    # Typing in the search box decides nothing.
    page.get_by_label("Search").fill("")
    page.get_by_label("Search").press_sequentially("asrxb?")
    assert page.get_by_role("dialog").count() == 0
    assert [i["id"] for i in held_queue(server)] == [held_id]
    # ? lists the keys; Escape closes it and gives the focus back.
    focus_item(page, held_id)
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    keys = help_dialog.locator("dt").all_inner_texts()
    assert keys[:7] == ["j / k", "a", "r", "s", "b", "x", "Enter"] and "?" in keys
    shot(page, "help-1280")
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    assert help_dialog.is_hidden()
    page.wait_for_function(  # the focus goes back where it was
        "id => document.activeElement.closest('li.item')?.dataset.id === id", arg=str(held_id)
    )
    # Enter opens the comment in context.
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/admin/comments/{held_id}")
    assert page.get_by_role("heading", level=1).inner_text() == f"Comment {held_id} in context"
    # There, a decision shows at once in its decisions, and the buttons follow the status.
    page.get_by_role("button", name="Approve").click()
    decided = page.locator("section[aria-labelledby=decisions-title] tbody tr")
    decided.first.wait_for()
    assert decided.inner_text().split("\t")[1:3] == ["olga", "approve"]
    assert page.locator("[data-status-badge]").text_content() == "published"
    assert page.get_by_role("button", name="Approve").count() == 0
    page.get_by_role("button", name="Undo").click()
    page.get_by_role("button", name="Approve").wait_for()
    assert decided.locator("td").nth(2).inner_text() == "approve (undone)"


def test_new_arrivals_show_as_a_pill_that_loads_them(console: Console, new_page: NewPage) -> None:
    server, held_id = console.server, console.held
    page = new_page(1280)
    page.clock.install()  # the queue is polled every 15 s: the test moves the page's clock
    sign_in(page, server)
    pill = page.locator("[data-new-pill]")
    page.clock.run_for(16_000)
    assert pill.is_hidden()  # nothing new yet
    arrived = post_held(server, f"Arrived later: {SLUR_TEXT}", "Latecomer")
    page.clock.run_for(16_000)
    pill.filter(has_text="1 new").wait_for()
    assert item(page, arrived).count() == 0
    pill.click()
    item(page, arrived).wait_for()
    assert pill.is_hidden()
    assert focused_id(page) == str(arrived)
    assert [li.get_attribute("data-id") for li in page.locator("[data-items] > li").all()] == [
        str(arrived),
        str(held_id),
    ]
    assert page.locator(".tabs a[aria-current=page]").inner_text().split() == ["Held", "2"]


def test_the_author_drawer_notes_and_a_ban(console: Console, new_page: NewPage) -> None:
    server = console.server
    made = post_held(server, SLUR_TEXT + " Once more.", "Drawer Author")
    page = new_page(1280, bypass_csp=True)  # axe is injected inline
    sign_in(page, server)
    opener = item(page, made).get_by_role("button", name="Drawer Author")
    opener.click()
    drawer = page.get_by_role("dialog", name="Drawer Author")
    drawer.get_by_text("Approval rate").wait_for()
    assert "nothing decided yet" in drawer.inner_text()
    drawer.get_by_label("Add a note").fill("Posts the same slur from several names.")
    drawer.get_by_role("button", name="Save the note").click()
    drawer.get_by_text("Posts the same slur from several names.").wait_for()
    shot(page, "drawer-1280")
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    assert drawer.is_hidden()
    page.wait_for_function("() => document.activeElement.textContent.trim() === 'Drawer Author'")
    # b asks before it bans; the drawer then shows the ban in force.
    focus_item(page, made)
    page.keyboard.press("b")
    ask = page.get_by_role("dialog", name="Ban this author?")
    ask.get_by_role("button", name="Ban").click()
    page.locator("[data-toast-text]").filter(has_text="is banned").wait_for()
    opener.click()
    drawer.get_by_text("in force").wait_for()
    assert "ban by account, in force" in drawer.inner_text()


def test_the_queue_works_without_javascript(console: Console, new_page: NewPage) -> None:
    server, held_id = console.server, console.held
    page = new_page(1280, java_script_enabled=False)
    sign_in(page, server)
    assert page.get_by_role("button", name="Keyboard shortcuts").count() == 0  # keys need JS
    held = item(page, held_id)
    held.get_by_role("button", name="Approve").click()
    page.get_by_role("status").filter(has_text="Approve: 1 comment.").wait_for()
    assert held.count() == 0
    page.get_by_role("button", name="Undo").click()
    page.get_by_role("status").filter(has_text="Undone: 1 comment put back.").wait_for()
    assert item(page, held_id).count() == 1
    page.get_by_label("Search").fill("label:nonsense")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("alert").inner_text().startswith("Unknown label 'nonsense'")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_pages_pass_axe_and_are_photographed(
    console: Console, new_page: NewPage, scheme: str
) -> None:
    server, held_id = console.server, console.held
    later = post_held(server, f"Someone: {SLUR_TEXT}", "Someone")
    with closing(api(server)) as client:  # an entry for the audit page
        answer = client.post(f"{ADMIN_API}/comments/{later}/reject", json={"reason": "hate"})
        assert answer.status_code == 200, answer.text
    for width in (1280, 390):
        page = new_page(width, color_scheme=scheme, bypass_csp=True)  # axe is injected inline
        sign_in(page, server)
        item(page, held_id).wait_for()
        assert axe_violations(page) == []
        shot(page, f"queue-{scheme}-{width}", full_page=True)
        page.goto(f"{server.url}/admin/audit")
        assert page.locator("table.audit tbody tr").count() == 1
        assert axe_violations(page) == []
        shot(page, f"audit-{scheme}-{width}", full_page=True)
        page.goto(f"{server.url}/admin/comments/{held_id}")
        assert axe_violations(page) == []
        shot(page, f"comment-{scheme}-{width}", full_page=True)
