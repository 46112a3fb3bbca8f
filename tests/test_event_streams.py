"""Event streams are capped, and say nothing of held comments (issue 9, item 10)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import httpx
from litestar.types import ASGIApp, Message

from parley.web.app import create_app
from tests.conftest import make_settings
from tests.live import LiveServer
from tests.test_live_updates import listening
from tests.test_moderated_editing import MarkedWords

THREAD = "/streams/"


@contextmanager
def open_stream(server: LiveServer) -> Iterator[httpx.Response]:
    with (
        httpx.Client(base_url=server.url, timeout=httpx.Timeout(5, read=30)) as client,
        client.stream("GET", "/api/v1/events", params={"thread": THREAD}) as response,
    ):
        if response.status_code == 200:
            lines = response.iter_lines()  # kept: closing it would close the stream
            assert next(lines).startswith(": listening")
        else:
            response.read()
        yield response


def refused(response: httpx.Response) -> bool:
    return (
        response.status_code == 429
        and response.headers["content-type"].startswith("application/problem+json")
        and response.json()["code"] == 2029
    )


def eventually_opens(server: LiveServer) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open_stream(server) as response:
            if response.status_code == 200:
                return True
        time.sleep(0.05)
    return False


def test_streams_are_capped_per_address(start_server: Callable[..., LiveServer]) -> None:
    server = start_server(max_streams_per_ip=2, max_streams=100)
    with ExitStack() as streams:
        first = streams.enter_context(open_stream(server))
        second = streams.enter_context(open_stream(server))
        assert first.status_code == second.status_code == 200
        with open_stream(server) as third:
            assert refused(third)
    assert eventually_opens(server)  # a closed stream gives its place back


def test_streams_are_capped_in_all(start_server: Callable[..., LiveServer]) -> None:
    server = start_server(max_streams_per_ip=10, max_streams=2)
    with ExitStack() as streams:
        for _ in range(2):
            assert streams.enter_context(open_stream(server)).status_code == 200
        with open_stream(server) as third:
            assert refused(third)
    assert eventually_opens(server)


def post(server: LiveServer, body: str, token: str | None = None, **more: object) -> httpx.Response:
    headers = {"X-Author-Token": token} if token else {}
    return httpx.post(
        f"{server.url}/api/v1/comments",
        json={"thread": THREAD, "body": body, **more},
        headers=headers,
    )


def test_held_comments_leave_no_trace_in_events_or_answers(sqlite_url: str) -> None:
    server = LiveServer(make_settings(sqlite_url), MarkedWords()).start()
    try:
        with listening(server, THREAD) as events:
            held = post(server, "HOLD this one")
            assert held.status_code == 202
            held_id, token = held.json()["comment"]["id"], held.json()["author_token"]
            url = f"{server.url}/api/v1/comments/{held_id}"

            # A reply to it is held with it: published, it would show the held id.
            someone = post(server, "Someone else's words.").json()
            other = someone["author_token"]
            reply = post(server, "A reply.", other, parent_id=held_id)
            assert reply.status_code == 202 and reply.json()["held"] is True
            thread = httpx.get(f"{server.url}/api/v1/comments", params={"thread": THREAD})
            assert str(held_id) not in {str(c["parent_id"]) for c in thread.json()["comments"]}

            # Changing it with someone else's token (or none) answers as for no comment at all.
            absent = f"{server.url}/api/v1/comments/{held_id + 1000}"
            for who in ({"X-Author-Token": other}, {}):
                for target in (url, absent):
                    assert httpx.patch(target, json={"body": "x"}, headers=who).status_code == 404
                    assert httpx.delete(target, headers=who).status_code == 404

            # Its author may edit and delete it; no event tells the thread.
            headers = {"X-Author-Token": token}
            assert httpx.patch(url, json={"body": "HOLD still"}, headers=headers).status_code == 200
            assert httpx.delete(url, headers=headers).status_code == 204

            public = post(server, "Plain words.").json()["comment"]["id"]
            seen = [events.get(timeout=10) for _ in range(2)]
            assert events.empty()
        created = [{"type": "created", "id": i} for i in (someone["comment"]["id"], public)]
        assert seen == created
    finally:
        server.stop()


async def _stream_until_stuck(app: ASGIApp, address: str) -> list[Message]:
    """One event stream whose reader takes the headers and then nothing more."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v1/events",
        "raw_path": b"/api/v1/events",
        "root_path": "",
        "query_string": b"thread=%2Fslow%2F",
        "headers": [(b"host", b"127.0.0.1")],
        "client": (address, 40000),
        "server": ("127.0.0.1", 8080),
    }
    sent: list[Message] = []
    never = asyncio.Event()

    async def receive() -> Message:
        if not sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        await never.wait()  # the reader stays connected
        raise AssertionError

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            await never.wait()  # its buffers are full: nothing more goes out
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send), 10)
    return sent


def test_a_reader_that_stops_reading_loses_its_stream(sqlite_url: str) -> None:
    settings = make_settings(sqlite_url, slow_reader_timeout=1, max_streams_per_ip=1)
    app = create_app(settings, MarkedWords())

    async def run() -> None:
        inbox: asyncio.Queue[Message] = asyncio.Queue()
        outbox: asyncio.Queue[Message] = asyncio.Queue()
        lifespan = asyncio.create_task(
            app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put)
        )
        await inbox.put({"type": "lifespan.startup"})
        assert (await asyncio.wait_for(outbox.get(), 30))["type"] == "lifespan.startup.complete"
        try:
            # Each stream ends on its own (no disconnect), and gives its slot to the next.
            for _ in range(3):
                sent = await _stream_until_stuck(app, "192.0.2.9")
                assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
                await asyncio.sleep(0.05)  # the ended stream is closed on the next turns
        finally:
            await inbox.put({"type": "lifespan.shutdown"})
            await asyncio.wait_for(lifespan, 10)

    asyncio.run(run())
