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

    @property
    def active(self) -> bool:
        return self.revoked_at is None


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
