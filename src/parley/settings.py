"""Parley's settings, declared once: defaults, then `parley.toml`, then `PARLEY_*` variables.

Read once at start-up by the CLI and passed down; nothing reads the environment elsewhere.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/parley.db"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret: str = ""  # signs author tokens; generated into var/secret when empty
    site: str = "default"  # the site served to requests whose Origin names no other
    origins: tuple[str, ...] = ("http://127.0.0.1:8080", "http://localhost:8080")
    edit_window: int = 15 * 60  # seconds an author may edit or delete a comment
    author_token_ttl: int = 365 * 24 * 3600
    max_depth: int = 8  # replies deeper than this attach to the deepest allowed parent
    max_body: int = 10_000
    max_name: int = 80
    rate_limit: int = 10  # posts (and apart: votes, edits, previews) per IP per `rate_period`
    rate_period: int = 60
    moderation: bool = True  # score every comment with the built-in engine
    thread_health: bool = True  # with moderation: off-topic scores and derailment alerts
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For is believed.

    From any other peer the header is ignored, so a client cannot pick the address it is
    counted under. Empty (the default): the peer's own address is the client's.
    """
    public_url: str = ""  # how callers reach Parley (https://scores.example.org); "" = Host
    scoring_origins: tuple[str, ...] = ()  # browser origins the scoring API answers; * = any
    events_backend: str = "memory"  # memory (one process) | postgres | redis://HOST:PORT/DB
    max_streams_per_ip: int = 8  # open event streams one address may hold (429 beyond)
    max_streams: int = 1000  # open event streams one server process holds in all (429 beyond)
    slow_reader_timeout: int = 30  # seconds an event stream may wait on a reader (then ends)
    read_cache_mb: int = 48  # per worker: half serialised pages, half long threads' snapshots
    demo_pages: bool = False  # serve an HTML page for each thread key (the demo site)
    admin_session_idle: int = 2 * 3600  # seconds a console session lives without a request
    admin_session_lifetime: int = 24 * 3600  # seconds a console session lives at most
    admin_login_failures: int = 5  # failed sign-ins that lock a user name ...
    admin_login_window: int = 15 * 60  # ... within this many seconds (and lock it as long)
    admin_logins_per_address: int = 20  # sign-in attempts one address may make in that window
    admin_events_recheck: int = 15  # seconds between a moderator stream's looks at its session
    admin_password_memory_kib: int = 65536  # argon2id memory cost (RFC 9106 low-memory) ...
    admin_password_time_cost: int = 3  # ... and passes; lower only for tests (hashes re-made)
    debug: bool = False

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def _coerce(name: str, raw: object) -> object:
    kind = _FIELDS[name].type
    try:
        if kind == "int":
            return int(raw)  # type: ignore[call-overload]
        if kind == "bool":
            return raw if isinstance(raw, bool) else str(raw).lower() in {"1", "true", "yes", "on"}
        if kind.startswith("tuple"):
            items = raw.split(",") if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
            return tuple(item.strip() for item in items if item.strip())
    except (TypeError, ValueError) as error:
        raise SettingsError(f"setting {name!r}: cannot read {raw!r} ({error})") from error
    return str(raw)


def load_settings(
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: object,
) -> Settings:
    """Build the settings from the file (if any), then the environment, then explicit overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    path = config_file or Path(environ.get("PARLEY_CONFIG", "parley.toml"))
    if path.is_file():
        with path.open("rb") as handle:
            try:
                values.update(tomllib.load(handle))
            except tomllib.TOMLDecodeError as error:
                raise SettingsError(f"{path}: {error}") from error
    for name in _FIELDS:
        env_name = f"PARLEY_{name.upper()}"
        if env_name in environ:
            values[name] = environ[env_name]
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - set(_FIELDS)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return Settings(**{name: _coerce(name, raw) for name, raw in values.items()})


def ensure_secret(settings: Settings, state_dir: Path = Path("var")) -> Settings:
    """Give the settings a signing secret, kept in `var/secret` so restarts keep tokens valid."""
    if settings.secret:
        return settings
    secret_file = state_dir / "secret"
    if not secret_file.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(secrets.token_urlsafe(32))
        secret_file.chmod(0o600)
    return settings.replace(secret=secret_file.read_text().strip())


__all__ = ["Settings", "SettingsError", "ensure_secret", "load_settings"]
