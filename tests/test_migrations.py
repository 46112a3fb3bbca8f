"""The migrations build exactly the schema the code declares (storage/schema.py), on SQLite and
PostgreSQL: a column added to one and not the other is caught here, not in production."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from parley.services.runtime import migrate_database
from parley.settings import Settings
from parley.storage.factory import normalise_url
from parley.storage.schema import metadata


def _differences(url: str) -> list[Any]:
    async def compare() -> list[Any]:
        engine = create_async_engine(normalise_url(url))
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
                )
        finally:
            await engine.dispose()

    return asyncio.run(compare())


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_migrations_build_the_declared_schema(
    engine: str, request: pytest.FixtureRequest
) -> None:
    url = str(request.getfixturevalue(f"{engine}_url"))
    migrate_database(Settings(database_url=url))  # a no-op where the fixture migrated already
    assert _differences(url) == []
