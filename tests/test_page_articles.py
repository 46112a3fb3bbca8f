"""The server reads a thread's article from the site's own page, where the site allows it: a real
page server on loopback as the site's origin, the real Parley server over HTTP, SQLite."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from parley.cli import main as cli
from parley.moderation.engine import Engine
from parley.services.pages import page_article, page_url
from parley.services.runtime import migrate_database
from parley.settings import Settings
from parley.storage.schema import assessments, threads
from tests.admin.helpers import rows
from tests.conftest import make_settings
from tests.live import LiveServer

PAGE = """<!doctype html><html><head><title>Sourdough for beginners</title>
<script>var tracking = "not the article";</script><style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> <a href="/recipes/">Recipes</a></nav>
<header>The Bakery Blog</header>
<main><article><h1>Sourdough for beginners</h1>
<p>Feed your starter the night before, then mix flour, water and salt.</p>
<p>Fold the dough every half hour and prove it overnight in the fridge.</p></article>
<aside>Popular: banana bread</aside><div id="comments"></div></main>
<footer>Copyright the Bakery</footer></body></html>"""


class Pages:
    """Two loopback web servers: the site's own (pages, a 404, a redirect to the other) and
    another origin that must never be asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.elsewhere: list[str] = []
        self.site = self._serve(self._site_page)
        self.other = self._serve(self._other_page)

    def _serve(self, answer: Any) -> ThreadingHTTPServer:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer(self)

            def log_message(self, *_: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def origin(self, server: ThreadingHTTPServer) -> str:
        return f"http://127.0.0.1:{server.server_address[1]}"

    def _site_page(self, request: BaseHTTPRequestHandler) -> None:
        self.asked.append(request.path)
        if request.path.startswith("/recipes/"):
            self._send(request, 200, PAGE.encode(), "text/html; charset=utf-8")
        elif request.path.startswith("/away/"):
            request.send_response(302)
            request.send_header("Location", self.origin(self.other) + "/elsewhere/")
            request.end_headers()
        else:
            self._send(request, 404, b"not here", "text/plain")

    def _other_page(self, request: BaseHTTPRequestHandler) -> None:
        self.elsewhere.append(request.path)
        self._send(request, 200, PAGE.encode(), "text/html")

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def close(self) -> None:
        for server in (self.site, self.other):
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def pages() -> Iterator[Pages]:
    served = Pages()
    yield served
    served.close()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, pages: Pages, moderation_engine: Engine
) -> Iterator[tuple[LiveServer, str]]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('pages') / 'parley.db'}"
    settings = make_settings(url, origins=(pages.origin(pages.site),))
    migrate_database(Settings(database_url=url, origins=settings.origins))
    live = LiveServer(settings, moderation_engine).start()
    yield live, url
    live.stop()


def post(live: LiveServer, key: str, body: str = "Mine rose beautifully overnight.") -> None:
    answer = httpx.post(f"{live.url}/api/v1/comments", json={"thread": key, "body": body})
    assert answer.status_code in (201, 202), answer.text


def thread_row(url: str, key: str) -> dict[str, Any]:
    (found,) = rows(url, sa.select(threads).where(threads.c.key == key))
    return found


def allow(url: str, on: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARLEY_DATABASE_URL", url)
    done = CliRunner().invoke(cli, ["site", "article-from-page", "default", "on" if on else "off"])
    assert done.exit_code == 0, done.output


def test_the_article_is_the_pages_article_element_without_the_chrome() -> None:
    found = page_article(PAGE)
    assert found.title == "Sourdough for beginners"
    assert found.text.splitlines()[0] == "Sourdough for beginners"
    assert "Feed your starter the night before" in found.text and "prove it overnight" in found.text
    for chrome in ("Home", "Bakery Blog", "banana bread", "Copyright", "tracking", "color"):
        assert chrome not in found.text
    fallback = page_article("<html><body><nav>Menu</nav><p>Only a body.</p></body></html>")
    assert fallback.text == "Only a body."
    assert page_url(("http://a.example",), "/p/") == "http://a.example/p/"
    assert page_url(("http://a.example",), "/p/", "http://b.example/p/") == "http://a.example/p/"
    assert page_url(("app://x",), "/p/") is None and page_url(("http://a",), "key") is None


def test_the_server_reads_the_article_from_the_sites_page_only_where_allowed(
    server: tuple[LiveServer, str], pages: Pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    live, url = server
    post(live, "/recipes/not-yet/")
    assert "/recipes/not-yet/" not in pages.asked  # the site has not allowed it
    assert thread_row(url, "/recipes/not-yet/")["article_html"] == ""

    allow(url, True, monkeypatch)
    try:
        post(live, "/recipes/sourdough/")
        assert pages.asked.count("/recipes/sourdough/") == 1
        thread = thread_row(url, "/recipes/sourdough/")
        assert "Fold the dough every half hour" in thread["article_html"]
        assert "banana bread" not in thread["article_html"]
        assert thread["title"] == "Sourdough for beginners"
        # The first comment was judged against it: its assessment has an off-topic score.
        latest = sa.select(assessments.c.scores).order_by(assessments.c.id.desc()).limit(1)
        assert rows(url, latest)[0]["scores"]["off_topic"] < 0.5

        post(live, "/recipes/sourdough/", "Second comment.")  # the article is there: not asked
        assert pages.asked.count("/recipes/sourdough/") == 1
    finally:
        allow(url, False, monkeypatch)


def test_a_page_that_cannot_be_read_costs_one_try_and_no_post(
    server: tuple[LiveServer, str], pages: Pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    live, url = server
    allow(url, True, monkeypatch)
    try:
        for _ in range(2):
            post(live, "/missing/")
            post(live, "/away/")
        assert pages.asked.count("/missing/") == 1  # once an hour per thread, not every post
        assert pages.asked.count("/away/") == 1
        assert pages.elsewhere == []  # a redirect off the site's origin is not followed
        assert thread_row(url, "/missing/")["article_html"] == ""
        assert thread_row(url, "/away/")["article_html"] == ""
    finally:
        allow(url, False, monkeypatch)
