"""Open the Store a database URL names, and bring its schema up to date."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

from parley.storage.store import Store, StoreError

_MIGRATIONS = Path(__file__).parent / "migrations"


def _parse(url: str) -> sa.URL:
    try:
        parsed = sa.make_url(url)
    except ArgumentError as error:
        raise StoreError(f"not a database URL: {url!r}") from error
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(
            f"unsupported database {parsed.get_backend_name()!r}: "
            "use sqlite+aiosqlite:///PATH or postgresql+asyncpg://..."
        )
    return parsed


def normalise_url(url: str) -> str:
    """Accept plain `sqlite:///` and `postgresql://` URLs and name the async drivers."""
    parsed = _parse(url)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
    return parsed.set(drivername=driver[parsed.get_backend_name()]).render_as_string(
        hide_password=False
    )


def check_writable(url: str) -> None:
    """Refuse, with the path, a SQLite database whose files or folder cannot be written.

    SQLite maps its `-shm` file into memory: one it cannot write kills the process with SIGBUS
    at the first query, with nothing logged. PostgreSQL needs no such check.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    database = Path(parsed.database or "").absolute()
    folder = database.parent
    if folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
        raise StoreError(
            f"{folder} is not a folder Parley can write: SQLite keeps its -wal and -shm "
            "files beside the database"
        )
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if (path.exists() or path.is_symlink()) and not (
            path.is_file() and os.access(path, os.R_OK | os.W_OK)
        ):
            raise StoreError(
                f"{path} is not a file Parley can write: make it a file the server's user "
                "can read and write (or remove it while no server runs)"
            )


def open_store(url: str) -> Store:
    url = normalise_url(url)
    check_writable(url)
    if sa.make_url(url).get_backend_name() == "sqlite":
        from parley.storage.sqlite import SqliteStore

        return SqliteStore(url)
    from parley.storage.postgres import PostgresStore

    return PostgresStore(url)


def _alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["database_url"] = url
    return config


def migrate(url: str) -> str:
    """Upgrade the database to the newest schema; return the revision it is at."""
    url = normalise_url(url)
    database = sa.make_url(url).database
    if sa.make_url(url).get_backend_name() == "sqlite" and database not in (None, "", ":memory:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    try:
        command.upgrade(_alembic_config(url), "head")
    except (SQLAlchemyError, OSError) as error:
        raise StoreError(f"cannot migrate {sa.make_url(url)!r}: {error}") from error
    return head_revision()


def head_revision() -> str:
    script = ScriptDirectory.from_config(_alembic_config(""))
    return str(script.get_current_head())


async def current_revision(url: str) -> str | None:
    """The schema revision the database is at; None for a database never migrated."""
    url = normalise_url(url)
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    except (SQLAlchemyError, OSError) as error:
        raise StoreError(f"cannot open the database {parsed!r}: {error}") from error
    finally:
        await engine.dispose()


def is_migrated(url: str) -> bool:
    return asyncio.run(current_revision(url)) == head_revision()
