"""Request limits per address, counted in the database so every worker and instance shares them."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Protocol

from parley.services.errors import StorageUnavailable
from parley.storage.store import StoreError


class LimitKind(StrEnum):
    """Each kind of request is counted apart, so that voting never stops a post."""

    POSTS = "posts"
    VOTES = "votes"
    EDITS = "edits"  # edits and deletions
    PREVIEWS = "previews"


class RequestCounter(Protocol):
    async def count_request(self, key: str, window_start: int) -> int: ...

    async def forget_request_counts(self, before: int) -> int: ...


class RateLimits:
    """At most `limit` requests of a kind per address in each fixed window of `period` s."""

    def __init__(
        self,
        counter: RequestCounter,
        limit: int,
        period: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._counter = counter
        self._limit = limit
        self._period = max(1, period)
        self._clock = clock
        self._forgot_before = 0

    async def retry_after(self, kind: LimitKind, address: str) -> int | None:
        """Count one request; None when allowed, else the seconds until the next one is."""
        if self._limit <= 0:
            return None
        now = self._clock()
        window_start = int(now // self._period) * self._period
        try:
            if window_start > self._forgot_before:  # once per window and process
                self._forgot_before = window_start
                await self._counter.forget_request_counts(window_start)
            count = await self._counter.count_request(f"{kind}:{address}", window_start)
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error
        if count <= self._limit:
            return None
        return max(1, math.ceil(window_start + self._period - now))
