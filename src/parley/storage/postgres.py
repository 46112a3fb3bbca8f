"""PostgreSQL engine (asyncpg)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import create_async_engine

from parley.storage.sql import SqlStore


class PostgresStore(SqlStore):
    def __init__(self, url: str) -> None:
        super().__init__(
            create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
        )

    def _insert(self, table: sa.Table) -> Any:
        return pg_insert(table)
