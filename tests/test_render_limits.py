"""Previews and Markdown rendering cannot stall the server (issue 9, item 4).

markdown-it-py is linear but slow on unmatched link and image openers: `![` costs some 20 µs a
character, so the 100,000 characters a preview used to take kept the event loop for seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest

from tests.live import LiveServer
from tests.test_http_api import assert_problem

THREAD = "/render/"
READ_BOUND_S = 2.0  # generous: a read waits for no render; before the fix reads took 8 s


def crafted(length: int) -> str:
    """The slowest body found for markdown-it-py: nothing but unmatched image openers."""
    return ("![" * (length // 2 + 1))[:length]


@pytest.fixture
def start(start_unmoderated_server: Callable[..., LiveServer]) -> Callable[..., LiveServer]:
    return start_unmoderated_server


def test_a_preview_is_as_long_as_a_post_may_be(start: Callable[..., LiveServer]) -> None:
    server = start()
    limit = server.settings.max_body
    with server.client() as client:
        assert client.post("/api/v1/preview", json={"body": "x" * limit}).status_code == 200
        too_long = client.post("/api/v1/preview", json={"body": "x" * (limit + 1)})
        assert assert_problem(too_long, 422, 1002)["field"] == "body"
        assert_problem(client.post("/api/v1/preview", json={"body": "x" * 100_000}), 422, 1002)


def test_previews_are_rate_limited_apart_from_posts(start: Callable[..., LiveServer]) -> None:
    server = start(rate_limit=2, rate_period=3600)
    with server.client() as client:
        for _ in range(2):
            assert client.post("/api/v1/preview", json={"body": "*hi*"}).status_code == 200
        limited = client.post("/api/v1/preview", json={"body": "*hi*"})
        assert_problem(limited, 429, 2029)
        assert 0 < int(limited.headers["retry-after"]) <= 3600
        posted = client.post("/api/v1/comments", json={"thread": THREAD, "body": "still mine"})
        assert posted.status_code == 201


def reads_while(server: LiveServer, bodies: list[str]) -> tuple[list[float], list[int]]:
    """Preview every body at once and read the thread until all are answered.

    Returns how long each read took and the previews' statuses.
    """

    async def run() -> tuple[list[float], list[int]]:
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
            previews = [
                asyncio.create_task(client.post("/api/v1/preview", json={"body": body}))
                for body in bodies
            ]
            took: list[float] = []
            while not took or not all(p.done() for p in previews):
                started = time.perf_counter()
                read = await client.get("/api/v1/comments", params={"thread": THREAD})
                assert read.status_code == 200 and len(read.json()["comments"]) == 1
                took.append(time.perf_counter() - started)
            return took, [p.result().status_code for p in previews]

    return asyncio.run(run())


def test_crafted_previews_leave_reads_answered(start: Callable[..., LiveServer]) -> None:
    server = start()
    with server.client() as client:
        assert client.post("/api/v1/comments", json={"thread": THREAD, "body": "hi"}).is_success

    too_long, refused = reads_while(server, [crafted(100_000)] * 4)  # the attack
    assert max(too_long) < READ_BOUND_S
    assert refused == [422] * 4

    at_limit, rendered = reads_while(server, [crafted(server.settings.max_body)] * 4)
    assert set(rendered) <= {200, 422}  # rendered, or refused as too costly to render
    assert max(at_limit) < READ_BOUND_S


def test_rendering_is_bounded_in_time_whatever_the_length_limit(
    start: Callable[..., LiveServer],
) -> None:
    """With the limit raised far beyond the default, a crafted body is refused, not rendered."""
    server = start(max_body=1_000_000)
    body = crafted(1_000_000)  # 20 s of rendering at the speed measured here
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for path, payload in (
            ("/api/v1/preview", {"body": body}),
            ("/api/v1/comments", {"thread": THREAD, "body": body}),
        ):
            started = time.perf_counter()
            problem = assert_problem(client.post(path, json=payload), 422, 1007)
            assert problem["field"] == "body"
            assert time.perf_counter() - started < 15
        assert client.get("/api/v1/comments", params={"thread": THREAD}).json()["comments"] == []
        plain = client.post("/api/v1/preview", json={"body": "word " * 100_000})
        assert plain.status_code == 200
