"""Read-only questions the console asks of a site's history: the comments a policy what-if
re-decides, and the per-day numbers of the overview. Days are UTC calendar days."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from parley.domain.comments import CommentStatus
from parley.storage.schema import assessments, comments, decisions, reports, threads
from parley.storage.sql import SqlStore, _utc
from parley.storage.store import StoreError

DERAILMENT_MARK = "thread_health"  # the rule a derailment alert's reason names
_PUBLIC = [CommentStatus.PUBLISHED.value, CommentStatus.FLAGGED.value]


@dataclass(frozen=True, slots=True)
class AssessedComment:
    """A comment with the engine's latest verdict on it, as stored."""

    comment_id: int
    thread_key: str
    created_at: datetime
    body_md: str
    status: str
    first_time: bool  # no public comment by its author before it (as `hold_first_time` reads)
    action: str
    scores: dict[str, float]
    reasons: list[dict[str, Any]]
    language: str | None
    model_version: str


@dataclass(frozen=True, slots=True)
class DayCount:
    site_id: int
    day: str  # YYYY-MM-DD
    kind: str  # a comment status, or "reported"
    count: int


@dataclass(frozen=True, slots=True)
class DecisionDelay:
    site_id: int
    day: str  # the day of the decision
    seconds: float  # from the comment's posting to the first decision on it


@dataclass(frozen=True, slots=True)
class JudgedReasons:
    site_id: int
    day: str
    action: str
    reasons: list[dict[str, Any]]


def insights_store(store: object) -> SqlInsights:
    """The insights of the store `storage.factory.open_store` opened."""
    if not isinstance(store, SqlStore):
        raise StoreError("the console's insights need an SQL store")
    return SqlInsights(store)


