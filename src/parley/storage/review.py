"""The review queues, moderators' decisions and the audit log, over the store's engines."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from parley.domain.comments import CommentStatus, Thread
from parley.domain.review import (
    DEFAULT_REPORT_THRESHOLD,
    Assessment,
    AuditEntry,
    AuditFilter,
    AuditRecord,
    BranchComment,
    CommentState,
    Decision,
    Queue,
    QueueCursor,
    QueueFilter,
    QueueOrder,
    Reverted,
    ReviewItem,
    StoredDecision,
    UndoOutcome,
)
from parley.storage.schema import assessments, audit_log, comments, decisions, reports, threads
from parley.storage.sql import _COMMENT_COLUMNS, SqlStore, _comment, _utc
from parley.storage.store import Store, StoreError

# What an open report adds to a comment's priority: ten reports weigh as much as a verdict
# whose score is a whole 1.0 over its threshold.
REPORT_WEIGHT = 0.1
_PUBLIC = [CommentStatus.PUBLISHED.value, CommentStatus.FLAGGED.value]
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}

# Open reports per comment: few rows, joined once rather than counted per comment.
_opened = (
    sa.select(reports.c.comment_id, sa.func.count(reports.c.id).label("n"))
    .where(reports.c.resolved_at.is_(None))
    .group_by(reports.c.comment_id)
    .subquery("opened")
)
_open_reports = sa.func.coalesce(_opened.c.n, 0)
_THREAD_COLUMNS = [
    threads.c.id.label("t_id"),
    threads.c.site_id.label("t_site_id"),
    threads.c.key.label("t_key"),
    threads.c.title.label("t_title"),
    threads.c.url.label("t_url"),
    threads.c.locked.label("t_locked"),
    threads.c.version.label("t_version"),
]
_ASSESSMENT_NAMES = [c.name for c in assessments.c if c.name != "comment_id"]


def _priority(verdict: Any) -> Any:
    """The latest verdict's margin (domain.review.verdict_margin), plus REPORT_WEIGHT per open
    report."""
    return sa.func.coalesce(verdict.c.margin, 0.0) + REPORT_WEIGHT * _open_reports


_BRANCH_COLUMNS = [
    comments.c.id,
    comments.c.parent_id,
    comments.c.author_name,
    comments.c.body_md,
    comments.c.status,
    comments.c.created_at,
]


def review_store(store: Store) -> ReviewStore:
    """The review storage over the engines of a store `open_store` made."""
    if not isinstance(store, SqlStore):
        raise StoreError("the review queues need an SQL store")
    return ReviewStore(store)


class ReviewStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._engine = store.engine
        self._dialect = store.engine.dialect.name

    # -- queues --------------------------------------------------------------------------
    async def queue(
        self, wanted: QueueFilter, cursor: QueueCursor | None, limit: int
    ) -> list[ReviewItem]:
        """One page of a queue, in its order, after the cursor.

        The page's ids are ranked first on narrow rows, joined to verdicts and reports only
        when the order or a filter needs them; only the page's rows are then read in full.
        """
        by_priority = wanted.order is QueueOrder.PRIORITY
        verdict, on = self._verdict()
        priority = _priority(verdict)
        ranked = (
            sa.select(
                comments.c.id,
                comments.c.created_at,
                (priority if by_priority else sa.literal(0.0)).label("priority"),
            )
            .select_from(self._joined(wanted, verdict, on))
            .where(*self._conditions(wanted, verdict))
        )
        if by_priority:
            ranked = ranked.order_by(priority.desc(), comments.c.id.desc())
            if cursor is not None:
                ranked = ranked.where(
                    sa.or_(
                        priority < cursor.key,
                        sa.and_(priority == cursor.key, comments.c.id < cursor.id),
                    )
                )
        else:
            ranked = ranked.order_by(comments.c.created_at.desc(), comments.c.id.desc())
            if cursor is not None:
                ranked = ranked.where(
                    sa.or_(
                        comments.c.created_at < cursor.key,
                        sa.and_(comments.c.created_at == cursor.key, comments.c.id < cursor.id),
                    )
                )
        page = ranked.limit(limit).subquery("page")
        keys = (
            (page.c.priority.desc(), page.c.id.desc())
            if by_priority
            else (page.c.created_at.desc(), page.c.id.desc())
        )
        return await self._read_items(self._full(page).order_by(*keys))

    async def queue_ids(self, wanted: QueueFilter, limit: int) -> list[int]:
        """The ids of a whole queue's items (up to `limit`), oldest first."""
        verdict, on = self._verdict()
        query = (
            sa.select(comments.c.id)
            .select_from(self._joined(wanted, verdict, on))
            .where(*self._conditions(wanted, verdict))
            .order_by(comments.c.id)
            .limit(limit)
        )
        async with self._reading() as conn:
            return [row[0] for row in await conn.execute(query)]

    async def items(self, ids: Sequence[int]) -> list[ReviewItem]:
        if not ids:
            return []
        chosen = sa.select(comments.c.id).where(comments.c.id.in_(list(ids))).subquery("chosen")
        return await self._read_items(self._full(chosen).order_by(chosen.c.id))

    def _verdict(self) -> tuple[Any, Any]:
        """The latest assessment of each comment, as a from-clause and its join condition."""
        if self._dialect == "postgresql":
            latest = (
                sa.select(assessments)
                .where(assessments.c.comment_id == comments.c.id)
                .order_by(assessments.c.id.desc())
                .limit(1)
                .lateral("verdict")
            )
            return latest, sa.true()
        verdict = assessments.alias("verdict")
        newest = assessments.alias("newest")
        latest_id = (
            sa.select(sa.func.max(newest.c.id))
            .where(newest.c.comment_id == comments.c.id)
            .correlate(comments)
            .scalar_subquery()
        )
        return verdict, verdict.c.id == latest_id

    def _joined(self, wanted: QueueFilter, verdict: Any, on: Any) -> Any:
        """Comments with their threads, and their verdicts and open reports where the order
        or a filter reads them."""
        joined = comments.join(threads, threads.c.id == comments.c.thread_id)
        by_priority = wanted.order is QueueOrder.PRIORITY
        if by_priority or wanted.label or wanted.score or wanted.language:
            joined = joined.outerjoin(verdict, on)
        if by_priority or wanted.queue is Queue.REPORTED:
            joined = joined.outerjoin(_opened, _opened.c.comment_id == comments.c.id)
        return joined

    def _full(self, chosen: Any) -> Any:
        """Every column of the chosen comments, their threads, verdicts and open reports."""
        verdict, on = self._verdict()
        return sa.select(
            *_COMMENT_COLUMNS,
            *_THREAD_COLUMNS,
            *[verdict.c[name].label(f"a_{name}") for name in _ASSESSMENT_NAMES],
            _open_reports.label("open_reports"),
            _priority(verdict).label("priority"),
        ).select_from(
            chosen.join(comments, comments.c.id == chosen.c.id)
            .join(threads, threads.c.id == comments.c.thread_id)
            .outerjoin(verdict, on)
            .outerjoin(_opened, _opened.c.comment_id == comments.c.id)
        )

    async def _read_items(self, query: sa.Select[Any]) -> list[ReviewItem]:
        async with self._reading() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_item(row) for row in rows]

    def _conditions(self, wanted: QueueFilter, verdict: Any) -> list[sa.ColumnElement[bool]]:
        found: list[sa.ColumnElement[bool]] = []
        if wanted.queue is Queue.HELD:
            found.append(comments.c.status == CommentStatus.PENDING.value)
        elif wanted.queue is Queue.FLAGGED:
            found.append(comments.c.status == CommentStatus.FLAGGED.value)
        elif wanted.queue is Queue.REPORTED:
            found.append(comments.c.status.in_(_PUBLIC))
            found.append(_open_reports >= self._report_threshold(wanted))
        if wanted.site_ids is not None:
            found.append(threads.c.site_id.in_(sorted(wanted.site_ids)))
        if wanted.thread_key is not None:
            found.append(threads.c.key == wanted.thread_key)
        if wanted.author is not None:
            if "@" in wanted.author:
                found.append(sa.func.lower(comments.c.author_email) == wanted.author.lower())
            else:
                found.append(sa.func.lower(comments.c.author_name) == wanted.author.lower())
        if wanted.label is not None:
            found.append(self._has_label(verdict, wanted.label))
        if wanted.score is not None:
            compare = _COMPARE[wanted.score.op]
            if wanted.score.label is not None:
                score = verdict.c.scores[wanted.score.label].as_float()
                found.append(compare(score, wanted.score.value))
            else:
                found.append(self._any_score(verdict, compare, wanted.score.value))
        if wanted.language is not None:
            found.append(verdict.c.language == wanted.language)
        for word in wanted.words:
            found.append(comments.c.body_md.icontains(word, autoescape=True))
        return found

    def _report_threshold(self, wanted: QueueFilter) -> Any:
        cases = [(threads.c.site_id == site, n) for site, n in wanted.report_thresholds.items()]
        if not cases:
            return DEFAULT_REPORT_THRESHOLD
        return sa.case(*cases, else_=DEFAULT_REPORT_THRESHOLD)

    def _has_label(self, verdict: Any, label: str) -> sa.ColumnElement[bool]:
        """A reason of the latest verdict, other than a publishing one, has this label."""
        if self._dialect == "sqlite":
            each = sa.func.json_each(verdict.c.reasons).table_valued("value").alias("reason")
            reason_label: sa.ColumnElement[Any] = sa.func.json_extract(each.c.value, "$.label")
            reason_action: sa.ColumnElement[Any] = sa.func.json_extract(each.c.value, "$.action")
        else:
            each = (
                sa.func.json_array_elements(verdict.c.reasons).table_valued("value").alias("reason")
            )
            reason_label = each.c.value.op("->>")("label")
            reason_action = each.c.value.op("->>")("action")
        return sa.exists(
            sa.select(sa.literal(1))
            .select_from(each)
            .where(reason_label == label, reason_action != "publish")
        )

    def _any_score(self, verdict: Any, compare: Callable[[Any, Any], Any], value: float) -> Any:
        if self._dialect == "sqlite":
            each = sa.func.json_each(verdict.c.scores).table_valued("value").alias("score")
            score: Any = each.c.value
        else:
            each = (
                sa.func.json_each_text(verdict.c.scores).table_valued("key", "value").alias("score")
            )
            score = sa.cast(each.c.value, sa.Float)
        return sa.exists(sa.select(sa.literal(1)).select_from(each).where(compare(score, value)))

    # -- one comment in context ----------------------------------------------------------
    async def branches(self, ids: Sequence[int]) -> dict[int, BranchComment]:
        """These comments and all their ancestors, by id."""
        if not ids:
            return {}
        start = sa.select(comments.c.id, comments.c.parent_id).where(comments.c.id.in_(list(ids)))
        chain = start.cte("chain", recursive=True)
        chain = chain.union(
            sa.select(comments.c.id, comments.c.parent_id).join(
                chain, comments.c.id == chain.c.parent_id
            )
        )
        query = sa.select(*_BRANCH_COLUMNS).where(comments.c.id.in_(sa.select(chain.c.id)))
        async with self._reading() as conn:
            return {row["id"]: _branch(row) for row in (await conn.execute(query)).mappings()}

    async def replies(self, comment_id: int) -> list[BranchComment]:
        query = (
            sa.select(*_BRANCH_COLUMNS)
            .where(comments.c.parent_id == comment_id)
            .order_by(comments.c.created_at, comments.c.id)
        )
        async with self._reading() as conn:
            return [_branch(row) for row in (await conn.execute(query)).mappings()]

    async def assessments(self, comment_id: int) -> list[Assessment]:
        query = (
            sa.select(*[assessments.c[name].label(f"a_{name}") for name in _ASSESSMENT_NAMES])
            .where(assessments.c.comment_id == comment_id)
            .order_by(assessments.c.id)
        )
        async with self._reading() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [a for a in (_assessment(row) for row in rows) if a is not None]

    async def decisions(self, comment_id: int) -> list[StoredDecision]:
        query = (
            sa.select(decisions)
            .where(decisions.c.comment_id == comment_id)
            .order_by(decisions.c.id)
        )
        async with self._reading() as conn:
            return [stored_decision(row) for row in (await conn.execute(query)).mappings()]

    async def reports(self, comment_id: int) -> list[dict[str, Any]]:
        """The readers' reports of a comment (without who reported), oldest first."""
        query = (
            sa.select(
                reports.c.id,
                reports.c.reason,
                reports.c.note,
                reports.c.created_at,
                reports.c.resolved_at,
            )
            .where(reports.c.comment_id == comment_id)
            .order_by(reports.c.id)
        )
        async with self._reading() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [
            {**row, "created_at": _utc(row["created_at"]), "resolved_at": _utc(row["resolved_at"])}
            for row in rows
        ]

    # -- deciding ------------------------------------------------------------------------
    async def apply(self, made: Sequence[Decision], undo_id: str, at: datetime) -> list[Decision]:
        """Store the decisions in one transaction; those whose comment is no longer in its
        `before` state (someone else decided meanwhile) are left out. The ones applied."""
        applied: list[Decision] = []
        async with self._store.writing("store the decisions") as conn:
            for decision in made:
                if not await _change(conn, decision.comment_id, decision.before, decision.after):
                    continue
                resolved = await _resolve_reports(conn, decision, at)
                await conn.execute(
                    decisions.insert().values(**_decision_values(decision, resolved, undo_id, at))
                )
                await conn.execute(
                    audit_log.insert().values(
                        **_audit_values(_decision_audit(decision, undo_id), at)
                    )
                )
                applied.append(decision)
            for thread_id in sorted({d.thread_id for d in applied}):
                await _bump(conn, thread_id)
        return applied

    async def undo(
        self, undo_id: str, user_id: int | None, not_before: datetime, at: datetime
    ) -> UndoOutcome | None:
        """Put back what the decisions under `undo_id` changed, newest first; None when there
        are none to undo (unknown, taken before `not_before`, another's, or undone)."""
        query = (
            sa.select(decisions, threads.c.key.label("thread_key"))
            .select_from(
                decisions.join(comments, comments.c.id == decisions.c.comment_id).join(
                    threads, threads.c.id == comments.c.thread_id
                )
            )
            .where(
                decisions.c.undo_id == undo_id,
                decisions.c.undone_at.is_(None),
                decisions.c.created_at >= not_before,
                _same_user(decisions.c.user_id, user_id),
            )
            .order_by(decisions.c.id.desc())
        )
        reverted: list[Reverted] = []
        skipped: list[int] = []
        async with self._store.writing("undo the decisions") as conn:
            rows = (await conn.execute(query)).mappings().all()
            if not rows:
                return None
            bumped: set[int] = set()
            for row in rows:
                before = CommentState.from_dict(row["before"])
                after = CommentState.from_dict(row["after"])
                comment_id = row["comment_id"]
                if not await _change(conn, comment_id, after, before):
                    skipped.append(comment_id)
                    continue
                if row["resolved_reports"]:
                    await conn.execute(
                        reports.update()
                        .where(reports.c.id.in_(row["resolved_reports"]))
                        .values(resolved_at=None)
                    )
                await conn.execute(
                    decisions.update().where(decisions.c.id == row["id"]).values(undone_at=at)
                )
                entry = AuditEntry(
                    user_id=user_id,
                    site_id=row["site_id"],
                    action="comment.undo",
                    target=f"comment:{comment_id}",
                    before=after.to_dict(),
                    after=before.to_dict(),
                    model_version=row["engine_model_version"],
                    undo_id=undo_id,
                )
                await conn.execute(audit_log.insert().values(**_audit_values(entry, at)))
                thread_id = (
                    await conn.execute(
                        sa.select(comments.c.thread_id).where(comments.c.id == comment_id)
                    )
                ).scalar_one()
                bumped.add(thread_id)
                reverted.append(
                    Reverted(
                        comment_id, row["site_id"], row["thread_key"], after.status, before.status
                    )
                )
            for thread_id in sorted(bumped):
                await _bump(conn, thread_id)
        return UndoOutcome(reverted=reverted, skipped=skipped)

    # -- the audit log -------------------------------------------------------------------
    async def add_audit(self, entry: AuditEntry, at: datetime) -> None:
        async with self._store.writing("write the audit log") as conn:
            await conn.execute(audit_log.insert().values(**_audit_values(entry, at)))

    async def audit(self, wanted: AuditFilter, limit: int) -> list[AuditRecord]:
        """Entries, newest first."""
        query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if wanted.user_id is not None:
            query = query.where(audit_log.c.user_id == wanted.user_id)
        if wanted.action is not None:
            if wanted.action.endswith("."):
                query = query.where(audit_log.c.action.startswith(wanted.action, autoescape=True))
            else:
                query = query.where(audit_log.c.action == wanted.action)
        if wanted.site_ids is not None:
            query = query.where(audit_log.c.site_id.in_(sorted(wanted.site_ids)))
        if wanted.since is not None:
            query = query.where(audit_log.c.created_at >= wanted.since)
        if wanted.until is not None:
            query = query.where(audit_log.c.created_at < wanted.until)
        if wanted.before_id is not None:
            query = query.where(audit_log.c.id < wanted.before_id)
        async with self._reading() as conn:
            return [_audit_record(row) for row in (await conn.execute(query)).mappings()]

    def _reading(self) -> Any:
        return self._engine.connect()


