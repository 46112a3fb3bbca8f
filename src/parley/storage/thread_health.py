"""Thread health over the store's engines: each comment's branch state, and derailment alerts.

Storage knows nothing of the moderation package: a state is the JSON of `BranchState.to_dict()`
and its vector's bytes, converted by services/thread_health.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from parley.domain.thread_health import AlertStatus, StoredAlert
from parley.storage.schema import branch_states, comments, thread_alerts, threads
from parley.storage.sql import SqlStore, _utc
from parley.storage.store import Store, StoreError


@dataclass(frozen=True, slots=True)
class StateRow:
    """One comment's branch state as stored."""

    comment_id: int
    site_id: int
    thread_id: int
    state: Mapping[str, Any]  # BranchState.to_dict()
    vector: bytes


@dataclass(frozen=True, slots=True)
class NewAlert:
    site_id: int
    thread_id: int
    branch_root: int
    at_comment: int
    reasons: tuple[str, ...]
    drift: float
    heat: float
    step: str
    root_path: tuple[int, ...] = ()  # the branch root's ancestors, top-level first
    widened_at: int | None = None


def health_store(store: Store) -> HealthStore:
    """The thread health storage over the engines of a store `open_store` made."""
    if not isinstance(store, SqlStore):
        raise StoreError("thread health needs an SQL store")
    return HealthStore(store)


class HealthStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    # -- branch states --------------------------------------------------------------------
    async def branch_states(self, parent_id: int) -> dict[int, tuple[dict[str, Any], bytes]]:
        """The stored states of a reply's parent and of its branch's top-level comment (the
        parent itself, for a reply to one), in one round trip."""
        values = {"parent_id": parent_id}
        async with self._store.reading("read the branch states") as conn:
            rows = (await conn.execute(_BRANCH_STATES, values)).all()
        return {row[0]: (json.loads(row[1]), bytes(row[2])) for row in rows}

    async def put_state(self, row: StateRow) -> None:
        """Store a comment's state, replacing the one an edit makes obsolete."""
        await self.put_states([row])

    async def put_states(self, rows: Sequence[StateRow]) -> None:
        """Store many states in one statement (an import's), replacing any stored."""
        if not rows:
            return
        values = [
            {
                "comment_id": row.comment_id,
                "site_id": row.site_id,
                "thread_id": row.thread_id,
                "state": json.dumps(row.state, separators=(",", ":")),
                "vector": row.vector,
            }
            for row in rows
        ]
        insert = self._store._insert(branch_states)
        upsert = insert.on_conflict_do_update(
            index_elements=[branch_states.c.comment_id],
            set_={"state": insert.excluded.state, "vector": insert.excluded.vector},
        )
        async with self._store.writing("store the branch states") as conn:
            await conn.execute(upsert, values)

    # -- alerts ---------------------------------------------------------------------------
    async def add_alert(self, new: NewAlert, at: datetime) -> int | None:
        """Store an alert and return its id; None when its branch has one already (an edit or
        a second import raised it again)."""
        values = {
            "site_id": new.site_id,
            "thread_id": new.thread_id,
            "branch_root": new.branch_root,
            "at_comment": new.at_comment,
            "reasons": json.dumps(list(new.reasons)),
            "root_path": json.dumps(list(new.root_path)),
            "widened_at": new.widened_at,
            "drift": new.drift,
            "heat": new.heat,
            "step": new.step,
            "status": AlertStatus.OPEN.value,
            "created_at": at,
        }
        known = sa.select(thread_alerts.c.id).where(thread_alerts.c.branch_root == new.branch_root)
        async with self._store.writing("store the alert") as conn:
            if (await conn.execute(known.limit(1))).first() is not None:
                return None
            result = await conn.execute(thread_alerts.insert().values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    async def thread_alert_data(self, thread_id: int) -> list[tuple[int, dict[str, Any]]]:
        """Every alert of a thread as the watch takes them (`Alert.from_dict`), by id."""
        columns = [
            thread_alerts.c[name]
            for name in (
                "id",
                "branch_root",
                "at_comment",
                "reasons",
                "drift",
                "heat",
                "root_path",
                "widened_at",
            )
        ]
        query = sa.select(*columns).where(thread_alerts.c.thread_id == thread_id)
        async with self._store.reading("read the thread's alerts") as conn:
            rows = (await conn.execute(query.order_by(thread_alerts.c.id))).mappings().all()
        return [
            (
                row["id"],
                {
                    **row,
                    "reasons": json.loads(row["reasons"]),
                    "root_path": json.loads(row["root_path"]),
                },
            )
            for row in rows
        ]

    async def widen_alert(
        self,
        alert_id: int,
        branch_root: int,
        root_path: Sequence[int],
        widened_at: int,
        reasons: Sequence[str],
    ) -> None:
        """Move an alert up to the comment where its branch really turned."""
        async with self._store.writing("widen the alert") as conn:
            await conn.execute(
                thread_alerts.update()
                .where(thread_alerts.c.id == alert_id)
                .values(
                    branch_root=branch_root,
                    root_path=json.dumps(list(root_path)),
                    widened_at=widened_at,
                    reasons=json.dumps(list(reasons)),
                )
            )

    async def alerts(
        self,
        site_ids: Sequence[int],
        status: str | None,
        thread_id: int | None = None,
        limit: int = 50,
        before_id: int | None = None,
    ) -> list[StoredAlert]:
        """The sites' alerts of this status (None: any), newest first, below `before_id`."""
        query = _ALERTS.where(thread_alerts.c.site_id.in_(list(site_ids)))
        if status is not None:
            query = query.where(thread_alerts.c.status == status)
        if thread_id is not None:
            query = query.where(thread_alerts.c.thread_id == thread_id)
        if before_id is not None:
            query = query.where(thread_alerts.c.id < before_id)
        query = query.order_by(thread_alerts.c.id.desc()).limit(limit)
        async with self._store.reading("read the alerts") as conn:
            return [_alert(row) for row in (await conn.execute(query)).mappings()]

    async def alert(self, alert_id: int) -> StoredAlert | None:
        query = _ALERTS.where(thread_alerts.c.id == alert_id)
        async with self._store.reading("read the alert") as conn:
            row = (await conn.execute(query)).mappings().first()
        return _alert(row) if row else None

    async def close_alert(
        self, alert_id: int, status: str, user_id: int | None, at: datetime
    ) -> bool:
        """Close an open alert; whether this call closed it."""
        async with self._store.writing("close the alert") as conn:
            result = await conn.execute(
                thread_alerts.update()
                .where(
                    thread_alerts.c.id == alert_id,
                    thread_alerts.c.status == AlertStatus.OPEN.value,
                )
                .values(status=status, closed_at=at, closed_by=user_id)
            )
        return bool(result.rowcount)


def _branch_states_query() -> sa.Select[Any]:
    """The parent's state and its top-level ancestor's, found by walking up the comments."""
    chain = (
        sa.select(comments.c.id, comments.c.parent_id)
        .where(comments.c.id == sa.bindparam("parent_id", type_=sa.Integer))
        .cte("chain", recursive=True)
    )
    chain = chain.union(
        sa.select(comments.c.id, comments.c.parent_id).join(
            chain, comments.c.id == chain.c.parent_id
        )
    )
    root = sa.select(chain.c.id).where(chain.c.parent_id.is_(None))
    return sa.select(
        branch_states.c.comment_id, branch_states.c.state, branch_states.c.vector
    ).where(
        sa.or_(
            branch_states.c.comment_id == sa.bindparam("parent_id", type_=sa.Integer),
            branch_states.c.comment_id.in_(root),
        )
    )


_BRANCH_STATES = _branch_states_query()
_ALERTS = sa.select(
    thread_alerts, threads.c.key.label("thread_key"), threads.c.title.label("thread_title")
).select_from(thread_alerts.join(threads, threads.c.id == thread_alerts.c.thread_id))


def _alert(row: Mapping[Any, Any]) -> StoredAlert:
    return StoredAlert(
        id=row["id"],
        site_id=row["site_id"],
        thread_key=row["thread_key"],
        thread_title=row["thread_title"],
        branch_root=row["branch_root"],
        at_comment=row["at_comment"],
        reasons=tuple(json.loads(row["reasons"])),
        drift=float(row["drift"]),
        heat=float(row["heat"]),
        step=row["step"],
        status=row["status"],
        created_at=_utc(row["created_at"]),
        closed_at=_utc(row["closed_at"]),
        closed_by=row["closed_by"],
    )
