"""API keys for the scoring API: created, listed, revoked, checked, rate-limited and counted."""

from __future__ import annotations

import asyncio
import hashlib
import math
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from parley.domain.scoring import ApiKey, KeyUsage
from parley.services.errors import InvalidInput, ServiceError, StorageUnavailable
from parley.services.limits import RequestCounter, SlidingWindows
from parley.storage.store import StoreError

KEY_PREFIX = "pk_"
_CACHE_SECONDS = 5.0  # a revoked key stops working within this long on every instance
# A worker may count up to this share of a key's quota ahead and admit from memory: a few
# database writes per second for a busy key, instead of one per query.
LEASE_SHARE = 1 / 32


class KeyStorage(RequestCounter, Protocol):
    """What the API-key service needs of a storage engine."""

    async def add_api_usage(self, counts: dict[tuple[int, date], int]) -> None:
        """Add request counts per (key id, day)."""

    async def api_key_by_hash(self, key_hash: str) -> ApiKey | None: ...

    async def api_usage(self) -> list[KeyUsage]: ...

    async def create_api_key(self, name: str, prefix: str, key_hash: str, qps: float) -> ApiKey:
        """Raises StoreError when the name is taken."""

    async def list_api_keys(self) -> list[ApiKey]: ...

    async def revoke_api_key(self, name: str, when: datetime) -> bool: ...


class MissingKey(ServiceError):
    pass


class InvalidKey(ServiceError):
    pass


class QuotaExceeded(ServiceError):
    def __init__(self, message: str, retry_after: float, method: str = "analyze") -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.method = method


# Each method has its own quota line, as Perspective's analysis and suggestion requests had.
METHODS = ("analyze", "suggestscore")


@dataclass(frozen=True, slots=True)
class NewKey:
    key: ApiKey
    secret: str  # shown once, never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _quota_window(qps: float) -> tuple[float, int]:
    """A key's limit per sliding window and the window in seconds: one second, or as long
    as it takes a fractional quota to allow one query (0.5 qps: one per 2 s)."""
    period = max(1, math.ceil(1 / qps))
    return max(1.0, qps * period), period


class ApiKeyService:
    def __init__(
        self,
        store: KeyStorage,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._clock = clock
        self._known: dict[str, tuple[float, ApiKey | None]] = {}
        # Counted in the database, so every worker and instance shares each key's quota.
        self._quotas = SlidingWindows(store, wall_clock, lease_share=LEASE_SHARE)
        self._unsaved: Counter[tuple[int, date]] = Counter()
        self._pending: dict[str, asyncio.Future[ApiKey | None]] = {}

    async def create(self, name: str, qps: float) -> NewKey:
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidInput("a key needs a name of 1 to 100 characters", field="name")
        if qps <= 0:
            raise InvalidInput("qps must be positive", field="qps")
        secret = KEY_PREFIX + secrets.token_urlsafe(30)
        try:
            key = await self._store.create_api_key(name, secret[:10], _hash(secret), qps)
        except StoreError as error:
            raise InvalidInput(str(error), field="name") from error
        return NewKey(key, secret)

    async def all(self) -> list[ApiKey]:
        return await self._store.list_api_keys()

    async def usage(self) -> list[KeyUsage]:
        await self.flush_usage()
        return await self._store.api_usage()

    async def revoke(self, name: str) -> None:
        if not await self._store.revoke_api_key(name, datetime.now(UTC)):
            raise InvalidInput(f"no active key named {name!r}", field="name")

    async def admit(self, secret: str | None, method: str = "analyze") -> ApiKey:
        """The key behind a request, after its rate limit for `method` (each method has its
        own); counts the request."""
        if not secret:
            raise MissingKey("The request is missing a valid API key.")
        key = await self._lookup(secret)
        if key is None or not key.active:
            raise InvalidKey("API key not valid. Please pass a valid API key.")
        limit, period = _quota_window(key.qps)
        # analyze keeps the key's first line, "apikey:ID:1s"; the others are apart. (Both
        # have the same period, so forgetting old slices by the shorter prefix is harmless.)
        family = f"apikey:{key.id}:" if method == "analyze" else f"apikey:{key.id}:{method}:"
        wait = await self._quotas.take(f"{family}{period}s", limit, period, family)
        if wait is not None:
            raise QuotaExceeded(
                f"Quota exceeded for quota metric '{method} requests' and limit "
                f"'{method} requests per second' of key {key.name!r}: {key.qps:g} per second",
                wait,
                method,
            )
        self._unsaved[(key.id, datetime.now(UTC).date())] += 1
        return key

    async def flush_usage(self) -> None:
        """Write the counted requests; called periodically and at shutdown."""
        counts, self._unsaved = dict(self._unsaved), Counter()
        await self._store.add_api_usage(counts)

    async def _lookup(self, secret: str) -> ApiKey | None:
        cached = self._known.get(secret)
        if cached is not None and self._clock() - cached[0] < _CACHE_SECONDS:
            return cached[1]
        # One database lookup per key at a time: a burst of requests shares it.
        pending = self._pending.get(secret)
        if pending is None:
            pending = self._pending[secret] = asyncio.ensure_future(self._fetch(secret))
            pending.add_done_callback(lambda _: self._pending.pop(secret, None))
        return await asyncio.shield(pending)

    async def _fetch(self, secret: str) -> ApiKey | None:
        try:
            key = await self._store.api_key_by_hash(_hash(secret))
        except Exception as error:  # the database, whatever its driver raised
            raise StorageUnavailable(f"the API key could not be checked: {error}") from error
        if len(self._known) > 10_000:
            self._known.clear()
        self._known[secret] = (self._clock(), key)
        return key
