"""Server-Sent Events: readers learn of changes as they happen, across instances too."""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import httpx
import pytest
import redis

from tests.conftest import PG_ADMIN, require
from tests.live import LiveServer


@contextmanager
def listening(server: LiveServer, thread: str) -> Iterator[queue.Queue[dict[str, Any]]]:
    """Read the SSE stream in a thread; yield once the server says it is listening."""
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    ready = threading.Event()

    def read() -> None:
        with (
            contextlib.suppress(httpx.TransportError),  # the server hangs up at teardown
            httpx.Client(base_url=server.url, timeout=httpx.Timeout(5, read=30)) as client,
            client.stream("GET", "/api/v1/events", params={"thread": thread}) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                if line.startswith(": listening"):
                    ready.set()
                elif line.startswith("data:") and line[5:].strip():
                    events.put(json.loads(line[5:]))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert ready.wait(10), "the event stream did not open"
    yield events


def post(server: LiveServer, thread: str, body: str) -> dict[str, Any]:
    response = httpx.post(f"{server.url}/api/v1/comments", json={"thread": thread, "body": body})
    assert response.status_code == 201
    return response.json()  # type: ignore[no-any-return]


def test_a_reader_hears_of_new_edited_and_deleted_comments(server: LiveServer) -> None:
    with listening(server, "/live/") as events:
        created = post(server, "/live/", "hello")
        comment_id = created["comment"]["id"]
        assert events.get(timeout=10) == {"type": "created", "id": comment_id}
        post(server, "/elsewhere/", "not for this thread")
        headers = {"X-Author-Token": created["author_token"]}
        url = f"{server.url}/api/v1/comments/{comment_id}"
        httpx.patch(url, json={"body": "hello again"}, headers=headers)
        assert events.get(timeout=10) == {"type": "edited", "id": comment_id}
        httpx.delete(url, headers=headers)
        assert events.get(timeout=10) == {"type": "deleted", "id": comment_id}
        assert events.empty()


@pytest.mark.parametrize("backend", ["postgres", "redis"])
def test_instances_sharing_a_backend_hear_each_other(
    backend: str, postgres_url: str, start_server: Callable[..., LiveServer]
) -> None:
    if backend == "redis":
        try:
            redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping()
            reachable = True
        except redis.RedisError:
            reachable = False
        require(reachable, "Redis not reachable at 127.0.0.1:6379")
        events_backend = "redis://127.0.0.1:6379/0"
    else:
        events_backend = "postgres"
    first = start_server(database_url=postgres_url, events_backend=events_backend)
    second = start_server(database_url=postgres_url, events_backend=events_backend)
    with listening(second, "/shared/") as events:
        created = post(first, "/shared/", "posted on the first instance")
        assert events.get(timeout=10) == {"type": "created", "id": created["comment"]["id"]}


def _terminate_listener(database_url: str) -> int:
    async def terminate() -> int:
        conn = await asyncpg.connect(PG_ADMIN, timeout=5)
        try:
            database = database_url.rsplit("/", 1)[1]
            rows = await conn.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = $1 AND query ILIKE 'LISTEN%'",
                database,
            )
            return len(rows)
        finally:
            await conn.close()

    return asyncio.run(terminate())


def test_postgres_streams_survive_a_lost_listener(
    postgres_url: str, start_server: Callable[..., LiveServer]
) -> None:
    server = start_server(database_url=postgres_url, events_backend="postgres")
    with listening(server, "/outage/") as events:
        assert _terminate_listener(postgres_url) >= 1
        # The open stream is told to re-read what it may have missed, then hears new changes.
        assert events.get(timeout=15) == {"type": "resync"}
        with listening(server, "/outage/") as later:
            created = post(server, "/outage/", "after the outage")
            expected = {"type": "created", "id": created["comment"]["id"]}
            assert later.get(timeout=10) == expected
            assert events.get(timeout=10) == expected
