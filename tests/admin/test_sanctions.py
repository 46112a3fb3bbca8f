"""Sanctions on authors, rules on branches and threads, and the author drawer, over real HTTP
on SQLite and PostgreSQL.

Comments are posted through the public API (judged by the shipped engine) and moderators act
through the console's API; what is expected is read back from the database or from answers.
"""

from __future__ import annotations

import queue as queues
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from parley.storage.schema import audit_log, comments, sanctions, threads
from tests.admin import helpers
from tests.admin.helpers import ADMIN_API, THREAD, assert_problem, start_room
from tests.live import LiveServer
from tests.test_live_updates import listening

THREAD_2 = "/reviews/shoah/"
OTHER_ORIGIN = "https://other.example"
KIND = [
    "Great documentary, thanks for sharing.",
    "I watched it last week with my family and we talked about it for hours.",
    "The archive footage in the second half is remarkable.",
    "Thank you for the thoughtful review, it helped me decide to watch it.",
    "The interviews with the survivors were very moving.",
    "I would like to read more about the historians they consulted.",
]
INSULT = "Shut up, you stupid worthless idiot."
SPOILER = "This film has a big spoiler at the end."  # held by the site's hold_terms
NOT_ACCEPTED, BRANCH_LOCKED, THREAD_LOCKED, CSRF_FAILED = 2050, 2051, 2002, 2005
NOT_AUTHENTICATED, NOT_ALLOWED, NOT_FOUND = 2004, 2000, 1004


@dataclass
class Room(helpers.Room):
    def public(self, thread: str = THREAD) -> httpx.Response:
        answer = httpx.get(f"{self.server.url}/api/v1/comments", params={"thread": thread})
        assert answer.status_code == 200, answer.text
        return answer

    def public_ids(self, thread: str = THREAD) -> set[int]:
        return {c["id"] for c in self.public(thread).json()["comments"]}

    def comment_count(self) -> int:
        return int(self.execute(sa.select(sa.func.count()).select_from(comments))[0][0])

    def audit_actions(self) -> list[str]:
        return [row[0] for row in self.execute(sa.select(audit_log.c.action))]


@pytest.fixture
def room(database_url: str, start_server: Callable[..., LiveServer]) -> Room:
    """The moderated server with sites "default" (holds "spoiler") and "other"; an owner
    "olga", "mo" who moderates default, and "bea" who moderates other. Requests from loopback
    may name their address in X-Forwarded-For (a trusted proxy)."""
    return start_room(Room, database_url, start_server, trusted_proxies=("127.0.0.1",))


def author_of(client: httpx.Client, comment_id: int) -> dict[str, Any]:
    """The drawer of a comment's author: one click from any comment."""
    answer = client.get(f"{ADMIN_API}/comments/{comment_id}/author")
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def sanction(
    client: httpx.Client, room: Room, author_key: str, site: int | None = None, **body: Any
) -> httpx.Response:
    return client.post(
        f"{ADMIN_API}/authors/{author_key}/sanctions",
        params={"site": site or room.sites.a},
        json=body,
    )


