"""The `parley` command as a site owner runs it: migrate, import, export, serve."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from parley.services.moderation import PublishEverything
from parley.services.runtime import Runtime
from parley.storage.store import StoreError
from tests.conftest import REPO, SEED_JSON, SEED_WXR, make_settings
from tests.live import free_port

PARLEY = [sys.executable, "-m", "parley.cli"]
DEMO_ENV = {"PARLEY_DEMO_PAGES": "true"}  # as `make demo` serves


def parley(
    *args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*PARLEY, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"parley {' '.join(args)} failed:\n{result.stderr}")
    return result


def exported(cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    return json.loads(parley("export", "json", cwd=cwd, env=env).stdout)  # type: ignore[no-any-return]


def seed_in_display_order() -> list[dict[str, Any]]:
    """The seed comments depth-first, siblings oldest first, as a thread is displayed."""
    comments = json.loads(SEED_JSON.read_text())["comments"]
    children: dict[int | None, list[dict[str, Any]]] = {}
    for comment in comments:
        children.setdefault(comment["parent"], []).append(comment)
    ordered: list[dict[str, Any]] = []
    stack = list(reversed(children[None]))
    while stack:
        comment = stack.pop()
        ordered.append(comment)
        stack.extend(reversed(children.get(comment["id"], [])))
    return ordered


SLUR_COMMENT = 8  # seed-thread.json: the reply calling Putin a slur for gay men


def assert_seed_tree(served: list[dict[str, Any]], held: set[int] = frozenset()) -> None:
    """Every seed comment not held is there, with its author, text, depth and parent."""
    expected = [c for c in seed_in_display_order() if c["id"] not in held]
    assert len(served) == len(expected) == 13 - len(held)
    served_id_for = {seed["id"]: got["id"] for seed, got in zip(expected, served, strict=True)}
    for seed, got in zip(expected, served, strict=True):
        assert got["author"]["name"] == seed["author"]
        assert got["depth"] == seed["depth"]
        assert got["parent_id"] == (served_id_for[seed["parent"]] if seed["parent"] else None)
        first_words = " ".join(seed["body"].split()[:6])
        assert first_words in got["html"].replace("\n", " ").replace("<br>", " ")


def test_import_keeps_the_seed_tree_and_is_idempotent(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    first = parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path)
    assert "13 comment(s) in the file, 13 new" in first.stdout
    again = parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path)
    assert "13 comment(s) in the file, 0 new" in again.stdout
    (thread,) = exported(tmp_path)["threads"]
    assert thread["key"] == "/reviews/nanking/" and len(thread["comments"]) == 13
    assert thread["title"] == "Nanking (2007) - documentary review"
    statuses = {c["id"]: c["status"] for c in thread["comments"]}
    assert statuses.pop(SLUR_COMMENT) == "pending"  # held by moderation, not lost
    assert set(statuses.values()) <= {"published", "flagged"}
    # The import watched the thread: one derailment alert, on the branch that turned at #3.
    alerts = parley("health", "alerts", "--thread", "/reviews/nanking/", cwd=tmp_path).stdout
    (line,) = alerts.splitlines()
    assert " open " in line and "branch #3 (seen at #6), step flag" in line
    assert parley("health", "alerts", "--status", "dismissed", cwd=tmp_path).stdout.startswith(
        "no dismissed alerts"
    )
    unknown = parley("health", "alerts", "--site", "nope", cwd=tmp_path, check=False)
    assert unknown.returncode == 1 and "no site named 'nope'" in unknown.stderr


def test_import_into_postgres(postgres_url: str, tmp_path: Path) -> None:
    env = {"PARLEY_DATABASE_URL": postgres_url}
    parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path, env=env)
    parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path, env=env)
    (thread,) = exported(tmp_path, env)["threads"]
    assert len(thread["comments"]) == 13


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_malformed_file_names_its_line_and_imports_nothing(tmp_path: Path, cut: float) -> None:
    parley("migrate", cwd=tmp_path)
    text = SEED_WXR.read_text()
    broken = tmp_path / "broken.xml"
    broken.write_text(text[: int(len(text) * cut)])
    result = parley("import", "wordpress", str(broken), cwd=tmp_path, check=False)
    assert result.returncode != 0
    assert re.search(r"line \d+, column \d+", result.stderr), result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert exported(tmp_path)["threads"] == []


def test_a_file_that_is_not_wxr_is_refused(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    other = tmp_path / "feed.xml"
    other.write_text("<rss><channel><title>x</title></channel></rss>")
    result = parley("import", "wordpress", str(other), cwd=tmp_path, check=False)
    assert result.returncode != 0 and "is this a WXR file?" in result.stderr


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    result = parley("export", "json", cwd=tmp_path, check=False)
    assert result.returncode != 0 and "run `parley migrate` first" in result.stderr
    bad = parley("--database", "mysql://x/y", "migrate", cwd=tmp_path, check=False)
    assert bad.returncode != 0 and "unsupported database" in bad.stderr


def test_site_policies_are_shown_set_and_checked(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    shown = json.loads(parley("site", "policy", "default", cwd=tmp_path).stdout)
    assert shown["hold_first_time"] is False and "toxicity" in shown["thresholds"]
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"block_terms": ["spoiler"], "hold_first_time": True}))
    parley("site", "policy", "default", str(policy), cwd=tmp_path)
    updated = json.loads(parley("site", "policy", "default", cwd=tmp_path).stdout)
    assert updated["block_terms"] == ["spoiler"] and updated["hold_first_time"] is True
    policy.write_text(json.dumps({"thresholds": {"toxicity": {"flag": 7}}}))
    refused = parley("site", "policy", "default", str(policy), cwd=tmp_path, check=False)
    assert refused.returncode != 0 and "invalid policy" in refused.stderr
    assert json.loads(parley("site", "policy", "default", cwd=tmp_path).stdout) == updated


def test_sites_take_origins(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    parley("site", "add", "blog", "--origin", "https://blog.example", cwd=tmp_path)
    listed = parley("site", "list", cwd=tmp_path).stdout
    assert "blog\thttps://blog.example" in listed


@contextmanager
def parley_serving(
    *options: str, cwd: Path, probe: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`parley serve OPTIONS` on a free port until the block ends; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [*PARLEY, "serve", "--port", str(port), *options],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(url + probe):
            assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "parley serve did not come up"
            time.sleep(0.1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def served_seed(tmp_path: Path) -> Iterator[str]:
    """`parley serve` with two workers on the database the README's demo builds, as it serves."""
    parley("migrate", cwd=tmp_path)
    parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path)
    probe = "/api/v1/counts?thread=/"
    with parley_serving("--workers", "2", cwd=tmp_path, probe=probe, env=DEMO_ENV) as url:
        yield url


