"""Console accounts, sessions and sign-in attempts on SQLAlchemy Core (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from parley.domain.accounts import Credentials, LoginOutcome, Role, StaffUser, StoredSession
from parley.storage.schema import admin_sessions, login_attempts, user_sites, users
from parley.storage.sql import SqlStore, _utc
from parley.storage.store import Store, StoreError


def _user(row: Mapping[Any, Any], site_ids: Iterable[int]) -> StaffUser:
    return StaffUser(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        site_ids=frozenset(site_ids),
        created_at=_utc(row["created_at"]),
        disabled=bool(row["disabled"]),
    )


class SqlAccounts:
    """The tables of `schema.users`, `user_sites`, `admin_sessions` and `login_attempts`."""

    def __init__(self, engine: AsyncEngine, write_engine: AsyncEngine) -> None:
        self._engine = engine
        self._write_engine = write_engine

    async def _write(self, what: str, statements: Sequence[Any]) -> list[Any]:
        try:
            async with self._write_engine.begin() as conn:
                return [await conn.execute(statement) for statement in statements]
        except SQLAlchemyError as error:
            raise StoreError(f"could not {what}: {error.__class__.__name__}") from error

    async def _site_ids(
        self, conn: AsyncConnection, user_ids: Sequence[int]
    ) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
        if user_ids:
            query = sa.select(user_sites).where(user_sites.c.user_id.in_(user_ids))
            for row in (await conn.execute(query)).mappings():
                found[row["user_id"]].add(row["site_id"])
        return found

    # -- users ---------------------------------------------------------------------------
    async def add_user(
        self, name: str, password_hash: str, role: Role, site_ids: frozenset[int], now: datetime
    ) -> StaffUser:
        try:
            async with self._write_engine.begin() as conn:
                result = await conn.execute(
                    users.insert().values(
                        name=name,
                        password_hash=password_hash,
                        role=role.value,
                        created_at=now,
                        disabled=False,
                    )
                )
                user_id: int = result.inserted_primary_key[0]  # type: ignore[index]
                if site_ids:
                    await conn.execute(
                        user_sites.insert(),
                        [{"user_id": user_id, "site_id": site_id} for site_id in site_ids],
                    )
        except IntegrityError as error:
            raise StoreError(f"a user named {name!r} exists already") from error
        except SQLAlchemyError as error:
            raise StoreError(f"could not add the user: {error.__class__.__name__}") from error
        return StaffUser(user_id, name, role, site_ids, now, disabled=False)

    async def credentials(self, name: str) -> Credentials | None:
        async with self._engine.connect() as conn:
            row = (
                (await conn.execute(sa.select(users).where(users.c.name == name)))
                .mappings()
                .first()
            )
            if row is None:
                return None
            site_ids = (await self._site_ids(conn, [row["id"]]))[row["id"]]
        return Credentials(_user(row, site_ids), row["password_hash"])

    async def list_users(self) -> list[StaffUser]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(users).order_by(users.c.name))).mappings().all()
            site_ids = await self._site_ids(conn, [row["id"] for row in rows])
        return [_user(row, site_ids[row["id"]]) for row in rows]

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        statement = users.update().where(users.c.id == user_id).values(password_hash=password_hash)
        await self._write("change the password", [statement])

    async def set_disabled(self, user_id: int, disabled: bool) -> None:
        statement = users.update().where(users.c.id == user_id).values(disabled=disabled)
        await self._write("change the account", [statement])

    # -- sessions ------------------------------------------------------------------------
    async def add_session(
        self, session_id: str, user_id: int, csrf_token: str, now: datetime, expires_at: datetime
    ) -> None:
        statement = admin_sessions.insert().values(
            id=session_id,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=now,
            last_seen=now,
            expires_at=expires_at,
        )
        await self._write("start the session", [statement])

    async def session(self, session_id: str) -> StoredSession | None:
        query = (
            sa.select(
                users,
                admin_sessions.c.csrf_token,
                admin_sessions.c.created_at.label("session_created_at"),
                admin_sessions.c.last_seen,
                admin_sessions.c.expires_at,
            )
            .join(users, users.c.id == admin_sessions.c.user_id)
            .where(admin_sessions.c.id == session_id)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
            if row is None:
                return None
            site_ids = (await self._site_ids(conn, [row["id"]]))[row["id"]]
        return StoredSession(
            user=_user(row, site_ids),
            csrf_token=row["csrf_token"],
            created_at=_utc(row["session_created_at"]),
            last_seen=_utc(row["last_seen"]),
            expires_at=_utc(row["expires_at"]),
        )

    async def touch_session(self, session_id: str, now: datetime) -> None:
        statement = (
            admin_sessions.update().where(admin_sessions.c.id == session_id).values(last_seen=now)
        )
        await self._write("keep the session", [statement])

    async def end_session(self, session_id: str) -> None:
        statement = admin_sessions.delete().where(admin_sessions.c.id == session_id)
        await self._write("end the session", [statement])

    async def end_sessions_of(self, user_id: int, keep: str | None = None) -> int:
        statement = admin_sessions.delete().where(admin_sessions.c.user_id == user_id)
        if keep is not None:
            statement = statement.where(admin_sessions.c.id != keep)
        (result,) = await self._write("end the sessions", [statement])
        return int(result.rowcount or 0)

    async def forget_sessions(self, idle_before: datetime, now: datetime) -> int:
        statement = admin_sessions.delete().where(
            sa.or_(admin_sessions.c.last_seen < idle_before, admin_sessions.c.expires_at < now)
        )
        (result,) = await self._write("forget old sessions", [statement])
        return int(result.rowcount or 0)

    # -- sign-in attempts ----------------------------------------------------------------
    async def record_login(self, name: str, address: str, outcome: LoginOutcome, at: float) -> int:
        statement = login_attempts.insert().values(
            name=name[:100], address=address[:64], outcome=outcome.value, at=at
        )
        (result,) = await self._write("record the sign-in", [statement])
        return int(result.inserted_primary_key[0])

    async def set_login_outcome(self, attempt_id: int, outcome: LoginOutcome) -> None:
        statement = (
            login_attempts.update()
            .where(login_attempts.c.id == attempt_id)
            .values(outcome=outcome.value)
        )
        await self._write("record the sign-in", [statement])

    async def failed_logins(self, name: str, since: float) -> list[float]:
        """When `name` failed to sign in since `since`, after its last success, oldest first."""
        attempts = login_attempts.c
        last_success = (
            sa.select(sa.func.max(attempts.at))
            .where(attempts.name == name, attempts.outcome == LoginOutcome.SUCCEEDED.value)
            .scalar_subquery()
        )
        query = (
            sa.select(attempts.at)
            .where(
                attempts.name == name,
                attempts.outcome == LoginOutcome.FAILED.value,
                attempts.at >= since,
                attempts.at > sa.func.coalesce(last_success, 0.0),
            )
            .order_by(attempts.at)
        )
        async with self._engine.connect() as conn:
            return [float(at) for at in (await conn.execute(query)).scalars()]

    async def logins_from(self, address: str, since: float) -> list[float]:
        """When `address` tried to sign in (any outcome) since `since`, oldest first."""
        attempts = login_attempts.c
        query = (
            sa.select(attempts.at)
            .where(attempts.address == address, attempts.at >= since)
            .order_by(attempts.at)
        )
        async with self._engine.connect() as conn:
            return [float(at) for at in (await conn.execute(query)).scalars()]

    async def forget_logins(self, before: float) -> int:
        statement = login_attempts.delete().where(login_attempts.c.at < before)
        (result,) = await self._write("forget old sign-ins", [statement])
        return int(result.rowcount or 0)


def open_accounts(store: Store) -> SqlAccounts:
    """The accounts tables in the database `store` opened, sharing its connection pools."""
    if not isinstance(store, SqlStore):
        raise StoreError(f"{type(store).__name__} keeps no accounts")
    return SqlAccounts(store.engine, store._write_engine())
