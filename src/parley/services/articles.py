"""The article a thread's comments are judged against (topicality, derailment).

It comes from the site: an owner sets it (console API or `parley thread article`), an import
brings it, or, where the site allows it (`article_from_page`), it is read from the thread's
page: the widget sends the text of the element its `data-article` names with a thread's first
comment, or else the server fetches the page from the site's own origin (services/pages.py).
Either is kept only while the thread has none: a poster never replaces an article that is there.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from parley.domain.accounts import Staff
from parley.domain.comments import Site, Thread
from parley.domain.review import AuditEntry
from parley.services.audit import AuditService
from parley.services.comments import checked_thread_key
from parley.services.errors import InvalidInput, NotAllowed, NotFound, StorageUnavailable
from parley.services.markup import plain_text, sanitize_article
from parley.services.pages import fetch_article, page_url
from parley.storage.articles import article_store
from parley.storage.store import Store, StoreError

MAX_ARTICLE = 200_000  # characters of an article an owner sets (HTML or text)
MAX_PAGE_ARTICLE = 20_000  # characters of a page's text the widget sends
MAX_TITLE = 500
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class ArticleStorage(Protocol):
    async def article_from_page(self, site_id: int) -> bool | None: ...

    async def set_article_from_page(self, site_id: int, on: bool) -> bool: ...

    async def offer_article(self, site_id: int, key: str, article_html: str) -> bool: ...


class ThreadStore(Protocol):
    async def get_site(self, site_id: int) -> Site | None: ...

    async def get_thread(self, site_id: int, key: str) -> Thread | None: ...

    async def ensure_thread(
        self, site_id: int, key: str, title: str, url: str = "", article_html: str = ""
    ) -> Thread: ...


@dataclass(frozen=True, slots=True)
class ArticleSource:
    """What an owner sends: a title (optional) and the article as HTML or as plain text."""

    title: str | None = None
    html: str | None = None
    text: str | None = None


def text_as_html(text: str) -> str:
    """Plain text as escaped paragraphs: the article column holds HTML."""
    paragraphs = (p.strip() for p in _PARAGRAPH_BREAK.split(text.strip()))
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)


def article_html(source: ArticleSource) -> str:
    """The sanitised article `source` describes; InvalidInput unless exactly one of html and
    text holds words, within MAX_ARTICLE characters."""
    given = (("html", source.html), ("text", source.text))
    sent = [(name, value) for name, value in given if value is not None]
    if len(sent) != 1:
        raise InvalidInput("send the article as either html or text (one of them)", "html")
    name, value = sent[0]
    if len(value) > MAX_ARTICLE:
        raise InvalidInput(f"{name} is longer than {MAX_ARTICLE:,} characters", name)
    cleaned = sanitize_article(value) if name == "html" else text_as_html(value)
    if not plain_text(cleaned).strip():
        raise InvalidInput(f"{name} holds no text", name)
    return cleaned


def _title(title: str | None) -> str:
    title = (title or "").strip()
    if len(title) > MAX_TITLE or any(not c.isprintable() for c in title):
        raise InvalidInput(f"title: one line of at most {MAX_TITLE} characters", "title")
    return title


class ArticleService:
    def __init__(self, store: ThreadStore, articles: ArticleStorage, audit: AuditService) -> None:
        self._store = store
        self._articles = articles
        self._audit = audit

    async def set_article(
        self, staff: Staff | None, site_id: int, key: str, source: ArticleSource
    ) -> Thread:
        """An owner's (or the command line's, `staff` None) article for a thread, created if
        need be; audited with the lengths before and after, not the text."""
        if staff is not None and not staff.is_owner:
            raise NotAllowed("only an owner may set a thread's article")
        key = checked_thread_key(key)
        title, cleaned = _title(source.title), article_html(source)
        try:
            if await self._store.get_site(site_id) is None:
                raise NotFound(f"no site {site_id}")
            before = await self._store.get_thread(site_id, key)
            thread = await self._store.ensure_thread(site_id, key, title, "", cleaned)
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error
        await self._audit.record(
            AuditEntry(
                staff.user_id if staff else None,
                site_id,
                "thread.article",
                f"thread:{thread.id}",
                _summary(before),
                _summary(thread),
            )
        )
        return thread

    async def thread(self, site_id: int, key: str) -> Thread:
        """The thread with its article; NotFound when there is none by that key."""
        try:
            found = await self._store.get_thread(site_id, key)
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error
        if found is None:
            raise NotFound(f"no thread {key!r} on site {site_id}")
        return found

    async def offer_from_page(self, site: Site, key: str, text: str) -> bool:
        """The page's text a widget sent with a post: kept as the thread's article when the
        site allows it and the thread has none; whether it was kept. Never refuses the post:
        anything not kept is dropped."""
        text = text.strip()[:MAX_PAGE_ARTICLE]
        if not text:
            return False
        try:
            key = checked_thread_key(key)
        except InvalidInput:
            return False  # the post itself says what is wrong with its thread
        try:
            if not await self._articles.article_from_page(site.id):
                return False
            return await self._articles.offer_article(site.id, key, text_as_html(text))
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error

    async def fetch_from_page(self, site: Site, key: str) -> bool:
        """With the site's leave (`article_from_page`), a thread without an article gets the one
        on its own page (services/pages.py), before its post is judged; whether it got one. A
        page is asked for at most once an hour per thread and process, so a site whose pages
        cannot be read costs its readers a wait once, not on every post."""
        try:
            key = checked_thread_key(key)
        except InvalidInput:
            return False  # the post itself says what is wrong with its thread
        if not _PAGES_ASKED.due((site.id, key)):
            return False
        try:
            if not await self._articles.article_from_page(site.id):
                return False
            thread = await self._store.get_thread(site.id, key)
            if thread is not None and plain_text(thread.article_html).strip():
                return False
            url = page_url(site.origins, key, thread.url if thread else "")
            found = await asyncio.to_thread(fetch_article, url) if url else None
            if found is None or not found.text:
                return False
            text = found.text[:MAX_PAGE_ARTICLE]
            kept = await self._articles.offer_article(site.id, key, text_as_html(text))
            if kept and found.title and (thread is None or not thread.title):
                await self._store.ensure_thread(site.id, key, found.title[:MAX_TITLE])
            return kept
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error

    async def article_from_page(self, site_id: int) -> bool:
        try:
            found = await self._articles.article_from_page(site_id)
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error
        if found is None:
            raise NotFound(f"no site {site_id}")
        return found

    async def set_article_from_page(self, staff: Staff | None, site_id: int, on: bool) -> None:
        """Whether the site keeps page text the widget sends (owners; `staff` None: the CLI)."""
        if staff is not None and not staff.is_owner:
            raise NotAllowed("only an owner may change where articles come from")
        was = await self.article_from_page(site_id)
        try:
            await self._articles.set_article_from_page(site_id, on)
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error
        await self._audit.record(
            AuditEntry(
                staff.user_id if staff else None,
                site_id,
                "site.article_from_page",
                f"site:{site_id}",
                {"article_from_page": was},
                {"article_from_page": on},
            )
        )


class _Asked:
    """When each thread's page was last asked for, in this process (bounded: oldest out)."""

    def __init__(self, every: float = 3600.0, most: int = 10_000) -> None:
        self._every, self._most = every, most
        self._when: OrderedDict[tuple[int, str], float] = OrderedDict()

    def due(self, thread: tuple[int, str]) -> bool:
        """Whether to ask now (and, if so, noted as asked)."""
        now = time.monotonic()
        last = self._when.get(thread)
        if last is not None and now - last < self._every:
            return False
        self._when[thread] = now
        self._when.move_to_end(thread)
        while len(self._when) > self._most:
            self._when.popitem(last=False)
        return True


_PAGES_ASKED = _Asked()


def article_service(store: Store, audit: AuditService) -> ArticleService:
    """The service over the store `storage.factory.open_store` opened (stateless: cheap)."""
    return ArticleService(store, article_store(store), audit)


def _summary(thread: Thread | None) -> dict[str, object] | None:
    if thread is None:
        return None
    return {"title": thread.title, "article_chars": len(plain_text(thread.article_html))}