def made(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def held_reasons(client: httpx.Client, comment_id: int) -> list[tuple[str, str]]:
    answer = client.get(f"{ADMIN_API}/queue", params={"queue": "held"})
    assert answer.status_code == 200, answer.text
    (item,) = [i for i in answer.json()["items"] if i["id"] == comment_id]
    return [(r["action"], r["message"]) for r in item["verdict"]["reasons"]]


# -- sanctions on authors ---------------------------------------------------------------------


def test_a_ban_by_account_refuses_the_author_neutrally_and_stores_nothing(room: Room) -> None:
    first = room.post(KIND[0])
    token, comment_id = first["author_token"], first["comment"]["id"]
    other = room.post(KIND[1], name="bob")
    with room.client("mo") as mo:
        key = author_of(mo, comment_id)["author_key"]
        ban = made(sanction(mo, room, key, kind="ban", by="account", note="repeated abuse"))
    assert ban["kind"] == "ban" and ban["by"] == "account" and ban["in_force"] is True
    assert ban["until"] is None and ban["lifted_at"] is None

    before = room.comment_count()
    refused = room.send(KIND[2], token=token)
    assert_problem(refused, 403, NOT_ACCEPTED)
    detail = refused.json()["detail"].lower()
    assert not any(word in detail for word in ("ban", "suspend", "account", "email", "network"))
    assert room.comment_count() == before  # nothing stored
    # Nor a reply, an edit or a vote of theirs; another author is not affected.
    assert_problem(room.send(KIND[2], token=token, parent_id=other["comment"]["id"]), 403, 2050)
    edit = httpx.patch(
        f"{room.server.url}/api/v1/comments/{comment_id}",
        json={"body": KIND[3]},
        headers={"X-Author-Token": token},
    )
    assert_problem(edit, 403, NOT_ACCEPTED)
    vote = httpx.post(
        f"{room.server.url}/api/v1/comments/{other['comment']['id']}/vote",
        json={"value": 1},
        headers={"X-Author-Token": token},
    )
    assert_problem(vote, 403, NOT_ACCEPTED)
    report = httpx.post(
        f"{room.server.url}/api/v1/comments/{other['comment']['id']}/report",
        json={"reason": "spam"},
        headers={"X-Author-Token": token},
    )
    assert_problem(report, 403, NOT_ACCEPTED)  # nor can they flood the reported queue
    assert room.send(KIND[3], name="bob", token=other["author_token"]).status_code == 201
    # Sanctions are per site: the same identity still posts on the other site.
    assert room.send(KIND[4], token=token, origin=OTHER_ORIGIN).status_code == 201

    with room.client("mo") as mo:
        lifted = mo.delete(f"{ADMIN_API}/sanctions/{ban['id']}")
        assert lifted.status_code == 200, lifted.text
        assert lifted.json()["in_force"] is False and lifted.json()["lifted_at"] is not None
        drawer = author_of(mo, comment_id)
    assert [(s["id"], s["in_force"]) for s in drawer["sanctions"]] == [(ban["id"], False)]
    assert room.send(KIND[5], token=token).status_code == 201
    assert {"author.ban", "sanction.lift"} <= set(room.audit_actions())


def test_a_ban_by_email_refuses_a_new_identity_giving_the_same_address(room: Room) -> None:
    address = "Troll@Example.org"
    first = room.post(KIND[0], email=address)
    with room.client("mo") as mo:
        key = author_of(mo, first["comment"]["id"])["author_key"]
        ban = made(sanction(mo, room, key, kind="ban", by="email"))
    assert ban["by"] == "email" and address.lower() not in str(ban).lower()

    # A fresh browser (no token), the same address in another case and with spaces.
    assert_problem(room.send(KIND[1], email="  troll@example.ORG "), 403, NOT_ACCEPTED)
    assert room.send(KIND[2], email="someone.else@example.org").status_code == 201
    assert room.send(KIND[3]).status_code == 201  # no email given: nothing to match

    # The address itself is kept nowhere in the sanction or the audit log.
    rows = room.execute(sa.select(sanctions))
    assert len(rows) == 1 and not any(address.lower() in str(v).lower() for v in rows[0])
    logged = room.execute(sa.select(audit_log.c.before, audit_log.c.after))
    assert not any(address.lower() in str(row).lower() for row in logged)


def test_an_author_without_an_email_cannot_be_banned_by_one(room: Room) -> None:
    first = room.post(KIND[0])
    with room.client("mo") as mo:
        key = author_of(mo, first["comment"]["id"])["author_key"]
        assert_problem(sanction(mo, room, key, kind="ban", by="email"), 422)
        assert_problem(sanction(mo, room, key, kind="suspend"), 422)  # without until
        past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        assert_problem(sanction(mo, room, key, kind="suspend", until=past), 422)
        assert_problem(sanction(mo, room, key, kind="exile"), 400)
        naive = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None).isoformat()
        assert_problem(sanction(mo, room, key, kind="suspend", until=naive), 400)
        assert_problem(sanction(mo, room, "0" * 32, kind="ban"), 404)  # no such author
    assert room.execute(sa.select(sa.func.count()).select_from(sanctions))[0][0] == 0


