"""The widget's content, for every reader: what comments contain, honest messages, theme-derived
identicons, votes that can be taken back, and right-to-left pages (issue 12)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import pytest

from tests.browser.conftest import THREAD, axe_violations, screenshot
from tests.conftest import REPO
from tests.live import LiveServer, free_port

pytestmark = pytest.mark.browser

Serve = Callable[..., LiveServer]
NewPage = Callable[..., Any]
STATIC = REPO / "src" / "parley" / "widget" / "static"

RICH_COMMENT = """# My verdict on the film

Poster: [![Nanking poster](https://img.example/poster.png)](https://films.example/nanking)
and a still: ![soldiers at the gate](https://img.example/still.png)

Archive: https://archive.example/nanking?page=2

| source | year |
|---|---:|
| Rabe diary | 1937 |
"""


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


def write(page: Any, body: str) -> Any:
    form = page.locator("parley-comments .top form")
    form.locator("textarea").fill(body)
    return form


def font_px(locator: Any) -> float:
    return float(locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))


# -- 1. Nothing vanishes silently ------------------------------------------------------------


def test_images_links_tables_and_headings_in_a_comment(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page(width=1280)
    open_thread(page, server)
    write(page, RICH_COMMENT).locator("button[type=submit]").click()
    mine = comment(page, "My verdict on the film")
    mine.wait_for()
    body = mine.locator(":scope > .card .body")
    assert body.get_attribute("dir") == "auto"
    assert body.locator("img").count() == 0
    poster = body.get_by_role("link", name="image: Nanking poster")
    assert poster.get_attribute("href") == "https://films.example/nanking"
    assert "soldiers at the gate" in body.text_content()
    archive = body.get_by_role("link", name="https://archive.example/nanking?page=2")
    assert {"nofollow", "ugc", "noopener"} <= set(archive.get_attribute("rel").split())
    for link in body.locator("a").all():  # no empty, nameless links
        assert link.text_content().strip()
    # a comment's heading is never larger than the widget's own
    assert font_px(body.locator("h1")) <= font_px(page.locator("parley-comments h2"))
    cell = body.locator("td", has_text="Rabe diary")
    assert cell.evaluate("td => getComputedStyle(td).borderTopWidth") == "1px"
    number = body.locator("td", has_text="1937")
    assert number.evaluate("td => getComputedStyle(td).textAlign").endswith("right")
    mine.scroll_into_view_if_needed()
    screenshot(page, "rich-comment")
    assert axe_violations(page) == []


def test_the_preview_says_images_are_not_shown(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)
    form = write(page, "A map: ![the old city walls](https://img.example/map.png)")
    form.locator("[data-act=preview]").click()
    preview = form.locator(".preview")
    preview.locator("p", has_text="the old city walls").wait_for()
    assert preview.locator(".hint").text_content() == (
        "Images are not shown in comments: readers see their description instead."
    )
    assert preview.locator("img").count() == 0
    form.locator("[data-act=preview]").click()  # back to writing, then a text without images
    write(page, "Just words.")
    form.locator("[data-act=preview]").click()
    preview.locator("p", has_text="Just words.").wait_for()
    assert preview.locator(".hint").count() == 0


# -- 2. Honest messages ------------------------------------------------------------------------


def test_every_language_says_what_review_means_and_why_loading_failed() -> None:
    script = (STATIC / "parley.js").read_text()
    english = {k: re.search(rf"\b{k}: '([^']*)'", script) for k in ("held", "failed", "noimg")}
    assert all(english.values())
    for catalogue in sorted((STATIC / "i18n").glob("*.json")):
        strings = json.loads(catalogue.read_text())
        for key, match in english.items():
            assert match is not None
            assert strings.get(key) and strings[key] != match.group(1), (catalogue.name, key)


FOREIGN_PAGE = """<!doctype html><html lang="en"><head><title>Elsewhere</title>
<script src="{script}" defer></script></head><body><h1>A page on another site</h1>
<parley-comments thread="/reviews/nanking/" {attrs}></parley-comments></body></html>"""


def assert_one_styled_message(page: Any, text: str) -> None:
    widget = page.locator("parley-comments")
    widget.locator(".status", has_text=text).wait_for()
    visible = widget.evaluate(
        """w => [...w.shadowRoot.querySelectorAll('*')].filter((el) => el.checkVisibility()
            && !el.children.length && el.textContent.trim()).map((el) => el.tagName)"""
    )
    assert visible == ["SPAN", "BUTTON"]  # the message and its retry button, nothing else
    button = widget.locator(".status button")
    style = button.evaluate(
        """b => { const s = getComputedStyle(b);
            return {radius: s.borderRadius, font: s.fontFamily, weight: s.fontWeight}; }"""
    )
    assert style["radius"] == "8px" and "system-ui" in style["font"] and style["weight"] == "600"
    family = widget.locator(".status").evaluate("p => getComputedStyle(p).fontFamily")
    assert "system-ui" in family
    assert axe_violations(page) == []


@contextmanager
def foreign_site(page_html: str) -> Iterator[str]:
    """Another site on loopback (its own origin, not one the Parley server allows)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page_html.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}/page"
    finally:
        site.shutdown()
        site.server_close()
        thread.join()


def test_a_foreign_origin_gets_one_styled_message(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page(width=390)
    with foreign_site(
        FOREIGN_PAGE.format(script=f"{server.url}/widget/parley.js", attrs="")
    ) as url:
        page.goto(url)
        assert_one_styled_message(
            page,
            "The comments could not be loaded: the comment server did not answer, "
            "or does not serve this site.",
        )
        screenshot(page, "foreign-origin")


def test_a_server_that_is_down_gets_one_styled_translated_message(new_page: NewPage) -> None:
    """The script and catalogue come from the site (a cache, a CDN); the server is gone."""
    page = new_page(width=390)
    gone = f"http://127.0.0.1:{free_port()}"
    page.route(
        "http://site.test/page",
        lambda route: route.fulfill(
            body=FOREIGN_PAGE.format(script="/widget/parley.js", attrs=f'api="{gone}" lang="de"'),
            content_type="text/html",
        ),
    )
    page.route(
        "http://site.test/widget/parley.js",
        lambda route: route.fulfill(path=str(STATIC / "parley.js")),
    )
    page.route(
        "http://site.test/widget/i18n/de.json",
        lambda route: route.fulfill(path=str(STATIC / "i18n" / "de.json")),
    )
    page.route("http://site.test/widget/parley.css", lambda route: route.abort())
    page.goto("http://site.test/page")
    german = json.loads((STATIC / "i18n" / "de.json").read_text())["failed"]
    assert_one_styled_message(page, german)
    page.locator("parley-comments .status button").click()  # retrying says it once, again
    page.locator("parley-comments .status", has_text=german).wait_for()
    assert page.locator("parley-comments .status button").count() == 1
    screenshot(page, "server-down")


# -- 3. Identicons and votes -----------------------------------------------------------------


def _channels(css: str) -> list[float]:
    """sRGB channels 0..1 from a computed colour: rgb(...) or color(srgb ...)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return [n / 255 for n in numbers[:3]] if css.startswith("rgb") else numbers[:3]


def _luminance(css: str) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _channels(css)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


AVATAR_COLOURS = """w => [...w.shadowRoot.querySelectorAll('.card:not(.gone) .av')].map((av) => {
    const s = getComputedStyle(av); return [s.backgroundColor, s.color]; })"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_identicons_take_their_colours_from_the_theme(
    serve: Serve, new_page: NewPage, scheme: str
) -> None:
    server = serve()
    page = new_page(width=390)
    page.emulate_media(color_scheme=scheme)
    open_thread(page, server)
    colours = page.locator("parley-comments").evaluate(AVATAR_COLOURS)
    assert len(colours) >= 10
    backgrounds = [_luminance(bg) for bg, _ in colours]
    assert len({bg for bg, _ in colours}) > 3  # still one hue per author
    if scheme == "dark":  # no bright dots on a dark page
        assert max(backgrounds) < 0.06, colours
    else:
        assert min(backgrounds) > 0.6, colours
    for background, (_, foreground) in zip(backgrounds, colours, strict=True):
        assert _contrast(background, _luminance(foreground)) >= 3, colours
    page.locator("parley-comments h2").evaluate("h => h.scrollIntoView()")
    screenshot(page, f"identicons-{scheme}")


def test_a_vote_is_remembered_and_taken_back_by_pressing_it_again(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    page = new_page()
    items = open_thread(page, server)
    first = items.first
    comment_id = int(first.get_attribute("data-id"))
    up = first.locator(":scope > .card [data-act=vote][data-value='1']")
    down = first.locator(":scope > .card [data-act=vote][data-value='-1']")
    score = first.locator(":scope > .card .score")

    def served_votes() -> int:
        with server.client() as client:
            listed = client.get("/api/v1/comments", params={"thread": THREAD}).json()
        return next(c["votes"] for c in listed["comments"] if c["id"] == comment_id)  # type: ignore[no-any-return]

    before = served_votes()
    up.click()
    first.locator(":scope > .card .score", has_text=str(before + 1)).wait_for()
    assert up.get_attribute("aria-pressed") == "true"
    page.reload()  # the reader's own vote is still shown as theirs
    items = open_thread(page, server)
    assert up.get_attribute("aria-pressed") == "true"
    assert down.get_attribute("aria-pressed") == "false"
    up.click()  # pressed again: taken back
    first.locator(":scope > .card .score", has_text=str(before)).wait_for()
    assert up.get_attribute("aria-pressed") == "false"
    assert served_votes() == before
    down.click()
    first.locator(":scope > .card .score", has_text=str(before - 1)).wait_for()
    assert down.get_attribute("aria-pressed") == "true"
    assert up.get_attribute("aria-pressed") == "false"
    assert served_votes() == before - 1
    assert score.text_content() == str(before - 1)


# -- 4. Right to left --------------------------------------------------------------------------

RTL_PAGE = """<!doctype html><html lang="{lang}" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{lang}</title>
<script src="/widget/parley.js" defer></script>
<style>body {{ max-width: 760px; margin: 0 auto; padding: 16px; font-family: system-ui; }}</style>
</head><body><h1>{title}</h1>
<parley-comments thread="/reviews/nanking/" lang="{lang}"></parley-comments></body></html>"""
TITLES = {"ar": "نانكينغ (2007) - مراجعة فيلم وثائقي", "he": "ננקינג (2007) - ביקורת סרט תיעודי"}

# Every visible thing a reader can press or type into, and where it is.
INTERACTIVE_BOXES = """w => [...w.shadowRoot.querySelectorAll(
        'a[href], button, input, textarea, select, [tabindex="0"]:not(article)')]
    .filter((el) => el.checkVisibility()).map((el) => { const r = el.getBoundingClientRect();
        return {what: `${el.tagName}.${el.className}[${el.dataset.act || ''}]`
                  + ` in ${el.closest('article')?.id || 'top'}`,
                x: r.left, y: r.top, w: r.width, h: r.height}; })"""


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if width > 0.5 and height > 0.5:
                pairs.append((a["what"], b["what"]))
    return pairs


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return found  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["ar", "he"])
def test_a_right_to_left_page_is_mirrored(
    serve: Serve, new_page: NewPage, lang: str, width: int
) -> None:
    server = serve()
    page = new_page(width=width)
    page.route(
        f"{server.url}/{lang}/",
        lambda route: route.fulfill(
            body=RTL_PAGE.format(lang=lang, title=TITLES[lang]), content_type="text/html"
        ),
    )
    items = open_thread(page, server, f"/{lang}/")
    widget = page.locator("parley-comments")
    assert widget.locator(".p").evaluate("p => getComputedStyle(p).direction") == "rtl"
    # the count, in the language's plural form and digits
    strings = json.loads((STATIC / "i18n" / f"{lang}.json").read_text())
    category, digits = page.evaluate(
        "lang => [new Intl.PluralRules(lang).select(13), new Intl.NumberFormat(lang).format(13)]",
        lang,
    )
    expected = strings["count"].get(category, strings["count"]["other"]).replace("{n}", digits)
    assert widget.locator("h2").text_content() == expected
    # relative times in the language, not English words
    times = widget.locator("time").all_text_contents()
    assert times and not any(re.search("[A-Za-z]", t) for t in times), times
    # thread lines (the fold buttons) on the right, under the parent's avatar
    line = box(items.first.locator(":scope > .kids > .fold"))
    face = box(items.first.locator(".av").first)
    assert abs(line["x"] + line["width"] / 2 - (face["x"] + face["width"] / 2)) < 1.5
    assert line["x"] > box(items.nth(1).locator(":scope > .card .av"))["x"]  # right of replies
    # the avatar sits at the start (right) of the name and never covers it
    for item in items.all()[:6]:
        face, name = (
            box(item.locator(":scope > .card .av")),
            box(item.locator(":scope > .card .name")),
        )
        assert face["x"] >= name["x"] + name["width"] - 0.5, (face, name)
    # nothing a reader can press lies on top of anything else
    assert overlapping(widget.evaluate(INTERACTIVE_BOXES)) == []
    screenshot(page, f"rtl-{lang}-{width}")
    widget.locator("article[data-depth='4']").first.scroll_into_view_if_needed()
    screenshot(page, f"rtl-{lang}-{width}-deep")
    assert axe_violations(page) == []


def test_right_and_left_arrows_follow_the_reading_direction(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    page = new_page()
    page.route(
        f"{server.url}/he/",
        lambda route: route.fulfill(
            body=RTL_PAGE.format(lang="he", title=TITLES["he"]), content_type="text/html"
        ),
    )
    open_thread(page, server, "/he/")
    expanded = page.locator(
        "parley-comments article:has(> .kids > .fold[aria-expanded=true])"
    ).first
    parent = page.locator(f"parley-comments #{expanded.get_attribute('id')}")
    parent.focus()
    page.keyboard.press("ArrowRight")  # in Hebrew, right is "out": the branch folds
    assert parent.locator(":scope > .kids > .fold").get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowLeft")  # and left is "in"
    assert parent.locator(":scope > .kids > .fold").get_attribute("aria-expanded") == "true"


def test_each_comment_takes_the_direction_of_its_own_text(serve: Serve, new_page: NewPage) -> None:
    server = serve()
    page = new_page()
    open_thread(page, server)  # an English, left-to-right page
    arabic = "شاهدت الفيلم مرتين، وهو مؤلم ومهم!"
    write(page, arabic).locator("button[type=submit]").click()
    body = comment(page, arabic).locator(":scope > .card .body")
    body.wait_for()
    assert body.evaluate("b => getComputedStyle(b).direction") == "rtl"
    english = comment(page, "Terry Chambers").first.locator(":scope > .card .body")
    assert english.evaluate("b => getComputedStyle(b).direction") == "ltr"
    # its text starts at the right edge: the end punctuation sits at the left
    text_box = body.evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b.firstChild);"
        " const t = r.getBoundingClientRect(), o = b.getBoundingClientRect();"
        " return [o.right - t.right, t.left - o.left]; }"
    )
    assert text_box[0] < 1 < text_box[1]


def test_english_times_read_in_order_on_a_right_to_left_page(
    serve: Serve, new_page: NewPage
) -> None:
    server = serve()
    page = new_page(width=390)
    page.route(
        f"{server.url}/en-rtl/",
        lambda route: route.fulfill(
            body=RTL_PAGE.format(lang="en", title="Nanking"), content_type="text/html"
        ),
    )
    open_thread(page, server, "/en-rtl/")
    widget = page.locator("parley-comments")
    assert widget.locator(".p").evaluate("p => getComputedStyle(p).direction") == "rtl"
    time = widget.locator("time").first
    assert re.fullmatch(r"\d+ years ago", time.text_content() or "")
    # "11 years ago", not "years ago 11": the number is drawn left of the words
    first, last = time.evaluate(
        """t => { const text = t.firstChild, r = document.createRange();
            const left = (i) => { r.setStart(text, i); r.setEnd(text, i + 1);
                                  return r.getBoundingClientRect().left; };
            return [left(0), left(text.length - 1)]; }"""
    )
    assert first < last