def _same_user(column: Any, user_id: int | None) -> Any:
    return column.is_(None) if user_id is None else column == user_id


async def _change(
    conn: AsyncConnection, comment_id: int, expected: CommentState, new: CommentState
) -> bool:
    """Set the comment to `new` if it is still in `expected` (status and text)."""
    result = await conn.execute(
        comments.update()
        .where(
            comments.c.id == comment_id,
            comments.c.status == expected.status.value,
            comments.c.body_md == expected.body_md,
        )
        .values(
            status=new.status.value,
            body_md=new.body_md,
            body_html=new.body_html,
            author_name=new.author_name,
            author_email=new.author_email,
            author_website=new.author_website,
            edited_at=new.edited_at,
        )
    )
    return bool(result.rowcount)


async def _resolve_reports(conn: AsyncConnection, decision: Decision, at: datetime) -> list[int]:
    if not decision.resolve_reports:
        return []
    open_ids = [
        row[0]
        for row in await conn.execute(
            sa.select(reports.c.id).where(
                reports.c.comment_id == decision.comment_id, reports.c.resolved_at.is_(None)
            )
        )
    ]
    if open_ids:
        await conn.execute(
            reports.update().where(reports.c.id.in_(open_ids)).values(resolved_at=at)
        )
    return open_ids