def test_a_suspension_refuses_until_its_end_then_lets_the_author_back(room: Room) -> None:
    first = room.post(KIND[0])
    token = first["author_token"]
    until = datetime.now(UTC) + timedelta(days=3)
    with room.client("mo") as mo:
        key = author_of(mo, first["comment"]["id"])["author_key"]
        suspension = made(sanction(mo, room, key, kind="suspend", until=until.isoformat()))
    assert datetime.fromisoformat(suspension["until"]) == until
    assert_problem(room.send(KIND[1], token=token), 403, NOT_ACCEPTED)

    # Its end comes: the same suspension, ended a minute ago, refuses nothing.
    ended = datetime.now(UTC) - timedelta(minutes=1)
    room.execute(sanctions.update().where(sanctions.c.id == suspension["id"]).values(until=ended))
    assert room.send(KIND[1], token=token).status_code == 201
    with room.client("mo") as mo:
        (listed,) = author_of(mo, first["comment"]["id"])["sanctions"]
    assert listed["id"] == suspension["id"] and listed["in_force"] is False


def test_always_hold_holds_every_new_comment_with_its_reason_for_moderators(room: Room) -> None:
    first = room.post(KIND[0])
    token = first["author_token"]
    with room.client("mo") as mo:
        key = author_of(mo, first["comment"]["id"])["author_key"]
        rule = made(sanction(mo, room, key, kind="always_hold"))
        answer = room.send(KIND[1], token=token)
        assert answer.status_code == 202, answer.text
        held = answer.json()["comment"]
        assert held["id"] not in room.public_ids()
        reasons = held_reasons(mo, held["id"])
        assert ("hold", "author: always hold") in reasons
        mo.delete(f"{ADMIN_API}/sanctions/{rule['id']}").raise_for_status()
    assert room.send(KIND[2], token=token).status_code == 201


def test_a_ban_by_network_refuses_that_network_for_the_day(room: Room) -> None:
    first = room.post(KIND[0], address="203.0.113.5")
    with room.client("mo") as mo:
        key = author_of(mo, first["comment"]["id"])["author_key"]
        ban = made(sanction(mo, room, key, kind="ban", by="network"))
    # A network tag names a /24 on one UTC day: the ban ends with that day at the latest.
    today = datetime.now(UTC).date()
    end = datetime.fromisoformat(ban["until"])
    assert end == datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
    assert_problem(room.send(KIND[1], address="203.0.113.77"), 403, NOT_ACCEPTED)
    assert room.send(KIND[2], address="198.51.100.7").status_code == 201


# -- branches and threads ---------------------------------------------------------------------


def test_a_locked_branch_takes_no_replies_anywhere_under_it(room: Room) -> None:
    root = room.post(KIND[0])["comment"]
    reply = room.post(KIND[1], parent_id=root["id"], name="bob")["comment"]
    elsewhere = room.post(KIND[2], name="carl")["comment"]
    with room.client("mo") as mo:
        state = mo.post(f"{ADMIN_API}/branches/{root['id']}/lock")
        assert state.status_code == 200, state.text
        assert state.json()["locked"] is True and state.json()["hold_replies"] is False
        before = room.comment_count()
        assert_problem(room.send(KIND[3], parent_id=root["id"]), 403, BRANCH_LOCKED)
        assert_problem(room.send(KIND[3], parent_id=reply["id"]), 403, BRANCH_LOCKED)
        assert room.comment_count() == before
        assert room.send(KIND[3], parent_id=elsewhere["id"]).status_code == 201
        assert room.send(KIND[4]).status_code == 201  # a new top-level comment
        unlocked = mo.post(f"{ADMIN_API}/branches/{root['id']}/unlock").json()
        assert unlocked["locked"] is False
    assert room.send(KIND[5], parent_id=reply["id"]).status_code == 201
    actions = room.audit_actions()
    assert actions.count("branch.lock") == 1 and actions.count("branch.unlock") == 1


