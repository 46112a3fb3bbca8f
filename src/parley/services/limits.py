"""Request limits counted in the database, so every worker and instance shares them."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from parley.services.errors import StorageUnavailable
from parley.storage.store import StoreError

_STATES_KEPT = 10_000  # keys remembered per process before the stale ones are dropped
SLICES = 4  # each period is counted in this many slices
_LEASE_MOST = 10_000  # requests counted ahead at once, whatever the limit


class LimitKind(StrEnum):
    """Each kind of request is counted apart, so that voting never stops a post."""

    POSTS = "posts"
    VOTES = "votes"
    EDITS = "edits"  # edits and deletions
    PREVIEWS = "previews"
    REPORTS = "reports"  # readers' reports of comments


class RequestCounter(Protocol):
    async def count_request(self, key: str, window_start: int, amount: int = 1) -> int: ...

    async def request_counts(self, key: str, since: int) -> dict[int, int]: ...

    async def forget_request_counts(self, before: int, prefix: str = "") -> int: ...


@dataclass(slots=True)
class _Slice:
    """What this process knows of one key's current slice."""

    start: int  # Unix milliseconds
    earlier: list[int]  # the counts of the SLICES slices before, oldest first
    leased: int = 0  # requests counted ahead in the database and not yet admitted here
    blocked_until: float = 0.0  # refuse without asking the database until then


def _still_counted(count: int, elapsed: float) -> int:
    """Of `count` requests spread over a slice, those still inside the sliding period."""
    return max(0, math.ceil(count * (1 - elapsed)) - 1)


def _wait(counts: list[int], limit: float, elapsed: float, slice_seconds: float) -> float:
    """Seconds until one more request fits, if no other is admitted meanwhile.

    `counts` are the slices' counts, oldest first, ending with the current one.
    """
    counts = [*counts, 0]
    for ahead in range(len(counts)):
        oldest, rest = counts[ahead], sum(counts[ahead + 1 :])
        room = math.floor(limit - rest - 1)  # how many of the oldest slice may still count
        if room < 0:
            continue
        fade = 1 - (room + 1) / oldest if oldest > room + 1 else 0.0
        return max(0.0, ahead + fade - elapsed) * slice_seconds
    return len(counts) * slice_seconds  # a limit under one request: never, as near as may be


@dataclass(frozen=True, slots=True)
class _Answer:
    wait: float | None


class SlidingWindows:
    """At most about `limit` requests per key in any `period` seconds, across processes.

    Requests are counted in the database per key in slices of a `SLICES`th of the period.
    One is admitted while the count of the current slice and the whole ones before it inside
    the period, plus the share of the oldest slice that still lies inside it (as if that
    slice's requests were spread evenly, rounded down), stays within the limit: a burst at the
    end of one period is still counted at the start of the next. Refused requests are not
    counted. Slices older than a period are deleted once per period and family. (The even
    spread is an approximation: a client that bursts late in a slice and again a period later
    can get up to twice the limit within one period, the second half spread over a slice.)

    `lease_share` > 0 lets a process count up to that share of the limit at once and admit
    that many requests from memory during the slice (never past the limit as counted), so a
    busy key costs a few database writes per slice instead of one per request; a lease left
    unused when its slice ends is lost, which can only refuse more, never admit more.
    """

    def __init__(
        self,
        counter: RequestCounter,
        clock: Callable[[], float] = time.time,
        lease_share: float = 0.0,
    ) -> None:
        self._counter = counter
        self._clock = clock
        self._lease_share = lease_share
        self._slices: dict[str, _Slice] = {}
        self._forgotten: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def take(self, key: str, limit: float, period: int, family: str) -> float | None:
        """Admit one request of `key`: None when admitted, else the seconds until one would be.

        `family` is a prefix of `key` shared only by keys with the same period.
        """
        width = period * 1000 // SLICES
        answer = self._from_memory(key, width)
        if answer is not None:
            return answer.wait
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        # One database trip per key and process at a time: concurrent requests share a lease.
        async with lock:
            answer = self._from_memory(key, width)
            if answer is not None:
                return answer.wait
            now = self._clock()
            start = int(now * 1000 // width) * width
            try:
                current = self._slices.get(key)
                if current is None or current.start != start:
                    current = await self._enter(key, start, width, family)
                return await self._count(key, current, limit, now, width)
            except StoreError as error:
                raise StorageUnavailable(str(error)) from error

    def _from_memory(self, key: str, width: int) -> _Answer | None:
        """The answer this process can give without the database: a leased request, or a
        refusal while the key is known to be full."""
        now = self._clock()
        current = self._slices.get(key)
        if current is None or current.start != int(now * 1000 // width) * width:
            return None
        if current.leased > 0:
            current.leased -= 1
            return _Answer(None)
        if now < current.blocked_until:
            return _Answer(current.blocked_until - now)
        return None

    async def _enter(self, key: str, start: int, width: int, family: str) -> _Slice:
        oldest = start - SLICES * width
        if self._forgotten.get(family, oldest - width) <= oldest - width:
            self._forgotten[family] = start  # at most once per period
            await self._counter.forget_request_counts(oldest, family)
        if len(self._slices) >= _STATES_KEPT:
            self._slices = {k: s for k, s in self._slices.items() if s.start >= start}
            self._locks = {k: lock for k, lock in self._locks.items() if lock.locked()}
        counts = await self._counter.request_counts(key, oldest)
        earlier = [counts.get(oldest + n * width, 0) for n in range(SLICES)]
        current = self._slices[key] = _Slice(start, earlier)
        return current

    async def _count(
        self, key: str, current: _Slice, limit: float, now: float, width: int
    ) -> float | None:
        elapsed = (now * 1000 - current.start) / width
        oldest, *whole = current.earlier
        capacity = limit - _still_counted(oldest, elapsed) - sum(whole)
        wanted = max(1, min(_LEASE_MOST, int(limit * self._lease_share)))
        count = await self._counter.count_request(key, current.start, wanted)
        others = count - wanted
        granted = max(0, min(wanted, math.floor(capacity - others)))
        if granted < wanted:
            await self._counter.count_request(key, current.start, granted - wanted)
        if granted:
            current.leased = granted - 1
            return None
        wait = _wait([*current.earlier, others], limit, elapsed, width / 1000)
        current.blocked_until = now + max(0.001, wait)
        return max(0.001, wait)


class RateLimits:
    """At most about `limit` requests of a kind per address in any `period` seconds."""

    def __init__(
        self,
        counter: RequestCounter,
        limit: int,
        period: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._windows = SlidingWindows(counter, clock)
        self._limit = limit
        self._period = max(1, period)

    async def retry_after(self, kind: LimitKind, address: str) -> int | None:
        """Count one request; None when allowed, else the seconds until the next one is."""
        if self._limit <= 0:
            return None
        wait = await self._windows.take(
            f"{kind}:{address}", self._limit, self._period, family=f"{kind}:"
        )
        return None if wait is None else max(1, math.ceil(wait))
