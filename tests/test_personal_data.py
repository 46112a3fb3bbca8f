"""Nothing personal Parley keeps can be reversed without its secret (issue 9, item 7).

Avatars were an unkeyed hash of the email (anyone could confirm a guessed address) and stored
addresses an unkeyed hash of the IP (all of IPv4 falls in minutes, and one value linked all of a
person's votes for ever). Now both are keyed with the server's secret, and what is kept of an
address names only its network on one day, for at most 30 days.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from parley.domain.comments import Author, CommentStatus, NewComment
from parley.services.comments import CommentDraft, CommentService
from parley.storage.factory import _alembic_config, normalise_url, open_store
from parley.storage.schema import comments
from tests.conftest import make_settings
from tests.live import LiveServer
from tests.test_cli import parley

EMAIL = "ann@example.org"
NOON = datetime(2026, 12, 2, 12, tzinfo=UTC)


@pytest.fixture
def start(start_unmoderated_server: Callable[..., LiveServer]) -> Callable[..., LiveServer]:
    return start_unmoderated_server


def avatar(server: LiveServer, email: str | None, name: str | None = None) -> str:
    with server.client() as client:
        created = client.post(
            "/api/v1/comments", json={"thread": "/me/", "body": "hi", "email": email, "name": name}
        )
    return str(created.json()["comment"]["author"]["avatar"])


def unkeyed_hashes(text: str) -> set[str]:
    data = text.encode()
    return {
        hashlib.blake2b(data, digest_size=8).hexdigest(),
        hashlib.md5(data).hexdigest()[:16],
        hashlib.sha256(data).hexdigest()[:16],
    }


def test_avatars_are_stable_per_email_and_keyed_with_the_secret(
    start: Callable[..., LiveServer],
) -> None:
    one, two = start(secret="one secret"), start(secret="another secret")
    mine = avatar(one, EMAIL)
    assert len(mine) == 16
    assert avatar(one, " Ann@Example.ORG ") == mine
    assert avatar(one, "bob@example.org") != mine
    assert avatar(two, EMAIL) != mine
    assert mine not in unkeyed_hashes(EMAIL)
    assert avatar(one, None, "Ann") not in unkeyed_hashes("ann")


async def _post_from(
    database_url: str, when: datetime, address: str, secret: str = "test-secret"
) -> str | None:
    """Post through the real service as `address` at `when`; the network tag it stored."""
    store = open_store(database_url)
    try:
        site = await store.ensure_site("default")
        service = CommentService(
            store, make_settings(database_url, secret=secret), clock=lambda: when
        )
        posted = await service.post(site, CommentDraft("/tags/", "hello"), None, address)
        engine = create_async_engine(normalise_url(database_url))
        try:
            async with engine.connect() as conn:
                query = sa.select(comments.c.network_tag).where(comments.c.id == posted.comment.id)
                return (await conn.execute(query)).scalar()
        finally:
            await engine.dispose()
    finally:
        await store.close()


def test_stored_addresses_are_keyed_tags_of_the_network_for_one_day(sqlite_url: str) -> None:
    def tag(address: str, when: datetime = NOON, secret: str = "test-secret") -> str | None:
        return asyncio.run(_post_from(sqlite_url, when, address, secret))

    today = tag("192.0.2.1")
    assert today is not None and today not in unkeyed_hashes("192.0.2.1")
    assert hashlib.blake2b(b"192.0.2.1", digest_size=16).hexdigest() != today
    assert tag("192.0.2.77") == today  # the same /24, the same day
    assert tag("::ffff:192.0.2.9") == today
    assert tag("192.0.3.1") != today
    assert tag("192.0.2.1", NOON + timedelta(days=1)) != today  # tomorrow links to nothing
    assert tag("192.0.2.1", secret="another secret") != today
    assert tag("2001:db8:1:2::1") == tag("2001:db8:1:ffff::2")  # the same /48
    assert tag("2001:db8:1:2::1") != tag("2001:db8:2::1")


async def _seed_tags(database_url: str, now: datetime) -> dict[int, int]:
    """Comments tagged 40, 31, 29 and 0 days ago, by id: their age in days."""
    store = open_store(database_url)
    try:
        site = await store.ensure_site("default")
        ages = {}
        for days in (40, 31, 29, 0):
            stored = await store.add_comment(
                site.id,
                NewComment(
                    thread_key="/old/",
                    thread_title="",
                    parent_id=None,
                    depth=0,
                    author=Author(),
                    body_md="old",
                    body_html="<p>old</p>",
                    status=CommentStatus.PUBLISHED,
                    created_at=now - timedelta(days=days),
                    network_tag=f"tag-{days}",
                ),
            )
            ages[stored.id] = days
        return ages
    finally:
        await store.close()


def _tags(database_url: str) -> dict[int, str | None]:
    async def read() -> dict[int, str | None]:
        engine = create_async_engine(normalise_url(database_url))
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(sa.select(comments.c.id, comments.c.network_tag))
                return {comment_id: tag for comment_id, tag in rows}
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_parley_purge_forgets_tags_older_than_30_days(sqlite_url: str, tmp_path: Path) -> None:
    ages = asyncio.run(_seed_tags(sqlite_url, datetime.now(UTC)))
    result = parley("purge", cwd=tmp_path, env={"PARLEY_DATABASE_URL": sqlite_url})
    assert "2 network tag(s) older than 30 days forgotten" in result.stdout
    kept = {ages[i]: tag for i, tag in _tags(sqlite_url).items()}
    assert kept == {40: None, 31: None, 29: "tag-29", 0: "tag-0"}


def test_the_server_purges_old_tags_by_itself(
    start: Callable[..., LiveServer], sqlite_url: str
) -> None:
    ages = asyncio.run(_seed_tags(sqlite_url, datetime.now(UTC)))
    start()
    deadline = time.monotonic() + 30
    while _tags(sqlite_url)[max(ages, key=ages.__getitem__)] is not None:
        assert time.monotonic() < deadline, "the server never purged the 40-day-old tag"
        time.sleep(0.05)
    kept = {ages[i]: tag for i, tag in _tags(sqlite_url).items()}
    assert kept == {40: None, 31: None, 29: "tag-29", 0: "tag-0"}


def test_the_migration_forgets_the_unkeyed_address_hashes(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    config = _alembic_config(normalise_url(url))
    command.upgrade(config, "0002")

    async def seed() -> None:
        engine = create_async_engine(normalise_url(url))
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    sa.text(
                        "INSERT INTO sites (id, name, origins, policy, created_at) "
                        "VALUES (1, 'default', '[]', '{}', '2026-01-01')"
                    )
                )
                await conn.execute(
                    sa.text(
                        "INSERT INTO threads (id, site_id, key, title, url, article_html, locked,"
                        " version, created_at) VALUES (1, 1, '/t/', '', '', '', 0, 1, '2026-01-01')"
                    )
                )
                await conn.execute(
                    sa.text(
                        "INSERT INTO comments (thread_id, depth, remote_addr, body_md, body_html,"
                        " status, votes, created_at) VALUES (1, 0, :hash, 'x', 'x', 'published',"
                        " 0, '2026-01-01')"
                    ),
                    {"hash": hashlib.blake2b(b"192.0.2.1", digest_size=16).hexdigest()},
                )
        finally:
            await engine.dispose()

    asyncio.run(seed())
    command.upgrade(config, "head")
    assert list(_tags(url).values()) == [None]