def test_holding_a_branchs_replies_holds_them_with_a_reason(room: Room) -> None:
    root = room.post(KIND[0])["comment"]
    elsewhere = room.post(KIND[1], name="carl")["comment"]
    with room.client("mo") as mo:
        assert mo.post(f"{ADMIN_API}/branches/{root['id']}/hold-replies").json()["hold_replies"]
        answer = room.send(KIND[2], parent_id=root["id"], name="bob")
        assert answer.status_code == 202, answer.text
        held = answer.json()["comment"]
        assert ("hold", "branch: replies held") in held_reasons(mo, held["id"])
        assert room.send(KIND[3], parent_id=elsewhere["id"]).status_code == 201
        released = mo.post(f"{ADMIN_API}/branches/{root['id']}/release").json()
        assert released["hold_replies"] is False
    assert room.send(KIND[4], parent_id=root["id"]).status_code == 201


def test_rejecting_a_branch_takes_it_from_public_reads_and_undo_brings_it_back(
    room: Room,
) -> None:
    root = room.post(KIND[0])["comment"]
    reply = room.post(KIND[1], parent_id=root["id"], name="bob")["comment"]
    deeper = room.post(KIND[2], parent_id=reply["id"], name="carl")["comment"]
    kept = room.post(KIND[3], name="dan")["comment"]
    branch = {root["id"], reply["id"], deeper["id"]}
    first = room.public()
    assert room.public_ids() == branch | {kept["id"]}  # the second read is the cached one
    with listening(room.server, THREAD) as events, room.client("mo") as mo:
        answer = mo.post(
            f"{ADMIN_API}/comments/{root['id']}/reject-branch", json={"reason": "abuse"}
        )
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert {a["id"] for a in result["applied"]} == branch
        assert {a["status_after"] for a in result["applied"]} == {"rejected"}
        after = room.public()
        assert after.headers["etag"] != first.headers["etag"]
        assert {c["id"] for c in after.json()["comments"]} == {kept["id"]}
        assert room.public_ids() == {kept["id"]}  # and again, from the cache
        heard = {events.get(timeout=10)["id"] for _ in branch}
        assert heard == branch
        undone = mo.post(f"{ADMIN_API}/undo/{result['undo_id']}")
        assert undone.status_code == 200, undone.text
        assert {r["id"] for r in undone.json()["reverted"]} == branch
    assert room.public_ids() == branch | {kept["id"]}
    actions = room.audit_actions()
    assert actions.count("comment.reject") == 3 and actions.count("comment.undo") == 3
    assert actions.count("branch.reject") == 1
    with room.client("mo") as mo:
        missing = mo.post(f"{ADMIN_API}/comments/{root['id']}/reject-branch", json={})
        assert_problem(missing, 400)  # the reason is required


def test_locking_a_thread_from_the_console(room: Room) -> None:
    first = room.post(KIND[0])["comment"]
    (thread_id,) = room.execute(sa.select(threads.c.id).where(threads.c.key == THREAD))[0]
    with listening(room.server, THREAD) as events, room.client("mo") as mo:
        locked = mo.post(f"{ADMIN_API}/threads/{thread_id}/lock")
        assert locked.status_code == 200, locked.text
        assert locked.json() == {
            "id": thread_id,
            "site_id": room.sites.a,
            "key": THREAD,
            "locked": True,
        }
        assert events.get(timeout=10)["type"] == "locked"
        assert room.public().json()["thread"]["locked"] is True
        assert_problem(room.send(KIND[1]), 403, THREAD_LOCKED)
        assert_problem(room.send(KIND[1], parent_id=first["id"]), 403, THREAD_LOCKED)
        assert mo.post(f"{ADMIN_API}/threads/{thread_id}/unlock").json()["locked"] is False
    assert room.send(KIND[1]).status_code == 201
    assert {"thread.lock", "thread.unlock"} <= set(room.audit_actions())


