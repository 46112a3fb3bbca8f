"""The moderators' review over real HTTP: queues and their filters, decisions, bulk and undo,
the audit log and its CSV, and who may see and decide what; on SQLite and PostgreSQL.

Comments are posted through the public API and judged by the shipped engine, so every verdict
checked here is one the engine stored; expectations are read back from the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from parley.storage.schema import decisions, users
from tests.admin.helpers import (
    ADMIN_API,
    THREAD,
    Room,
    assert_problem,
    start_room,
    stored_assessments,
)
from tests.live import LiveServer
from tests.test_live_updates import listening

OTHER_ORIGIN = "https://other.example"
INSULT = "Shut up, you stupid worthless idiot."
INSULT_2 = "You are a complete idiot and a moron."
THREAT = "I will kill you."
GERMAN = "Du bist ein Idiot und ein Arschloch."
SPOILER = "This film has a big spoiler at the end."  # held by the site's hold_terms
KIND = "Great documentary, thanks for sharing."
REVIEW_CONFLICT, UNDO_EXPIRED = 2040, 2041


@dataclass
class Console(Room):
    def public(self) -> dict[int, dict[str, Any]]:
        """The thread as an anonymous reader gets it (through the cached fast path)."""
        answer = httpx.get(f"{self.server.url}/api/v1/comments", params={"thread": THREAD})
        assert answer.status_code == 200, answer.text
        return {c["id"]: c for c in answer.json()["comments"]}

    def stored_assessment(self, comment_id: int) -> dict[str, Any]:
        return stored_assessments(self.url, comment_id)[-1]

    def user_id(self, name: str) -> int:
        (row,) = self.execute(sa.select(users.c.id).where(users.c.name == name))
        return int(row[0])


@pytest.fixture
def console(database_url: str, start_server: Callable[..., LiveServer]) -> Console:
    """The moderated server with sites "default" (holds "spoiler") and "other"; an owner
    "olga", "mo" who moderates default, and "bea" who moderates other."""
    return start_room(Console, database_url, start_server)


def queue(
    client: httpx.Client, name: str = "held", q: str = "", **params: Any
) -> list[dict[str, Any]]:
    answer = client.get(f"{ADMIN_API}/queue", params={"queue": name, "q": q, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]  # type: ignore[no-any-return]


def ids(items: list[dict[str, Any]]) -> set[int]:
    return {item["id"] for item in items}


def act(client: httpx.Client, comment_id: int, action: str, **body: Any) -> httpx.Response:
    return client.post(f"{ADMIN_API}/comments/{comment_id}/{action}", json=body)


# -- the queues ------------------------------------------------------------------------------


def test_a_held_comment_is_queued_with_its_verdict_as_stored(console: Console) -> None:
    root = console.post(KIND)["comment"]
    held = console.post(INSULT, parent_id=root["id"])
    assert held["held"] is True
    with console.client("mo") as mo:
        (item,) = queue(mo)
    stored = console.stored_assessment(held["comment"]["id"])
    assert item["id"] == held["comment"]["id"] and item["status"] == "pending"
    assert item["thread"]["key"] == THREAD and item["body_md"] == INSULT
    verdict = item["verdict"]
    assert verdict["model_version"] == stored["model_version"] != "none"
    assert verdict["action"] == stored["action"] == "hold"
    assert verdict["language"] == "en"
    assert verdict["scores"] == stored["scores"]
    got = [
        (r["action"], r["label"], r["score"], r["threshold"], r["rule"]) for r in verdict["reasons"]
    ]
    want = [
        (r["action"], r["label"], r["score"], r["threshold"], r["rule"]) for r in stored["reasons"]
    ]
    assert got == want and any(r[1] == "insult" and r[0] == "hold" for r in got)
    assert [r["spans"] for r in verdict["reasons"]] == [r["spans"] for r in stored["reasons"]]
    marked = [INSULT[a:b] for a, b in verdict["highlight"]]
    assert marked and all(marked) and any("idiot" in text for text in marked)
    # In context: the branch it sits in, root first, down to its parent.
    assert [(b["id"], b["text"]) for b in item["branch"]] == [(root["id"], KIND)]


def test_filters_narrow_the_queue(console: Console) -> None:
    posted = {
        "insult": console.post(INSULT, name="Ann"),
        "insult_2": console.post(INSULT_2, name="ann"),
        "threat": console.post(THREAT, name="bob"),
        "german": console.post(GERMAN, name="carl"),
        "spoiler": console.post(SPOILER, name="dan"),
        "other": console.post(INSULT, name="dora", origin=OTHER_ORIGIN),
    }
    by_id = {v["comment"]["id"]: k for k, v in posted.items()}
    assert all(v["held"] for v in posted.values())

    def found(client: httpx.Client, q: str, **params: Any) -> set[str]:
        return {by_id[i] for i in ids(queue(client, q=q, **params))}

    with console.client("olga") as olga:
        assert found(olga, "") == set(posted)
        insults = {"insult", "insult_2", "other"}
        assert found(olga, "label:insult") == insults
        assert found(olga, "label:insult site:default") == {"insult", "insult_2"}
        assert found(olga, "label:threat") == {"threat"}
        assert found(olga, "author:ann") == {"insult", "insult_2"}  # names match in any case
        assert found(olga, "author:bob label:insult") == set()
        assert found(olga, "lang:de") == {"german"}
        assert found(olga, "spoiler") == {"spoiler"}
        assert found(olga, '"worthless idiot"') == {"insult", "other"}
        assert found(olga, f"site:other thread:{THREAD}") == {"other"}
        # score>X: any label's score, or with label: that label's; expected from the database.
        scores = {
            k: console.stored_assessment(v["comment"]["id"])["scores"] for k, v in posted.items()
        }
        cut = 0.95
        over = {k for k, s in scores.items() if s and max(s.values()) > cut}
        assert over and over != set(posted)
        assert found(olga, f"score>{cut}") == over
        insult_over = {k for k, s in scores.items() if s.get("insult", 0) > cut}
        assert found(olga, f"label:insult score>{cut}") == insult_over
        assert found(olga, f"score:insult>{cut}") == insult_over
        # Priority first, and pages that meet without gaps or repeats.
        ranked = queue(olga, order="priority")
        priorities = [item["priority"] for item in ranked]
        assert priorities == sorted(priorities, reverse=True)
        for order in ("newest", "priority"):
            seen: list[int] = []
            cursor = None
            while True:
                params: dict[str, Any] = {"queue": "held", "limit": 2, "order": order}
                if cursor:
                    params["cursor"] = cursor
                page = olga.get(f"{ADMIN_API}/queue", params=params).json()
                seen += [item["id"] for item in page["items"]]
                cursor = page["next"]
                if cursor is None:
                    break
            assert sorted(seen) == sorted(by_id) and len(seen) == len(set(seen))
        assert_problem(olga.get(f"{ADMIN_API}/queue", params={"q": "label:nonsense"}), 422)
        assert_problem(olga.get(f"{ADMIN_API}/queue", params={"cursor": "garbage"}), 422)


def test_readers_reports_fill_the_reported_queue_until_a_decision(console: Console) -> None:
    comment = console.post(KIND)["comment"]
    for reason in ("spam", "harassment", "spam"):  # three readers, three identities
        answer = httpx.post(
            f"{console.server.url}/api/v1/comments/{comment['id']}/report",
            json={"reason": reason},
        )
        assert answer.status_code == 201, answer.text
    with console.client("mo") as mo:
        (item,) = queue(mo, "reported")
        assert item["id"] == comment["id"] and item["open_reports"] == 3
        detail = mo.get(f"{ADMIN_API}/comments/{comment['id']}").json()
        assert sorted(r["reason"] for r in detail["reports"]) == ["harassment", "spam", "spam"]
        done = act(mo, comment["id"], "approve").json()
        assert queue(mo, "reported") == []
        mo.post(f"{ADMIN_API}/undo/{done['undo_id']}").raise_for_status()
        assert ids(queue(mo, "reported")) == {comment["id"]}


def test_the_flagged_queue_keeps_public_comments_until_a_moderator_looks(
    console: Console,
) -> None:
    flagged = console.post("Your argument is garbage.")
    assert flagged["held"] is False and flagged["comment"]["id"] in console.public()
    with console.client("mo") as mo:
        (item,) = queue(mo, "flagged")
        assert item["id"] == flagged["comment"]["id"] and item["status"] == "flagged"
        assert item["verdict"]["action"] == "flag" and queue(mo, "held") == []
        done = act(mo, item["id"], "approve").json()
        assert done["applied"][0]["status_after"] == "published"
        assert queue(mo, "flagged") == [] and item["id"] in console.public()
        assert ids(queue(mo, "recent")) == {item["id"]}


# -- decisions -------------------------------------------------------------------------------


def test_approving_publishes_at_once_and_tells_readers(console: Console) -> None:
    held = console.post(INSULT)["comment"]
    reply = console.post(KIND, parent_id=held["id"])["comment"]
    assert reply["status"] == "pending"  # held with its parent
    assert console.public() == console.public() == {}  # the second read is the cached one
    with console.client("mo") as mo, listening(console.server, THREAD) as events:
        # A reply is never public while its parent is held.
        assert_problem(act(mo, reply["id"], "approve"), 409, REVIEW_CONFLICT)
        approved = mo.post(f"{ADMIN_API}/comments/{held['id']}/approve")  # no body needed
        assert approved.status_code == 200, approved.text
        assert approved.json()["applied"] == [
            {"id": held["id"], "status_before": "pending", "status_after": "published"}
        ]
        assert events.get(timeout=10) == {"type": "created", "id": held["id"]}
        shown = console.public()
        assert list(shown) == [held["id"]] and shown[held["id"]]["status"] == "published"
        # The held reply waits for its own look.
        assert ids(queue(mo)) == {reply["id"]}
        act(mo, reply["id"], "approve").raise_for_status()
        assert events.get(timeout=10) == {"type": "created", "id": reply["id"]}
        assert set(console.public()) == {held["id"], reply["id"]}


def test_a_rejected_comment_leaves_and_its_author_never_sees_why(console: Console) -> None:
    posted = console.post(SPOILER)
    comment, token = posted["comment"], posted["author_token"]
    kept = console.post(KIND)["comment"]
    with console.client("mo") as mo, listening(console.server, THREAD) as events:
        assert_problem(act(mo, comment["id"], "reject"), 422)  # a reason is required
        act(mo, comment["id"], "reject", reason="off_topic").raise_for_status()
        act(mo, kept["id"], "reject", reason="abuse").raise_for_status()
        assert events.get(timeout=10) == {"type": "deleted", "id": kept["id"]}
        assert events.empty()  # the held comment's id was never public
    assert console.public() == {}
    answer = httpx.get(
        f"{console.server.url}/api/v1/comments",
        params={"thread": THREAD},
        headers={"X-Author-Token": token},
    )
    (own,) = answer.json()["comments"]
    assert own["id"] == comment["id"] and own["status"] == "rejected" and own["mine"]
    for secret in ("off_topic", "spoiler list", "hold", "reason"):
        assert secret not in answer.text.replace(SPOILER, "")


def test_spam_delete_edit_and_restore(console: Console) -> None:
    first = console.post(KIND)["comment"]
    reply = console.post("I agree, a moving film.", parent_id=first["id"])["comment"]
    with console.client("olga") as olga:
        # Spam: gone from public reads; restore brings back the status before it.
        marked = act(olga, reply["id"], "spam").json()
        assert marked["applied"][0]["status_after"] == "rejected"
        assert set(console.public()) == {first["id"]}
        decision = olga.get(f"{ADMIN_API}/comments/{reply['id']}").json()["decisions"][-1]
        assert (decision["action"], decision["label"], decision["engine_action"]) == (
            "spam",
            "spam",
            "publish",
        )
        act(olga, reply["id"], "restore").raise_for_status()
        assert set(console.public()) == {first["id"], reply["id"]}
        assert_problem(act(olga, reply["id"], "restore"), 409, REVIEW_CONFLICT)

        # Delete: a tombstone while it has replies, its text kept for restore.
        act(olga, first["id"], "delete").raise_for_status()
        tombstone = console.public()[first["id"]]
        assert tombstone["status"] == "deleted" and tombstone["html"] == ""
        assert_problem(act(olga, first["id"], "approve"), 409, REVIEW_CONFLICT)
        act(olga, first["id"], "restore").raise_for_status()
        assert console.public()[first["id"]]["html"] == first["html"]

        # Edit: readers see the new text; the original is kept with the decision.
        edited = act(olga, first["id"], "edit", body="A *moving* documentary.")
        assert edited.status_code == 200, edited.text
        shown = console.public()[first["id"]]
        assert "<em>moving</em>" in shown["html"] and shown["edited_at"] is not None
        detail = olga.get(f"{ADMIN_API}/comments/{first['id']}").json()
        assert detail["decisions"][-1]["before"]["body_md"] == KIND
        assert detail["comment"]["body_md"] == "A *moving* documentary."
        assert_problem(act(olga, first["id"], "edit"), 422)  # an edit needs a body
        assert_problem(act(olga, first["id"], "frobnicate"), 404)


def test_bulk_on_a_filter_and_undo_restore_every_item(console: Console) -> None:
    insults = [console.post(text)["comment"]["id"] for text in (INSULT, INSULT_2, INSULT)]
    threat = console.post(THREAT)["comment"]["id"]
    with console.client("mo") as mo, console.client("olga") as olga:
        done = mo.post(
            f"{ADMIN_API}/bulk",
            json={"action": "reject", "reason": "abuse", "queue": "held", "q": "label:insult"},
        )
        assert done.status_code == 200, done.text
        result = done.json()
        assert {a["id"] for a in result["applied"]} == set(insults) and not result["more"]
        assert ids(queue(mo)) == {threat}
        # Only its moderator may undo it.
        assert_problem(olga.post(f"{ADMIN_API}/undo/{result['undo_id']}"), 410, UNDO_EXPIRED)
        undone = mo.post(f"{ADMIN_API}/undo/{result['undo_id']}")
        assert undone.status_code == 200, undone.text
        assert {r["id"] for r in undone.json()["reverted"]} == set(insults)
        assert ids(queue(mo)) == {*insults, threat}
        assert_problem(mo.post(f"{ADMIN_API}/undo/{result['undo_id']}"), 410, UNDO_EXPIRED)

        # A selection; once its ten seconds are over (moved back here), it stays.
        selected = mo.post(
            f"{ADMIN_API}/bulk", json={"action": "approve", "ids": [insults[0], threat]}
        ).json()
        assert {a["id"] for a in selected["applied"]} == {insults[0], threat}
        console.execute(
            decisions.update()
            .where(decisions.c.undo_id == selected["undo_id"])
            .values(created_at=decisions.c.created_at - timedelta(seconds=11))
        )
        assert_problem(mo.post(f"{ADMIN_API}/undo/{selected['undo_id']}"), 410, UNDO_EXPIRED)
        assert {insults[0], threat} <= set(console.public())
        assert_problem(mo.post(f"{ADMIN_API}/bulk", json={"action": "approve"}), 422)


# -- the audit log ---------------------------------------------------------------------------


def test_the_audit_log_keeps_who_what_before_after_and_the_verdict_overridden(
    console: Console,
) -> None:
    held = console.post(INSULT)["comment"]
    other = console.post(INSULT, origin=OTHER_ORIGIN)["comment"]
    stored = console.stored_assessment(held["id"])
    with console.client("mo") as mo, console.client("bea") as bea:
        act(mo, held["id"], "approve").raise_for_status()
        act(bea, other["id"], "reject", reason="abuse").raise_for_status()
        page = mo.get(f"{ADMIN_API}/audit", params={"action": "comment."}).json()
        (entry,) = page["entries"]  # mo reads the entries of the sites mo moderates alone
        assert entry["action"] == "comment.approve" and entry["target"] == f"comment:{held['id']}"
        assert entry["user_id"] == console.user_id("mo") and entry["site_id"] == console.sites.a
        assert entry["before"]["status"] == "pending" and entry["after"]["status"] == "published"
        assert entry["model_version"] == stored["model_version"]
        assert entry["threshold"] == stored["reasons"][0]["threshold"]
        assert entry["before"]["verdict"]["label"] == stored["reasons"][0]["label"]
        assert_problem(mo.get(f"{ADMIN_API}/audit", params={"site": console.sites.b}), 403)

        exported = mo.get(f"{ADMIN_API}/audit.csv", params={"action": "comment."})
        assert exported.status_code == 200 and exported.headers["content-type"].startswith(
            "text/csv"
        )
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert [int(row["id"]) for row in rows] == [entry["id"]]
        assert rows[0]["model_version"] == stored["model_version"]
        assert float(rows[0]["threshold"]) == entry["threshold"]

    with console.client("olga") as olga:
        everything = olga.get(f"{ADMIN_API}/audit").json()["entries"]
        assert {e["target"] for e in everything} >= {
            f"comment:{held['id']}",
            f"comment:{other['id']}",
        }
        by_bea = olga.get(f"{ADMIN_API}/audit", params={"user": console.user_id("bea")}).json()
        assert [e["action"] for e in by_bea["entries"]] == ["comment.reject"]
        assert by_bea["entries"][0]["after"]["reason"] == "abuse"
        rows = list(csv.DictReader(io.StringIO(olga.get(f"{ADMIN_API}/audit.csv").text)))
        assert {int(r["id"]) for r in rows} == {e["id"] for e in everything}


# -- who may -----------------------------------------------------------------------------------


def test_a_moderator_of_one_site_can_neither_list_nor_act_on_another(console: Console) -> None:
    mine = console.post(INSULT, origin=OTHER_ORIGIN)["comment"]
    theirs = console.post(INSULT)["comment"]
    with console.client("bea") as bea, console.client("mo") as mo:
        assert ids(queue(bea)) == {mine["id"]}
        assert ids(queue(bea, "recent")) == {mine["id"]}
        assert_problem(bea.get(f"{ADMIN_API}/queue", params={"q": "site:default"}), 403)
        assert_problem(bea.get(f"{ADMIN_API}/comments/{theirs['id']}"), 404)
        for action, body in (("approve", {}), ("reject", {"reason": "abuse"}), ("delete", {})):
            assert_problem(act(bea, theirs["id"], action, **body), 404)
        mixed = bea.post(
            f"{ADMIN_API}/bulk", json={"action": "approve", "ids": [theirs["id"], mine["id"]]}
        ).json()
        assert mixed["applied"] == [
            {"id": mine["id"], "status_before": "pending", "status_after": "published"}
        ]
        assert mixed["skipped"] == [{"id": theirs["id"], "reason": "not_found"}]
        filtered = bea.post(
            f"{ADMIN_API}/bulk", json={"action": "reject", "reason": "spam", "queue": "recent"}
        ).json()
        assert {a["id"] for a in filtered["applied"]} == {mine["id"]}
        assert ids(queue(mo)) == {theirs["id"]}  # untouched
        assert_problem(mo.post(f"{ADMIN_API}/undo/{filtered['undo_id']}"), 410, UNDO_EXPIRED)
