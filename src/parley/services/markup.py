"""Markdown to safe HTML, once, at write time."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # CommonMark with raw HTML off: any tag a reader types shows as text.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; links get rel=nofollow."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def plain_text(html_text: str) -> str:
    """The words of an HTML fragment, for scoring: tags become spaces, entities characters."""
    return html.unescape(_TAG.sub(" ", html_text))


def render_markdown(source: str) -> str:
    return sanitize_html(_markdown().render(source)).strip()


_ARTICLE_TAGS = _TAGS | {"img", "figure", "figcaption", "span", "div"}


def sanitize_article(html: str) -> str:
    """Imported article bodies are HTML already; keep their structure, drop anything active."""
    return nh3.clean(
        html,
        tags=_ARTICLE_TAGS,
        attributes={**_ATTRIBUTES, "img": {"src", "alt", "width", "height"}},
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
