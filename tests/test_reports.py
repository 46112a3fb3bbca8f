"""Readers' reports (issue 10, item 5): one per reader per comment, refused where a vote is,
and a site's `report_threshold` of them puts a public comment in the reported queue."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from parley.domain.reports import ReportReason
from parley.services.comments import CommentDraft
from parley.services.events import NoEvents
from parley.services.moderation import PublishEverything
from parley.services.reports import ReportService
from parley.services.runtime import Runtime
from parley.services.tokens import AuthorTokens
from parley.storage.factory import open_store
from parley.storage.reports import OpenReports, report_store
from parley.web.events import ChannelsEventSink, channel_name, moderators_channel
from tests.conftest import REPO, make_settings
from tests.live import LiveServer
from tests.test_live_updates import listening
from tests.test_moderated_editing import MarkedWords

THREAD = "/reported/"
Start = Callable[..., LiveServer]


def post(server: LiveServer, body: str) -> dict[str, Any]:
    created = httpx.post(f"{server.url}/api/v1/comments", json={"thread": THREAD, "body": body})
    assert created.status_code in (201, 202), created.text
    return created.json()  # type: ignore[no-any-return]


def report(
    server: LiveServer,
    comment_id: int,
    reason: str = "spam",
    token: str | None = None,
    **headers: str,
) -> httpx.Response:
    if token:
        headers["X-Author-Token"] = token
    return httpx.post(
        f"{server.url}/api/v1/comments/{comment_id}/report",
        json={"reason": reason},
        headers=headers,
    )


def identity(token: str) -> str | None:
    """Whom a token names (tokens are signed with a timestamp: one identity, many tokens)."""
    return AuthorTokens("test-secret", 3600).author_key(token)


def with_service(database_url: str, work: Callable[[ReportService, Any], Any]) -> Any:
    """Run `work(service, store)` against the database, as the moderators' queue reads it."""

    async def run() -> Any:
        store = open_store(database_url)
        try:
            service = ReportService(
                store, report_store(store), AuthorTokens("test-secret", 3600), NoEvents()
            )
            return await work(service, store)
        finally:
            await store.close()

    return asyncio.run(run())


def open_reports(database_url: str) -> list[OpenReports]:
    async def read(service: ReportService, store: Any) -> list[OpenReports]:
        return await service.open_report_counts(await store.list_sites())

    return with_service(database_url, read)  # type: ignore[no-any-return]


def reported_queue(database_url: str) -> list[OpenReports]:
    async def read(service: ReportService, store: Any) -> list[OpenReports]:
        return await service.reported_queue(await store.list_sites())

    return with_service(database_url, read)  # type: ignore[no-any-return]


def set_report_threshold(database_url: str, threshold: int) -> None:
    async def write() -> None:
        store = open_store(database_url)
        try:
            await store.set_site_policy("default", {"report_threshold": threshold})
        finally:
            await store.close()

    asyncio.run(write())


def test_one_report_per_reader_and_each_reader_counts(
    start_unmoderated_server: Start, database_url: str
) -> None:
    server = start_unmoderated_server(database_url=database_url)
    comment = post(server, "Buy cheap watches at my shop.")["comment"]["id"]

    first = report(server, comment, "spam")
    assert first.status_code == 201
    answer = first.json()
    assert answer["id"] == comment and answer["reason"] == "spam" and answer["author_token"]
    reader = answer["author_token"]  # a first report gives the browser its identity

    again = report(server, comment, "harassment", token=reader)
    assert again.status_code == 200  # idempotent: the first report stands, unchanged
    assert again.json()["reason"] == "spam"
    assert again.json()["reported_at"] == answer["reported_at"]
    assert identity(again.json()["author_token"]) == identity(reader)
    (entry,) = open_reports(database_url)
    assert (entry.comment_id, entry.count, entry.reasons) == (comment, 1, {"spam": 1})

    other = report(server, comment, "off_topic")
    assert other.status_code == 201
    assert identity(other.json()["author_token"]) not in (None, identity(reader))
    (entry,) = open_reports(database_url)
    assert entry.count == 2 and entry.reasons == {"spam": 1, "off_topic": 1}
    assert entry.thread_key == THREAD


