"""Serialised thread answers kept per process, valid while the thread's version holds."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

# Every thread read is revalidated (ETag) on each use. Its answer depends on the site the
# Origin names and on the author token (an author sees their own held comments), so shared
# caches key on both, and an answer for one author is kept by their browser alone.
READ_VARY = "Origin, X-Author-Token"
PUBLIC_READ_CACHE_CONTROL = "no-cache"
PERSONAL_READ_CACHE_CONTROL = "private, no-cache"


@dataclass(frozen=True, slots=True)
class CachedBody:
    version: int
    etag: str
    body: bytes


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class ThreadCache:
    """A small LRU of JSON bodies keyed by (site, thread, sort), checked against versions."""

    def __init__(self, max_entries: int = 2048) -> None:
        self._entries: OrderedDict[tuple[int, str, str], CachedBody] = OrderedDict()
        self._max_entries = max_entries

    def get(self, key: tuple[int, str, str], version: int) -> CachedBody | None:
        entry = self._entries.get(key)
        if entry is None or entry.version != version:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[int, str, str], version: int, body: bytes) -> CachedBody:
        entry = CachedBody(version, etag_for(body), body)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return entry
