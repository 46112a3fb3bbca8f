"""A bad request is a 4xx problem, a failing database a 503 problem, never a bare 500.

Issue 9, item 8: deeply nested JSON, control characters, oversized bodies, writes on a read-only
or full database, and faults on the cached-read fast path.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest
import sqlalchemy as sa

from parley.services.moderation import PublishEverything
from tests.conftest import PG_ADMIN, make_settings
from tests.live import LiveServer
from tests.test_http_api import assert_problem

THREAD = "/errors/"
NESTED = b"[" * 50_000 + b"]" * 50_000  # 100 kB: within the size limit


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    live = LiveServer(make_settings(database_url), PublishEverything()).start()
    yield live
    live.stop()


def created(client: httpx.Client, body: str = "first") -> tuple[int, str]:
    response = client.post("/api/v1/comments", json={"thread": THREAD, "body": body})
    assert response.status_code == 201, response.text
    return response.json()["comment"]["id"], response.json()["author_token"]


def stored(client: httpx.Client) -> list[dict[str, Any]]:
    response = client.get("/api/v1/comments", params={"thread": THREAD})
    assert response.status_code == 200, response.text
    return response.json()["comments"]  # type: ignore[no-any-return]


def test_deeply_nested_json_is_a_malformed_request(server: LiveServer) -> None:
    with server.client() as client:
        comment_id, token = created(client)
        headers = {"Content-Type": "application/json", "X-Author-Token": token}
        for method, path, payload in (
            ("POST", "/api/v1/comments", NESTED),
            ("POST", "/api/v1/comments", b'{"thread": "/x/", "body": ' + NESTED + b"}"),
            ("POST", f"/api/v1/comments/{comment_id}/vote", b'{"value": ' + NESTED + b"}"),
            ("POST", "/api/v1/preview", b'{"body": "x", "more": ' + NESTED + b"}"),
            ("PATCH", f"/api/v1/comments/{comment_id}", NESTED),
        ):
            answer = client.request(method, path, content=payload, headers=headers)
            assert "nested" in assert_problem(answer, 400, 1000)["detail"]
        assert [c["html"] for c in stored(client)] == ["<p>first</p>"]


FIELDS = ["thread", "body", "name", "email", "website", "title"]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_in_every_field_on_every_database(
    server: LiveServer, character: str
) -> None:
    valid = {
        "thread": "/errors/",
        "body": "body",
        "name": "Ann",
        "email": "ann@example.org",
        "website": "https://ann.example",
        "title": "Title",
    }
    with server.client() as client:
        for field in FIELDS:
            spoiled = {**valid, field: valid[field][:2] + character + valid[field][2:]}
            problem = assert_problem(client.post("/api/v1/comments", json=spoiled), 400, 1006)
            assert problem["field"] == field and field in problem["detail"]
        comment_id, token = created(client)
        headers = {"X-Author-Token": token}
        edit = client.patch(
            f"/api/v1/comments/{comment_id}", json={"body": f"a{character}"}, headers=headers
        )
        assert assert_problem(edit, 400, 1006)["field"] == "body"
        preview = client.post("/api/v1/preview", json={"body": f"a{character}"})
        assert assert_problem(preview, 400, 1006)["field"] == "body"
        for path in ("/api/v1/comments", "/api/v1/counts", "/api/v1/events"):
            read = client.get(path, params={"thread": f"/errors{character}/"})
            assert assert_problem(read, 400, 1006)["field"] == "thread"
        assert [c["html"] for c in stored(client)] == ["<p>first</p>"]


def test_tabs_and_line_breaks_stay_in_a_body(server: LiveServer) -> None:
    with server.client() as client:
        comment_id, _ = created(client, "one\tcell\r\ntwo lines")
        assert stored(client)[0]["id"] == comment_id


def test_oversized_bodies_are_413(server: LiveServer) -> None:
    with server.client() as client:
        comment_id, token = created(client)
        huge = "x" * 1_000_000
        for method, path, payload in (
            ("POST", "/api/v1/comments", {"thread": THREAD, "body": huge}),
            ("POST", "/api/v1/preview", {"body": huge}),
            ("PATCH", f"/api/v1/comments/{comment_id}", {"body": huge}),
            ("POST", f"/api/v1/comments/{comment_id}/vote", {"value": 1, "padding": huge}),
        ):
            answer = client.request(method, path, json=payload, headers={"X-Author-Token": token})
            assert_problem(answer, 413, 1013)
        chunked = client.post(  # no Content-Length to refuse it by: it is counted as read
            "/api/v1/comments",
            content=iter([b'{"thread": "/errors/", "body": "', b"x" * 1_000_000, b'"}']),
            headers={"Content-Type": "application/json"},
        )
        assert "content-length" not in chunked.request.headers
        assert_problem(chunked, 413, 1013)
        assert [c["html"] for c in stored(client)] == ["<p>first</p>"]


def _database_name(url: str) -> str:
    return sa.make_url(url).database or ""


async def _make_read_only(database_url: str) -> None:
    """What a failover to a read-only replica does: new sessions may no longer write."""
    name = _database_name(database_url)
    conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await conn.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await conn.close()


def _fill_up(database_url: str) -> None:
    """Make every write SQLite is asked for fail as on a full disk."""
    with sqlite3.connect(_database_name(database_url)) as conn:
        for name, event in (("update", "UPDATE ON comments"), ("delete", "DELETE ON comments")):
            conn.execute(
                f"CREATE TRIGGER full_{name} BEFORE {event} "
                "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
            )
        for table in ("votes", "comments"):
            conn.execute(
                f"CREATE TRIGGER full_{table} BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
            )


def test_writes_on_a_database_that_refuses_them_are_503(
    server: LiveServer, database_url: str
) -> None:
    with server.client() as client:
        first, token = created(client)
        second, _ = created(client, "second")
        if database_url.startswith("sqlite"):
            _fill_up(database_url)
        else:
            asyncio.run(_make_read_only(database_url))
        headers = {"X-Author-Token": token}
        for method, path, payload in (
            ("POST", "/api/v1/comments", {"thread": THREAD, "body": "third"}),
            ("PATCH", f"/api/v1/comments/{first}", {"body": "edited"}),
            ("POST", f"/api/v1/comments/{second}/vote", {"value": 1}),
        ):
            answer = client.request(method, path, json=payload, headers=headers)
            assert_problem(answer, 503, 5003)
        assert_problem(client.delete(f"/api/v1/comments/{first}", headers=headers), 503, 5003)
        assert [(c["html"], c["votes"]) for c in stored(client)] == [
            ("<p>first</p>", 0),
            ("<p>second</p>", 0),
        ]


def _lose_the_threads_table(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(_database_name(database_url)) as conn:
            conn.execute("ALTER TABLE threads RENAME TO threads_lost")
        return

    async def rename() -> None:
        conn = await asyncpg.connect(database_url.replace("+asyncpg", ""), timeout=5)
        try:
            await conn.execute("ALTER TABLE threads RENAME TO threads_lost")
        finally:
            await conn.close()

    asyncio.run(rename())


def test_a_failing_cached_read_is_a_problem_not_a_bare_500(
    server: LiveServer, database_url: str
) -> None:
    with server.client() as client:
        created(client)
        assert len(stored(client)) == 1  # the thread's answer is in the read cache now
        _lose_the_threads_table(database_url)
        for _ in range(2):
            assert_problem(client.get("/api/v1/comments", params={"thread": THREAD}), 503, 5003)
