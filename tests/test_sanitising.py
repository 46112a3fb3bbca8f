"""Whatever a reader types, what Parley stores and serves is inert HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.services.importing import wordpress_comment_html
from parley.services.markup import render_markdown
from tests.live import LiveServer

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "data" / "xss-payloads.txt").read_text().splitlines()
    if line.strip()
]
_ACTIVE_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "img", "form", "input",
    "button", "link", "meta", "base", "body", "video", "audio", "source", "select", "textarea",
    "details", "marquee", "noscript", "isindex", "keygen", "xss", "frame", "frameset", "applet",
}  # fmt: skip
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")  # without one, a URL is relative and inert


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            value = html.unescape(value or "").strip().lower()
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "background"}:
                self.problems.append(f"attribute {name}")
            scheme = _SCHEME.match(value)
            if name in {"href", "src"} and scheme and not value.startswith(_SAFE_SCHEMES):
                self.problems.append(f"{name}={value!r}")
            if tag == "a" and name == "rel" and "noopener" not in value:
                self.problems.append("link without noopener")


def problems(rendered: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(rendered)
    inspector.close()
    return inspector.problems


def test_the_corpus_is_big_enough() -> None:
    assert len(PAYLOADS) >= 50


def test_the_inspector_catches_what_it_should() -> None:
    """The check itself can fail: unsanitised payloads are caught."""
    caught = [payload for payload in PAYLOADS if problems(payload)]
    assert len(caught) >= 45


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payloads_come_out_inert(payload: str) -> None:
    assert problems(render_markdown(payload)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_imported_payloads_come_out_inert(payload: str) -> None:
    assert problems(wordpress_comment_html(payload)) == []


def test_payloads_posted_over_http_are_served_inert(server: LiveServer) -> None:
    with server.client() as client:
        for payload in PAYLOADS:
            response = client.post(
                "/api/v1/comments", json={"thread": "/xss/", "body": payload, "name": payload[:80]}
            )
            assert response.status_code == 201, response.text
        served = client.get("/api/v1/comments", params={"thread": "/xss/"}).json()["comments"]
        assert len(served) == len(PAYLOADS)
        for comment in served:
            assert problems(comment["html"]) == [], comment["html"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("<>\"'=/:;&#()[]! \nascriptjvhrefonloadimgsvg")), max_size=120
    )
)
def test_any_text_renders_inert(text: str) -> None:
    assert problems(render_markdown(text)) == []


def test_plain_markdown_still_works() -> None:
    rendered = render_markdown("**bold**, _em_, `code`, [link](https://example.org)\n\n> quote")
    assert "<strong>bold</strong>" in rendered and "<em>em</em>" in rendered
    assert "<code>code</code>" in rendered and "<blockquote>" in rendered
    assert 'href="https://example.org"' in rendered and 'rel="nofollow' in rendered