async def _bump(conn: AsyncConnection, thread_id: int) -> None:
    await conn.execute(
        threads.update().where(threads.c.id == thread_id).values(version=threads.c.version + 1)
    )


def _decision_values(
    decision: Decision, resolved: list[int], undo_id: str, at: datetime
) -> dict[str, Any]:
    return {
        "comment_id": decision.comment_id,
        "site_id": decision.site_id,
        "user_id": decision.user_id,
        "action": decision.action.value,
        "reason": decision.reason.value if decision.reason else None,
        "label": decision.label.value if decision.label else None,
        "engine_action": decision.engine.action,
        "engine_model_version": decision.engine.model_version,
        "engine_scores": decision.engine.scores,
        "engine_thresholds": decision.engine.thresholds,
        "status_before": decision.before.status.value,
        "status_after": decision.after.status.value,
        "before": decision.before.to_dict(),
        "after": decision.after.to_dict(),
        "resolved_reports": resolved,
        "undo_id": undo_id,
        "created_at": at,
    }


def _decision_audit(decision: Decision, undo_id: str) -> AuditEntry:
    after = decision.after.to_dict()
    if decision.reason is not None:
        after["reason"] = decision.reason.value
    if decision.label is not None:
        after["label"] = decision.label.value
    before = decision.before.to_dict()
    if decision.engine.action is not None:
        before["verdict"] = {
            "action": decision.engine.action,
            "label": decision.engine.label,
            "score": decision.engine.score,
            "threshold": decision.engine.threshold,
            "model_version": decision.engine.model_version,
        }
    return AuditEntry(
        user_id=decision.user_id,
        site_id=decision.site_id,
        action=f"comment.{decision.action.value}",
        target=f"comment:{decision.comment_id}",
        before=before,
        after=after,
        model_version=decision.engine.model_version,
        threshold=decision.engine.threshold,
        undo_id=undo_id,
    )


