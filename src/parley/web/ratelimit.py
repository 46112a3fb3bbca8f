"""Per-IP limits on writes, answered with 429 and Retry-After."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class WriteLimiter:
    """A sliding window: at most `limit` writes per `period` seconds from one address."""

    def __init__(
        self, limit: int, period: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._period = period
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def retry_after(self, address: str) -> int | None:
        """Count one write; None when allowed, else the seconds until the next is."""
        if self._limit <= 0:
            return None
        now = self._clock()
        hits = self._hits.setdefault(address, deque())
        while hits and hits[0] <= now - self._period:
            hits.popleft()
        if len(hits) >= self._limit:
            return max(1, math.ceil(hits[0] + self._period - now))
        hits.append(now)
        if len(self._hits) > 50_000:
            self._forget_idle(now)
        return None

    def _forget_idle(self, now: float) -> None:
        idle = [a for a, hits in self._hits.items() if not hits or hits[-1] <= now - self._period]
        for address in idle:
            del self._hits[address]
