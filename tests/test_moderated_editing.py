"""An edit is judged like a post and never makes a hidden comment public (issue 9, item 1)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from parley.domain.moderation import Action, ModerationContext, Reason, Verdict
from parley.storage.factory import open_store
from tests.conftest import make_settings
from tests.live import LiveServer
from tests.test_moderated_posting import assessments, with_article
from tests.test_site_policy import set_policy

THREAD = "/edits/"


class MarkedWords:
    """A stand-in policy (not a mock of ours): the verdict is the word the text carries."""

    def assess(self, text: str, context: ModerationContext) -> Verdict:
        for action in (Action.REJECT, Action.HOLD, Action.FLAG):
            if action.value.upper() in text:
                return Verdict(action, reasons=(Reason(action, f"says {action.value}"),))
        return Verdict(Action.PUBLISH)


def post(
    server: LiveServer, body: str, token: str | None = None, parent_id: int | None = None
) -> httpx.Response:
    headers = {"X-Author-Token": token} if token else {}
    return httpx.post(
        f"{server.url}/api/v1/comments",
        json={"thread": THREAD, "body": body, "parent_id": parent_id},
        headers=headers,
    )


def edit(server: LiveServer, comment_id: int, body: str, token: str) -> httpx.Response:
    return httpx.patch(
        f"{server.url}/api/v1/comments/{comment_id}",
        json={"body": body},
        headers={"X-Author-Token": token},
    )


def public_ids(server: LiveServer) -> list[int]:
    response = httpx.get(f"{server.url}/api/v1/comments", params={"thread": THREAD})
    return [c["id"] for c in response.json()["comments"]]


def public_count(server: LiveServer) -> int:
    response = httpx.get(f"{server.url}/api/v1/counts", params={"thread": THREAD})
    return int(response.json()["counts"][THREAD])


def stored_status(database_url: str, comment_id: int) -> str:
    async def read() -> str:
        store = open_store(database_url)
        try:
            found = await store.get_comment(comment_id)
            assert found is not None
            return found[0].status.value
        finally:
            await store.close()

    return asyncio.run(read())


def lock(database_url: str) -> None:
    async def write() -> None:
        store = open_store(database_url)
        try:
            (site,) = await store.list_sites()
            assert await store.set_thread_locked(site.id, THREAD, True)
        finally:
            await store.close()

    asyncio.run(write())


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_a_held_first_comment_resent_as_an_edit_stays_held(
    engine: str, start_server: Callable[..., LiveServer], request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(f"{engine}_url")
    start_server(database_url=url).stop()  # creates the default site
    set_policy(url, {"hold_first_time": True})
    server = start_server(database_url=url)
    held = post(server, "My very first comment.")
    assert held.status_code == 202 and held.json()["held"] is True
    comment_id, token = held.json()["comment"]["id"], held.json()["author_token"]

    edited = edit(server, comment_id, "My very first comment.", token)
    assert edited.status_code == 200 and edited.json()["status"] == "pending"
    assert public_ids(server) == [] and public_count(server) == 0
    assert stored_status(url, comment_id) == "pending"
    posted, again = assessments(url, comment_id)
    assert again["action"] == "hold"
    assert [r["rule"] for r in again["reasons"]] == [r["rule"] for r in posted["reasons"]]
    assert any(r["rule"] == "first_time" for r in again["reasons"])


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_an_edit_never_makes_a_hidden_or_flagged_comment_less_watched(
    engine: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(f"{engine}_url")
    server = LiveServer(make_settings(url), MarkedWords()).start()
    try:
        first = post(server, "Plain words.")
        token = first.json()["author_token"]
        cases = {"HOLD this?": "pending", "FLAG this.": "flagged", "Plain again.": "published"}
        ids = {body: post(server, body, token).json()["comment"]["id"] for body in cases}
        for body, status in cases.items():
            edited = edit(server, ids[body], "Harmless now.", token)
            shown = "published" if status == "flagged" else status  # flags are not shown
            assert edited.status_code == 200 and edited.json()["status"] == shown, body
            assert stored_status(url, ids[body]) == status
            assert assessments(url, ids[body])[-1]["action"] == "publish"
        assert ids["HOLD this?"] not in public_ids(server)

        # A published comment edited into something held leaves the public view.
        published = ids["Plain again."]
        assert edit(server, published, "HOLD me now", token).json()["status"] == "pending"
        assert published not in public_ids(server)

        # A rejected comment is not its author's to revive, even with a guessed id.
        rejected = post(server, "REJECT this", token)
        assert rejected.status_code == 422
        guessed = max(ids.values()) + 1
        assert stored_status(url, guessed) == "rejected"
        refused = edit(server, guessed, "Harmless now.", token)
        assert refused.status_code == 404 and refused.json()["code"] == 1004
        assert stored_status(url, guessed) == "rejected"
    finally:
        server.stop()


def test_an_edited_reply_is_judged_in_its_branch_like_a_posted_one(
    server: LiveServer, sqlite_url: str
) -> None:
    root = "This documentary about Nanking is a moving piece of history."
    first = "Shut up, you stupid worthless idiot."
    heated = "You are a pathetic moron and a liar, shut your stupid mouth."
    with_article(sqlite_url, THREAD)  # thread health judges a branch against its article
    hotter = "Go to hell, you disgusting idiot, nobody wants your garbage."
    # Two branches alike; a branch raises one derailing alert, on the reply that heats it up.
    branch = post(server, root).json()["comment"]["id"]
    parent_id = post(server, first, parent_id=branch).json()["comment"]["id"]
    parent_id = post(server, heated, parent_id=parent_id).json()["comment"]["id"]
    posted = post(server, hotter, parent_id=parent_id).json()["comment"]
    twin = post(server, root).json()["comment"]["id"]
    twin_parent = post(server, first, parent_id=twin).json()["comment"]["id"]
    twin_parent = post(server, heated, parent_id=twin_parent).json()["comment"]["id"]
    calm = post(server, "Let us talk about the film instead.", parent_id=twin_parent).json()
    edited = edit(server, calm["comment"]["id"], hotter, calm["author_token"])
    assert edited.status_code == 200

    def rules(comment_id: int) -> list[Any]:
        return sorted(str(r["rule"]) for r in assessments(sqlite_url, comment_id)[-1]["reasons"])

    assert "thread_health" in rules(posted["id"])
    assert rules(calm["comment"]["id"]) == rules(posted["id"])
    assert edited.json()["status"] == posted["status"]


def test_a_locked_thread_refuses_edits(server: LiveServer, sqlite_url: str) -> None:
    created = post(server, "Before the lock.").json()
    comment_id, token = created["comment"]["id"], created["author_token"]
    lock(sqlite_url)
    refused = edit(server, comment_id, "After the lock.", token)
    assert refused.status_code == 403 and refused.json()["code"] == 2002
    assert stored_status(sqlite_url, comment_id) == "published"
    (comment,) = httpx.get(f"{server.url}/api/v1/comments", params={"thread": THREAD}).json()[
        "comments"
    ]
    assert comment["html"] == "<p>Before the lock.</p>"
