"""SQLite engine: WAL mode, immediate write transactions, and a cheap version probe."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from parley.storage.sql import SqlStore
from parley.storage.store import StoreError

_VERSION_CACHE_LIMIT = 10_000


def _configure(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=10000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(conn: sa.Connection) -> None:
        # A writer takes the write lock up front, so two writers queue on busy_timeout
        # instead of failing when one upgrades a read snapshot.
        immediate = conn.get_execution_options().get("sqlite_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class SqliteStore(SqlStore):
    def __init__(self, url: str) -> None:
        engine = create_async_engine(url)
        _configure(engine)
        super().__init__(engine)
        self._writer = engine.execution_options(sqlite_write=True)
        self._path = sa.make_url(url).database or ""
        self._probe: sqlite3.Connection | None = None
        self._seen_data_version = -1
        self._versions: dict[tuple[int, str], int] = {}

    def _insert(self, table: sa.Table) -> Any:
        return sqlite_insert(table)

    def _write_engine(self) -> AsyncEngine:
        return self._writer

    async def thread_version(self, site_id: int, key: str) -> int:
        """Answer from memory until `PRAGMA data_version` says another connection committed.

        The probe runs in microseconds on its own read-only connection, so a cached thread
        costs no trip through the async driver.
        """
        try:
            return self._probed_version(site_id, key)
        except sqlite3.Error as error:
            raise StoreError(f"could not read the thread: {error.__class__.__name__}") from error

    def _probed_version(self, site_id: int, key: str) -> int:
        probe = self._probe_connection()
        data_version = probe.execute("PRAGMA data_version").fetchone()[0]
        if data_version != self._seen_data_version or len(self._versions) > _VERSION_CACHE_LIMIT:
            self._versions.clear()
            self._seen_data_version = data_version
        cache_key = (site_id, key)
        version = self._versions.get(cache_key)
        if version is None:
            row = probe.execute(
                "SELECT version FROM threads WHERE site_id = ? AND key = ?", cache_key
            ).fetchone()
            version = self._versions[cache_key] = row[0] if row else 0
        return version

    def _probe_connection(self) -> sqlite3.Connection:
        if self._probe is None:
            self._probe = sqlite3.connect(
                f"file:{self._path}?mode=ro",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
        return self._probe

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None
        await super().close()
