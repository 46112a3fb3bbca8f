"""Thread-health alerts on the moderators' event stream (`GET /api/v1/admin/events`) over real
HTTP on SQLite: the seed thread is posted through the public API while moderators listen, and
its site's moderators hear the alert it raises (ids only), another site's moderator does not."""

from __future__ import annotations

import json
import queue
from collections.abc import Callable
from typing import Any

from tests.admin.helpers import ADMIN_API, THREAD, Room, posted, send, start_room
from tests.admin.test_alerts_api import post_thread
from tests.conftest import SEED_JSON
from tests.live import LiveServer
from tests.test_moderator_events import (
    INSULT,
    OTHER_ORIGIN,
    SPOILER,
    moderator_stream,
    queued,
)

Events = queue.Queue[dict[str, Any]]


def alerts_until(events: Events, last: dict[str, Any]) -> list[dict[str, Any]]:
    """The alert events of a stream up to the event `last`, past the queue changes."""
    heard = []
    while (event := events.get(timeout=20)) != last:
        if event["type"] == "alert":
            heard.append(event)
    return heard


def test_an_alert_reaches_its_sites_moderators_with_its_branch(
    sqlite_url: str, start_server: Callable[..., LiveServer]
) -> None:
    room = start_room(Room, sqlite_url, start_server)
    seed = json.loads(SEED_JSON.read_text())
    with room.client("olga") as olga:
        article = {"title": seed["title"], "text": seed["article"]}
        answer = olga.put(
            f"{ADMIN_API}/sites/{room.sites.a}/article", params={"thread": THREAD}, json=article
        )
        assert answer.status_code == 200, answer.text

    with moderator_stream(room.server, "mo") as mo, moderator_stream(room.server, "bea") as bea:
        post_thread(room, seed, THREAD)
        marker = queued(posted(room.send(SPOILER), 202), room.sites.a)
        heard = alerts_until(mo, marker)
        with room.client("mo") as client:
            answer = client.get(f"{ADMIN_API}/alerts", params={"status": "all"})
        (stored,) = answer.json()["alerts"]
        # Raised, then widened up to where the branch turned: the last word is the stored one.
        assert heard and {event["id"] for event in heard} == {stored["id"]}
        assert heard[-1] == {
            "type": "alert",
            "id": stored["id"],
            "site": room.sites.a,
            "branch_root": stored["branch_root"],
            "at_comment": stored["at_comment"],
        }

        # bea moderates "other" only: the first thing she hears is a post on her own site.
        elsewhere = posted(send(room.server, INSULT, origin=OTHER_ORIGIN))
        assert bea.get(timeout=10) == queued(elsewhere, room.sites.b)
