"""Staff accounts of the moderator console: who may look at and act on which sites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"  # every site, the accounts and the policies
    MODERATOR = "moderator"  # the queues of, and actions on, the sites assigned to them


@dataclass(frozen=True, slots=True)
class Staff:
    """The person behind a console session."""

    user_id: int
    name: str
    role: Role
    site_ids: frozenset[int] | None  # None = every site (owners)

    @property
    def is_owner(self) -> bool:
        return self.role is Role.OWNER

    def may_moderate(self, site_id: int) -> bool:
        return self.site_ids is None or site_id in self.site_ids


@dataclass(frozen=True, slots=True)
class StaffUser:
    """An account as the owner lists it (never with its password hash)."""

    id: int
    name: str
    role: Role
    site_ids: frozenset[int]  # assigned sites; empty for owners, who see every site
    created_at: datetime
    disabled: bool


MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 100


def password_problem(password: str) -> str | None:
    """Why a password may not be used, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password takes at most {MAX_PASSWORD_LENGTH} characters"
    return None


def name_problem(name: str) -> str | None:
    """Why a user name may not be used, or None."""
    if not name or len(name) > MAX_NAME_LENGTH:
        return f"a user name needs 1 to {MAX_NAME_LENGTH} characters"
    if name != name.strip() or any(c.isspace() or not c.isprintable() for c in name):
        return "a user name may not hold spaces or control characters"
    return None


@dataclass(frozen=True, slots=True)
class Credentials:
    """An account with its password hash, read only to check a sign-in."""

    user: StaffUser
    password_hash: str


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A console session as the database keeps it (its id is a hash of the cookie's token)."""

    user: StaffUser
    csrf_token: str
    created_at: datetime
    last_seen: datetime
    expires_at: datetime


class LoginOutcome(StrEnum):
    SUCCEEDED = "ok"
    FAILED = "failed"  # wrong or unknown name, wrong password, disabled account
    REFUSED = "refused"  # not checked: the name was locked or the address over its limit
