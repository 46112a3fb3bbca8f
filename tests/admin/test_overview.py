"""The overview over real HTTP: per site and day, what was posted and became of it, reports,
decisions and their median wait, top labels; who may see which site; on SQLite and PostgreSQL
(the day of a timestamp is worked out by each database).

Comments are posted, reported and decided through the real API; the expected numbers are read
back from the database rows, never written into the test.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from parley.storage.schema import comments, decisions, reports, threads
from tests.admin.helpers import (
    ADMIN_API,
    Sites,
    assert_problem,
    create_staff,
    make_sites,
    posted,
    rows,
    send,
    session_of,
)
from tests.live import LiveServer

THREAD = "/reviews/overview/"
OTHER_ORIGIN = "https://other.example"
INSULT = "Shut up, you stupid worthless idiot."
INSULT_2 = "You are a complete idiot and a moron."
KIND = "Great documentary, thanks for sharing."
KIND_2 = "I watched it twice; the archive footage is remarkable."


def post(server: LiveServer, body: str, origin: str | None = None) -> dict[str, Any]:
    return posted(send(server, body, THREAD, origin=origin))["comment"]  # type: ignore[no-any-return]


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@pytest.fixture
def busy(
    database_url: str, start_server: Callable[..., LiveServer]
) -> Iterator[tuple[LiveServer, str, Sites]]:
    """A day on two sites: comments published and held, one rejected and one approved by a
    moderator, two reports; owner "olga", "mo" of default, "bea" of other."""
    sites = make_sites(database_url)
    create_staff(database_url)
    server = start_server(database_url=database_url)
    kind = [post(server, body) for body in (KIND, KIND_2, KIND)]
    held = [post(server, body) for body in (INSULT, INSULT_2, INSULT)]
    post(server, INSULT, origin=OTHER_ORIGIN)
    post(server, KIND, origin=OTHER_ORIGIN)
    with session_of(server, "mo") as mo:
        reject = mo.post(f"{ADMIN_API}/comments/{held[0]['id']}/reject", json={"reason": "abuse"})
        assert reject.status_code == 200, reject.text
        assert mo.post(f"{ADMIN_API}/comments/{held[1]['id']}/approve").status_code == 200
    for reason in ("spam", "harassment"):  # two readers: each gets a token of their own
        reported = httpx.post(
            f"{server.url}/api/v1/comments/{kind[0]['id']}/report", json={"reason": reason}
        )
        assert reported.status_code in (200, 201, 202), reported.text
    yield server, database_url, sites


def expected(url: str, site_id: int) -> dict[str, Any]:
    """Today's numbers for one site, straight from the rows."""
    posted = rows(
        url,
        sa.select(comments.c.id, comments.c.status, comments.c.created_at)
        .join(threads, threads.c.id == comments.c.thread_id)
        .where(threads.c.site_id == site_id),
    )
    status = Counter(r["status"] for r in posted)
    made = rows(
        url,
        sa.select(decisions.c.comment_id, decisions.c.created_at)
        .where(decisions.c.site_id == site_id, decisions.c.undone_at.is_(None))
        .order_by(decisions.c.id),
    )
    posted_at = {r["id"]: utc(r["created_at"]) for r in posted}
    waits: dict[int, float] = {}
    for decision in made:
        wait = (utc(decision["created_at"]) - posted_at[decision["comment_id"]]).total_seconds()
        waits.setdefault(decision["comment_id"], wait)
    filed = rows(
        url,
        sa.select(reports.c.id)
        .join(comments, comments.c.id == reports.c.comment_id)
        .join(threads, threads.c.id == comments.c.thread_id)
        .where(threads.c.site_id == site_id),
    )
    return {
        "posted": len(posted),
        "published": status["published"],
        "flagged": status["flagged"],
        "held": status["pending"],
        "rejected": status["rejected"],
        "deleted": status["deleted"],
        "reported": len(filed),
        "decided": len(waits),
        "median_decision_seconds": statistics.median(waits.values()) if waits else None,
    }


