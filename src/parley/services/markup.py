"""Markdown to safe HTML, once, at write time, within a bounded time."""

from __future__ import annotations

import asyncio
import html
import re
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt

from parley.services.errors import MarkupTooComplex

# markdown-it-py is linear, but some constructs cost far more per character than prose: a run
# of unmatched `![` or `[` some 20 µs a character, against well under 1 µs for plain words
# (measured on 2 busy cores). Ten thousand characters of the worst stay under 0.3 s; the CPU
# budget bounds any length, and texts past RENDER_INLINE_BELOW render on worker threads.
RENDER_CPU_SECONDS = 1.0
RENDER_INLINE_BELOW = 1_000
RENDER_THREADS = 2
_BUDGET = "parley.render_deadline"
_CHECK_EVERY = 64  # parser steps between looks at the clock

_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[^>]+>")


class _Deadline:
    """The thread CPU time a render may reach, checked as the parser steps through the text."""

    __slots__ = ("at", "steps")

    def __init__(self, cpu_seconds: float) -> None:
        self.at = time.thread_time() + cpu_seconds
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps % _CHECK_EVERY == 0 and time.thread_time() > self.at:
            raise MarkupTooComplex(
                "this text's formatting takes too long to render; simplify it", field="body"
            )


# First in their chains, these rules run at every position the parser tries and never match.
def _inline_step(state: Any, silent: bool) -> bool:
    _step(state.env)
    return False


def _block_step(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    _step(state.env)
    return False


def _step(env: dict[str, Any]) -> None:
    deadline = env.get(_BUDGET)
    if deadline is not None:
        deadline.step()


def _image(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """Comments show no images, but nothing vanishes: an image becomes its alt text, and inside
    a link "image: alt", so the link keeps a name (an empty link is a focusable nothing)."""
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env).strip()
    depth = 0
    for token in tokens[:idx]:
        depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
    if depth > 0:
        return html.escape(f"image: {alt}" if alt else "image")
    return html.escape(alt or "image")


def _www_link(linkify: Any, match: Any) -> None:
    match.url = "http://" + match.url


def _linkifier(md: MarkdownIt) -> None:
    """Bare http(s) URLs and www. addresses become links; words that merely contain a dot (a
    file name like setup.py) do not, and neither do e-mail addresses, ftp or scheme-less URLs."""
    linkify: Any = md.linkify  # present: linkify-it-py is a dependency
    linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    linkify.add("ftp:", None)
    linkify.add("//", None)
    host_and_path = linkify.re["src_host_port_strict"] + linkify.re["src_path"]
    linkify.add("www.", {"validate": re.compile("^" + host_and_path, re.I), "normalize": _www_link})


def _table_alignment(state: Any) -> None:
    """Column alignment as the `align` attribute the sanitiser keeps, not an inline style."""
    for token in state.tokens:
        style = token.attrGet("style") if token.type in ("th_open", "td_open") else None
        if isinstance(style, str) and style.startswith("text-align:"):
            token.attrs.pop("style")
            token.attrSet("align", style.removeprefix("text-align:"))


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # CommonMark with raw HTML off: any tag a reader types shows as text.
    md = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(
        ["table", "strikethrough", "linkify"]
    )
    _linkifier(md)
    md.add_render_rule("image", _image)
    md.core.ruler.push("parley_table_alignment", _table_alignment)
    md.inline.ruler.before("text", "parley_deadline", _inline_step)
    md.block.ruler.before("table", "parley_deadline", _block_step)
    return md


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


def render_markdown(source: str, cpu_seconds: float = RENDER_CPU_SECONDS) -> str:
    """Safe HTML for a comment; MarkupTooComplex once rendering used `cpu_seconds` of CPU."""
    rendered = _markdown().render(source, {_BUDGET: _Deadline(cpu_seconds)})
    return sanitize_html(rendered).strip()


class MarkdownRenderer:
    """Renders comments without holding up the event loop for long.

    Short texts render in place; longer ones on a few worker threads, so a burst of costly
    texts queues there while reads go on. Every render stops at its CPU budget.
    """

    def __init__(
        self,
        cpu_seconds: float = RENDER_CPU_SECONDS,
        inline_below: int = RENDER_INLINE_BELOW,
        threads: int = RENDER_THREADS,
    ) -> None:
        self._cpu_seconds = cpu_seconds
        self._inline_below = inline_below
        self._workers = ThreadPoolExecutor(threads, thread_name_prefix="parley-render")

    async def render(self, source: str) -> str:
        if len(source) < self._inline_below:
            return render_markdown(source, self._cpu_seconds)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers, render_markdown, source, self._cpu_seconds)


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
