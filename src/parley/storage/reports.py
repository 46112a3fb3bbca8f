"""Readers' reports on the SQL store: one per reader per comment, counted while open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from parley.domain.comments import CommentStatus
from parley.storage.schema import comments, reports, threads
from parley.storage.sql import SqlStore, _utc

_PUBLIC_STATUSES = [s.value for s in CommentStatus if s.is_public]


@dataclass(frozen=True, slots=True)
class StoredReport:
    comment_id: int
    reporter: str
    reason: str
    note: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ReportAdded:
    report: StoredReport  # the reader's report: the new one, or the one they made before
    created: bool  # False when this reader had reported the comment already
    open_reports: int  # the comment's open reports, this one included


@dataclass(frozen=True, slots=True)
class OpenReports:
    """A public comment's open (not yet decided) reports, as the reported queue lists them."""

    comment_id: int
    site_id: int
    thread_key: str
    count: int
    last_reported_at: datetime
    reasons: dict[str, int] = field(default_factory=dict)  # reason -> how many readers gave it


class SqlReports:
    """The reports table, through the store's own engines (so SQLite's writers take turns)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def add_report(
        self, comment_id: int, reporter: str, reason: str, note: str | None, at: datetime
    ) -> ReportAdded:
        """Record the reader's report unless they made one already (then theirs is kept)."""
        async with self._store.writing("store the report") as conn:
            # Reports on one comment take turns, so the reader who reaches a threshold is known.
            await conn.execute(
                sa.select(comments.c.id)
                .where(comments.c.id == comment_id)
                .with_for_update(key_share=True)
            )
            values = {
                "comment_id": comment_id,
                "reporter": reporter,
                "reason": reason,
                "note": note,
                "created_at": at,
            }
            inserted = await conn.execute(
                self._store._insert(reports)
                .values(**values)
                .on_conflict_do_nothing(index_elements=[reports.c.comment_id, reports.c.reporter])
            )
            mine = (
                (
                    await conn.execute(
                        sa.select(reports).where(
                            reports.c.comment_id == comment_id, reports.c.reporter == reporter
                        )
                    )
                )
                .mappings()
                .one()
            )
            count = await conn.scalar(
                sa.select(sa.func.count()).where(
                    reports.c.comment_id == comment_id, reports.c.resolved_at.is_(None)
                )
            )
        report = StoredReport(
            comment_id, reporter, mine["reason"], mine["note"], _utc(mine["created_at"])
        )
        return ReportAdded(report, bool(inserted.rowcount), int(count or 0))

    async def open_report_counts(
        self, site_ids: Sequence[int], at_least: int = 1
    ) -> list[OpenReports]:
        """Public comments of these sites with at least `at_least` open reports, most first."""
        count = sa.func.count(reports.c.id).label("count")
        last = sa.func.max(reports.c.created_at).label("last_reported_at")
        query = (
            sa.select(comments.c.id, threads.c.site_id, threads.c.key, count, last)
            .select_from(
                reports.join(comments, comments.c.id == reports.c.comment_id).join(
                    threads, threads.c.id == comments.c.thread_id
                )
            )
            .where(
                threads.c.site_id.in_(list(site_ids)),
                comments.c.status.in_(_PUBLIC_STATUSES),
                reports.c.resolved_at.is_(None),
            )
            .group_by(comments.c.id, threads.c.site_id, threads.c.key)
            .having(sa.func.count(reports.c.id) >= at_least)
            .order_by(count.desc(), last.desc())
        )
        async with self._store.reading("read the reports") as conn:
            rows = (await conn.execute(query)).all()
            reasons = await self._reasons(conn, [row[0] for row in rows])
        return [
            OpenReports(id_, site_id, key, n, _utc(when), reasons.get(id_, {}))
            for id_, site_id, key, n, when in rows
        ]

    async def resolve_reports(self, comment_id: int, at: datetime) -> int:
        """Close a comment's open reports (a moderator decided on it); how many were open."""
        async with self._store.writing("resolve the reports") as conn:
            result = await conn.execute(
                reports.update()
                .where(reports.c.comment_id == comment_id, reports.c.resolved_at.is_(None))
                .values(resolved_at=at)
            )
        return int(result.rowcount)

    async def _reasons(
        self, conn: AsyncConnection, comment_ids: list[int]
    ) -> dict[int, dict[str, int]]:
        if not comment_ids:
            return {}
        query = (
            sa.select(reports.c.comment_id, reports.c.reason, sa.func.count())
            .where(reports.c.comment_id.in_(comment_ids), reports.c.resolved_at.is_(None))
            .group_by(reports.c.comment_id, reports.c.reason)
        )
        found: dict[int, dict[str, int]] = {}
        for comment_id, reason, n in (await conn.execute(query)).all():
            found.setdefault(comment_id, {})[reason] = n
        return found


def report_store(store: object) -> SqlReports:
    """The reports of the store `storage.factory.open_store` opened."""
    if not isinstance(store, SqlStore):
        raise TypeError(f"reports need a SQL store, not {type(store).__name__}")
    return SqlReports(store)
