"""Anonymous reads of a cached thread, answered before the framework is involved.

Most traffic is readers loading a thread nobody has changed since it was last serialised. Those
requests need a version check and the cached bytes, nothing more; everything else (the first
read, personalised reads, bad input, every write) falls through to the Litestar handlers,
which also fill the cache. Measured in bench/read_path.py: see the closing notes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import parse_qs

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from parley.domain.comments import SortOrder
from parley.domain.text import control_character
from parley.services.runtime import Runtime
from parley.web.cache import PUBLIC_READ_CACHE_CONTROL, READ_VARY, ThreadCache

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


def _thread_and_sort(query_string: bytes) -> tuple[str, str] | None:
    """The one thread key and sort of a plain read, or None to let the handler decide."""
    query = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    threads, sorts = query.get("thread", []), query.get("sort", [SortOrder.OLDEST.value])
    if len(threads) != 1 or len(sorts) != 1 or set(query) - {"thread", "sort"}:
        return None
    thread, sort = threads[0], sorts[0]
    if not 1 <= len(thread) <= 500 or sort not in _SORTS or control_character(thread):
        return None
    return thread, sort


def cached_threads(app: ASGIApp, runtime: Callable[[], Runtime], cache: ThreadCache) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == THREAD_PATH:
            headers = _request_headers(scope)
            wanted = _thread_and_sort(scope["query_string"])
            if wanted is not None and b"x-author-token" not in headers:
                try:
                    answer = await _cached_answer(runtime(), cache, headers, *wanted)
                except Exception:  # the handler below answers it, as a problem
                    _log.debug("cached read failed; the handler answers", exc_info=True)
                    answer = None
                if answer is not None:
                    for message in answer:
                        await send(message)
                    return
        await app(scope, receive, send)

    return handle  # type: ignore[return-value]


async def _cached_answer(
    rt: Runtime,
    cache: ThreadCache,
    headers: dict[bytes, bytes],
    thread: str,
    sort: str,
) -> list[Message] | None:
    """The messages of the cached answer, or None to leave the request to the handler."""
    assert rt.sites is not None and rt.comments is not None
    origin = headers.get(b"origin")
    site = rt.sites.for_origin(origin.decode("latin-1") if origin else None) or rt.sites.default
    version = await rt.comments.thread_version(site, thread)
    cached = cache.get((site.id, thread, sort), version)
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