def test_make_demo_turns_the_demo_pages_on() -> None:
    recipe = (REPO / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    (serve,) = [line for line in recipe.splitlines() if "parley serve" in line]
    assert serve.split()[0] == "PARLEY_DEMO_PAGES=true"


def test_serve_shows_the_seed_page_and_api(served_seed: str) -> None:
    body = httpx.get(f"{served_seed}/api/v1/comments", params={"thread": "/reviews/nanking/"})
    assert_seed_tree(body.json()["comments"], held={SLUR_COMMENT})
    page = httpx.get(f"{served_seed}/reviews/nanking/").text
    assert "Nanking (2007) - documentary review" in page
    assert "the Japanese subjected Nanking" in page
    # The widget renders the thread (tests/browser checks its DOM); a <noscript> copy remains.
    assert '<script src="/widget/parley.js" defer>' in page
    assert '<parley-comments thread="/reviews/nanking/"' in page
    assert httpx.get(f"{served_seed}/widget/parley.js").status_code == 200
    fallback = page.split("<noscript>", 1)[1]
    assert fallback.count('class="comment"') == 12
    depths = [int(d) for d in re.findall(r'data-depth="(\d+)"', fallback)]
    assert depths == [c["depth"] for c in seed_in_display_order() if c["id"] != SLUR_COMMENT]
    slur_text = json.loads(SEED_JSON.read_text())["comments"][SLUR_COMMENT - 1]["body"]
    assert slur_text[:40] not in page and slur_text[:40] not in body.text
    assert "/reviews/nanking/" in httpx.get(served_seed).text


def test_every_worker_sees_a_new_comment_at_once(served_seed: str) -> None:
    params = {"thread": "/reviews/nanking/"}
    with httpx.Client(base_url=served_seed) as client:
        for _ in range(10):  # warm both workers' caches
            assert len(client.get("/api/v1/comments", params=params).json()["comments"]) == 12
        created = client.post(
            "/api/v1/comments", json={"thread": "/reviews/nanking/", "body": "New here."}
        )
        assert created.status_code == 201
    for _ in range(20):  # new connections land on either worker
        seen = httpx.get(f"{served_seed}/api/v1/comments", params=params).json()["comments"]
        assert len(seen) == 13


def test_serve_scoring_only_answers_perspective_and_nothing_else(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    key = parley("apikey", "create", "coral", "--qps", "50", cwd=tmp_path).stdout.strip()
    assert key.startswith("pk_")
    probe = "/$discovery/rest?version=v1alpha1"
    with parley_serving("--scoring-only", cwd=tmp_path, probe=probe) as url:
        answer = httpx.post(
            f"{url}/v1alpha1/comments:analyze",
            params={"key": key},
            json={"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}},
        )
        assert answer.status_code == 200 and "TOXICITY" in answer.json()["attributeScores"]
        assert httpx.get(f"{url}/api/v1/comments", params={"thread": "/"}).status_code == 404
    listed = parley("apikey", "list", cwd=tmp_path).stdout
    assert listed.startswith("coral\tpk_") and ": 1" in listed
    parley("apikey", "revoke", "coral", cwd=tmp_path)
    assert "revoked" in parley("apikey", "list", cwd=tmp_path).stdout
    again = parley("apikey", "revoke", "coral", cwd=tmp_path, check=False)
    assert again.returncode != 0 and "no active key" in again.stderr


def test_a_locked_thread_takes_no_new_comments(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path)
    assert "locked" in parley("thread", "lock", "/reviews/nanking/", cwd=tmp_path).stdout
    missing = parley("thread", "lock", "/no/such/page/", cwd=tmp_path, check=False)
    assert missing.returncode != 0 and "no thread" in missing.stderr
    with parley_serving(cwd=tmp_path, probe="/api/v1/counts?thread=/") as url:
        params = {"thread": "/reviews/nanking/"}
        assert httpx.get(f"{url}/api/v1/comments", params=params).json()["thread"]["locked"]
        refused = httpx.post(
            f"{url}/api/v1/comments", json={"thread": "/reviews/nanking/", "body": "Late."}
        )
        assert refused.status_code == 403 and refused.json()["code"] == 2002
    parley("thread", "unlock", "/reviews/nanking/", cwd=tmp_path)
    with parley_serving(cwd=tmp_path, probe="/api/v1/counts?thread=/") as url:
        reopened = httpx.post(
            f"{url}/api/v1/comments", json={"thread": "/reviews/nanking/", "body": "Now then."}
        )
        assert reopened.status_code == 201


def wxr_comment(source_id: int, name: str, email: str, website: str) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{source_id}</wp:comment_id>
      <wp:comment_author><![CDATA[{name}]]></wp:comment_author>
      <wp:comment_author_email>{email}</wp:comment_author_email>
      <wp:comment_author_url>{website}</wp:comment_author_url>
      <wp:comment_date_gmt>2024-01-0{source_id} 10:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[A thoughtful review, thank you.]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>"""


def test_imported_pages_and_authors_are_validated_as_posted_ones(tmp_path: Path) -> None:
    comments = [
        wxr_comment(1, "Ann", "ann@example.org", "https://ann.example/"),
        wxr_comment(2, "Bob", "bob@example.org", "javascript:alert(document.cookie)"),
        wxr_comment(3, "x" * 500, "not an address", "//evil.example/"),
    ]
    wxr = tmp_path / "export.xml"
    wxr.write_text(
        f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <wp:base_site_url>https://blog.example</wp:base_site_url>
  <item>
    <title>A review</title>
    <link>https://blog.example/reviews/one/</link>
    <content:encoded><![CDATA[<p>The film.</p>]]></content:encoded>
    {"".join(comments)}
  </item>
  <item>
    <title>Cheap pills</title>
    <link>https://blog.example//evil.example/</link>
    {wxr_comment(4, "Eve", "eve@example.org", "https://eve.example/")}
  </item>
</channel>
</rss>"""
    )
    parley("migrate", cwd=tmp_path)
    result = parley("import", "wordpress", str(wxr), cwd=tmp_path)
    assert "3 new" in result.stdout and "4 invalid author field(s) left out" in result.stdout
    assert "1 page(s) whose link is no path on the site left out" in result.stdout
    (thread,) = exported(tmp_path)["threads"]
    authors = [c["author"] for c in thread["comments"]]
    assert authors == [
        {"name": "Ann", "email": "ann@example.org", "website": "https://ann.example/"},
        {"name": "Bob", "email": "bob@example.org", "website": None},
        {"name": None, "email": None, "website": None},
    ]


def _shm_as_directory(database: Path) -> Path:
    shm = Path(f"{database}-shm")
    shm.mkdir()  # refused to root as well as to anyone
    return shm


def _shm_read_only(database: Path) -> Path:
    if os.geteuid() == 0:
        pytest.skip("root writes to a read-only file; the directory case covers root")
    shm = Path(f"{database}-shm")
    shm.write_bytes(b"")
    shm.chmod(0o444)
    return shm


@pytest.mark.parametrize("spoil", [_shm_as_directory, _shm_read_only])
def test_serve_refuses_a_sqlite_database_it_cannot_write(
    tmp_path: Path, spoil: Callable[[Path], Path]
) -> None:
    parley("migrate", cwd=tmp_path)
    shm = spoil(tmp_path / "var" / "parley.db")
    try:
        result = subprocess.run(
            [*PARLEY, "serve", "--port", str(free_port())],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("parley serve kept running on a database it cannot write")
    assert result.returncode != 0
    assert f"{shm} is not a file Parley can write" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_the_runtime_refuses_a_sqlite_database_it_cannot_write(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    database = tmp_path / "var" / "parley.db"
    shm = _shm_as_directory(database)
    settings = make_settings(f"sqlite+aiosqlite:///{database}")
    with pytest.raises(StoreError, match=f"{re.escape(str(shm))} is not a file Parley can write"):
        asyncio.run(Runtime.open(settings, PublishEverything()))


def test_setting_changes_from_the_command_line_are_audited(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path)
    parley("thread", "lock", "/reviews/nanking/", cwd=tmp_path)
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"block_terms": ["spoiler"]}))
    parley("site", "policy", "default", str(policy), cwd=tmp_path)
    with sqlite3.connect(tmp_path / "var" / "parley.db") as db:
        rows = db.execute("SELECT user_id, action, target, before, after FROM audit_log").fetchall()
    by_action = {row[1]: (row[0], row[2], row[3], row[4]) for row in rows}
    # The import's derailment alert put its policy step on the seed's derailing branch.
    assert set(by_action) == {"thread.lock", "site.policy", "alert.flag"}
    assert by_action["alert.flag"][:2] == (None, "comment:3")
    assert by_action["thread.lock"][0] is None  # the command line, not a console user
    assert json.loads(by_action["thread.lock"][3]) == {"locked": True}
    assert json.loads(by_action["site.policy"][3])["block_terms"] == ["spoiler"]
    assert json.loads(by_action["site.policy"][2]).get("block_terms", []) == []
