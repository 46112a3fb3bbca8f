"""The article on a site's own page, fetched by the server (Coral reads its stories' pages too).

Only a page on one of the site's own origins is fetched (the owner set those), redirects only
within that origin, at most `MAX_PAGE_BYTES`, HTML only, within `FETCH_SECONDS`. The article is
the text of the page's first `<article>`, else its `<main>`, else its `<body>`, without
scripts, styles, navigation, headers, footers, asides and forms. (The comments are not in it:
the widget draws them in the reader's browser, not in the page the server reads.)
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

MAX_PAGE_BYTES = 2_000_000
FETCH_SECONDS = 2.0
_SKIPPED = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template"}
_BLOCKS = {"p", "div", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "blockquote"}


@dataclass(frozen=True, slots=True)
class PageArticle:
    title: str
    text: str


def page_url(origins: tuple[str, ...], key: str, url: str = "") -> str | None:
    """Where a thread's page is: its own URL when it lies on one of the site's origins, else
    the first web origin and the thread key (a page path)."""
    allowed = [o.rstrip("/") for o in origins if o.startswith(("http://", "https://"))]
    if url and _origin(url) in allowed:
        return url
    if not allowed or not key.startswith("/"):
        return None
    return allowed[0] + key


def fetch_article(url: str) -> PageArticle | None:
    """The page's article (blocking: run it in a thread), or None when the page cannot be
    read as HTML within the limits."""
    opener = urllib.request.build_opener(_SameOriginRedirects(_origin(url)))
    request = urllib.request.Request(url, headers={"User-Agent": "Parley article reader"})
    try:
        with opener.open(request, timeout=FETCH_SECONDS) as answer:
            if "html" not in answer.headers.get("Content-Type", ""):
                return None
            body = answer.read(MAX_PAGE_BYTES + 1)
            charset = answer.headers.get_content_charset() or "utf-8"
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if len(body) > MAX_PAGE_BYTES:
        return None
    return page_article(body.decode(charset, errors="replace"))


def page_article(html: str) -> PageArticle:
    """The title and article text of an HTML page (see the module's docstring)."""
    reader = _ArticleReader()
    reader.feed(html)
    reader.close()
    for part in ("article", "main", "body"):
        text = _paragraphs(reader.parts[part])
        if text:
            return PageArticle(reader.title.strip(), text)
    return PageArticle(reader.title.strip(), "")


def _paragraphs(chunks: list[str]) -> str:
    lines = (" ".join(line.split()) for line in "".join(chunks).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, origin: str) -> None:
        self._origin = origin

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if _origin(urllib.parse.urljoin(req.full_url, newurl)) != self._origin:
            return None  # a redirect off the site's origin is not followed
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _ArticleReader(HTMLParser):
    """Text inside the first <article>, <main> and <body>, skipping what is not content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.title = ""
        self._open: dict[str, int] = {"article": 0, "main": 0, "body": 0}
        self._done: set[str] = set()
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIPPED:
            self._skipping += 1
        elif tag in self._open and tag not in self._done:
            self._open[tag] += 1
        if tag in _BLOCKS:
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif self._open.get(tag):
            self._open[tag] -= 1
            if not self._open[tag]:
                self._done.add(tag)  # only the first of each is the article
        if tag in _BLOCKS:
            self._text("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self._text(data)

    def _text(self, data: str) -> None:
        for part, depth in self._open.items():
            if depth:
                self.parts[part].append(data)