class SqlInsights:
    def __init__(self, store: SqlStore) -> None:
        self._engine = store.engine

    def _day(self, column: Any) -> ColumnElement[str]:
        if self._engine.dialect.name == "postgresql":
            return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM-DD")
        return sa.func.substr(sa.cast(column, sa.String), 1, 10)

    async def recent_assessed(self, site_id: int, limit: int) -> list[AssessedComment]:
        """The site's `limit` most recently assessed comments (not deleted), newest first, each
        with its latest assessment."""
        latest = assessments.alias("latest")
        latest_id = (
            sa.select(sa.func.max(latest.c.id))
            .where(latest.c.comment_id == assessments.c.comment_id)
            .correlate(assessments)
            .scalar_subquery()
        )
        query = (
            sa.select(
                comments.c.id,
                comments.c.created_at,
                comments.c.body_md,
                comments.c.status,
                comments.c.author_key,
                threads.c.key,
                assessments.c.action,
                assessments.c.scores,
                assessments.c.reasons,
                assessments.c.language,
                assessments.c.model_version,
            )
            .select_from(
                assessments.join(comments, comments.c.id == assessments.c.comment_id).join(
                    threads, threads.c.id == comments.c.thread_id
                )
            )
            .where(
                threads.c.site_id == site_id,
                comments.c.status != CommentStatus.DELETED.value,
                assessments.c.id == latest_id,
            )
            .order_by(assessments.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
            keys = sorted({row["author_key"] for row in rows if row["author_key"]})
            first_public = await self._first_public(conn, keys)
        found = []
        for row in rows:
            created = _utc(row["created_at"])
            assert created is not None
            earliest = first_public.get(row["author_key"]) if row["author_key"] else None
            found.append(
                AssessedComment(
                    comment_id=row["id"],
                    thread_key=row["key"],
                    created_at=created,
                    body_md=row["body_md"],
                    status=row["status"],
                    first_time=earliest is None or earliest >= created,
                    action=row["action"],
                    scores={k: float(v) for k, v in (row["scores"] or {}).items()},
                    reasons=list(row["reasons"] or []),
                    language=row["language"],
                    model_version=row["model_version"],
                )
            )
        return found

    async def _first_public(self, conn: Any, keys: Sequence[str]) -> dict[str, datetime]:
        """When each author's first comment that is public now was posted."""
        earliest: dict[str, datetime] = {}
        for start in range(0, len(keys), 500):
            query = (
                sa.select(comments.c.author_key, sa.func.min(comments.c.created_at))
                .where(
                    comments.c.author_key.in_(keys[start : start + 500]),
                    comments.c.status.in_(_PUBLIC),
                )
                .group_by(comments.c.author_key)
            )
            for key, moment in (await conn.execute(query)).all():
                utc = _utc(moment)
                if utc is not None:
                    earliest[key] = utc
        return earliest

    async def daily_comments(self, site_ids: Sequence[int], since: datetime) -> list[DayCount]:
        """Comments posted per site and day since `since`, by their status now; and reports
        filed per site and day (kind "reported")."""
        posted_day = self._day(comments.c.created_at)
        posted = (
            sa.select(threads.c.site_id, posted_day, comments.c.status, sa.func.count())
            .select_from(comments.join(threads, threads.c.id == comments.c.thread_id))
            .where(threads.c.site_id.in_(site_ids), comments.c.created_at >= since)
            .group_by(threads.c.site_id, posted_day, comments.c.status)
        )
        reported_day = self._day(reports.c.created_at)
        reported = (
            sa.select(threads.c.site_id, reported_day, sa.func.count())
            .select_from(
                reports.join(comments, comments.c.id == reports.c.comment_id).join(
                    threads, threads.c.id == comments.c.thread_id
                )
            )
            .where(threads.c.site_id.in_(site_ids), reports.c.created_at >= since)
            .group_by(threads.c.site_id, reported_day)
        )
        async with self._engine.connect() as conn:
            counts = [
                DayCount(site, day, status, int(n))
                for site, day, status, n in (await conn.execute(posted)).all()
            ]
            counts += [
                DayCount(site, day, "reported", int(n))
                for site, day, n in (await conn.execute(reported)).all()
            ]
        return counts

    async def decision_delays(
        self, site_ids: Sequence[int], since: datetime
    ) -> list[DecisionDelay]:
        """For each comment a moderator decided on since `since`: the wait for the first
        decision (not undone) on it."""
        query = (
            sa.select(
                decisions.c.site_id,
                decisions.c.comment_id,
                decisions.c.created_at,
                comments.c.created_at.label("posted_at"),
            )
            .select_from(decisions.join(comments, comments.c.id == decisions.c.comment_id))
            .where(
                decisions.c.site_id.in_(site_ids),
                decisions.c.created_at >= since,
                decisions.c.undone_at.is_(None),
            )
            .order_by(decisions.c.id)
        )
        first: dict[int, tuple[int, datetime, datetime]] = {}
        async with self._engine.connect() as conn:
            for row in (await conn.execute(query)).mappings():
                decided, posted = _utc(row["created_at"]), _utc(row["posted_at"])
                if row["comment_id"] not in first and decided and posted:
                    first[row["comment_id"]] = (row["site_id"], decided, posted)
        return [
            DecisionDelay(site, decided.date().isoformat(), (decided - posted).total_seconds())
            for site, decided, posted in first.values()
        ]

    async def judged_reasons(self, site_ids: Sequence[int], since: datetime) -> list[JudgedReasons]:
        """The reasons of every verdict since `since` that was not a plain publish: a label's
        step, a list's hit, a derailment alert."""
        day = self._day(assessments.c.created_at)
        alert = sa.cast(assessments.c.reasons, sa.Text).like(f"%{DERAILMENT_MARK}%")
        query = (
            sa.select(threads.c.site_id, day, assessments.c.action, assessments.c.reasons)
            .select_from(
                assessments.join(comments, comments.c.id == assessments.c.comment_id).join(
                    threads, threads.c.id == comments.c.thread_id
                )
            )
            .where(
                threads.c.site_id.in_(site_ids),
                assessments.c.created_at >= since,
                sa.or_(assessments.c.action != "publish", alert),
            )
        )
        async with self._engine.connect() as conn:
            return [
                JudgedReasons(site, day_, action, list(reasons or []))
                for site, day_, action, reasons in (await conn.execute(query)).all()
            ]
