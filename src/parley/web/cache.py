"""Serialised pages of threads kept per process, valid while the thread's version holds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from parley.services.reading import VersionedLRU

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


PageKey = tuple[int, str, str, int, str]  # site, thread, sort, limit, cursor ("" for the first)


class ThreadCache:
    """A small LRU of JSON pages keyed by (site, thread, sort, limit, cursor), checked against
    the thread's version; at most `max_bytes` of bodies in all."""

    def __init__(self, max_bytes: int = 64 << 20) -> None:
        self._kept: VersionedLRU[PageKey, CachedBody] = VersionedLRU(
            max_bytes, lambda entry: len(entry.body)
        )

    def get(self, key: PageKey, version: int) -> CachedBody | None:
        return self._kept.get(key, version)

    def put(self, key: PageKey, version: int, body: bytes) -> CachedBody:
        return self._kept.put(key, CachedBody(version, etag_for(body), body))
