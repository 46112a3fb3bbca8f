"""API keys for the scoring API: created, listed, changed, revoked, checked, rate-limited per
second and per day, and counted."""

from __future__ import annotations

import asyncio
import hashlib
import math
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Protocol

from parley.domain.comments import Site
from parley.domain.scoring import ApiKey, KeyChanges, KeyUsage, StoredSuggestion
from parley.services.daily_quotas import DailyQuotas, DayCounter, lease_size
from parley.services.errors import InvalidInput, ServiceError, StorageUnavailable
from parley.services.limits import RequestCounter, SlidingWindows
from parley.services.sites import checked_origin
from parley.storage.store import StoreError

KEY_PREFIX = "pk_"
_CACHE_SECONDS = 5.0  # a revoked key stops working within this long on every instance
# A worker may count up to this share of a key's quota ahead and admit from memory: a few
# database writes per second for a busy key, instead of one per query.
LEASE_SHARE = 1 / 32


class KeyStorage(RequestCounter, DayCounter, Protocol):
    """What the API-key service needs of a storage engine."""

    async def add_api_usage(self, counts: dict[tuple[int, date], int]) -> None:
        """Add request counts per (key id, day)."""

    async def api_key_by_hash(self, key_hash: str) -> ApiKey | None: ...

    async def api_usage(self) -> list[KeyUsage]: ...

    async def create_api_key(
        self, name: str, prefix: str, key_hash: str, qps: float, settings: KeyChanges | None = None
    ) -> ApiKey:
        """Raises StoreError when the name is taken."""

    async def change_api_key(self, name: str, changes: KeyChanges) -> ApiKey | None: ...

    async def list_api_keys(self) -> list[ApiKey]: ...

    async def list_sites(self) -> list[Site]: ...

    async def quota_day_counts(self, day: date) -> dict[tuple[int, str], int]: ...

    async def score_suggestions(
        self, site_id: int | None, limit: int
    ) -> list[StoredSuggestion]: ...

    async def revoke_api_key(self, name: str, when: datetime) -> bool: ...


class MissingKey(ServiceError):
    pass


class InvalidKey(ServiceError):
    pass


# Each method has its own quota line, as Perspective's analysis and suggestion requests had:
# the name Google's quota errors gave it.
METHODS = {
    "analyze": "Analysis requests (AnalyzeComment)",
    "suggestscore": "Suggest score requests (SuggestCommentScore)",
}