# -- the author drawer --------------------------------------------------------------------------


def test_the_drawer_counts_what_was_posted_and_decided(room: Room) -> None:
    first = room.post(KIND[0])
    token = first["author_token"]
    c1 = first["comment"]
    c2 = room.post(KIND[1], token=token, thread=THREAD_2)["comment"]
    c3 = room.post(SPOILER, token=token)["comment"]  # held
    c4 = room.post(INSULT, token=token, thread=THREAD_2)["comment"]  # held
    room.post(KIND[2], token=token, origin=OTHER_ORIGIN)  # the other site: not in this drawer
    room.post(KIND[3], name="bob")  # someone else
    with room.client("mo") as mo:
        drawer = author_of(mo, c1["id"])
        assert drawer["approval_rate"] is None and drawer["decided"] == 0
        assert mo.post(f"{ADMIN_API}/comments/{c3['id']}/approve").status_code == 200
        assert (
            mo.post(f"{ADMIN_API}/comments/{c2['id']}/reject", json={"reason": "abuse"})
        ).status_code == 200
        assert mo.post(f"{ADMIN_API}/comments/{c4['id']}/spam").status_code == 200
        note = mo.post(
            f"{ADMIN_API}/authors/{drawer['author_key']}/notes",
            params={"site": room.sites.a},
            json={"body": "Warned by mail on Monday."},
        )
        assert note.status_code == 201, note.text
        made(sanction(mo, room, drawer["author_key"], kind="warn", note="be civil"))
        drawer = mo.get(
            f"{ADMIN_API}/authors/{drawer['author_key']}", params={"site": room.sites.a}
        ).json()
        # A restore takes a decision back: that comment is undecided again.
        assert mo.post(f"{ADMIN_API}/comments/{c2['id']}/restore").status_code == 200
        restored = author_of(mo, c1["id"])

    ours = {c1["id"], c2["id"], c3["id"], c4["id"]}
    assert {c["id"] for c in drawer["comments"]} == ours and drawer["comments_count"] == 4
    created = dict(
        room.execute(sa.select(comments.c.id, comments.c.created_at).where(comments.c.id.in_(ours)))
    )

    def moment(value: Any) -> datetime:
        value = datetime.fromisoformat(value) if isinstance(value, str) else value
        return value if value.tzinfo else value.replace(tzinfo=UTC)  # type: ignore[no-any-return]

    assert moment(drawer["first_seen"]) == moment(min(created.values()))
    assert moment(drawer["last_seen"]) == moment(max(created.values()))
    assert (drawer["decided"], drawer["approved"]) == (3, 1)
    assert drawer["approval_rate"] == pytest.approx(1 / 3)
    assert (restored["decided"], restored["approved"]) == (2, 1)
    assert restored["approval_rate"] == pytest.approx(1 / 2)
    by_id = {c["id"]: c for c in drawer["comments"]}
    assert by_id[c3["id"]]["status"] == "published"
    assert [d["action"] for d in by_id[c3["id"]]["decisions"]] == ["approve"]
    assert by_id[c2["id"]]["thread_key"] == THREAD_2 and by_id[c2["id"]]["status"] == "rejected"
    assert by_id[c4["id"]]["verdict_action"] == "hold"
    assert "insult" in by_id[c4["id"]]["verdict_labels"]
    assert [n["body"] for n in drawer["notes"]] == ["Warned by mail on Monday."]
    ((kind, note_text),) = [(s["kind"], s["note"]) for s in drawer["sanctions"]]
    assert (kind, note_text) == ("warn", "be civil")
    assert drawer["names"] == ["ann"]
    # A warning refuses nothing.
    assert room.send(KIND[4], token=token).status_code == 201
    assert {"author.note", "author.warn"} <= set(room.audit_actions())