def overview(client: httpx.Client, **params: Any) -> dict[str, Any]:
    answer = client.get(f"{ADMIN_API}/overview", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_the_overview_counts_what_was_posted_decided_and_reported(
    busy: tuple[LiveServer, str, Sites],
) -> None:
    server, url, sites = busy
    want = expected(url, sites.a)
    assert want["posted"] == 6 and want["rejected"] == 1 and want["reported"] == 2
    assert want["decided"] == 2 and want["held"] == 1
    today = datetime.now(UTC).date().isoformat()
    with session_of(server, "olga") as olga:
        found = overview(olga, site=sites.a, days=30)
    assert found["site_id"] == sites.a and [s["id"] for s in found["sites"]] == [sites.a]
    assert len(found["days"]) == 30 and found["days"][-1]["day"] == today
    day = found["days"][-1]
    for key, value in want.items():
        assert day[key] == pytest.approx(value), key
        assert found["total"][key] == pytest.approx(value), key
    assert all(d["posted"] == 0 for d in found["days"][:-1])
    labels = {entry["label"]: entry["count"] for entry in found["top_labels"]}
    assert labels.get("insult", 0) >= 3  # the three held insults
    assert found["total"]["alerts"] == 0


def test_without_a_site_the_overview_sums_the_callers_sites(
    busy: tuple[LiveServer, str, Sites],
) -> None:
    server, url, sites = busy
    a, b = expected(url, sites.a), expected(url, sites.b)
    with session_of(server, "olga") as olga:
        every = overview(olga, days=7)
    assert {s["id"] for s in every["sites"]} == {sites.a, sites.b} and every["site_id"] is None
    assert len(every["days"]) == 7
    assert every["total"]["posted"] == a["posted"] + b["posted"] == 8
    assert every["total"]["held"] == a["held"] + b["held"]
    with session_of(server, "bea") as bea:  # moderates "other" alone
        hers = overview(bea)
    assert [s["id"] for s in hers["sites"]] == [sites.b]
    assert hers["total"]["posted"] == b["posted"] == 2


def test_who_may_see_which_overview(busy: tuple[LiveServer, str, Sites]) -> None:
    server, _, sites = busy
    with server.client() as anonymous:
        assert_problem(anonymous.get(f"{ADMIN_API}/overview"), 401, 2004)
        page = anonymous.get("/admin/overview")
        assert page.status_code == 303 and "/admin/login" in page.headers["location"]
    with session_of(server, "bea") as bea:
        assert_problem(bea.get(f"{ADMIN_API}/overview", params={"site": sites.a}), 403, 2000)
        assert bea.get("/admin/overview", params={"site": sites.a}).status_code == 403
    with session_of(server, "olga") as olga:
        assert_problem(olga.get(f"{ADMIN_API}/overview", params={"site": 999}), 404)
        for days in (0, 367, "many"):
            assert_problem(olga.get(f"{ADMIN_API}/overview", params={"days": days}), 400)


def test_the_overview_page_draws_charts_with_their_numbers_in_a_table(
    busy: tuple[LiveServer, str, Sites],
) -> None:
    server, url, sites = busy
    want = expected(url, sites.a)
    today = datetime.now(UTC).date().isoformat()
    with session_of(server, "mo") as mo:
        page = mo.get("/admin/overview", params={"site": sites.a, "days": 7})
    assert page.status_code == 200
    html = page.text
    assert html.count('role="img"') == 2 and html.count("<desc id=") == 2
    assert '<title id="chart-outcomes-title">Comments posted per day on default' in html
    row = html[html.index(f'<tr data-day="{today}">') :]
    row = row[: row.index("</tr>")]
    cells = [cell.split(">", 1)[1] for cell in row.split("<td")[1:]]
    values = [cell[: cell.index("<")] for cell in cells]
    assert values[:7] == [
        str(want[k])
        for k in ("posted", "published", "flagged", "held", "rejected", "deleted", "reported")
    ]
    assert f"{today}: {want['held']} held" in html  # a bar's own title
    assert 'data-total="posted">6<' in html
