"""The widget in a real browser: reading, writing, live updates, styles, keyboard, languages."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from parley.storage.factory import open_store
from tests.browser.conftest import THREAD, axe_violations, screenshot
from tests.conftest import SEED_JSON
from tests.live import LiveServer
from tests.test_cli import SLUR_COMMENT, seed_in_display_order

pytestmark = pytest.mark.browser

Serve = Callable[..., LiveServer]
NewPage = Callable[..., Any]

TREE_SHAPE = """() => [...document.querySelector('parley-comments').shadowRoot
    .querySelectorAll('article')].map(li => ({
        id: Number(li.dataset.id),
        depth: Number(li.dataset.depth),
        level: (function up(a) { return a ? 1 + up(a.parentElement.closest('article')) : 0; })(li),
        parent: Number(li.parentElement.closest('article')?.dataset.id) || null,
        name: li.querySelector('.name')?.textContent,
    }))"""
DEEP_FOCUS = """() => { let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return {act: el?.dataset.act || null, role: el?.getAttribute('role'),
            id: el?.dataset.id || null, tag: el?.tagName}; }"""


def open_thread(page: Any, server: LiveServer, path: str = THREAD) -> Any:
    page.goto(server.url + path)
    items = page.locator("parley-comments article")
    items.nth(12).wait_for()
    return items


def comment(page: Any, text: str) -> Any:
    """The comment (article) whose own card contains `text`."""
    return page.locator("parley-comments article").filter(
        has=page.locator(":scope > .card", has_text=text)
    )


def post(page: Any, body: str, name: str = "") -> None:
    form = page.locator("parley-comments .top form")
    form.locator("textarea").fill(body)
    if name:
        form.locator("input[name=name]").fill(name)
    form.locator("button[type=submit]").click()


def test_the_seed_thread_renders_with_its_nesting(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    shape = page.evaluate(TREE_SHAPE)
    expected = seed_in_display_order()
    assert [c["name"] for c in shape] == [c["author"] for c in expected]
    assert [c["depth"] for c in shape] == [c["depth"] for c in expected]
    assert [c["level"] for c in shape] == [c["depth"] + 1 for c in expected]
    position = {c["id"]: i for i, c in enumerate(shape)}
    seed_position = {c["id"]: i for i, c in enumerate(expected)}
    assert [position.get(c["parent"]) for c in shape] == [
        seed_position.get(c["parent"]) for c in expected
    ]
    assert page.locator("parley-comments h2").text_content() == "13 comments"
    screenshot(page, "seed-thread", full_page=True)
    assert axe_violations(page) == []


def test_permalinks_scroll_to_and_highlight_a_comment(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    items = open_thread(page, server)
    target = items.nth(9).get_attribute("id")
    page.goto(f"{server.url}{THREAD}#{target}")
    highlighted = page.locator(f"parley-comments #{target}.hl")
    highlighted.wait_for()
    assert page.evaluate(DEEP_FOCUS)["id"] == target[1:]
    assert highlighted.is_visible()


def test_posting_a_comment_and_a_reply_at_depth_five(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page(width=360)
    open_thread(page, server)
    post(page, "A **fine** film; I watched it twice.", name="Ada")
    mine = comment(page, "I watched it twice")
    mine.wait_for()
    assert mine.locator(".name").first.text_content() == "Ada"
    assert mine.locator("strong").text_content() == "fine"
    deep = comment(page, "If you speak of Japan")  # a seed comment at depth 4
    assert deep.get_attribute("data-depth") == "4"
    deep.locator(":scope > .card [data-act=reply]").click()
    deep.locator(":scope > .slot textarea").fill("Both sides have archives worth reading.")
    deep.locator(":scope > .slot button[type=submit]").click()
    reply = comment(page, "archives worth reading")
    reply.wait_for()
    assert reply.get_attribute("data-depth") == "5"
    parent = reply.evaluate("li => li.parentElement.closest('article').dataset.id")
    assert parent == deep.get_attribute("data-id")
    assert page.locator("parley-comments h2").text_content() == "15 comments"
    screenshot(page, "phone-deep-reply")
    with server.client() as client:
        served = client.get("/api/v1/comments", params={"thread": THREAD}).json()["comments"]
    assert [c["depth"] for c in served if "archives" in c["html"]] == [5]


KEEP_ONLY_TOKEN = """() => { const kept = {};
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith('parley:'))) {
        const token = JSON.parse(localStorage.getItem(key)).token;
        localStorage.setItem(key, JSON.stringify({token}));
        kept[key] = token;
    }
    return kept; }"""


def test_editing_and_deleting_within_the_window(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    post(page, "First draft of my **thoughts**.")
    comment(page, "First draft").wait_for()
    # The browser keeps only the author token: the Markdown and the window come from the server.
    kept = page.evaluate(KEEP_ONLY_TOKEN)
    assert list(kept) == [f"parley:{server.url}"] and all(kept.values())
    page.reload()
    mine = comment(page, "First draft")
    mine.locator("[data-act=edit]").click()
    editor = mine.locator(":scope > .slot textarea")
    assert editor.input_value() == "First draft of my **thoughts**."
    editor.fill("Second draft, *better*.")
    mine.locator(":scope > .slot button[type=submit]").click()
    edited = comment(page, "Second draft")
    edited.locator(".tag").wait_for()
    assert edited.locator("em").text_content() == "better"
    edited.scroll_into_view_if_needed()
    screenshot(page, "edited")
    edited.locator("[data-act=del]").click()
    edited.locator("[data-act=del]").click()  # the second click confirms
    edited.wait_for(state="detached")
    assert page.locator("parley-comments h2").text_content() == "13 comments"


def test_editing_from_another_page_with_the_same_token(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    first, second = new_page(), new_page()
    open_thread(first, server)
    post(first, "Posted here, *edited* there.")
    comment(first, "Posted here").wait_for()
    token = first.evaluate(KEEP_ONLY_TOKEN)[f"parley:{server.url}"]
    open_thread(second, server)
    assert comment(second, "Posted here").locator("[data-act=edit]").count() == 0
    second.evaluate(
        "([key, token]) => localStorage.setItem(key, JSON.stringify({token}))",
        [f"parley:{server.url}", token],
    )
    second.reload()
    mine = comment(second, "Posted here")
    mine.locator("[data-act=edit]").click()
    editor = mine.locator(":scope > .slot textarea")
    assert editor.input_value() == "Posted here, *edited* there."
    editor.fill("Posted here, **edited** there.")
    mine.locator(":scope > .slot button[type=submit]").click()
    comment(second, "Posted here").locator(".tag").wait_for()
    assert comment(second, "Posted here").locator("strong").text_content() == "edited"
    comment(first, "Posted here").locator("strong").wait_for()  # live, on the first page too


PREVIEWED = "Some **bold** words.\n\n- one\n- two\n\n<script>alert(1)</script> [a link](https://example.org/)"


def test_the_preview_is_rendered_by_the_server(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    form = page.locator("parley-comments .top form")
    form.locator("textarea").fill(PREVIEWED)
    toggle = form.locator("[data-act=preview]")
    with page.expect_request("**/api/v1/preview") as asked:
        toggle.click()
    assert asked.value.method == "POST"
    assert json.loads(asked.value.post_data or "{}") == {"body": PREVIEWED}
    preview = form.locator(".preview")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").text_content() == "bold"
    assert preview.locator("li").all_text_contents() == ["one", "two"]
    assert preview.locator("script").count() == 0
    assert toggle.text_content() == "Write"
    preview.scroll_into_view_if_needed()
    screenshot(page, "preview")
    shown = preview.inner_html()
    form.locator("button[type=submit]").click()
    posted = comment(page, "Some bold words")
    posted.wait_for()
    assert posted.locator(":scope > .card .body").inner_html() == shown  # exactly as posted
    assert form.locator("textarea").is_visible() and preview.is_hidden()
    # When the server cannot render it, the form says so and the draft is kept.
    page.route("**/api/v1/preview", lambda route: route.fulfill(status=503, body="down"))
    form.locator("textarea").fill("Draft **kept**.")
    toggle.click()
    failed = preview.locator("[role=alert]")
    failed.wait_for()
    assert failed.text_content() == "The preview could not be rendered. Try again."
    screenshot(page, "preview-failed")
    toggle.click()
    assert form.locator("textarea").input_value() == "Draft **kept**."


def test_editing_after_the_window_is_refused(serve: Serve, new_page: NewPage) -> None:
    server = serve(edit_window=2)
    page = new_page()
    open_thread(page, server)
    post(page, "Quick take.")
    mine = comment(page, "Quick take")
    mine.locator("[data-act=edit]").click()
    mine.locator(":scope > .slot textarea").fill("Quick take, revised.")
    mine.locator("[data-act=edit]").wait_for(state="detached")  # the window closes meanwhile
    mine.locator(":scope > .slot button[type=submit]").click()
    error = mine.locator(":scope > .slot [role=alert]")
    error.wait_for()
    assert error.text_content() == "The time for changing this comment is over."
    error.scroll_into_view_if_needed()
    screenshot(page, "edit-window-closed")


def test_voting(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    items = open_thread(page, server)
    first = items.first
    up = first.locator(":scope > .card [data-act=vote][data-value='1']")
    up.click()
    first.locator(":scope > .card .score", has_text="1").wait_for()
    assert up.get_attribute("aria-pressed") == "true"
    screenshot(page, "voted")


def test_live_updates_are_announced_to_a_reader_who_is_writing(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    reader, writer = new_page(), new_page()
    open_thread(reader, server)
    open_thread(writer, server)
    draft = reader.locator("parley-comments .top textarea")
    draft.fill("Half-written thought")
    post(writer, "Hello from the other tab.")
    news = reader.locator("parley-comments .fresh")
    news.wait_for()
    assert news.text_content() == "1 new comment"
    assert comment(reader, "other tab").count() == 0  # not inserted until asked for
    assert draft.input_value() == "Half-written thought"
    news.scroll_into_view_if_needed()
    screenshot(reader, "live-announced")
    news.click()
    comment(reader, "other tab").wait_for()
    assert reader.locator("parley-comments h2").text_content() == "14 comments"
    writer_first = writer.locator("parley-comments article").first
    writer_first.locator(":scope > .card [data-act=vote][data-value='1']").click()
    reader.locator("parley-comments article").first.locator(
        ":scope > .card .score", has_text="1"
    ).wait_for()  # votes update in place, no announcement


HOSTILE_PAGE = """<!doctype html><html><head><style>
  * { all: revert; box-sizing: content-box !important; }
  body { font: italic 31px/3 "Comic Sans MS", cursive; color: lime; background: #fde;
         text-transform: uppercase; letter-spacing: 6px; text-align: right; }
  div, p, li, ol, ul, form, textarea, input, button, a, h2 {
    display: inline !important; border: 4px dashed red !important; margin: 30px !important; }
