"""The built-in moderation engine in the comment path, through the real server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from parley.storage.factory import open_store
from tests.conftest import SEED_JSON
from tests.live import LiveServer

THREAD = "/reviews/nanking/"


def post(server: LiveServer, body: str, parent_id: int | None = None) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/v1/comments",
        json={"thread": THREAD, "body": body, "parent_id": parent_id},
    )


def public(server: LiveServer, token: str | None = None) -> list[dict[str, Any]]:
    headers = {"X-Author-Token": token} if token else {}
    response = httpx.get(
        f"{server.url}/api/v1/comments", params={"thread": THREAD}, headers=headers
    )
    return response.json()["comments"]  # type: ignore[no-any-return]


def assessments(database_url: str, comment_id: int) -> list[dict[str, Any]]:
    async def read() -> list[dict[str, Any]]:
        store = open_store(database_url)
        try:
            return await store.assessments(comment_id)
        finally:
            await store.close()

    return asyncio.run(read())


def with_article(database_url: str, thread: str = THREAD) -> None:
    """The thread, created with the seed film review as its article."""
    seed = json.loads(SEED_JSON.read_text())

    async def create() -> None:
        store = open_store(database_url)
        try:
            site = await store.ensure_site("default")
            await store.ensure_thread(site.id, thread, seed["title"], seed["url"], seed["article"])
        finally:
            await store.close()

    asyncio.run(create())


def test_a_slur_is_held_with_reasons_and_shown_only_to_its_author(
    server: LiveServer, sqlite_url: str
) -> None:
    seed = {c["id"]: c for c in json.loads(SEED_JSON.read_text())["comments"]}
    on_topic = post(server, seed[1]["body"])
    assert on_topic.status_code == 201 and on_topic.json()["held"] is False
    slur = post(server, seed[8]["body"], parent_id=on_topic.json()["comment"]["id"])
    assert slur.status_code == 202 and slur.json()["held"] is True
    slur_id, token = slur.json()["comment"]["id"], slur.json()["author_token"]

    assert [c["id"] for c in public(server)] == [on_topic.json()["comment"]["id"]]
    mine = {c["id"]: c for c in public(server, token)}
    assert mine[slur_id]["status"] == "pending" and mine[slur_id]["mine"] is True

    (assessment,) = assessments(sqlite_url, slur_id)
    assert assessment["action"] == "hold"
    assert set(assessment["scores"]) >= {"toxicity", "identity_attack", "insult", "threat"}
    reasons = assessment["reasons"]
    assert any(r["label"] == "identity_attack" and r["action"] == "hold" for r in reasons)
    assert any(r["label"] == "toxicity" and r["threshold"] is not None for r in reasons)
    spans = [span for r in reasons if r["action"] != "publish" for span in r["spans"]]
    assert spans and all(seed[8]["body"][a:b] for a, b in spans)


def test_an_on_topic_comment_is_published_untouched(server: LiveServer, sqlite_url: str) -> None:
    seed = json.loads(SEED_JSON.read_text())["comments"]
    created = post(server, seed[10]["body"])  # German soldiers and the "Fatherland"
    assert created.status_code == 201
    (assessment,) = assessments(sqlite_url, created.json()["comment"]["id"])
    assert assessment["action"] == "publish" and assessment["reasons"] == []


def test_a_branch_heating_up_is_flagged_for_a_moderator(
    server: LiveServer, sqlite_url: str
) -> None:
    with_article(sqlite_url)  # thread health judges a branch against its article
    chain = [
        "This documentary about Nanking is a moving piece of history.",
        "Shut up, you stupid worthless idiot.",
        "You are a pathetic moron and a liar, shut your stupid mouth.",
        "Go to hell, you disgusting idiot, nobody wants your garbage.",
    ]
    parent_id = None
    flagged = []
    for body in chain:
        response = post(server, body, parent_id)
        assert response.status_code in (201, 202)
        parent_id = response.json()["comment"]["id"]
        (assessment,) = assessments(sqlite_url, parent_id)
        flagged.append(any(r["rule"] == "thread_health" for r in assessment["reasons"]))
    assert flagged[:2] == [False, False] and any(flagged[2:])


def test_a_comment_in_an_unscored_language_is_flagged_never_published_as_clean(
    server: LiveServer, sqlite_url: str
) -> None:
    body = "Ein erschütternder Film über Nanking, die Zeitzeugen erzählen ruhig und genau."
    created = post(server, body)
    assert created.status_code == 201 and created.json()["held"] is False
    (assessment,) = assessments(sqlite_url, created.json()["comment"]["id"])
    assert assessment["action"] == "flag"
    (reason,) = [r for r in assessment["reasons"] if r["rule"] == "unsupported_language"]
    assert "de" in reason["message"]


def test_a_listed_word_in_german_is_held_with_its_span(server: LiveServer, sqlite_url: str) -> None:
    body = "Der Rezensent ist ein Arschloch und hat keine Ahnung von Geschichte."
    held = post(server, body)
    assert held.status_code == 202 and held.json()["held"] is True
    (assessment,) = assessments(sqlite_url, held.json()["comment"]["id"])
    spans = [r["span"] for r in assessment["reasons"] if r["label"] == "profanity"]
    assert [body[a:b] for a, b in spans] == ["Arschloch"]
