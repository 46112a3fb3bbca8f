"""Console accounts: create and manage them, sign in and out, and check a session.

Passwords are hashed with argon2id (off the event loop); a session cookie carries a random
token of which the database keeps only a SHA-256 hash. Sign-in attempts are counted in the
database, so the lock on a name and the limit on an address hold across every worker.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from parley.domain.accounts import (
    Credentials,
    LoginOutcome,
    Role,
    Staff,
    StaffUser,
    StoredSession,
    name_problem,
    password_problem,
)
from parley.domain.comments import Site
from parley.services.errors import InvalidInput, NotFound, ServiceError, StorageUnavailable
from parley.settings import Settings
from parley.storage.store import StoreError

T = TypeVar("T")
# A session's last_seen is written at most this often, not on every request.
_TOUCH_EVERY = timedelta(seconds=60)
_CONCURRENT_HASHES = 2
# Checked for an unknown name, so that it costs what a known one does (the default parameters;
# the password it hashes was random and is forgotten). At other costs, one is made on first use.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$XBRHQ5lZWL6BNv2JKIFIBg"
    "$gbU5RWlM6SG0syl7BRvQmDkwqnxnrw4V1ZdkFLS0ejU"
)


class LoginFailed(ServiceError):
    """Wrong name or password (or a disabled account): the message never says which."""


class LoginLocked(ServiceError):
    """Too many failed sign-ins for a name, or attempts from an address: try again later."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AccountStore(Protocol):
    """What accounts need from the database (storage.accounts.SqlAccounts)."""

    async def add_user(
        self, name: str, password_hash: str, role: Role, site_ids: frozenset[int], now: datetime
    ) -> StaffUser: ...

    async def credentials(self, name: str) -> Credentials | None: ...

    async def list_users(self) -> list[StaffUser]: ...

    async def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    async def set_disabled(self, user_id: int, disabled: bool) -> None: ...

    async def add_session(
        self, session_id: str, user_id: int, csrf_token: str, now: datetime, expires_at: datetime
    ) -> None: ...

    async def session(self, session_id: str) -> StoredSession | None: ...

    async def touch_session(self, session_id: str, now: datetime) -> None: ...

    async def end_session(self, session_id: str) -> None: ...

    async def end_sessions_of(self, user_id: int, keep: str | None = None) -> int: ...

    async def forget_sessions(self, idle_before: datetime, now: datetime) -> int: ...

    async def record_login(
        self, name: str, address: str, outcome: LoginOutcome, at: float
    ) -> int: ...

    async def set_login_outcome(self, attempt_id: int, outcome: LoginOutcome) -> None: ...

    async def failed_logins(self, name: str, since: float) -> list[float]: ...

    async def logins_from(self, address: str, since: float) -> list[float]: ...

    async def forget_logins(self, before: float) -> int: ...


class SiteList(Protocol):
    async def list_sites(self) -> list[Site]: ...


@dataclass(frozen=True, slots=True)
class StaffSession:
    """A live session: who it is, and the token every state change must carry."""

    staff: Staff
    csrf_token: str
    session_id: str  # the hash the database keeps, not the cookie's token


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str  # for the cookie; shown once, stored only as a hash
    session: StaffSession


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    failures: int  # failed sign-ins that lock a name ...
    window: int  # ... within this many seconds
    per_address: int  # attempts one address may make within the window

    @classmethod
    def of(cls, settings: Settings) -> LoginPolicy:
        return cls(
            settings.admin_login_failures,
            settings.admin_login_window,
            settings.admin_logins_per_address,
        )


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def staff_of(user: StaffUser) -> Staff:
    return Staff(
        user_id=user.id,
        name=user.name,
        role=user.role,
        site_ids=None if user.role is Role.OWNER else user.site_ids,
    )


