"""Comment Markdown as readers get it: posted over HTTP, read back as the server's HTML.

Nothing a poster writes vanishes without a word: images leave their alt text, bare URLs become
safe links, and tables and headings survive for the widget to style.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from parley.services.markup import render_markdown
from tests.live import LiveServer

Start = Callable[..., LiveServer]


class _Anchors(HTMLParser):
    """Every <a> in a fragment: its attributes and its text; and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, Any]] = []
        self.tags: list[str] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.anchors.append(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def parse(html: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(html)
    return parser


def posted_html(client: httpx.Client, body: str) -> str:
    """Post a comment, then read the thread back and return that comment's HTML."""
    created = client.post("/api/v1/comments", json={"thread": "/markup/", "body": body})
    assert created.status_code == 201, created.text
    comment_id = created.json()["comment"]["id"]
    listed = client.get("/api/v1/comments", params={"thread": "/markup/"}).json()["comments"]
    return next(c["html"] for c in listed if c["id"] == comment_id)  # type: ignore[no-any-return]


def test_an_image_leaves_its_alt_text(start_unmoderated_server: Start) -> None:
    with start_unmoderated_server().client() as client:
        html = posted_html(client, "Look: ![a cat asleep on a mat](https://img.example/cat.png)")
    assert html == "<p>Look: a cat asleep on a mat</p>"
    assert "<img" not in html and "cat.png" not in html


def test_a_linked_image_becomes_a_link_named_after_it(start_unmoderated_server: Start) -> None:
    with start_unmoderated_server().client() as client:
        html = posted_html(
            client,
            "[![Nanking poster](https://img.example/p.png)](https://films.example/nanking) and "
            "[![](https://img.example/q.png)](https://films.example/other)",
        )
    anchors = parse(html).anchors
    assert [(a["href"], a["text"]) for a in anchors] == [
        ("https://films.example/nanking", "image: Nanking poster"),
        ("https://films.example/other", "image"),
    ]
    assert "<img" not in html


def test_an_image_without_alt_text_still_says_it_was_there() -> None:
    assert render_markdown("before ![](https://img.example/x.png) after") == (
        "<p>before image after</p>"
    )
    # the alt text's own formatting is reduced to its words, escaped
    assert render_markdown("![a *bold* <b>claim</b>](x.png)") == (
        "<p>a bold &lt;b&gt;claim&lt;/b&gt;</p>"
    )


def test_bare_urls_become_links_that_pass_no_credit(start_unmoderated_server: Start) -> None:
    with start_unmoderated_server().client() as client:
        html = posted_html(
            client,
            "Sources: https://archive.example/nanking?page=2, www.history.example/1937. "
            "Not links: setup.py, ann@example.org, ftp://files.example/x, javascript:alert(1)",
        )
    anchors = parse(html).anchors
    assert [(a["href"], a["text"]) for a in anchors] == [
        ("https://archive.example/nanking?page=2", "https://archive.example/nanking?page=2"),
        ("http://www.history.example/1937", "www.history.example/1937"),
    ]
    for anchor in anchors:
        assert {"nofollow", "ugc", "noopener"} <= set(anchor["rel"].split())
    assert "setup.py, ann@example.org, ftp://files.example/x, javascript:alert(1)" in html


def test_a_url_in_code_stays_text(start_unmoderated_server: Start) -> None:
    with start_unmoderated_server().client() as client:
        html = posted_html(client, "Run `curl https://api.example/v1` first.")
    assert parse(html).anchors == []
    assert "<code>curl https://api.example/v1</code>" in html


def test_headings_and_tables_are_kept_for_the_widget_to_style(
    start_unmoderated_server: Start,
) -> None:
    with start_unmoderated_server().client() as client:
        html = posted_html(client, "# Verdict\n\n| film | year |\n|---|---:|\n| Nanking | 2007 |\n")
    tags = parse(html).tags
    assert tags[0] == "h1"
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(tags)
    assert '<td align="right">2007</td>' in html


@pytest.mark.parametrize(
    "body",
    [
        "[![Poster](https://img.example/p.png)](https://films.example/)",
        "See https://archive.example/x and ![a map](https://img.example/m.png)",
    ],
)
def test_the_preview_renders_exactly_what_is_posted(
    start_unmoderated_server: Start, body: str
) -> None:
    with start_unmoderated_server().client() as client:
        preview = client.post("/api/v1/preview", json={"body": body})
        assert preview.status_code == 200
        assert preview.json()["html"] == posted_html(client, body)
