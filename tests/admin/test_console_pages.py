"""The console's review pages over real HTTP (no browser): sessions and CSRF, escaping, the
forms that work without JavaScript, and how matched spans are cut into marked segments."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.domain.accounts import Role
from parley.web.admin.console_pages import marked_segments
from tests.admin.helpers import ADMIN_API, create_user, make_sites, posted, send, session_of
from tests.live import LiveServer


@dataclass
class Console:
    server: LiveServer
    owner: httpx.Client  # signed in, X-CSRF-Token set


@pytest.fixture
def console(sqlite_url: str, start_server: Callable[..., LiveServer]) -> Iterator[Console]:
    """The moderated server whose site "default" holds every comment with "spoiler"."""
    make_sites(sqlite_url, hold_terms=["spoiler"])
    create_user(sqlite_url, "olga", Role.OWNER)
    server = start_server(database_url=sqlite_url)
    with session_of(server, "olga") as owner:
        yield Console(server, owner)


def held(server: LiveServer, body: str) -> int:
    return int(posted(send(server, body), 202)["comment"]["id"])


def item_html(page: str, comment_id: int) -> str:
    found = re.search(rf'<li class="item" data-id="{comment_id}".*?</li>', page, re.S)
    assert found, page
    return found.group(0)


def test_the_pages_need_a_session_and_their_forms_the_csrf_token(console: Console) -> None:
    with console.server.client() as stranger:
        for path in ("/admin/", "/admin/audit", "/admin/comments/1"):
            answer = stranger.get(path)
            assert answer.status_code == 303, (path, answer.status_code)
            assert answer.headers["location"].startswith("/admin/login?next=")
    comment_id = held(console.server, "a spoiler")
    token = console.owner.headers.pop("X-CSRF-Token")
    refused = console.owner.post("/admin/decide", data={"action": "approve", "ids": comment_id})
    assert refused.status_code == 403
    console.owner.headers["X-CSRF-Token"] = token


def test_comment_text_is_escaped_and_the_matched_span_marked(console: Console) -> None:
    body = 'A spoiler: <script>alert("x")</script> <mark>not ours</mark> & more'
    comment_id = held(console.server, body)
    page = console.owner.get("/admin/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    html = item_html(page.text, comment_id)
    assert "<script>" not in html and "<mark>not ours" not in html
    text = re.search(r'<div class="text" data-text>(.*?)</div>', html, re.S)
    assert text is not None
    marks = re.findall(r"<mark>(.*?)</mark>", text.group(1))
    assert marks == ["spoiler"]
    assert unescape(re.sub(r"</?mark>", "", text.group(1))) == body


def test_decisions_and_undo_work_from_plain_forms(console: Console) -> None:
    comment_id = held(console.server, "the spoiler is in the last act")
    token = str(console.owner.headers["X-CSRF-Token"])
    form = {
        "csrf_token": token,
        "action": "reject",
        "reason": "off_topic",
        "ids": str(comment_id),
        "back": "/admin/?queue=held&q=spoiler",
    }
    # A browser without JavaScript: the session cookie, and the token only in the forms.
    with console.server.client(cookies=console.owner.cookies) as browser:
        done = browser.post("/admin/decide", data=form)
        assert done.status_code == 303, done.text
        location = done.headers["location"]
        assert location.startswith("/admin/?queue=held&q=spoiler&done=reject&count=1&undo=")
        detail = console.owner.get(f"{ADMIN_API}/comments/{comment_id}").json()
        assert detail["comment"]["status"] == "rejected"
        assert detail["decisions"][-1]["reason"] == "off_topic"
        page = browser.get(location)
        assert "Reject: 1 comment." in page.text
        undo_id = location.rsplit("undo=", 1)[1]
        assert f'name="undo_id" value="{undo_id}"' in page.text
        undone = browser.post(
            "/admin/undo", data={"csrf_token": token, "undo_id": undo_id, "back": location}
        )
        assert undone.status_code == 303
        assert "done=undone&count=1" in undone.headers["location"]
        assert "undo=" not in undone.headers["location"]
        assert (
            console.owner.get(f"{ADMIN_API}/comments/{comment_id}").json()["comment"]["status"]
            == "pending"
        )
        # An approval keeps no reason, though every form sends its select; and a form never
        # sends anyone to another site.
        approve = {**form, "action": "approve", "back": "https://evil.example/"}
        approved = browser.post("/admin/decide", data=approve)
        assert approved.headers["location"].startswith("/admin/?done=approve&count=1")
        decision = console.owner.get(f"{ADMIN_API}/comments/{comment_id}").json()["decisions"]
        assert decision[-1]["action"] == "approve" and decision[-1]["reason"] is None


def test_bad_filters_are_shown_on_the_page(console: Console) -> None:
    page = console.owner.get("/admin/", params={"q": "score>>1 lang:german"})
    assert page.status_code == 422
    assert 'role="alert"' in page.text and "Lang:german is not a language code" in page.text
    audit = console.owner.get("/admin/audit", params={"since": "yesterday"})
    assert audit.status_code == 422 and "Since is a date (YYYY-MM-DD)" in audit.text
    assert console.owner.get("/admin/audit", params={"since": "2020-01-01"}).status_code == 200


@given(
    st.text(max_size=40),
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=6),
)
def test_marked_segments_keep_the_text_and_mark_exactly_the_spans(
    text: str, spans: list[tuple[int, int]]
) -> None:
    segments = marked_segments(text, spans)
    assert "".join(s.text for s in segments) == text
    marked: set[int] = set()
    at = 0
    for segment in segments:
        if segment.marked:
            assert segment.text
            marked |= set(range(at, at + len(segment.text)))
        at += len(segment.text)
    wanted = {i for start, end in spans for i in range(start, min(end, len(text)))}
    assert marked == wanted
