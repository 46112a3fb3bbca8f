"""Thread reads a page at a time, from per-process snapshots checked against the thread's version.

A thread is read from the database once per version and kept here in display order, cut into
top-level branches for each sort that was asked for; every page after that (and every author's
read, which adds only the author's own held comments, fetched by a small query) is a slice.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from parley.domain.comments import (
    Branches,
    Comment,
    CommentStatus,
    PageKey,
    SortOrder,
    Thread,
    in_display_order,
    prune_tombstones,
)
from parley.services.errors import InvalidInput

DEFAULT_PAGE = 100  # top-level comments (each with all its replies) per page
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class ThreadPage:
    thread: Thread | None
    comments: Sequence[Comment]  # whole branches, in display order
    count: int  # the comments this reader can see in the whole thread, tombstones aside
    next: str | None  # the cursor of the next page; None on the last one


@dataclass(slots=True)
class Snapshot:
    """The public comments of one version of a thread."""

    version: int
    thread: Thread | None
    public: list[Comment]  # as stored: tombstones included, in no particular order
    _branches: dict[SortOrder, Branches] = field(default_factory=dict)
    _count: int | None = None
    _bytes: int | None = None

    @property
    def size(self) -> int:
        return len(self.public)

    @property
    def bytes(self) -> int:
        if self._bytes is None:
            self._bytes = sum(600 + 2 * (len(c.body_html) + len(c.body_md)) for c in self.public)
        return self._bytes

    def branches(self, order: SortOrder, own: Sequence[Comment] = ()) -> Branches:
        """The visible comments in `order`, with a reader's own held comments if any."""
        cut = self._branches.get(order)
        if cut is None:
            cut = self._branches[order] = _branches(self.public, order)
        return cut.with_own(own, order) if own else cut

    def count(self, own: Sequence[Comment] = ()) -> int:
        """The comments a reader sees in the whole thread, tombstones aside."""
        if self._count is None:
            shown = self.branches(SortOrder.OLDEST).comments
            self._count = sum(1 for c in shown if c.status is not CommentStatus.DELETED)
        return self._count + len(own)


def _branches(comments: Sequence[Comment], order: SortOrder) -> Branches:
    return Branches.of(in_display_order(prune_tombstones(comments), order), order)


SNAPSHOT_MIN_COMMENTS = 500  # shorter threads are read whole each time: it costs little


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Versioned)


class VersionedLRU(Generic[K, V]):
    """The latest value per key, good while its version holds; at most `max_bytes` in all, as
    `size` counts them, least recently used first out. A value over the whole budget is not
    kept."""

    def __init__(self, max_bytes: int, size: Callable[[V], int]) -> None:
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._max_bytes = max_bytes
        self._size = size
        self._held = 0

    def get(self, key: K, version: int) -> V | None:
        entry = self._entries.get(key)
        if entry is None or entry.version != version:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: K, value: V) -> V:
        self.discard(key)
        if self._size(value) > self._max_bytes:
            return value
        self._entries[key] = value
        self._held += self._size(value)
        while self._held > self._max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._held -= self._size(dropped)
        return value

    def discard(self, key: K) -> None:
        old = self._entries.pop(key, None)
        self._held -= self._size(old) if old is not None else 0


class Snapshots:
    """The latest snapshot of recently read long threads, at most about `max_bytes` in all.

    A snapshot's size is estimated from its comments' text; the objects around it add about as
    much again, so the budget counts each comment's text twice plus a fixed part.
    """

    def __init__(self, max_bytes: int = 8 << 20) -> None:
        self._kept: VersionedLRU[tuple[int, str], Snapshot] = VersionedLRU(
            max_bytes, lambda snapshot: snapshot.bytes
        )

    def get(self, site_id: int, key: str, version: int) -> Snapshot | None:
        return self._kept.get((site_id, key), version)

    def put(self, site_id: int, key: str, snapshot: Snapshot) -> Snapshot:
        if snapshot.size < SNAPSHOT_MIN_COMMENTS:
            self._kept.discard((site_id, key))
            return snapshot
        return self._kept.put((site_id, key), snapshot)


def encode_cursor(order: SortOrder, key: PageKey) -> str:
    text = json.dumps([order.value, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: SortOrder) -> PageKey:
    """The page key a cursor carries; InvalidInput for anything this server did not write."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        value = None
    if (
        not isinstance(value, list)
        or len(value) not in (3, 4)
        or value[0] not in {o.value for o in SortOrder}
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value[1:])
    ):
        raise InvalidInput("not a cursor this server gave out", field="after")
    if value[0] != order.value:
        raise InvalidInput(f"the cursor is for sort={value[0]}, not sort={order}", field="after")
    return tuple(float(n) for n in value[1:])
