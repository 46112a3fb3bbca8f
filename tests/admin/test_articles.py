"""A thread's article: set by an owner over the console's API or the CLI, or kept from the page
text a widget sends with a thread's first comment where the site allows it. Real server, SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from parley.cli import main as cli
from parley.services.markup import plain_text
from parley.services.runtime import migrate_database
from parley.settings import Settings
from parley.storage.schema import audit_log, threads
from tests.admin import helpers
from tests.admin.helpers import ADMIN_API, assert_problem, make_sites
from tests.conftest import make_settings
from tests.live import LiveServer

NOT_ALLOWED, NOT_FOUND, UNPROCESSABLE = 2000, 1004, 1002


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[helpers.Room]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('articles') / 'parley.db'}"
    migrate_database(Settings(database_url=url))
    sites = make_sites(url)
    helpers.create_staff(url)
    server = LiveServer(make_settings(url)).start()
    yield helpers.Room(server, url, sites)
    server.stop()


def article_of(room: helpers.Room, key: str) -> str | None:
    found = room.execute(sa.select(threads.c.article_html).where(threads.c.key == key))
    return found[0][0] if found else None


def put(client: httpx.Client, site: int, key: str, **body: Any) -> httpx.Response:
    return client.put(f"{ADMIN_API}/sites/{site}/article", params={"thread": key}, json=body)


def test_an_owner_sets_a_sanitised_article_and_it_is_audited(room: helpers.Room) -> None:
    key = "/reviews/owner-set/"
    html = (
        '<h2>Review</h2><p onclick="x()">A film about <em>soldiers</em>.</p><script>evil()</script>'
    )
    with room.client("olga") as olga:
        answer = put(olga, room.sites.a, key, html=html, title="A review")
        assert answer.status_code == 200, answer.text
        stored = answer.json()
        assert stored["title"] == "A review" and "<em>soldiers</em>" in stored["html"]
        assert "script" not in stored["html"] and "onclick" not in stored["html"]
        again = olga.get(f"{ADMIN_API}/sites/{room.sites.a}/article", params={"thread": key})
        assert again.json()["html"] == stored["html"] == article_of(room, key)
    audited = room.execute(sa.select(audit_log.c.action, audit_log.c.after))
    after = [a for action, a in audited if action == "thread.article"]
    assert after[0]["title"] == "A review"
    assert after[0]["article_chars"] == len(plain_text(stored["html"]))  # the length, no text


def test_text_becomes_escaped_paragraphs(room: helpers.Room) -> None:
    with room.client("olga") as olga:
        answer = put(olga, room.sites.a, "/reviews/text/", text="First <para>.\n\nSecond one.")
    assert answer.json()["html"] == "<p>First &lt;para&gt;.</p><p>Second one.</p>"


def test_bad_articles_and_callers_are_refused(room: helpers.Room) -> None:
    key = "/reviews/refused/"
    with room.client("olga") as olga:
        assert_problem(put(olga, room.sites.a, key, html="<p>a</p>", text="a"), 422, UNPROCESSABLE)
        assert_problem(put(olga, room.sites.a, key), 422, UNPROCESSABLE)
        assert_problem(put(olga, room.sites.a, key, html="<script>x</script>"), 422, UNPROCESSABLE)
        assert_problem(put(olga, room.sites.a, "no-slash", text="words"), 422, UNPROCESSABLE)
        assert_problem(put(olga, 99999, key, text="words"), 404, NOT_FOUND)
        assert put(olga, room.sites.a, key, text="words", extra=1).status_code == 400
    with room.client("mo") as mo:  # a moderator reads, never sets
        assert_problem(put(mo, room.sites.a, key, text="words"), 403, NOT_ALLOWED)
    assert article_of(room, key) is None


def test_page_text_is_kept_only_where_the_site_allows_it_and_once(room: helpers.Room) -> None:
    def first_post(key: str, article: str) -> None:
        sent = {"thread": key, "body": "Good film.", "name": "ann", "article": article}
        answer = httpx.post(f"{room.server.url}/api/v1/comments", json=sent)
        assert answer.status_code == 201, answer.text

    first_post("/reviews/not-allowed/", "The page says\nthis.")
    assert article_of(room, "/reviews/not-allowed/") == ""
    with room.client("olga") as olga:
        setting = olga.put(
            f"{ADMIN_API}/sites/{room.sites.a}/settings", json={"article_from_page": True}
        )
        assert setting.json() == {"site_id": room.sites.a, "article_from_page": True}
    try:
        first_post("/reviews/allowed/", "The page says\n\nthis.")
        assert article_of(room, "/reviews/allowed/") == "<p>The page says</p><p>this.</p>"
        first_post("/reviews/allowed/", "Another text.")  # the article stays the first one
        assert article_of(room, "/reviews/allowed/") == "<p>The page says</p><p>this.</p>"
    finally:
        with room.client("olga") as olga:
            olga.put(
                f"{ADMIN_API}/sites/{room.sites.a}/settings", json={"article_from_page": False}
            )
    with room.client("mo") as mo:
        refused = mo.put(
            f"{ADMIN_API}/sites/{room.sites.a}/settings", json={"article_from_page": True}
        )
        assert_problem(refused, 403, NOT_ALLOWED)


def test_the_cli_sets_an_article_and_the_site_flag(
    room: helpers.Room, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARLEY_DATABASE_URL", room.url)
    page = tmp_path / "article.html"
    page.write_text("<p>From a <em>file</em>.</p><iframe src=x></iframe>")
    runner = CliRunner()
    done = runner.invoke(
        cli, ["thread", "article", "/reviews/cli/", "--site", "default", "--file", str(page)]
    )
    assert done.exit_code == 0, done.output
    assert article_of(room, "/reviews/cli/") == "<p>From a <em>file</em>.</p>"
    both = runner.invoke(
        cli, ["thread", "article", "/reviews/cli/", "--file", str(page), "--text", "x"]
    )
    assert both.exit_code != 0 and "either --file or --text" in both.output
    unknown = runner.invoke(
        cli, ["thread", "article", "/reviews/cli/", "--site", "nope", "--text", "x"]
    )
    assert unknown.exit_code != 0 and "no site named 'nope'" in unknown.output
    flag = runner.invoke(cli, ["site", "article-from-page", "other", "on"])
    assert flag.exit_code == 0 and "article from page on" in flag.output
    shown = runner.invoke(cli, ["site", "article-from-page", "other"])
    assert "article from page on" in shown.output
