"""The moderators' event stream (`GET /api/v1/admin/events`) over real HTTP: who hears what as
the review queues change, on SQLite and PostgreSQL, across instances, and after a lost listener.

Comments are posted through the public API and judged by the shipped engine (the "default"
site holds "spoiler"); decisions are taken through the admin API, as the console takes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.response import ServerSentEventMessage

from parley.storage.factory import open_store
from parley.web.admin.events_api import moderator_events
from parley.web.events import moderators_channel
from tests.admin.helpers import (
    ADMIN_API,
    Room,
    assert_problem,
    posted,
    run,
    send,
    session_of,
    start_room,
)
from tests.live import LiveServer
from tests.test_live_updates import _terminate_listener

OTHER_ORIGIN = "https://other.example"
THIRD_ORIGIN = "https://third.example"
THIRD = {"Origin": THIRD_ORIGIN}
SPOILER = "This film has a big spoiler at the end."  # held on "default" by its hold_terms
INSULT = "Shut up, you stupid worthless idiot."  # held or flagged by the engine on any site
KIND = "Great documentary, thanks for sharing."
QUEUE_OF = {"pending": "held", "flagged": "flagged"}
RECHECK = 1  # seconds between a stream's looks at its session (production: 15)

Events = queue.Queue[dict[str, Any]]


@contextmanager
def moderator_stream(
    server: LiveServer, name: str, keepalives: queue.Queue[None] | None = None
) -> Iterator[Events]:
    """`name`'s stream, read on a thread; yields once the server says it is listening.
    Each keep-alive comment (sent after each look at the session) goes to `keepalives`."""
    events: Events = queue.Queue()
    ready = threading.Event()
    with session_of(server, name) as signed_in:
        cookies = dict(signed_in.cookies)

        def read() -> None:
            with (
                contextlib.suppress(httpx.TransportError),  # the server hangs up at teardown
                httpx.Client(
                    base_url=server.url, cookies=cookies, timeout=httpx.Timeout(5, read=60)
                ) as client,
                client.stream("GET", f"{ADMIN_API}/events") as response,
            ):
                assert response.status_code == 200, response.read()
                assert response.headers["content-type"].startswith("text/event-stream")
                for line in response.iter_lines():
                    if line.startswith(": listening"):
                        ready.set()
                    elif line.startswith(": keep-alive") and keepalives is not None:
                        keepalives.put(None)
                    elif line.startswith("data:") and line[5:].strip():
                        events.put(json.loads(line[5:]))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert ready.wait(10), f"{name}'s event stream did not open"
        yield events


def queued(comment: dict[str, Any], site: int) -> dict[str, Any]:
    status = comment["comment"]["status"]
    assert status in QUEUE_OF, comment  # the engine queued it, or the test proves nothing
    comment_id = comment["comment"]["id"]
    return {"type": "queued", "id": comment_id, "site": site, "queue": QUEUE_OF[status]}


@pytest.fixture
def room(database_url: str, start_server: Callable[..., LiveServer]) -> Room:
    """Sites "default" and "other"; "olga" owns all, "mo" moderates default, "bea" other."""
    return start_room(Room, database_url, start_server)


def test_moderators_hear_of_their_own_sites_queues_only(room: Room) -> None:
    a, b = room.sites.a, room.sites.b
    with (
        moderator_stream(room.server, "mo") as mo,
        moderator_stream(room.server, "bea") as bea,
        moderator_stream(room.server, "olga") as olga,
    ):
        elsewhere = posted(send(room.server, INSULT, origin=OTHER_ORIGIN))
        held = posted(room.send(SPOILER), 202)
        # bea's site's comment first: mo's first event is his own site's, never bea's.
        assert mo.get(timeout=10) == queued(held, a)
        assert bea.get(timeout=10) == queued(elsewhere, b)
        assert [olga.get(timeout=10), olga.get(timeout=10)] == [
            queued(elsewhere, b),
            queued(held, a),
        ]

        # The author edits the held comment: still held, queued again (the console re-reads).
        token = {"X-Author-Token": held["author_token"]}
        url = f"{room.server.url}/api/v1/comments/{held['comment']['id']}"
        edit = httpx.patch(url, json={"body": f"{SPOILER} Edited."}, headers=token)
        assert edit.status_code == 200, edit.text
        assert mo.get(timeout=10) == olga.get(timeout=10) == queued(held, a)

        # A decision, and its undo, by another moderator (the owner).
        held_id = held["comment"]["id"]
        with room.client("olga") as owner:
            approved = owner.post(f"{ADMIN_API}/comments/{held_id}/approve", json={})
            assert approved.status_code == 200, approved.text
            decided = {"type": "decided", "id": held_id, "site": a, "queue": None}
            assert mo.get(timeout=10) == decided
            assert olga.get(timeout=10) == decided
            undone = owner.post(f"{ADMIN_API}/undo/{approved.json()['undo_id']}", json={})
            assert undone.status_code == 200, undone.text
            assert mo.get(timeout=10) == {**decided, "queue": "held"}

        # Readers' reports: the third distinct one puts the comment in the reported queue.
        public = posted(room.send(KIND), 201)["comment"]["id"]
        for _ in range(3):
            answer = httpx.post(
                f"{room.server.url}/api/v1/comments/{public}/report", json={"reason": "spam"}
            )
            assert answer.status_code == 201, answer.text
        reported = {"type": "reported", "id": public, "site": a, "queue": "reported"}
        assert mo.get(timeout=10) == reported  # ids only: no thread, no text

        # Nothing else reached anyone: each stream's next event is a last post on its sites.
        last_b = posted(send(room.server, INSULT, origin=OTHER_ORIGIN))
        last_a = posted(room.send(SPOILER), 202)
        assert bea.get(timeout=10) == queued(last_b, b)
        assert mo.get(timeout=10) == queued(last_a, a)
        assert [olga.get(timeout=10) for _ in range(4)] == [
            {**decided, "queue": "held"},
            reported,
            queued(last_b, b),
            queued(last_a, a),
        ]


def test_an_owner_hears_of_a_site_added_while_listening(
    sqlite_url: str, start_server: Callable[..., LiveServer]
) -> None:
    room = start_room(Room, sqlite_url, start_server, admin_events_recheck=RECHECK)
    looked: queue.Queue[None] = queue.Queue()
    with moderator_stream(room.server, "olga", looked) as olga:
        third = run(_add_site(sqlite_url, "third", THIRD_ORIGIN))
        # The server re-reads its sites every SITES_REFRESH_SECONDS: wait until it allows the
        # new site's origin...
        for _ in range(100):
            answer = httpx.get(
                f"{room.server.url}/api/v1/counts", params={"thread": "/"}, headers=THIRD
            )
            if answer.headers.get("access-control-allow-origin") == THIRD_ORIGIN:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the server never learnt of the new site")
        # ...then for the stream's second look at the session from now (the first might have
        # begun before): it listens to the new site's channel too.
        while not looked.empty():
            looked.get_nowait()
        for _ in range(2):
            looked.get(timeout=RECHECK * 3)
        comment = posted(send(room.server, INSULT, origin=THIRD_ORIGIN))
        assert olga.get(timeout=10) == queued(comment, third)


async def _add_site(url: str, name: str, origin: str) -> int:
    store = open_store(url)
    try:
        return (await store.ensure_site(name, [origin])).id
    finally:
        await store.close()


def test_a_stream_needs_a_session(room: Room) -> None:
    with room.server.client() as client:
        assert_problem(client.get(f"{ADMIN_API}/events"), 401, 2004)
    with room.server.client(cookies={"parley_admin": "forged-token"}) as forged:
        assert_problem(forged.get(f"{ADMIN_API}/events"), 401, 2004)


def test_moderators_hear_other_instances_through_postgres_and_resync_after_an_outage(
    postgres_url: str, start_server: Callable[..., LiveServer]
) -> None:
    room = start_room(Room, postgres_url, start_server, events_backend="postgres")
    second = start_server(database_url=postgres_url, events_backend="postgres")
    with moderator_stream(second, "mo") as mo:
        held = posted(room.send(SPOILER), 202)  # posted on the first instance
        assert mo.get(timeout=10) == queued(held, room.sites.a)
        assert _terminate_listener(postgres_url) >= 1
        # Told to re-read the queue (once, however many channels it listens on), then hears on.
        assert mo.get(timeout=15) == {"type": "resync"}
        again = posted(room.send(f"Another {SPOILER}"), 202)
        assert mo.get(timeout=10) == queued(again, room.sites.a)


# -- the stream itself, on the real channels plugin ---------------------------------------------
def test_a_stream_follows_the_sites_its_session_allows_and_ends_with_it() -> None:
    """The session moves from site 1 to site 2 (once 11 is heard), then ends (once 21 is)."""

    async def run() -> list[tuple[int, int]]:
        plugin = ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True)
        heard: list[tuple[int, int]] = []
        moved = asyncio.Event()

        async def sites_now() -> frozenset[int] | None:
            if (1, 11) not in heard:
                return frozenset({1})
            if (2, 21) not in heard:
                moved.set()
                return frozenset({2})
            return None

        async def publish(site: int, comment_id: int) -> None:
            event = {"type": "queued", "id": comment_id, "site": site, "queue": "held"}
            await plugin.wait_published(event, moderators_channel(site))

        stream: AsyncGenerator[ServerSentEventMessage, None] = moderator_events(
            plugin, frozenset({1}), sites_now, recheck_seconds=0.05
        )
        async with plugin:
            first = await anext(stream)
            assert first.comment == "listening"
            await publish(2, 20)  # not this moderator's site (yet): never sent
            await publish(1, 10)
            await publish(1, 11)
            async for message in stream:  # ends when the session does
                if message.event == "change":
                    event = json.loads(str(message.data))
                    heard.append((event["site"], event["id"]))
                if moved.is_set():  # now listening to site 2 only
                    moved.clear()
                    await publish(1, 12)
                    await publish(2, 21)
            await stream.aclose()
        return heard

    assert asyncio.run(run()) == [(1, 10), (1, 11), (2, 21)]
