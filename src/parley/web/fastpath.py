"""Anonymous reads of a cached thread, answered before the framework is involved.

Most traffic is readers loading the first page of a thread nobody has changed since it was last
serialised. Those requests need a version check and the cached bytes, nothing more; everything
else (the first read, later pages, reads with a valid author token, bad input, every write)
falls through to the Litestar handlers, which also fill the cache. A token that does not verify
reads as no token. Measured in bench/read_path.py: see the closing notes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import parse_qs

from parley.domain.comments import SortOrder
from parley.domain.text import control_character
from parley.services.reading import DEFAULT_PAGE, MAX_PAGE
from parley.services.runtime import Runtime
from parley.web.asgi import ASGIApp, Message, Receive, Scope, Send
from parley.web.cache import PUBLIC_READ_CACHE_CONTROL, READ_VARY, PageKey, ThreadCache

THREAD_PATH = "/api/v1/comments"
_SORTS = frozenset(order.value for order in SortOrder)
_BASE_HEADERS = [
    (b"content-type", b"application/json"),
    (b"cache-control", PUBLIC_READ_CACHE_CONTROL.encode()),
    (b"vary", READ_VARY.encode()),
]
_log = logging.getLogger("parley.web")


def _request_headers(scope: Scope) -> dict[bytes, bytes]:
    wanted = (b"origin", b"x-author-token", b"if-none-match")
    return {name: bytes(value) for name, value in scope["headers"] if name in wanted}


def _page_wanted(query_string: bytes) -> PageKey | None:
    """The thread, sort, limit and cursor of a plain read, or None to let the handler decide.

    The site is filled in later (0 here); anything unusual is the handler's to answer.
    """
    query = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    if set(query) - {"thread", "sort", "limit", "after"} or any(
        len(v) != 1 for v in query.values()
    ):
        return None
    thread = query.get("thread", [""])[0]
    sort = query.get("sort", [SortOrder.OLDEST.value])[0]
    limit = query.get("limit", [str(DEFAULT_PAGE)])[0]
    after = query.get("after", [""])[0]
    if not 1 <= len(thread) <= 500 or sort not in _SORTS or control_character(thread):
        return None
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_PAGE or len(after) > 200:
        return None
    if query.get("after") == [""] or not after.isascii():
        return None
    return (0, thread, sort, int(limit), after)


def _proves_an_author(rt: Runtime, headers: dict[bytes, bytes]) -> bool:
    """Whether the request carries a valid author token (whose read is the author's alone).

    Checked here, a signature and nothing more, so that junk tokens get the cached answer
    rather than a read of the whole thread each.
    """
    token = headers.get(b"x-author-token")
    if not token:
        return False
    assert rt.comments is not None
    return rt.comments.viewer_key(token.decode("latin-1")) is not None


def cached_threads(app: ASGIApp, runtime: Callable[[], Runtime], cache: ThreadCache) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == THREAD_PATH:
            headers = _request_headers(scope)
            wanted = _page_wanted(scope["query_string"])
            if wanted is not None and not _proves_an_author(runtime(), headers):
                try:
                    answer = await _cached_answer(runtime(), cache, headers, wanted)
                except Exception:  # the handler below answers it, as a problem
                    _log.debug("cached read failed; the handler answers", exc_info=True)
                    answer = None
                if answer is not None:
                    for message in answer:
                        await send(message)
                    return
        await app(scope, receive, send)

    return handle


async def _cached_answer(
    rt: Runtime, cache: ThreadCache, headers: dict[bytes, bytes], wanted: PageKey
) -> list[Message] | None:
    """The messages of the cached answer, or None to leave the request to the handler."""
    assert rt.sites is not None and rt.comments is not None
    origin = headers.get(b"origin")
    site = rt.sites.for_origin(origin.decode("latin-1") if origin else None) or rt.sites.default
    _, thread, sort, limit, after = wanted
    version = await rt.comments.thread_version(site, thread)
    cached = cache.get((site.id, thread, sort, limit, after), version)
    if cached is None:
        return None
    etag = cached.etag.encode()
    not_modified = headers.get(b"if-none-match") == etag
    body = b"" if not_modified else cached.body
    return [
        {
            "type": "http.response.start",
            "status": 304 if not_modified else 200,
            "headers": [*_BASE_HEADERS, (b"etag", etag), (b"content-length", b"%d" % len(body))],
        },
        {"type": "http.response.body", "body": body},
    ]