def test_the_sites_threshold_puts_a_comment_in_the_reported_queue(
    start_unmoderated_server: Start, database_url: str
) -> None:
    start_unmoderated_server(database_url=database_url).stop()  # creates the default site
    set_report_threshold(database_url, 2)
    server = start_unmoderated_server(database_url=database_url)
    reported = post(server, "Some words a few readers mind.")["comment"]["id"]
    once = post(server, "Words one reader minds.")["comment"]["id"]

    assert report(server, reported, "harassment").status_code == 201
    assert report(server, once, "other").status_code == 201
    assert reported_queue(database_url) == []  # one report each: below 2
    assert report(server, reported, "hate").status_code == 201
    (queued,) = reported_queue(database_url)
    assert (queued.comment_id, queued.count) == (reported, 2)
    assert {entry.comment_id for entry in open_reports(database_url)} == {reported, once}

    # A moderator's decision closes the reports: the comment leaves the queue.
    async def resolve(service: ReportService, _: Any) -> int:
        return await service.resolve(reported)

    assert with_service(database_url, resolve) == 2
    assert reported_queue(database_url) == []


def test_the_default_threshold_is_three(start_unmoderated_server: Start, sqlite_url: str) -> None:
    server = start_unmoderated_server()
    comment = post(server, "Three readers mind this.")["comment"]["id"]
    for _ in range(2):
        assert report(server, comment).status_code == 201
    assert reported_queue(sqlite_url) == []
    assert report(server, comment).status_code == 201
    assert [entry.comment_id for entry in reported_queue(sqlite_url)] == [comment]


def test_held_and_unknown_comments_cannot_be_reported(sqlite_url: str) -> None:
    server = LiveServer(make_settings(sqlite_url), MarkedWords()).start()
    try:
        held = post(server, "HOLD me for review")
        assert held["held"] is True
        held_id = held["comment"]["id"]
        flagged = post(server, "FLAG me: public, queued for a look")["comment"]["id"]
        answers = [
            report(server, held_id),
            report(server, held_id, token=held["author_token"]),  # not even by its author
            report(server, held_id + 1000),
        ]
        for answer in answers:
            assert answer.status_code == 404
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] == 1004
        assert answers[0].json()["detail"] == answers[2].json()["detail"].replace(
            str(held_id + 1000), str(held_id)
        )
        assert report(server, flagged).status_code == 201  # flagged comments are public
        assert [entry.comment_id for entry in open_reports(sqlite_url)] == [flagged]
    finally:
        server.stop()


def test_foreign_origins_are_refused(start_unmoderated_server: Start, sqlite_url: str) -> None:
    server = start_unmoderated_server()
    comment = post(server, "A plain comment.")["comment"]["id"]
    refused = report(server, comment, Origin="https://evil.example")
    assert refused.status_code == 403 and refused.json()["code"] == 2003
    own = report(server, comment, Origin="http://127.0.0.1:8080")
    assert own.status_code == 201
    assert [entry.count for entry in open_reports(sqlite_url)] == [1]


def test_reports_are_rate_limited_per_address(start_unmoderated_server: Start) -> None:
    server = start_unmoderated_server(rate_limit=3, rate_period=3600)
    comment = post(server, "A comment many readers report.")["comment"]["id"]
    for _ in range(3):  # three new readers from one address
        assert report(server, comment).status_code == 201
    limited = report(server, comment)
    assert limited.status_code == 429 and limited.json()["code"] == 2029
    assert int(limited.headers["retry-after"]) > 0
    # Reports are counted apart: a vote still goes through.
    vote = httpx.post(f"{server.url}/api/v1/comments/{comment}/vote", json={"value": 1})
    assert vote.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "boring"},
        {"reason": ""},
        {},
        {"reason": "spam", "extra": 1},
        {"reason": "other", "note": "x" * 501},
    ],
)
def test_a_bad_reason_is_a_problem(start_unmoderated_server: Start, body: dict[str, Any]) -> None:
    server = start_unmoderated_server()
    comment = post(server, "A plain comment.")["comment"]["id"]
    answer = httpx.post(f"{server.url}/api/v1/comments/{comment}/report", json=body)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == 1001