class AccountService:
    def __init__(
        self,
        accounts: AccountStore,
        sites: SiteList,
        settings: Settings,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._accounts = accounts
        self._sites = sites
        self._idle = timedelta(seconds=settings.admin_session_idle)
        self._lifetime = timedelta(seconds=settings.admin_session_lifetime)
        self._policy = LoginPolicy.of(settings)
        self._hasher = hasher or PasswordHasher(  # argon2id, RFC 9106's second choice
            time_cost=settings.admin_password_time_cost,
            memory_cost=settings.admin_password_memory_kib,
        )
        self._dummy_hash: str | None = None
        self._clock = clock
        # Each hash takes 64 MiB and a core for a moment: a burst of sign-ins queues here.
        self._hashing = asyncio.Semaphore(_CONCURRENT_HASHES)
        self._forgot_at = 0.0

    # -- accounts (the CLI, owners) -------------------------------------------------------
    async def create_user(
        self, name: str, password: str, role: Role, site_names: Sequence[str] = ()
    ) -> StaffUser:
        _check_name(name)
        _check_password(password)
        site_ids = await self._site_ids(site_names)
        if role is Role.MODERATOR and not site_ids:
            raise InvalidInput("a moderator needs at least one site (--site NAME)", field="site")
        if role is Role.OWNER and site_ids:
            raise InvalidInput("an owner moderates every site: name no --site", field="site")
        password_hash = await self._hash(password)
        try:
            return await self._accounts.add_user(name, password_hash, role, site_ids, self._now())
        except StoreError as error:
            raise InvalidInput(str(error), field="name") from error

    async def list_users(self) -> list[StaffUser]:
        return await self._store(self._accounts.list_users())

    async def set_password(self, name: str, password: str) -> None:
        """Set a password (the CLI's reset): ends every session of the account."""
        user = await self._user(name)
        _check_password(password)
        await self._store(self._accounts.set_password_hash(user.id, await self._hash(password)))
        await self._store(self._accounts.end_sessions_of(user.id))

    async def disable_user(self, name: str) -> None:
        user = await self._user(name)
        await self._store(self._accounts.set_disabled(user.id, True))
        await self._store(self._accounts.end_sessions_of(user.id))

    async def site_names(self) -> dict[int, str]:
        return {site.id: site.name for site in await self._store(self._sites.list_sites())}

    async def sites_of(self, staff: Staff) -> list[Site]:
        sites = await self._store(self._sites.list_sites())
        return [site for site in sites if staff.may_moderate(site.id)]

    # -- sessions --------------------------------------------------------------------------
    async def login(self, name: str, password: str, address: str) -> NewSession:
        """A new session for the right name and password, unless the name or address is locked.

        An unknown name costs the same hash as a known one, and answers the same.
        """
        now = self._clock()
        await self._forget_old(now)
        # Counted as a failure before it is checked, so that attempts sent at once cannot all
        # pass the count before any of them is recorded.
        attempt = await self._store(
            self._accounts.record_login(name, address, LoginOutcome.FAILED, now)
        )
        wait = await self._locked_for(name, address, now)
        if wait is not None:
            await self._store(self._accounts.set_login_outcome(attempt, LoginOutcome.REFUSED))
            raise LoginLocked(f"too many sign-in attempts; try again in {wait} s", wait)
        found = await self._store(self._accounts.credentials(name))
        verified = await self._verify(found.password_hash if found else None, password)
        if found is None or not verified or found.user.disabled:
            raise LoginFailed("wrong user name or password")
        await self._store(self._accounts.set_login_outcome(attempt, LoginOutcome.SUCCEEDED))
        if self._hasher.check_needs_rehash(found.password_hash):
            rehashed = await self._hash(password)
            await self._store(self._accounts.set_password_hash(found.user.id, rehashed))
        return await self._start_session(found.user)

    async def session(self, token: str) -> StaffSession | None:
        """The live session a cookie's token names, or None (unknown, idle, expired, disabled)."""
        key = session_id(token)
        stored = await self._store(self._accounts.session(key))
        if stored is None:
            return None
        now = self._now()
        if stored.user.disabled or now >= stored.expires_at or now - stored.last_seen >= self._idle:
            await self._store(self._accounts.end_session(key))
            return None
        if now - stored.last_seen >= _TOUCH_EVERY:
            await self._store(self._accounts.touch_session(key, now))
        return StaffSession(staff_of(stored.user), stored.csrf_token, key)

    async def logout(self, current: StaffSession) -> None:
        await self._store(self._accounts.end_session(current.session_id))

    async def change_password(self, current: StaffSession, old: str, new: str) -> None:
        """Needs the old password; ends every other session of the account."""
        found = await self._store(self._accounts.credentials(current.staff.name))
        if found is None or not await self._verify(found.password_hash, old):
            raise InvalidInput("the current password is wrong", field="old_password")
        _check_password(new, field="new_password")
        if new == old:
            raise InvalidInput("the new password is the old one", field="new_password")
        await self._store(self._accounts.set_password_hash(found.user.id, await self._hash(new)))
        await self._store(self._accounts.end_sessions_of(found.user.id, keep=current.session_id))

    # -- helpers ---------------------------------------------------------------------------
    async def _start_session(self, user: StaffUser) -> NewSession:
        token = secrets.token_urlsafe(32)
        csrf_token = secrets.token_urlsafe(32)
        now = self._now()
        key = session_id(token)
        await self._store(
            self._accounts.add_session(key, user.id, csrf_token, now, now + self._lifetime)
        )
        return NewSession(token, StaffSession(staff_of(user), csrf_token, key))

    async def _locked_for(self, name: str, address: str, now: float) -> int | None:
        """Seconds until `name` or `address` may try again, or None when this attempt may go on.

        The lists hold this attempt (the newest) and those before it within the window.
        """
        policy = self._policy
        since = now - policy.window
        waits = []
        failures = await self._store(self._accounts.failed_logins(name, since))
        if 0 < policy.failures < len(failures):
            waits.append(failures[len(failures) - 1 - policy.failures] + policy.window - now)
        attempts = await self._store(self._accounts.logins_from(address, since))
        if 0 < policy.per_address < len(attempts):
            waits.append(attempts[len(attempts) - 1 - policy.per_address] + policy.window - now)
        return max(1, math.ceil(max(waits))) if waits else None

    async def _forget_old(self, now: float) -> None:
        """Drop old attempts and dead sessions, at most once a minute per process."""
        if now - self._forgot_at < 60:
            return
        self._forgot_at = now
        await self._store(self._accounts.forget_logins(now - self._policy.window))
        moment = datetime.fromtimestamp(now, UTC)
        await self._store(self._accounts.forget_sessions(moment - self._idle, moment))

    async def _site_ids(self, names: Sequence[str]) -> frozenset[int]:
        by_name = {site.name: site.id for site in await self._store(self._sites.list_sites())}
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise InvalidInput(
                f"no site named {', '.join(map(repr, unknown))}; see `parley site list`",
                field="site",
            )
        return frozenset(by_name[name] for name in names)

    async def _user(self, name: str) -> StaffUser:
        found = await self._store(self._accounts.credentials(name))
        if found is None:
            raise NotFound(f"no user named {name!r}")
        return found.user

    async def _hash(self, password: str) -> str:
        async with self._hashing:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def _verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:  # an unknown name: spend the same time on a dummy hash
            password_hash = await self._dummy()
        try:
            async with self._hashing:
                return await asyncio.to_thread(self._hasher.verify, password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def _dummy(self) -> str:
        """A hash at this hasher's cost (the shipped one at the default cost)."""
        if self._dummy_hash is None:
            fitting = not self._hasher.check_needs_rehash(_DUMMY_HASH)
            self._dummy_hash = _DUMMY_HASH if fitting else await self._hash(secrets.token_hex(16))
        return self._dummy_hash

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    @staticmethod
    async def _store(work: Awaitable[T]) -> T:
        try:
            return await work
        except StoreError as error:
            raise StorageUnavailable(str(error)) from error


def _check_name(name: str) -> None:
    problem = name_problem(name)
    if problem:
        raise InvalidInput(problem, field="name")


def _check_password(password: str, field: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise InvalidInput(problem, field=field)