def _audit_values(entry: AuditEntry, at: datetime) -> dict[str, Any]:
    return {
        "created_at": at,
        "user_id": entry.user_id,
        "site_id": entry.site_id,
        "action": entry.action,
        "target": entry.target,
        "before": entry.before,
        "after": entry.after,
        "model_version": entry.model_version,
        "threshold": entry.threshold,
        "undo_id": entry.undo_id,
    }


def _assessment(row: Mapping[Any, Any]) -> Assessment | None:
    if row["a_id"] is None:
        return None
    return Assessment(
        id=row["a_id"],
        model_version=row["a_model_version"],
        action=row["a_action"],
        scores=dict(row["a_scores"] or {}),
        reasons=list(row["a_reasons"] or []),
        language=row["a_language"],
        created_at=_utc(row["a_created_at"]),
    )


def _item(row: Mapping[Any, Any]) -> ReviewItem:
    return ReviewItem(
        comment=_comment(row),
        thread=Thread(
            id=row["t_id"],
            site_id=row["t_site_id"],
            key=row["t_key"],
            title=row["t_title"],
            locked=bool(row["t_locked"]),
            version=row["t_version"],
            url=row["t_url"],
        ),
        assessment=_assessment(row),
        open_reports=int(row["open_reports"] or 0),
        priority=float(row["priority"] or 0.0),
    )


