"""Requests per key, method and UTC day, counted in the database so that every worker and
instance shares one daily quota."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from parley.services.errors import StorageUnavailable
from parley.storage.store import StoreError

_DAY_SECONDS = 86_400
_LEASE_MOST = 10_000  # requests counted ahead at once, whatever the quota
_LEASE_SHARE = 64  # a lease is at most this fraction (1/64) of a daily quota
_SPENT_RECHECK_SECONDS = 1.0  # how long a worker trusts that a quota is used up


class DayCounter(Protocol):
    async def count_quota_day(self, key_id: int, method: str, day: date, amount: int) -> int: ...


@dataclass(slots=True)
class _Lease:
    """What this process holds of one key's daily count for one method."""

    day: date
    left: int = 0  # counted in the database, not yet admitted here
    spent_until: float = 0.0  # refuse without asking the database until then (clock seconds)


def lease_size(per_day: int, qps: float) -> int:
    """How many requests a worker counts ahead: about one second of the key's traffic, never
    more than a 64th of the day's quota, so a quota of a few hundred is counted one by one."""
    return max(1, min(_LEASE_MOST, per_day // _LEASE_SHARE, math.ceil(qps)))


class DailyQuotas:
    """At most `per_day` admitted requests per key and method in each UTC day, across processes.

    A worker counts a lease of requests in the database at once (never past the quota, as
    counted) and admits them from memory; `hand_back` returns what it did not use, so the
    count read by `parley apikey usage` is at most a few seconds' traffic ahead.
    """

    def __init__(self, counter: DayCounter, clock: Callable[[], float] = time.time) -> None:
        self._counter = counter
        self._clock = clock
        self._leases: dict[tuple[int, str], _Lease] = {}
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}

    async def take(self, key_id: int, method: str, per_day: int, lease: int) -> float | None:
        """Admit one request: None when admitted, else the seconds until the quota renews."""
        slot = (key_id, method)
        answer = self._from_memory(slot)
        if answer is not None:
            return answer or None
        lock = self._locks.setdefault(slot, asyncio.Lock())
        async with lock:  # one database trip per key, method and process at a time
            answer = self._from_memory(slot)
            if answer is not None:
                return answer or None
            try:
                return await self._count(slot, per_day, lease)
            except StoreError as error:
                raise StorageUnavailable(str(error)) from error

    async def hand_back(self) -> None:
        """Return the requests counted ahead and not used; called with the usage flush."""
        for (key_id, method), held in list(self._leases.items()):
            if held.left > 0:
                amount, held.left = held.left, 0
                try:
                    await self._counter.count_quota_day(key_id, method, held.day, -amount)
                except StoreError:
                    held.left += amount  # kept, and handed back next time
        today = self._today()
        self._leases = {slot: held for slot, held in self._leases.items() if held.day == today}
        self._locks = {slot: lock for slot, lock in self._locks.items() if lock.locked()}

    def _from_memory(self, slot: tuple[int, str]) -> float | None:
        """0.0 to admit a leased request, seconds to refuse a spent quota, None to ask."""
        held = self._leases.get(slot)
        if held is None or held.day != self._today():
            return None
        if held.left > 0:
            held.left -= 1
            return 0.0
        if self._clock() < held.spent_until:
            return self._until_tomorrow()
        return None

    async def _count(self, slot: tuple[int, str], per_day: int, lease: int) -> float | None:
        day = self._today()
        held = self._leases.get(slot)
        if held is None or held.day != day:
            held = self._leases[slot] = _Lease(day)
        wanted = max(1, min(lease, per_day))
        count = await self._counter.count_quota_day(*slot, day, wanted)
        granted = max(0, min(wanted, per_day - (count - wanted)))
        if granted < wanted:
            await self._counter.count_quota_day(*slot, day, granted - wanted)
        if granted:
            held.left += granted - 1
            return None
        held.spent_until = self._clock() + _SPENT_RECHECK_SECONDS
        return self._until_tomorrow()

    def _today(self) -> date:
        return datetime.fromtimestamp(self._clock(), UTC).date()

    def _until_tomorrow(self) -> float:
        return max(1.0, _DAY_SECONDS - self._clock() % _DAY_SECONDS)
