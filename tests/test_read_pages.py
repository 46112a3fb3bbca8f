"""Threads read a page at a time, and author tokens that cannot make a read expensive."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from parley.domain.moderation import Action, ModerationContext, Reason, Verdict
from parley.web.cache import ThreadCache
from tests.conftest import make_settings
from tests.live import LiveServer

PROBLEM = "application/problem+json"


class HoldQuestions:
    """A stand-in policy (not a mock of ours): holds every comment ending in '?'."""

    def assess(self, text: str, context: ModerationContext) -> Verdict:
        if text.endswith("?"):
            return Verdict(Action.HOLD, reasons=(Reason(Action.HOLD, "a question"),))
        return Verdict(Action.PUBLISH)


@pytest.fixture
def live(database_url: str) -> Iterator[LiveServer]:
    server = LiveServer(make_settings(database_url, rate_limit=0), HoldQuestions()).start()
    yield server
    server.stop()


def post(client: httpx.Client, body: str, parent: int | None = None, **headers: str) -> int:
    response = client.post(
        "/api/v1/comments",
        json={"thread": "/paged/", "body": body, "parent_id": parent},
        headers=headers,
    )
    assert response.status_code in (201, 202), response.text
    return int(response.json()["comment"]["id"])


def read(client: httpx.Client, **params: Any) -> httpx.Response:
    headers = params.pop("headers", {})
    return client.get("/api/v1/comments", params={"thread": "/paged/", **params}, headers=headers)


def every_page(client: httpx.Client, **params: Any) -> list[list[dict[str, Any]]]:
    pages = []
    while True:
        body = read(client, **params).json()
        pages.append(body["comments"])
        if body["next"] is None:
            return pages
        params["after"] = body["next"]


def tree(client: httpx.Client) -> dict[str, int]:
    """Seven top-level comments, each with a reply and the second with a reply of its own."""
    ids: dict[str, int] = {}
    for n in range(7):
        ids[f"root{n}"] = post(client, f"root {n}")
        ids[f"reply{n}"] = post(client, f"reply {n}", ids[f"root{n}"])
    ids["deep"] = post(client, "deeper", ids["reply1"])
    return ids


@pytest.mark.parametrize("sort", ["oldest", "newest", "top"])
def test_pages_are_whole_branches_that_add_up_to_the_thread(live: LiveServer, sort: str) -> None:
    with live.client() as client:
        ids = tree(client)
        client.post(f"/api/v1/comments/{ids['root4']}/vote", json={"value": 1})
        whole = read(client, sort=sort).json()
        assert whole["next"] is None and len(whole["comments"]) == 15
        pages = every_page(client, sort=sort, limit=3)
        assert [sum(c["depth"] == 0 for c in page) for page in pages] == [3, 3, 1]
        for page in pages:
            assert page[0]["depth"] == 0  # a page never starts inside a branch
        flat = [c for page in pages for c in page]
        assert [c["id"] for c in flat] == [c["id"] for c in whole["comments"]]
        assert all(read(client, sort=sort, limit=3).json()["thread"]["count"] == 15 for _ in "x")


def test_a_cursor_keeps_its_place_while_comments_arrive(live: LiveServer) -> None:
    with live.client() as client:
        tree(client)
        for sort in ("oldest", "newest"):
            first = read(client, sort=sort, limit=3).json()
            seen = [c["id"] for c in first["comments"]]
            newcomer = post(client, f"arrived while paging ({sort})")
            rest = every_page(client, sort=sort, limit=3, after=first["next"])
            later = [c["id"] for page in rest for c in page]
            assert not set(seen) & set(later)  # nothing twice
            everything = {c["id"] for c in read(client, sort=sort, limit=500).json()["comments"]}
            # nothing missed: only a comment that sorts before the cursor is on page one now
            assert everything - set(seen) - set(later) == (
                {newcomer} if sort == "newest" else set()
            )


def test_bad_cursors_are_problems(live: LiveServer) -> None:
    with live.client() as client:
        tree(client)
        newest = read(client, sort="newest", limit=2).json()["next"]
        for after, sort in [("garbage!", "oldest"), ("W10", "oldest"), (newest, "oldest")]:
            response = read(client, sort=sort, after=after)
            assert response.status_code == 422, response.text
            assert response.headers["content-type"].startswith(PROBLEM)
            assert response.json()["field"] == "after" and response.json()["code"] == 1002
        assert read(client, limit=0).status_code == 400
        assert read(client, limit=501).status_code == 400


def test_an_author_sees_their_held_comments_in_their_branches(live: LiveServer) -> None:
    with live.client() as client:
        ids = tree(client)
        created = client.post(
            "/api/v1/comments",
            json={"thread": "/paged/", "body": "Held reply?", "parent_id": ids["root5"]},
        )
        assert created.status_code == 202
        token = created.json()["author_token"]
        held = created.json()["comment"]["id"]
        mine = {"X-Author-Token": token}
        pages = every_page(client, limit=3, headers=mine)
        where = [n for n, page in enumerate(pages) for c in page if c["id"] == held]
        assert where == [1]  # the page of root 5, under root 5
        (page,) = [pages[1]]
        at = [c["id"] for c in page].index(held)
        assert page[at - 1]["id"] == ids["reply5"] and page[at]["mine"] is True
        assert read(client, headers=mine).headers["cache-control"] == "private, no-cache"
        assert read(client, headers=mine).json()["thread"]["count"] == 16
        # everyone else reads the thread without it
        assert held not in {c["id"] for page in every_page(client, limit=3) for c in page}


def test_a_token_that_does_not_verify_reads_the_cached_public_answer(sqlite_url: str) -> None:
    live = LiveServer(make_settings(sqlite_url, rate_limit=0), HoldQuestions()).start()
    try:
        answers_junk_tokens_from_the_cache(live, sqlite_url)
    finally:
        live.stop()


def answers_junk_tokens_from_the_cache(live: LiveServer, database_url: str) -> None:
    with live.client() as client:
        tree(client)
        public = read(client)
        assert public.headers["cache-control"] == "no-cache"
        # Change a comment behind the server's back, leaving the thread's version alone: only
        # an answer from the cache can still show the old text.
        path = database_url.split("///", 1)[1]
        with sqlite3.connect(path) as db:
            db.execute("UPDATE comments SET body_html = '<p>changed</p>' WHERE id = 1")
        for junk in ("junk", "x" * 300, public.json()["comments"][0]["author"]["avatar"]):
            answer = read(client, headers={"X-Author-Token": junk})
            assert answer.status_code == 200
            assert answer.content == public.content
            assert answer.headers["etag"] == public.headers["etag"]
            assert answer.headers["cache-control"] == "no-cache"  # not an author's own read


def test_the_page_cache_keeps_to_its_budget_and_to_the_version() -> None:
    cache = ThreadCache(max_bytes=100)
    keys = [(1, "/t/", "oldest", 100, str(n)) for n in range(4)]
    for n, key in enumerate(keys[:3]):
        cache.put(key, version=1, body=bytes([n]) * 40)
    assert cache.get(keys[0], 1) is None  # least recently used, out: 3 x 40 > 100
    assert cache.get(keys[1], 1) is not None and cache.get(keys[2], 1) is not None
    assert cache.get(keys[1], 2) is None  # the thread changed since
    cache.put(keys[3], version=1, body=b"x" * 101)  # over the whole budget: not kept ...
    assert cache.get(keys[3], 1) is None
    assert cache.get(keys[2], 1) is not None  # ... and nothing else was dropped for it
