"""No write can be forged from another page, and a browser votes once (issue 9, item 5)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from parley.services.tokens import AuthorTokens
from parley.storage.factory import normalise_url
from parley.storage.schema import votes
from tests.live import LiveServer
from tests.test_http_api import assert_problem

THREAD = "/votes/"
BLOG = "https://blog.example"
# The content types a page may send to any origin without asking first (CORS "simple requests").
SIMPLE_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x"]


@pytest.fixture
def start(start_unmoderated_server: Callable[..., LiveServer]) -> Callable[..., LiveServer]:
    def start(**overrides: object) -> LiveServer:
        return start_unmoderated_server(**{"origins": (BLOG,), **overrides})

    return start


@pytest.fixture
def server(start: Callable[..., LiveServer]) -> LiveServer:
    return start()


def post(client: httpx.Client, body: str, token: str | None = None, **extra: Any) -> dict[str, Any]:
    headers = {"X-Author-Token": token} if token else {}
    response = client.post(
        "/api/v1/comments", json={"thread": THREAD, "body": body, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def vote(
    client: httpx.Client, comment_id: int, value: int, token: str | None = None
) -> httpx.Response:
    headers = {"X-Author-Token": token} if token else {}
    return client.post(
        f"/api/v1/comments/{comment_id}/vote", json={"value": value}, headers=headers
    )


def shown(client: httpx.Client) -> dict[int, dict[str, Any]]:
    response = client.get("/api/v1/comments", params={"thread": THREAD})
    return {c["id"]: c for c in response.json()["comments"]}


def stored_voters(database_url: str) -> list[str]:
    async def read() -> list[str]:
        engine = create_async_engine(normalise_url(database_url))
        try:
            async with engine.connect() as conn:
                return list((await conn.execute(sa.select(votes.c.voter))).scalars())
        finally:
            await engine.dispose()

    return asyncio.run(read())


@pytest.mark.parametrize("content_type", [*SIMPLE_TYPES, None])
def test_every_write_must_say_it_is_json(server: LiveServer, content_type: str | None) -> None:
    with server.client() as client:
        created = post(client, "original")
        comment_id, token = created["comment"]["id"], created["author_token"]
        writes = [
            ("POST", "/api/v1/comments", {"thread": THREAD, "body": "forged"}),
            ("POST", f"/api/v1/comments/{comment_id}/vote", {"value": 1}),
            ("POST", "/api/v1/preview", {"body": "forged"}),
            ("PATCH", f"/api/v1/comments/{comment_id}", {"body": "forged"}),
            ("DELETE", f"/api/v1/comments/{comment_id}", {}),
        ]
        headers = {"X-Author-Token": token, "Origin": BLOG}
        if content_type:
            headers["Content-Type"] = content_type
        for method, path, payload in writes:
            sent = client.request(method, path, content=json.dumps(payload), headers=headers)
            assert_problem(sent, 415, 1015)
        (kept,) = shown(client).values()
        assert kept["html"] == "<p>original</p>" and kept["votes"] == 0


def test_a_delete_without_a_body_needs_no_content_type(server: LiveServer) -> None:
    """Browsers ask first before any cross-origin DELETE: there is nothing to forge."""
    with server.client() as client:
        created = post(client, "short-lived")
        url = f"/api/v1/comments/{created['comment']['id']}"
        deleted = client.delete(url, headers={"X-Author-Token": created["author_token"]})
        assert deleted.status_code == 204
        assert shown(client) == {}


def test_votes_from_pages_of_other_origins_are_refused(server: LiveServer) -> None:
    with server.client() as client:
        comment_id = post(client, "vote on me")["comment"]["id"]
        forged = client.post(
            f"/api/v1/comments/{comment_id}/vote",
            json={"value": 1},
            headers={"Origin": "https://evil.example"},
        )
        assert_problem(forged, 403, 2003)
        assert shown(client)[comment_id]["votes"] == 0
        from_the_blog = client.post(
            f"/api/v1/comments/{comment_id}/vote", json={"value": 1}, headers={"Origin": BLOG}
        )
        assert from_the_blog.json()["votes"] == 1


def test_a_browser_votes_with_one_identity_however_many_comments_it_posts(
    server: LiveServer, sqlite_url: str
) -> None:
    with server.client() as client:
        target = post(client, "a comment to vote on")["comment"]["id"]
        first = vote(client, target, 1)
        assert first.status_code == 200 and first.json()["votes"] == 1
        token = first.json()["author_token"]  # the browser's identity from its first write
        for n in range(3):
            token = post(client, f"my comment {n}", token)["author_token"]
            assert vote(client, target, 1, token).json()["votes"] == 1
        assert vote(client, target, -1, token).json()["votes"] == -1
        mine = client.get(
            "/api/v1/comments", params={"thread": THREAD}, headers={"X-Author-Token": token}
        ).json()["comments"]
        assert [c["mine"] for c in mine] == [False, True, True, True]
    tokens = AuthorTokens(server.settings.secret, server.settings.author_token_ttl)
    assert stored_voters(sqlite_url) == [tokens.author_key(first.json()["author_token"])]


def test_a_vote_can_be_retracted(server: LiveServer, sqlite_url: str) -> None:
    with server.client() as client:
        target = post(client, "changeable minds")["comment"]["id"]
        mine = vote(client, target, 1).json()["author_token"]
        other = vote(client, target, 1).json()["author_token"]
        assert vote(client, target, 0, mine).json()["votes"] == 1
        assert vote(client, target, 0, mine).json()["votes"] == 1  # retracting twice is no error
        assert shown(client)[target]["votes"] == 1
        assert vote(client, target, 0, other).json()["votes"] == 0
        assert_problem(vote(client, target, 2, mine), 400, 1001)
    assert stored_voters(sqlite_url) == []