class QuotaExceeded(ServiceError):
    """A key's quota for one method, per second or per day, is used up (Google's 429)."""

    def __init__(
        self, key: ApiKey, method: str, limit: float, retry_after: float, per: str = "second"
    ) -> None:
        metric = METHODS[method]
        super().__init__(
            f"Quota exceeded for quota metric '{metric}' and limit '{metric} per {per}' of "
            f"service 'commentanalyzer.googleapis.com' for consumer 'api_key:{key.name}'."
        )
        self.key = key
        self.method = method
        self.limit = limit
        self.retry_after = retry_after
        self.per = per


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
        self._days = DailyQuotas(store, wall_clock)
        self._wall_clock = wall_clock
        self._unsaved: Counter[tuple[int, date]] = Counter()
        self._pending: dict[str, asyncio.Future[ApiKey | None]] = {}
        self._any_origins: tuple[float, frozenset[str]] | None = None

    async def create(
        self,
        name: str,
        qps: float,
        site: str | None = None,
        settings: KeyChanges | None = None,
    ) -> NewKey:
        """A new key of `site` (by name; None: a key no site's moderators see suggestions of)
        with daily quotas and CORS origins as `settings` says."""
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidInput("a key needs a name of 1 to 100 characters", field="name")
        settings = await self._checked(replace(settings or KeyChanges(), qps=qps), site)
        secret = KEY_PREFIX + secrets.token_urlsafe(30)
        try:
            key = await self._store.create_api_key(
                name, secret[:10], _hash(secret), qps, replace(settings, qps=None)
            )
        except StoreError as error:
            raise InvalidInput(str(error), field="name") from error
        return NewKey(key, secret)

    async def change(self, name: str, changes: KeyChanges, site: str | None = None) -> ApiKey:
        """Change an active key's quotas, origins or site; servers apply it within seconds."""
        key = await self._store.change_api_key(name, await self._checked(changes, site))
        if key is None:
            raise InvalidInput(f"no active key named {name!r}", field="name")
        return key

    async def all(self) -> list[ApiKey]:
        return await self._store.list_api_keys()

    async def usage(self) -> list[KeyUsage]:
        await self.flush_usage()
        return await self._store.api_usage()

    async def used_today(self) -> dict[tuple[int, str], int]:
        """Requests counted today (UTC) against each key's daily quotas, by (key id, method);
        a running server may have counted a second's worth ahead, handed back within seconds."""
        await self.flush_usage()
        today = datetime.fromtimestamp(self._wall_clock(), UTC).date()
        return await self._store.quota_day_counts(today)

    async def sites(self) -> dict[int, str]:
        """Site names by id, to show whose a key is."""
        return {site.id: site.name for site in await self._store.list_sites()}

    async def suggestions(self, site: str | None, limit: int) -> list[StoredSuggestion]:
        """The newest suggested scores, of one site's keys or of all keys."""
        if limit < 1:
            raise InvalidInput("limit must be at least 1", field="limit")
        site_id = None if site is None else await self._site_id(site)
        return await self._store.score_suggestions(site_id, limit)

    async def cors_origins(self, secret: str | None) -> tuple[str, ...]:
        """The origins a key lets browser pages call from; none for a missing or invalid key.
        Read through the same short cache as `admit`, without counting a request."""
        if not secret:
            return ()
        key = await self._lookup(secret)
        return key.cors_origins if key is not None and key.active else ()

    async def origins_of_any_key(self) -> frozenset[str]:
        """Every active key's CORS origins: a preflight carries no `x-goog-api-key` header,
        so one with the key there is answered for any key's origin (the answer itself is
        then readable only from the origins of the key it used)."""
        cached = self._any_origins
        if cached is not None and self._clock() - cached[0] < _CACHE_SECONDS:
            return cached[1]
        try:
            keys = await self._store.list_api_keys()
        except Exception as error:  # the database, whatever its driver raised
            raise StorageUnavailable(f"the API keys could not be read: {error}") from error
        origins = frozenset(o for key in keys if key.active for o in key.cors_origins)
        self._any_origins = (self._clock(), origins)
        return origins

    async def _checked(self, changes: KeyChanges, site: str | None) -> KeyChanges:
        if changes.qps is not None and not (0 < changes.qps < math.inf):
            raise InvalidInput("qps must be positive", field="qps")
        for field, value in (
            ("per_day", changes.per_day),
            ("suggest_per_day", changes.suggest_per_day),
        ):
            if value is not None and value < 1:
                raise InvalidInput(f"{field} must be at least 1", field=field)
        origins = changes.cors_origins
        if origins is not None:
            origins = tuple(dict.fromkeys(checked_origin(origin) for origin in origins))
        site_id = None if site is None else await self._site_id(site)
        return replace(changes, cors_origins=origins, site_id=site_id)

    async def _site_id(self, name: str) -> int:
        found = {site.name: site.id for site in await self._store.list_sites()}
        if name not in found:
            raise InvalidInput(f"no site named {name!r}: add it with `parley site add`", "site")
        return found[name]

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
            raise QuotaExceeded(key, method, key.qps, wait)
        # After the rate: a request refused for going too fast takes nothing of the day's.
        per_day = key.daily_quota(method)
        if per_day is not None:
            lease = lease_size(per_day, key.qps)
            wait = await self._days.take(key.id, method, per_day, lease)
            if wait is not None:
                raise QuotaExceeded(key, method, per_day, wait, per="day")
        self._unsaved[(key.id, datetime.now(UTC).date())] += 1
        return key

    async def flush_usage(self) -> None:
        """Write the counted requests and hand back unused daily leases; called periodically
        and at shutdown."""
        counts, self._unsaved = dict(self._unsaved), Counter()
        await self._store.add_api_usage(counts)
        await self._days.hand_back()

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
