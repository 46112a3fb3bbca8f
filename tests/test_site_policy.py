"""Each site's own moderation policy, applied to the comments posted there."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable

import httpx

from parley.storage.factory import open_store
from tests.live import LiveServer

THREAD = "/policy/"


def set_policy(database_url: str, policy: dict[str, object]) -> None:
    async def write() -> None:
        store = open_store(database_url)
        try:
            await store.set_site_policy("default", policy)
        finally:
            await store.close()

    asyncio.run(write())


def stored_statuses(database_url: str) -> list[str]:
    async def read() -> list[str]:
        store = open_store(database_url)
        try:
            (site,) = await store.list_sites()
            (_, comments), *_ = [t async for t in store.export_threads(site.id)]
            return [c.status.value for c in comments]
        finally:
            await store.close()

    return asyncio.run(read())


def post(server: LiveServer, body: str, token: str | None = None) -> httpx.Response:
    headers = {"X-Author-Token": token} if token else {}
    return httpx.post(
        f"{server.url}/api/v1/comments", json={"thread": THREAD, "body": body}, headers=headers
    )


def test_a_sites_block_list_rejects_with_its_reason_and_keeps_the_comment(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    start_server().stop()  # creates the default site
    set_policy(sqlite_url, {"block_terms": ["spoiler"]})
    server = start_server()
    rejected = post(server, "Big SP0ILER: the film ends in 1938.")
    assert rejected.status_code == 422 and rejected.json()["code"] == 2010
    assert "reasons" not in rejected.json() and "spoiler" not in rejected.text.lower()
    assert post(server, "A careful, moving documentary.").status_code == 201
    assert stored_statuses(sqlite_url) == ["rejected", "published"]
    # the reason is kept for the moderators
    with sqlite3.connect(sqlite_url.split("///", 1)[1]) as db:
        (reasons,) = db.execute("SELECT reasons FROM assessments ORDER BY id LIMIT 1").fetchone()
    assert "spoiler" in reasons


def test_first_time_authors_are_held_when_the_site_asks(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    before = start_server()
    regular = post(before, "I have commented here before.").json()["author_token"]
    before.stop()
    set_policy(sqlite_url, {"hold_first_time": True})
    server = start_server()
    assert post(server, "Hello again.", token=regular).status_code == 201
    newcomer = post(server, "My very first comment.")
    assert newcomer.status_code == 202 and newcomer.json()["held"] is True
