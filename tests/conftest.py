"""Shared fixtures: real databases (SQLite files, fresh PostgreSQL databases) and live servers."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from parley.moderation.engine import Engine
from parley.services.moderation import Moderator, PublishEverything
from parley.services.runtime import migrate_database
from parley.settings import Settings
from tests.live import LiveServer

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_WXR = SHARED / "fixtures" / "seed-thread.wxr.xml"
SEED_JSON = SHARED / "fixtures" / "seed-thread.json"
PG_ADMIN = os.environ.get("PARLEY_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip on a laptop without the service; under CI=true a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this service is required)")
    pytest.skip(reason)


async def _pg_execute(*statements: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def _pg_url(database: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + database


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A migrated template database; each test clones it (fast) into a database of its own."""
    name = f"parley_template_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(_pg_execute(f"CREATE DATABASE {name}"))
    except (OSError, asyncpg.PostgresError) as error:
        yield None
        print(f"PostgreSQL unavailable at {PG_ADMIN}: {error}")
        return
    migrate_database(Settings(database_url=_pg_url(name)))
    yield name
    asyncio.run(_pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def postgres_url(postgres_template: str | None) -> Iterator[str]:
    require(postgres_template is not None, f"PostgreSQL not reachable at {PG_ADMIN}")
    name = f"parley_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_execute(f"CREATE DATABASE {name} TEMPLATE {postgres_template}"))
    yield _pg_url(name)
    asyncio.run(_pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test copies it (faster than migrating) into its own."""
    template = tmp_path_factory.mktemp("sqlite-template") / "parley.db"
    migrate_database(Settings(database_url=f"sqlite+aiosqlite:///{template}"))
    return template


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    database = tmp_path / "parley.db"
    shutil.copyfile(sqlite_template, database)
    return f"sqlite+aiosqlite:///{database}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


# argon2id at its cheapest, so that signing in costs tests little; the production cost is
# tested once (tests/admin/test_accounts.py).
CHEAP_PASSWORDS = {"admin_password_memory_kib": 64, "admin_password_time_cost": 1}


def make_settings(database_url: str, **overrides: object) -> Settings:
    base = Settings(database_url=database_url, secret="test-secret", rate_limit=0)
    return base.replace(**{**CHEAP_PASSWORDS, **overrides})


@pytest.fixture(scope="session")
def moderation_engine() -> Engine:
    """The shipped moderation engine, loaded once for the whole run."""
    return Engine.load()


def _serve(sqlite_url: str, moderator: Moderator) -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def start(**overrides: object) -> LiveServer:
        url = str(overrides.pop("database_url", sqlite_url))
        server = LiveServer(make_settings(url, **overrides), moderator).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def start_server(sqlite_url: str, moderation_engine: Engine) -> Iterator[Callable[..., LiveServer]]:
    """Start the real app on a loopback port; keyword arguments override settings."""
    yield from _serve(sqlite_url, moderation_engine)


@pytest.fixture
def start_unmoderated_server(sqlite_url: str) -> Iterator[Callable[..., LiveServer]]:
    """The same with moderation off, for tests of what the server does around it."""
    yield from _serve(sqlite_url, PublishEverything())


@pytest.fixture
def server(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server()
