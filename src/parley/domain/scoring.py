"""Keys and feedback of the Perspective-compatible scoring API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    name: str
    prefix: str
    qps: float
    created_at: datetime
    revoked_at: datetime | None = None
    site_id: int | None = None  # whose suggestions its callers send; None: keys made before
    per_day: int | None = None  # comments:analyze requests per UTC day; None: no daily quota
    suggest_per_day: int | None = None  # comments:suggestscore requests per UTC day
    cors_origins: tuple[str, ...] = ()  # browser pages that may call with it, beyond the global

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def daily_quota(self, method: str) -> int | None:
        """The requests per UTC day `method` may make with this key; None: no daily quota."""
        return self.suggest_per_day if method == "suggestscore" else self.per_day


@dataclass(frozen=True, slots=True)
class KeyUsage:
    key_name: str
    day: date
    requests: int


@dataclass(frozen=True, slots=True)
class ScoreFeedback:
    key_id: int
    text: str | None
    attribute_scores: dict[str, float]
    languages: tuple[str, ...]
    community_id: str | None
    client_token: str | None
    created_at: datetime
    site_id: int | None = None  # the key's site


@dataclass(frozen=True, slots=True)
class KeyChanges:
    """What a key is made with or changed to (`parley apikey create`, `set-quota`); None
    leaves a field as it is, the `no_` flags remove a daily quota."""

    qps: float | None = None
    site_id: int | None = None
    per_day: int | None = None
    suggest_per_day: int | None = None
    no_per_day: bool = False  # remove the daily quota of comments:analyze
    no_suggest_per_day: bool = False
    cors_origins: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class StoredSuggestion:
    """A suggestion as a moderator reviews it: what was suggested, by which key, for which site."""

    id: int
    key_name: str
    site_name: str | None
    text: str | None
    attribute_scores: dict[str, object]
    languages: tuple[str, ...]
    community_id: str | None
    client_token: str | None
    created_at: datetime