def test_a_note_is_kept_and_every_listed_reason_is_taken(
    start_unmoderated_server: Start, sqlite_url: str
) -> None:
    server = start_unmoderated_server()
    comment = post(server, "A plain comment.")["comment"]["id"]
    for reason in ReportReason:
        assert report(server, comment, reason.value).status_code == 201
    noted = httpx.post(
        f"{server.url}/api/v1/comments/{comment}/report",
        json={"reason": "other", "note": "It names my neighbour."},
    )
    assert noted.status_code == 201
    (entry,) = open_reports(sqlite_url)
    assert entry.count == len(ReportReason) + 1
    assert entry.reasons == {r.value: 2 if r is ReportReason.OTHER else 1 for r in ReportReason}


def test_readers_streams_never_hear_of_reports(
    start_unmoderated_server: Start, sqlite_url: str
) -> None:
    server = start_unmoderated_server()
    with listening(server, THREAD) as events:
        first = post(server, "Reported thrice.")["comment"]["id"]
        for _ in range(3):  # the default threshold
            assert report(server, first).status_code == 201
        last = post(server, "After the reports.")["comment"]["id"]
        seen = [events.get(timeout=10) for _ in range(2)]
        assert events.empty()
    assert seen == [{"type": "created", "id": first}, {"type": "created", "id": last}]
    assert [entry.comment_id for entry in reported_queue(sqlite_url)] == [first]


def test_moderators_hear_once_when_a_comment_reaches_the_threshold(database_url: str) -> None:
    settings = make_settings(database_url)

    async def run() -> tuple[list[Any], list[Any], int]:
        plugin = ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True)
        async with plugin:
            runtime = await Runtime.open(settings, PublishEverything(), ChannelsEventSink(plugin))
            try:
                assert runtime.comments and runtime.reports and runtime.sites
                site = runtime.sites.default
                await runtime.store.set_site_policy(site.name, {"report_threshold": 2})
                site = next(s for s in await runtime.store.list_sites() if s.id == site.id)
                moderators = await plugin.subscribe(moderators_channel(site.id))
                readers = await plugin.subscribe(channel_name(site.id, THREAD))
                posted = await runtime.comments.post(
                    site, CommentDraft(THREAD, "Reported words."), None, None
                )
                comment = posted.comment.id
                for _ in range(3):
                    await runtime.reports.report(site, comment, ReportReason.SPAM, None)
                mine = posted.author_token  # the author reports too, then again
                for _ in range(2):
                    await runtime.reports.report(site, comment, ReportReason.OTHER, mine)
                await plugin.wait_published(b'{"type":"end"}', [moderators_channel(site.id)])
                await plugin.wait_published(b'{"type":"end"}', [channel_name(site.id, THREAD)])
                heard = await _until_end(moderators)
                read = await _until_end(readers)
            finally:
                await runtime.close()
        return heard, read, site.id

    heard, read, site = asyncio.run(run())
    comment = read[0]["id"]
    # The 2nd, 3rd and 4th distinct readers' reports are at or past the threshold; the
    # author's repeated report is not new and says nothing.
    assert heard == [
        {"type": "reported", "id": comment, "site": site, "queue": "reported"} for _ in (2, 3, 4)
    ]
    assert read == [{"type": "created", "id": comment}]


async def _until_end(subscriber: Any) -> list[Any]:
    found = []
    async for raw in subscriber.iter_events():
        event = json.loads(raw)
        if event == {"type": "end"}:
            return found
        found.append(event)
    return found


def test_the_widget_offers_every_reason_in_every_language() -> None:
    static = REPO / "src" / "parley" / "widget" / "static"
    script = (static / "parley.js").read_text()
    listed = re.search(r"const REASONS = \[([^\]]*)\]", script)
    assert listed is not None
    assert re.findall(r"'([a-z_]+)'", listed.group(1)) == [r.value for r in ReportReason]
    keys = ["report", "why", "send", "thanks", "e_reason", *(f"r_{r.value}" for r in ReportReason)]
    for key in keys:
        assert re.search(rf"\b{key}: ", script), f"English has no {key}"
    for catalogue in sorted((static / "i18n").glob("*.json")):
        strings = json.loads(catalogue.read_text())
        missing = [key for key in keys if not strings.get(key)]
        assert missing == [], f"{catalogue.name} lacks {missing}"
