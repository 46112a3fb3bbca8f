"""Thread health on the write paths, through the real server over HTTP: every comment's
`off_topic` score, branch states kept per comment (posts, edits, imports), derailment alerts
stored and told to moderators, and each policy step acting on the derailing branch only.

One server for the module (SQLite), with one site per policy step; each test posts in threads
of its own. The storage part runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from parley.domain.comments import Author, CommentStatus, NewComment
from parley.moderation.engine import Engine
from parley.services.comments import CommentDraft
from parley.services.importing import import_wordpress
from parley.services.moderation import checked_policy
from parley.services.runtime import Runtime
from parley.storage.factory import open_store
from parley.storage.schema import (
    audit_log,
    branch_rules,
    branch_states,
    comments,
    thread_alerts,
)
from parley.storage.thread_health import NewAlert, StateRow, health_store
from parley.web.events import ChannelsEventSink, moderators_channel
from tests.admin.helpers import rows, run, send
from tests.conftest import SEED_JSON, SEED_WXR, make_settings
from tests.live import LiveServer

SEED = json.loads(SEED_JSON.read_text())
STEPS = ("flag", "slow", "hold", "lock")
ORIGIN = {step: f"https://{step}.example" for step in STEPS}
ON_TOPIC = (
    "The survivors' testimony about the Nanking Safety Zone in this documentary is "
    "heartbreaking, and the archive footage of the bombardment is hard to watch."
)
# A branch that leaves the film for football and heats up between two people.
DERAILING = [
    ("bob", "Whatever. Did anyone watch the football last night? The referee was a total joke."),
    ("cat", "The referee was fine, your team just cannot defend set pieces, everybody knows it."),
    ("bob", "My team won the league twice, yours is a bunch of overpaid clowns, pathetic idiot."),
    ("cat", "Your club is bankrupt and your striker is a diver, you clueless moron."),
    ("bob", "Shut up, nobody cares about your stupid club and its useless striker, idiot."),
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    """A migrated SQLite database with a site per policy step (cooldown 1 s for `slow`)."""
    path = tmp_path_factory.mktemp("health") / "parley.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"

    async def sites() -> None:
        store = open_store(url)
        try:
            await store.ensure_site("default")
            for step in STEPS:
                await store.ensure_site(step, [ORIGIN[step]])
                policy = {"derailment": step, "derailment_cooldown": 1}
                await store.set_site_policy(step, checked_policy(policy))
        finally:
            await store.close()

    run(sites())
    return url


@pytest.fixture(scope="module")
def server(database: str, moderation_engine: Engine) -> Iterator[LiveServer]:
    live = LiveServer(make_settings(database), moderation_engine).start()
    yield live
    live.stop()


@pytest.fixture
def thread(database: str, request: pytest.FixtureRequest) -> Callable[[str], str]:
    """A thread of this test on a site, with the seed film review as its article."""

    def make(site: str = "flag") -> str:
        key = f"/health/{request.node.name.replace('[', '-').rstrip(']')}/{site}/"

        async def work() -> None:
            store = open_store(database)
            try:
                found = await store.ensure_site(site)
                await store.ensure_thread(
                    found.id, key, SEED["title"], SEED["url"], f"<p>{SEED['article']}</p>"
                )
            finally:
                await store.close()

        run(work())
        return key

    return make


def post(
    server: LiveServer, key: str, site: str, body: str, parent_id: int | None = None, **kw: Any
) -> httpx.Response:
    return send(server, body, key, parent_id=parent_id, origin=ORIGIN.get(site), **kw)


def comment_id(answer: httpx.Response) -> int:
    assert answer.status_code in (201, 202), answer.text
    return int(answer.json()["comment"]["id"])


def latest_assessment(database: str, comment: int) -> dict[str, Any]:
    async def work() -> list[dict[str, Any]]:
        store = open_store(database)
        try:
            return await store.assessments(comment)
        finally:
            await store.close()

    return run(work())[-1]


def off_topic_reason(assessment: dict[str, Any]) -> dict[str, Any]:
    (reason,) = [r for r in assessment["reasons"] if r["label"] == "off_topic"]
    return reason


def stored_state(database: str, comment: int) -> dict[str, Any]:
    (row,) = rows(database, sa.select(branch_states).where(branch_states.c.comment_id == comment))
    assert len(row["vector"]) == 384 * 2  # float16
    return json.loads(row["state"])  # type: ignore[no-any-return]


def derail(server: LiveServer, key: str, site: str) -> tuple[list[int], dict[str, Any]]:
    """Post an on-topic comment and a derailing reply chain under it until an alert is stored;
    the chain's ids (root first) and the alert's row."""
    ids = [comment_id(post(server, key, site, ON_TOPIC, name="ann"))]
    for name, body in DERAILING:
        ids.append(comment_id(post(server, key, site, body, ids[-1], name=name)))
        found = rows(
            server.settings.database_url,
            sa.select(thread_alerts).where(thread_alerts.c.at_comment.in_(ids)),
        )
        if found:
            return ids, found[0]
    raise AssertionError(f"no alert on a derailing branch (comments {ids})")


def test_every_comment_has_an_off_topic_score_and_a_short_reply_takes_its_parents(
    server: LiveServer, database: str, thread: Callable[[str], str]
) -> None:
    key = thread("flag")
    top = comment_id(post(server, key, "flag", ON_TOPIC))
    drifted = comment_id(post(server, key, "flag", DERAILING[0][1], top))
    short = comment_id(post(server, key, "flag", "I agree.", drifted))

    scores = {c: latest_assessment(database, c)["scores"]["off_topic"] for c in (top, drifted)}
    assert scores[top] < scores[drifted]
    reason = off_topic_reason(latest_assessment(database, top))
    assert reason["action"] == "publish" and "the article" in reason["message"]
    assert "to parent" in off_topic_reason(latest_assessment(database, drifted))["message"]

    agreed = latest_assessment(database, short)
    assert agreed["scores"]["off_topic"] == scores[drifted]
    assert "judged through its parent" in off_topic_reason(agreed)["message"]
    assert stored_state(database, short)["parent_id"] == drifted


def test_a_derailing_branch_raises_one_stored_alert_and_the_policy_step_is_audited(
    server: LiveServer, database: str, thread: Callable[[str], str]
) -> None:
    key = thread("flag")
    ids, alert = derail(server, key, "flag")
    assert alert["branch_root"] in ids[1:] and alert["at_comment"] == ids[-1]
    assert alert["status"] == "open" and alert["step"] == "flag" and json.loads(alert["reasons"])
    alerting = latest_assessment(database, ids[-1])
    assert any(r["rule"] == "thread_health" for r in alerting["reasons"])
    assert alerting["action"] in ("flag", "hold")
    audited = rows(
        database,
        sa.select(audit_log).where(
            audit_log.c.action == "alert.flag",
            audit_log.c.target == f"comment:{alert['branch_root']}",
        ),
    )
    assert [(entry["user_id"], entry["after"]["alert"]) for entry in audited] == [
        (None, alert["id"])
    ]
    # Further replies in the derailed branch raise no second alert.
    for name, body in DERAILING:
        ids.append(comment_id(post(server, key, "flag", body, ids[-1], name=name)))
    found = rows(database, sa.select(thread_alerts).where(thread_alerts.c.at_comment.in_(ids)))
    assert [row["id"] for row in found] == [alert["id"]]


def test_an_alert_is_published_to_the_sites_moderators(
    sqlite_url: str, moderation_engine: Engine
) -> None:
    url = sqlite_url

    async def work() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        plugin = ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True)
        async with plugin:
            sink = ChannelsEventSink(plugin)
            runtime = await Runtime.open(make_settings(url), moderation_engine, sink)
            try:
                assert runtime.comments and runtime.sites
                site = runtime.sites.default
                await runtime.store.ensure_thread(
                    site.id, "/film/", SEED["title"], SEED["url"], SEED["article"]
                )
                heard = await plugin.subscribe(moderators_channel(site.id))
                parent: int | None = None
                for name, body in [("ann", ON_TOPIC), *DERAILING]:
                    draft = CommentDraft("/film/", body, parent, name)
                    parent = (await runtime.comments.post(site, draft, None, None)).comment.id
                await plugin.wait_published(b'{"type":"end"}', [moderators_channel(site.id)])
                events = []
                async for raw in heard.iter_events():
                    event = json.loads(raw)
                    if event["type"] == "end":
                        break
                    events.append(event)
            finally:
                await runtime.close()
        stored = rows(url, sa.select(thread_alerts))
        return events, stored

    events, stored = asyncio.run(work())
    (alert,) = stored
    assert [e for e in events if e["type"] == "alert"] == [
        {
            "type": "alert",
            "id": alert["id"],
            "site": alert["site_id"],
            "branch_root": alert["branch_root"],
            "at_comment": alert["at_comment"],
        }
    ]


@pytest.mark.parametrize("step", STEPS)
def test_each_policy_step_acts_on_new_replies_in_the_branch_and_not_beside_it(
    server: LiveServer, database: str, thread: Callable[[str], str], step: str
) -> None:
    key = thread(step)
    sibling = comment_id(post(server, key, step, ON_TOPIC, name="dan"))
    _, alert = derail(server, key, step)
    root = alert["branch_root"]
    reply = "Back to the film: the Safety Zone committee saved thousands of lives in Nanking."

    answer = post(server, key, step, reply, root, name="eve")
    if step == "lock":
        assert answer.status_code == 403 and answer.json()["code"] == 2051
    elif step == "hold":
        assert answer.status_code == 202 and answer.json()["comment"]["status"] == "pending"
    else:
        assert answer.status_code == 201, answer.text
        reasons = latest_assessment(database, comment_id(answer))["reasons"]
        flagged = any(r["rule"] == "branch: derailing, replies flagged" for r in reasons)
        assert flagged is (step == "flag")
    if step == "slow":
        _assert_slowed(server, key, root, reply)

    beside = post(server, key, step, reply, sibling, name="eve")
    assert beside.status_code == 201, beside.text
    assert not any(
        r["rule"] and r["rule"].startswith("branch:")
        for r in latest_assessment(database, comment_id(beside))["reasons"]
    )


def _assert_slowed(server: LiveServer, key: str, root: int, reply: str) -> None:
    """A second reply within the cooldown is refused with Retry-After and stores nothing; one
    after it is taken."""
    refused = post(server, key, "slow", reply, root, name="fay")
    assert refused.status_code == 429 and refused.json()["code"] == 2052
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["Retry-After"]) >= 1
    deadline = time.monotonic() + 10
    while (answer := post(server, key, "slow", reply, root, name="fay")).status_code == 429:
        assert time.monotonic() < deadline, "the cooldown never ended"
        time.sleep(0.2)
    assert answer.status_code == 201, answer.text


def test_an_edit_replaces_the_comments_state_and_can_raise_an_alert(
    server: LiveServer, database: str, thread: Callable[[str], str]
) -> None:
    key = thread("flag")
    ids = [comment_id(post(server, key, "flag", ON_TOPIC, name="ann"))]
    tokens = {}
    for name, _ in DERAILING[:-1]:
        answer = post(server, key, "flag", ON_TOPIC, ids[-1], name=name)
        ids.append(comment_id(answer))
        tokens[ids[-1]] = answer.json()["author_token"]
    before = stored_state(database, ids[1])["off_topic"]

    for edited, (_, body) in zip(ids[1:], DERAILING, strict=False):
        url = f"{server.url}/api/v1/comments/{edited}"
        answer = httpx.patch(url, json={"body": body}, headers={"X-Author-Token": tokens[edited]})
        assert answer.status_code == 200, answer.text
    after = stored_state(database, ids[1])["off_topic"]
    assert after > before
    assert latest_assessment(database, ids[1])["scores"]["off_topic"] == after
    alerts = rows(database, sa.select(thread_alerts).where(thread_alerts.c.at_comment.in_(ids)))
    assert [a["branch_root"] in ids[1:] for a in alerts] == [True]


def test_an_import_stores_a_state_per_comment_and_its_alerts(
    sqlite_url: str, tmp_path: Path, moderation_engine: Engine
) -> None:
    url = sqlite_url
    wxr = tmp_path / "derailing.wxr.xml"
    wxr.write_text(_with_derailing_branch(SEED_WXR.read_text(), under=11))

    async def work() -> int:
        runtime = await Runtime.open(make_settings(url), moderation_engine)
        try:
            report = await import_wordpress(
                runtime.store,
                "default",
                wxr,
                runtime.moderator,
                max_name=80,
                health=runtime.health,
            )
            return report.comments_added
        finally:
            await runtime.close()

    total = len(SEED["comments"]) + len(DERAILING)
    assert run(work()) == total
    states = rows(url, sa.select(branch_states))
    assert len(states) == total
    by_id = {row["comment_id"]: json.loads(row["state"]) for row in states}
    for comment, state in by_id.items():
        assert state["comment_id"] == comment
        assert state["parent_id"] is None or state["parent_id"] in by_id
        assert all(ancestor in by_id for ancestor in state["path"])
        assert latest_assessment(url, comment)["scores"]["off_topic"] == state["off_topic"]
    refs = [f"wordpress:{100 + n}" for n in range(len(DERAILING))]
    derailed = [
        c["id"] for c in rows(url, sa.select(comments).where(comments.c.source_ref.in_(refs)))
    ]
    alerts = rows(url, sa.select(thread_alerts))
    (alert,) = [a for a in alerts if a["at_comment"] in derailed]
    assert alert["branch_root"] in derailed and alert["step"] == "flag"
    # The seed's own alert: seen at #6, widened to #3 by the slur (#8), the rule moved with it.
    stored = {
        int(c["source_ref"].removeprefix("wordpress:")): c["id"]
        for c in rows(url, sa.select(comments))
    }
    (seed_alert,) = [a for a in alerts if a["at_comment"] not in derailed]
    assert (seed_alert["at_comment"], seed_alert["branch_root"], seed_alert["widened_at"]) == (
        stored[6],
        stored[3],
        stored[8],
    )
    flagged = rows(url, sa.select(branch_rules).where(branch_rules.c.rule == "flag_replies"))
    assert stored[3] in {rule["comment_id"] for rule in flagged}
    again = run(work())
    assert again == 0 and len(rows(url, sa.select(branch_states))) == total
    assert rows(url, sa.select(thread_alerts)) == alerts  # none stored twice


def _with_derailing_branch(wxr: str, under: int) -> str:
    """The WXR with the DERAILING chain as replies under comment `under`, a day later."""
    comments = []
    for n, (name, body) in enumerate(DERAILING):
        parent = under if n == 0 else 100 + n - 1
        comments.append(
            f"""<wp:comment><wp:comment_id>{100 + n}</wp:comment_id>
