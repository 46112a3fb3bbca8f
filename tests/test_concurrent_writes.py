"""Many writers at once lose nothing, on SQLite and PostgreSQL (issue 9, item 2)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from parley.services.moderation import PublishEverything
from parley.services.tokens import AuthorTokens
from parley.storage.factory import normalise_url
from parley.storage.schema import votes
from tests.conftest import make_settings
from tests.live import LiveServer

WRITERS = 100
THREAD = "/crowded/"
DEADLINE_S = 120
T = TypeVar("T")


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    """No write limit (the crowd shares one address) and no model: the database is on test."""
    live = LiveServer(make_settings(database_url, rate_limit=0), PublishEverything()).start()
    yield live
    live.stop()


def crowd(server: LiveServer, work: Callable[[httpx.AsyncClient], Awaitable[T]]) -> T:
    """Run `work` with a client that may hold one connection per writer, bounded in time."""

    async def run() -> T:
        limits = httpx.Limits(max_connections=WRITERS)
        async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
            return await asyncio.wait_for(work(client), DEADLINE_S)

    return asyncio.run(run())


def statuses(responses: list[httpx.Response]) -> dict[int, int]:
    codes = [r.status_code for r in responses]
    return {code: codes.count(code) for code in set(codes)}


def read(server: LiveServer) -> dict[str, Any]:
    response = httpx.get(f"{server.url}/api/v1/comments", params={"thread": THREAD})
    return response.json()  # type: ignore[no-any-return]


async def vote_rows(database_url: str) -> dict[int, tuple[int, int]]:
    """Per comment, the vote rows stored and the sum of their values."""
    engine = create_async_engine(normalise_url(database_url))
    query = sa.select(votes.c.comment_id, sa.func.count(), sa.func.sum(votes.c.value)).group_by(
        votes.c.comment_id
    )
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(query)
            return {comment_id: (count, int(total)) for comment_id, count, total in rows}
    finally:
        await engine.dispose()


def test_a_hundred_first_comments_at_once_on_a_new_thread_are_all_kept(
    server: LiveServer,
) -> None:
    async def post_all(client: httpx.AsyncClient) -> list[httpx.Response]:
        return await asyncio.gather(
            *(
                client.post("/api/v1/comments", json={"thread": THREAD, "body": f"comment {i}"})
                for i in range(WRITERS)
            )
        )

    posted = crowd(server, post_all)
    assert statuses(posted) == {201: WRITERS}
    thread = read(server)
    assert {c["id"] for c in thread["comments"]} == {r.json()["comment"]["id"] for r in posted}
    assert thread["thread"]["count"] == WRITERS


def test_a_hundred_votes_at_once_are_all_counted(server: LiveServer, database_url: str) -> None:
    with server.client() as client:
        targets = [
            client.post("/api/v1/comments", json={"thread": THREAD, "body": f"target {i}"}).json()[
                "comment"
            ]["id"]
            for i in range(4)
        ]
    tokens = AuthorTokens(server.settings.secret, server.settings.author_token_ttl)
    voters = [tokens.issue()[1] for _ in range(WRITERS)]

    async def vote_all(client: httpx.AsyncClient) -> list[httpx.Response]:
        """Every voter votes on one of the targets at once: up, or down for every third."""
        return await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/comments/{targets[i % len(targets)]}/vote",
                    json={"value": -1 if i % 3 == 0 else 1},
                    headers={"X-Author-Token": voter},
                )
                for i, voter in enumerate(voters)
            )
        )

    voted = crowd(server, vote_all)
    assert statuses(voted) == {200: WRITERS}
    stored = asyncio.run(vote_rows(database_url))
    assert sorted(stored) == sorted(targets)
    assert sum(count for count, _ in stored.values()) == WRITERS
    shown = {c["id"]: c["votes"] for c in read(server)["comments"]}
    assert {comment_id: total for comment_id, (_, total) in stored.items()} == shown
