"""Reading deep threads with the widget (issue 12): thread lines that fold, "continue this thread",
long branches folded, one tab stop per comment, new replies shown where they belong; screenshots
of the demo and a 12-deep thread at phone and desktop widths, light and dark, both directions."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import AXE, THREAD, _seed_database
from tests.browser.test_widget_content import INTERACTIVE_BOXES, overlapping
from tests.conftest import make_settings, require
from tests.live import LiveServer, free_port

pytestmark = pytest.mark.browser

DEEP = "/deep/"
LIVE = "/live/"
REVIEW_SHOTS = Path("/tmp/widget-shots")
PAGE = """<!doctype html><html lang="en" dir="{dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>Reading</title>
<script src="/widget/parley.js" defer></script>
<style>body {{ max-width: 760px; margin: 0 auto; padding: 16px; font-family: system-ui; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #0d1117; color: #e6e9ec; }} }}</style>
</head><body><h1>Reading</h1><parley-comments thread="{thread}"></parley-comments></body></html>"""
DEEP_FOCUS = """() => { let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return {act: el?.dataset.act || el?.className || null, tag: el?.tagName,
            li: el?.closest('article')?.dataset.id || null}; }"""
SERIOUS_AXE = """async () => (await axe.run(document, {resultTypes: ['violations'],
        rules: {'target-size': {enabled: true}}})).violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))"""


def _post(client: httpx.Client, thread: str, body: str, parent: int | None = None) -> Any:
    sent = {"thread": thread, "title": "Reading", "body": body, "name": f"Reader {len(body)}"}
    answer = client.post("/api/v1/comments", json={**sent, "parent_id": parent})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _seed_deep_thread(client: httpx.Client) -> None:
    """A 12-deep chain (its depth-4 comment deleted), and a reply with a dozen answers."""
    parent, deleted = None, {}
    for depth in range(12):
        body = f"Level {depth}: the archive letters from 19{30 + depth} say more."
        made = _post(client, DEEP, body, parent)
        if depth == 5:  # once it has a reply, its parent goes (a tombstone stays)
            gone = client.delete(f"/api/v1/comments/{parent}", headers=deleted)
            assert gone.status_code < 300, gone.text
        parent = made["comment"]["id"]
        deleted = {"x-author-token": made["author_token"]}
    wide = _post(client, DEEP, "A second question about the film's sources.")["comment"]["id"]
    answer = _post(client, DEEP, "Which sources do you mean?", wide)["comment"]["id"]
    for n in range(12):
        _post(client, DEEP, f"Source number {n + 1}: the diary pages, volume {n + 2}.", answer)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module: the demo thread, the deep thread, a thread for live updates."""
    folder = tmp_path_factory.mktemp("reading")
    port = free_port()
    settings = make_settings(
        f"sqlite+aiosqlite:///{folder / 'parley.db'}",
        origins=(f"http://127.0.0.1:{port}",),
        demo_pages=True,
    )
    with ThreadPoolExecutor(1) as worker:
        worker.submit(_seed_database, settings).result()
    live = LiveServer(settings, port=port).start()
    with live.client(headers={"origin": live.url}) as client:
        _seed_deep_thread(client)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("widget-shots")
    REVIEW_SHOTS.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser_context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


def open_page(context: Any, server: LiveServer, thread: str, width: int, direction: str) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.route(
        f"{server.url}/reading/",
        lambda route: route.fulfill(
            body=PAGE.format(dir=direction, thread=thread), content_type="text/html"
        ),
    )
    page.goto(f"{server.url}/reading/")
    page.locator("parley-comments article").nth(5).wait_for()
    return page