<wp:comment_author><![CDATA[{name}]]></wp:comment_author>
<wp:comment_date_gmt>2016-03-20 10:{n:02d}:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{body}]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""
        )
    return wxr.replace("</item>", "\n".join(comments) + "\n</item>", 1)


# -- storage, on both engines -------------------------------------------------------------


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_health_store_keeps_states_and_alerts(
    engine: str, request: pytest.FixtureRequest
) -> None:
    database_url = str(request.getfixturevalue(f"{engine}_url"))

    async def work() -> None:
        store = open_store(database_url)
        health = health_store(store)
        try:
            site = await store.ensure_site("default")
            thread = await store.ensure_thread(site.id, "/t/", "Title")
            ids = await _chain(store, site.id, 3)
            for comment in ids:
                state = {"comment_id": comment, "top_id": ids[0], "off_topic": 0.1}
                await health.put_state(StateRow(comment, site.id, thread.id, state, b"\x01\x02"))
            edited = {"comment_id": ids[1], "top_id": ids[0], "off_topic": 0.9}
            await health.put_states([StateRow(ids[1], site.id, thread.id, edited, b"\x03")])
            found = await health.branch_states(ids[2])
            assert set(found) == {ids[0], ids[2]}
            assert (await health.branch_states(ids[1]))[ids[1]] == (edited, b"\x03")

            new = NewAlert(site.id, thread.id, ids[1], ids[2], ("why",), 0.7, 0.4, "flag")
            now = datetime.now(UTC)
            alert_id = await health.add_alert(new, now)
            assert alert_id is not None and await health.add_alert(new, now) is None
            (listed,) = await health.alerts([site.id], "open")
            assert (listed.id, listed.thread_key, listed.reasons) == (alert_id, "/t/", ("why",))
            assert await health.alerts([site.id + 1], "open") == []
            assert await health.close_alert(alert_id, "dismissed", None, now)
            assert not await health.close_alert(alert_id, "resolved", None, now)
            assert await health.alerts([site.id], "open") == []
            closed = await health.alert(alert_id)
            assert closed is not None and closed.status == "dismissed"
        finally:
            await store.close()

    asyncio.run(work())


async def _chain(store: Any, site_id: int, length: int) -> list[int]:
    ids: list[int] = []
    for depth in range(length):
        new = NewComment(
            thread_key="/t/",
            thread_title="Title",
            parent_id=ids[-1] if ids else None,
            depth=depth,
            author=Author("a"),
            body_md="text",
            body_html="<p>text</p>",
            status=CommentStatus.PUBLISHED,
            created_at=datetime.now(UTC),
            network_tag=None,
        )
        ids.append((await store.add_comment(site_id, new)).id)
    return ids
