"""The console's overview: per site and UTC day, what was posted and what became of it.

- posted: comments posted that day; split by their status now (published, flagged, held,
  rejected, deleted), so a held comment a moderator approved later counts as published.
- reported: reader reports filed that day.
- decided / median time to decision: comments a moderator decided on that day (their first
  decision not undone), and the median wait from posting to that decision.
- top labels: the labels of the verdicts' reasons that were not a plain publish, once per
  verdict; alerts: verdicts that carry a derailment alert. Counted on the day of the verdict
  (an edit is judged again).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import median
from typing import Protocol

from parley.domain.accounts import Staff
from parley.domain.comments import Site
from parley.moderation.policy import DERAILMENT_RULE
from parley.services.errors import InvalidInput, NotAllowed, NotFound, storing
from parley.storage.insights import DayCount, DecisionDelay, JudgedReasons

DEFAULT_DAYS = 30
MAX_DAYS = 366
TOP_LABELS = 10
OUTCOMES = ("published", "flagged", "held", "rejected", "deleted")
_OUTCOME_OF_STATUS = {
    "published": "published",
    "flagged": "flagged",
    "pending": "held",
    "rejected": "rejected",
    "deleted": "deleted",
}


class InsightStorage(Protocol):
    async def daily_comments(self, site_ids: Sequence[int], since: datetime) -> list[DayCount]: ...

    async def decision_delays(
        self, site_ids: Sequence[int], since: datetime
    ) -> list[DecisionDelay]: ...

    async def judged_reasons(
        self, site_ids: Sequence[int], since: datetime
    ) -> list[JudgedReasons]: ...


class SiteList(Protocol):
    async def list_sites(self) -> list[Site]: ...


@dataclass(slots=True)
class DayStats:
    day: str  # YYYY-MM-DD, UTC
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    reported: int = 0
    decided: int = 0
    median_decision_seconds: float | None = None
    alerts: int = 0

    @property
    def posted(self) -> int:
        return sum(self.outcomes.values())


@dataclass(frozen=True, slots=True)
class Overview:
    sites: list[Site]  # the sites counted
    site: Site | None  # the one asked for; None: every site of the caller's
    days: list[DayStats]  # oldest first, one per day, empty days included
    total: DayStats  # the whole period (`day` is the first day)
    top_labels: list[tuple[str, int]]  # most frequent first


class OverviewService:
    def __init__(
        self,
        sites: SiteList,
        insights: InsightStorage,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sites = sites
        self._insights = insights
        self._clock = clock

    async def overview(
        self, staff: Staff, site_id: int | None = None, days: int = DEFAULT_DAYS
    ) -> Overview:
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(f"days is 1 to {MAX_DAYS}", field="days")
        mine = [s for s in await storing(self._sites.list_sites()) if staff.may_moderate(s.id)]
        chosen = None
        if site_id is not None:
            if not staff.may_moderate(site_id):
                raise NotAllowed(f"you do not moderate site {site_id}")
            chosen = next((s for s in mine if s.id == site_id), None)
            if chosen is None:
                raise NotFound(f"no site {site_id}")
        counted = [chosen] if chosen else mine
        first = self._clock().astimezone(UTC).date() - timedelta(days=days - 1)
        since = datetime.combine(first, time(), UTC)
        ids = [s.id for s in counted]
        if not ids:
            return Overview([], None, _empty_days(first, days), DayStats(first.isoformat()), [])
        counts = await storing(self._insights.daily_comments(ids, since))
        delays = await storing(self._insights.decision_delays(ids, since))
        judged = await storing(self._insights.judged_reasons(ids, since))
        return _summed(counted, chosen, first, days, counts, delays, judged)


def _empty_days(first: date, days: int) -> list[DayStats]:
    return [DayStats((first + timedelta(days=n)).isoformat()) for n in range(days)]


def _summed(
    counted: list[Site],
    chosen: Site | None,
    first: date,
    days: int,
    counts: list[DayCount],
    delays: list[DecisionDelay],
    judged: list[JudgedReasons],
) -> Overview:
    by_day = {stats.day: stats for stats in _empty_days(first, days)}
    total = DayStats(first.isoformat())
    for count in counts:
        stats = by_day.get(count.day)
        if stats is None:
            continue
        if count.kind == "reported":
            stats.reported += count.count
            total.reported += count.count
        elif count.kind in _OUTCOME_OF_STATUS:
            outcome = _OUTCOME_OF_STATUS[count.kind]
            stats.outcomes[outcome] += count.count
            total.outcomes[outcome] += count.count
    waits: defaultdict[str, list[float]] = defaultdict(list)
    for delay in delays:
        if delay.day in by_day:
            waits[delay.day].append(delay.seconds)
    for day, seconds in waits.items():
        by_day[day].decided = len(seconds)
        by_day[day].median_decision_seconds = median(seconds)
    every_wait = [s for seconds in waits.values() for s in seconds]
    total.decided = len(every_wait)
    total.median_decision_seconds = median(every_wait) if every_wait else None
    labels: Counter[str] = Counter()
    for verdict in judged:
        stats = by_day.get(verdict.day)
        if stats is None:
            continue
        if any(r.get("rule") == DERAILMENT_RULE for r in verdict.reasons):
            stats.alerts += 1
            total.alerts += 1
        if verdict.action != "publish":
            labels.update(
                {
                    str(r["label"])
                    for r in verdict.reasons
                    if r.get("label") and r.get("action") != "publish"
                }
            )
    return Overview(counted, chosen, list(by_day.values()), total, labels.most_common(TOP_LABELS))