def shoot(page: Any, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    shutil.copy(path, REVIEW_SHOTS / path.name)


def serious_axe(page: Any) -> list[dict[str, Any]]:
    require(AXE.exists(), f"{AXE} is missing (npm ci)")
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(SERIOUS_AXE)  # type: ignore[no-any-return]


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("thread", ["demo", "deep"])
def test_threads_read_without_overlap_in_every_layout(
    server: LiveServer, browser_context: Any, shots: Path, thread: str, width: int, direction: str
) -> None:
    page = open_page(
        browser_context, server, THREAD if thread == "demo" else DEEP, width, direction
    )
    widget = page.locator("parley-comments")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert overlapping(widget.evaluate(INTERACTIVE_BOXES)) == [], (scheme, thread)
        shoot(page, shots, f"{thread}-{width}-{scheme}-{direction}")
        assert serious_axe(page) == [], (scheme, thread)
    targets = widget.evaluate(
        """w => [...w.shadowRoot.querySelectorAll('.vote button, .fold, .actions button')]
            .filter((b) => b.checkVisibility()).map((b) => b.getBoundingClientRect())
            .map((r) => Math.min(r.width, r.height))"""
    )
    assert targets and min(targets) >= 24
    page.close()


def test_a_deep_branch_continues_on_its_own_and_long_branches_start_folded(
    server: LiveServer, browser_context: Any, shots: Path
) -> None:
    page = open_page(browser_context, server, DEEP, 390, "ltr")
    widget = page.locator("parley-comments")
    depths = [int(d) for d in widget.locator("article").evaluate_all(
        "items => items.filter((li) => li.checkVisibility()).map((li) => li.dataset.depth)"
    )]  # fmt: skip
    assert max(depths) == 5  # the site's default: six levels, then "continue this thread"
    after_deleted = widget.locator("article[data-depth='5']")
    assert after_deleted.locator(":scope > .card .re").count() == 0
    assert "Anonymous" not in (widget.text_content() or "")
    folded = widget.locator(".fold[aria-expanded=false]")
    assert folded.text_content() == "Show 12 replies"
    go = widget.locator("article[data-depth='5'] > .go")
    assert go.text_content() == "Continue this thread (6 replies)"
    go.click()
    branch = widget.locator("article")
    branch.nth(5).wait_for()
    assert branch.first.get_attribute("data-depth") == "5"
    assert branch.first.evaluate("a => a.parentElement.closest('article')") is None  # level 1
    assert branch.first.locator(":scope > .card .re").count() == 0  # its parent was deleted
    assert overlapping(widget.evaluate(INTERACTIVE_BOXES)) == []
    shoot(page, shots, "deep-390-continued")
    widget.locator("[data-act=all]").click()
    widget.locator("article[data-depth='0']").first.wait_for()
    assert widget.locator("[data-act=all]").is_hidden()
    folded.click()
    assert widget.locator(".body", has_text="Source number 12").is_visible()
    page.close()


def test_one_tab_stop_per_comment_and_arrows_reach_every_action(
    server: LiveServer, browser_context: Any
) -> None:
    page = open_page(browser_context, server, THREAD, 1280, "ltr")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(DEEP_FOCUS)["tag"] == "ARTICLE":
            break
    first = page.evaluate(DEEP_FOCUS)["li"]
    assert first
    page.keyboard.press("Tab")
    actions = page.locator(f"parley-comments #c{first} > .card").evaluate(
        "card => [...card.querySelectorAll('.meta a, .actions button')].length"
    )
    assert actions >= 5  # permalink, two votes, reply, report
    reached = []
    for _ in range(actions):
        focused = page.evaluate(DEEP_FOCUS)
        assert focused["li"] == first
        reached.append(focused["act"])
        page.keyboard.press("ArrowRight")
    assert len(set(reached)) == actions - 1  # both votes share data-act=vote
    assert page.evaluate(DEEP_FOCUS)["act"] == reached[0]  # round again
    page.keyboard.press("End")
    assert page.evaluate(DEEP_FOCUS)["act"] == reached[-1]
    page.keyboard.press("Tab")  # its replies' fold line, then the next comment
    assert page.evaluate(DEEP_FOCUS)["act"] == "fold"
    page.keyboard.press("Tab")
    assert page.evaluate(DEEP_FOCUS)["li"] not in (first, None)
    page.close()


def test_a_new_reply_is_marked_under_its_parent_in_another_browser(
    server: LiveServer, browser: Any
) -> None:
    with server.client(headers={"origin": server.url}) as client:
        root = _post(client, LIVE, "Where was the film shown first?")["comment"]["id"]
        child = _post(client, LIVE, "At a festival, I believe.", root)["comment"]["id"]
        for n in range(5):
            _post(client, LIVE, f"Another thought, number {n + 1}, on festivals.")
    reader = browser.new_context(viewport={"width": 390, "height": 700})
    reader.set_default_timeout(10_000)
    page = open_page(reader, server, LIVE, 390, "ltr")
    page.locator("parley-comments h2").evaluate("h => h.scrollIntoView()")
    with server.client(headers={"origin": server.url}) as client:
        _post(client, LIVE, "Berlin, in 2007.", child)
    widget = page.locator("parley-comments")
    marker = widget.locator(f"#c{child} > .newre")
    marker.wait_for()
    assert marker.text_content() == "1 new reply"
    assert widget.locator(".newre").count() == 1
    assert widget.locator(".fresh").text_content() == "1 new comment"
    assert widget.locator(".sr[aria-live=polite]").text_content() == "1 new comment"
    assert widget.locator("[aria-live]").count() == 1  # one live region
    marker.click()
    added = widget.locator(f"#c{child} article", has_text="Berlin, in 2007.")
    added.wait_for()
    assert widget.locator(".newre").count() == 0 and widget.locator(".fresh").count() == 0
    reader.close()