def _branch(row: Mapping[Any, Any]) -> BranchComment:
    return BranchComment(
        id=row["id"],
        parent_id=row["parent_id"],
        author_name=row["author_name"],
        body_md=row["body_md"],
        status=CommentStatus(row["status"]),
        created_at=_utc(row["created_at"]),
    )


def stored_decision(row: Mapping[Any, Any]) -> StoredDecision:
    return StoredDecision(
        id=row["id"],
        comment_id=row["comment_id"],
        user_id=row["user_id"],
        action=row["action"],
        reason=row["reason"],
        label=row["label"],
        engine_action=row["engine_action"],
        engine_model_version=row["engine_model_version"],
        status_before=row["status_before"],
        status_after=row["status_after"],
        before=dict(row["before"]),
        after=dict(row["after"]),
        undo_id=row["undo_id"],
        created_at=_utc(row["created_at"]),
        undone_at=_utc(row["undone_at"]),
    )


def _audit_record(row: Mapping[Any, Any]) -> AuditRecord:
    return AuditRecord(
        id=row["id"],
        created_at=_utc(row["created_at"]),
        user_id=row["user_id"],
        site_id=row["site_id"],
        action=row["action"],
        target=row["target"],
        before=row["before"],
        after=row["after"],
        model_version=row["model_version"],
        threshold=row["threshold"],
        undo_id=row["undo_id"],
    )