</style><script src="/widget/parley.js" defer></script></head><body>
<section class="card">host section</section><button class="primary">host button</button>
<parley-comments thread="/reviews/nanking/" title="Nanking"></parley-comments>
</body></html>"""


def test_a_hostile_host_stylesheet_does_not_break_the_widget(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    page = new_page()
    page.route(
        f"{server.url}/hostile/",
        lambda route: route.fulfill(body=HOSTILE_PAGE, content_type="text/html"),
    )
    items = open_thread(page, server, "/hostile/")
    body = items.first.locator(".body").first
    style = body.evaluate(
        """el => { const s = getComputedStyle(el); return {size: s.fontSize, transform:
            s.textTransform, spacing: s.letterSpacing, style: s.fontStyle, display: s.display}; }"""
    )
    assert style == {
        "size": "15px", "transform": "none", "spacing": "normal", "style": "normal",
        "display": "block",
    }  # fmt: skip
    reply = items.first.locator(":scope > .card [data-act=reply]")
    assert reply.evaluate("b => getComputedStyle(b).borderTopStyle") == "none"
    # ... and the widget's styles stay inside it.
    host_button = page.locator("body > button.primary")
    assert host_button.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(11, 92, 173)"
    assert page.locator("body > section.card").evaluate("s => getComputedStyle(s).display") == (
        "block"
    )
    screenshot(page, "hostile-host", full_page=True)


def test_keyboard_only_reply(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(DEEP_FOCUS)["tag"] == "ARTICLE":
            break
    first = page.evaluate(DEEP_FOCUS)
    assert first["tag"] == "ARTICLE"
    page.keyboard.press("ArrowDown")
    second = page.evaluate(DEEP_FOCUS)
    assert second["tag"] == "ARTICLE" and second["id"] != first["id"]
    page.keyboard.press("Tab")  # into the comment's links and actions, one tab stop
    for _ in range(6):
        page.keyboard.press("ArrowRight")
        if page.evaluate(DEEP_FOCUS)["act"] == "reply":
            break
    assert page.evaluate(DEEP_FOCUS)["act"] == "reply"
    page.keyboard.press("Enter")
    assert page.evaluate(DEEP_FOCUS)["tag"] == "TEXTAREA"
    page.keyboard.press("Escape")  # closes the form, focus goes back to its button
    assert page.evaluate(DEEP_FOCUS)["act"] == "reply"
    page.keyboard.press("Enter")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Control+Enter")
    reply = comment(page, "Typed without a mouse")
    reply.wait_for()
    parent = reply.evaluate("li => li.parentElement.closest('article').dataset.id")
    assert parent == second["id"]
    assert page.evaluate(DEEP_FOCUS)["id"] == reply.get_attribute("data-id")
    screenshot(page, "keyboard-reply")


def test_dark_mode(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    page.emulate_media(color_scheme="dark")
    open_thread(page, server)
    heading = page.locator("parley-comments h2")
    assert heading.evaluate("h => getComputedStyle(h).color") == "rgb(230, 233, 236)"
    screenshot(page, "dark")
    assert axe_violations(page) == []


def test_errors_are_explained(serve: Serve, new_page: NewPage) -> None:
    server = serve(max_body=40, rate_limit=2)
    page = new_page()
    open_thread(page, server)
    alert = page.locator("parley-comments .top [role=alert]")
    post(page, "This comment runs on far longer than forty characters allow.")
    alert.filter(has_text="Your comment is too long: at most 40 characters.").wait_for()
    post(page, "Short and sweet.")
    comment(page, "Short and sweet").wait_for()
    post(page, "One more.")
    alert.filter(has_text="You are posting too fast. Try again in").wait_for()
    screenshot(page, "errors")


LOCALISED_PAGE = """<!doctype html><html lang="en"><head>
<script src="/widget/parley.js" defer></script></head><body>
<parley-count thread="/reviews/nanking/" lang="de"></parley-count>
<parley-comments thread="/reviews/nanking/" lang="ja"></parley-comments>
</body></html>"""


def test_languages_come_from_the_lang_attribute(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    page.route(
        f"{server.url}/ja/",
        lambda route: route.fulfill(body=LOCALISED_PAGE, content_type="text/html"),
    )
    open_thread(page, server, "/ja/")
    assert page.locator("parley-comments h2").text_content() == "13 件のコメント"
    page.locator("parley-count", has_text="13 Kommentare").wait_for()
    screenshot(page, "japanese")


def test_counts_on_the_index_page_take_one_request(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server.url + "/")
    page.locator("parley-count", has_text="13 comments").wait_for()
    assert sum("/api/v1/counts" in url for url in requests) == 1


PAGED_PAGE = """<!doctype html><html lang="en"><head>
<script src="/widget/parley.js" defer></script></head><body>
<parley-comments thread="/reviews/nanking/" page-size="3"></parley-comments>
</body></html>"""


def test_folding_sorting_and_showing_more(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    page.route(
        f"{server.url}/paged/",
        lambda route: route.fulfill(body=PAGED_PAGE, content_type="text/html"),
    )
    page.goto(f"{server.url}/paged/")
    items = page.locator("parley-comments article")
    more = page.locator("parley-comments .more")
    assert more.text_content() == "Show 1 more comment"  # whole threads: the first has 12
    assert items.count() == 12
    first = items.first
    fold = first.locator(":scope > .kids > .fold")
    fold.click()
    assert fold.text_content() == "Show 11 replies"
    assert fold.get_attribute("aria-expanded") == "false"
    assert not items.nth(1).is_visible()
    fold.click()
    assert items.nth(1).is_visible()
    more.click()
    assert items.count() == 13 and more.count() == 0
    page.locator("parley-comments [data-sort=newest]").click()
    page.locator("parley-comments [data-sort=newest][aria-pressed=true]").wait_for()
    assert items.first.locator(".name").first.text_content() == "Terry Chambers"


def test_a_held_comment_is_shown_to_its_author_only(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    author, reader = new_page(), new_page()
    open_thread(author, server)
    held_text = json.loads(SEED_JSON.read_text())["comments"][SLUR_COMMENT - 1]["body"]
    post(author, held_text)
    note = comment(author, held_text[:30]).locator(".note")
    note.wait_for()
    assert note.text_content() == (
        "Awaiting review: a moderator will read it soon. "
        "Until it is approved, only you can see it; then everyone can."
    )
    note.scroll_into_view_if_needed()
    screenshot(author, "held-for-review")
    open_thread(reader, server)
    assert reader.locator("parley-comments article").count() == 13


def _lock(database_url: str, key: str) -> None:
    async def lock() -> None:
        store = open_store(database_url)
        try:
            (site,) = await store.list_sites()
            assert await store.set_thread_locked(site.id, key, True)
        finally:
            await store.close()

    asyncio.run(lock())


def test_a_thread_locked_while_reading_explains_itself(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    with ThreadPoolExecutor(1) as worker:  # Playwright's event loop owns this thread
        worker.submit(_lock, server.settings.database_url, THREAD).result()
    post(page, "Posted just after the thread was locked.")
    alert = page.locator("parley-comments .top [role=alert]")
    alert.filter(has_text="This thread is locked").wait_for()
    page.reload()
    page.locator("parley-comments .top .locked", has_text="Comments are closed.").wait_for()
    assert page.locator("parley-comments form").count() == 0
    screenshot(page, "locked")


LONG_PAGE = """<!doctype html><html lang="en"><head>
<script src="/widget/parley.js" defer></script></head><body>
<parley-comments thread="/long/" page-size="40"></parley-comments>
</body></html>"""


def test_a_long_thread_arrives_a_page_at_a_time(serve: Serve, new_page: NewPage) -> None:
    server = serve(rate_limit=0)
    with server.client(headers={"Origin": server.url}) as client:
        for n in range(130):  # more top-level comments than the server's first page holds
            created = client.post("/api/v1/comments", json={"thread": "/long/", "body": f"n{n}"})
            assert created.status_code == 201
        first = client.get("/api/v1/comments", params={"thread": "/long/"}).json()
        assert len(first["comments"]) == 100 and first["next"]
    page = new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/v1/comments" in r.url else None)
    page.route(
        f"{server.url}/long/",
        lambda route: route.fulfill(body=LONG_PAGE, content_type="text/html"),
    )
    page.goto(f"{server.url}/long/")
    items = page.locator("parley-comments article")
    more = page.locator("parley-comments .more")
    items.nth(39).wait_for()
    assert items.count() == 40 and more.text_content() == "Show 90 more comments"
    for shown in (80, 100, 130):
        more.click()
        items.nth(shown - 1).wait_for()
        assert items.count() == shown
    assert more.count() == 0
    assert len([u for u in asked if "after=" in u]) == 1  # the second page, asked for once
    texts = [items.nth(n).locator(".body").text_content().strip() for n in (0, 99, 100, 129)]
    assert texts == ["n0", "n99", "n100", "n129"]


LONG_COMMENT = " ".join(
    f"Paragraph {n}: the diaries, the photographs and the interviews agree on the dates."
    for n in range(1, 13)
)
IN_WIDGET = "(s) => document.querySelector('parley-comments').shadowRoot.querySelector(s)"


def accessible(page: Any, selector: str) -> dict[str, Any]:
    """What Chromium itself hands assistive technology for an element of the widget."""
    cdp = page.context.new_cdp_session(page)
    try:
        expression = f"({IN_WIDGET})({json.dumps(selector)})"
        found = cdp.send("Runtime.evaluate", {"expression": expression})
        node = cdp.send(
            "Accessibility.getPartialAXTree",
            {"objectId": found["result"]["objectId"], "fetchRelatives": False},
        )["nodes"][0]
    finally:
        cdp.detach()
    return {key: node.get(key, {}).get("value") for key in ("role", "name", "description")}


def test_a_comment_is_named_by_its_author_and_time_not_its_text(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    assert accessible(page, ".tree") == {"role": "feed", "name": "Comments", "description": None}
    post(page, LONG_COMMENT, name="Ada")
    mine = comment(page, "Paragraph 12")
    mine.wait_for()
    when = mine.locator(":scope > .card .time").text_content()
    assert accessible(page, f"#{mine.get_attribute('id')}") == {
        "role": "article", "name": f"Ada, {when}", "description": None,
    }  # fmt: skip
    # A reply is named the same way, and described by whom it answers.
    deep = comment(page, "If you speak of Japan")
    parent = deep.evaluate("a => a.parentElement.closest('article').id")
    answered = page.locator(f"parley-comments #{parent} > .card .name").text_content()
    author = deep.locator(":scope > .card .name").text_content()
    when = deep.locator(":scope > .card .time").text_content()
    assert accessible(page, f"#{deep.get_attribute('id')}") == {
        "role": "article", "name": f"{author}, {when}", "description": f"replying to {answered}",
    }  # fmt: skip
    assert axe_violations(page) == []


def test_each_comment_says_its_place_in_its_feed(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    places = page.evaluate(
        """() => [...document.querySelector('parley-comments').shadowRoot
              .querySelectorAll('[role=feed]')].map((feed) =>
            [...feed.querySelectorAll(':scope > article')].map((a) =>
                [a.getAttribute('aria-posinset'), a.getAttribute('aria-setsize')]))"""
    )
    assert places, "no feed"
    for feed in places:  # 1..n of n in every feed, the thread's own included
        assert feed == [[str(i + 1), str(len(feed))] for i in range(len(feed))]
    assert any(len(feed) > 1 for feed in places[1:])  # a feed of replies with siblings


def test_page_down_and_up_move_between_comments_as_in_a_feed(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    page = new_page()
    items = open_thread(page, server)
    items.first.focus()
    page.keyboard.press("PageDown")
    assert page.evaluate(DEEP_FOCUS)["id"] == items.nth(1).get_attribute("data-id")
    page.keyboard.press("PageDown")
    assert page.evaluate(DEEP_FOCUS)["id"] == items.nth(2).get_attribute("data-id")
    page.keyboard.press("PageUp")
    assert page.evaluate(DEEP_FOCUS)["id"] == items.nth(1).get_attribute("data-id")