# -- who may ----------------------------------------------------------------------------------


def test_only_the_sites_moderators_see_and_act_on_its_authors(room: Room) -> None:
    first = room.post(KIND[0])
    comment_id = first["comment"]["id"]
    (thread_id,) = room.execute(sa.select(threads.c.id).where(threads.c.key == THREAD))[0]
    with room.client("mo") as mo:
        key = author_of(mo, comment_id)["author_key"]
        warning = made(sanction(mo, room, key, kind="warn"))
    a = room.sites.a
    writes = [
        ("POST", f"{ADMIN_API}/authors/{key}/sanctions", {"site": a}, {"kind": "ban"}),
        ("POST", f"{ADMIN_API}/authors/{key}/notes", {"site": a}, {"body": "x"}),
        ("DELETE", f"{ADMIN_API}/sanctions/{warning['id']}", {}, None),
        ("POST", f"{ADMIN_API}/branches/{comment_id}/lock", {}, None),
        ("POST", f"{ADMIN_API}/branches/{comment_id}/hold-replies", {}, None),
        ("POST", f"{ADMIN_API}/threads/{thread_id}/lock", {}, None),
        ("POST", f"{ADMIN_API}/comments/{comment_id}/reject-branch", {}, {"reason": "spam"}),
    ]
    reads = [
        ("GET", f"{ADMIN_API}/authors/{key}", {"site": a}, None),
        ("GET", f"{ADMIN_API}/comments/{comment_id}/author", {}, None),
        ("GET", f"{ADMIN_API}/branches/{comment_id}", {}, None),
    ]
    with room.server.client() as anonymous:
        for method, path, params, body in writes + reads:
            answer = anonymous.request(method, path, params=params, json=body)
            assert_problem(answer, 401, NOT_AUTHENTICATED)
    with room.client("bea") as bea:  # moderates "other" only
        for method, path, params, body in writes + reads:
            answer = bea.request(method, path, params=params, json=body)
            # A site named is refused; an item of it does not exist for her.
            status, code = (403, NOT_ALLOWED) if "site" in params else (404, NOT_FOUND)
            assert_problem(answer, status, code)
        # Her own site does not know the author.
        drawer = bea.get(f"{ADMIN_API}/authors/{key}", params={"site": room.sites.b})
        assert_problem(drawer, 404, NOT_FOUND)
        assert_problem(bea.get(f"{ADMIN_API}/authors/{key}"), 422)  # no site named
    with room.client("mo") as mo:
        del mo.headers["X-CSRF-Token"]
        for method, path, params, body in writes:
            answer = mo.request(method, path, params=params, json=body)
            assert_problem(answer, 403, CSRF_FAILED)
    # Nothing of it happened.
    assert room.execute(sa.select(sa.func.count()).select_from(sanctions))[0][0] == 1
    assert room.send(KIND[1], token=first["author_token"], parent_id=comment_id).status_code == 201
    with room.client("olga") as olga:  # an owner sees every site
        assert author_of(olga, comment_id)["author_key"] == key


def test_a_thread_lock_is_heard_by_readers_as_a_change(room: Room) -> None:
    """The widget re-reads on any change event: a lock must send one (and a reader queue
    that hears nothing else in the meantime proves it came from the lock)."""
    room.post(KIND[0])
    (thread_id,) = room.execute(sa.select(threads.c.id).where(threads.c.key == THREAD))[0]
    with listening(room.server, THREAD) as events, room.client("olga") as olga:
        olga.post(f"{ADMIN_API}/threads/{thread_id}/lock").raise_for_status()
        assert events.get(timeout=10) == {"type": "locked"}
        olga.post(f"{ADMIN_API}/threads/{thread_id}/lock").raise_for_status()  # no change
        olga.post(f"{ADMIN_API}/threads/{thread_id}/unlock").raise_for_status()
        assert events.get(timeout=10) == {"type": "unlocked"}
        with pytest.raises(queues.Empty):
            events.get_nowait()
