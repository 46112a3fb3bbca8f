"""Forwarded addresses only from trusted proxies; limits shared by workers (issue 9, item 6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.test_cli import parley, parley_serving

THREAD = "/limits/"
PROBE = "/api/v1/counts?thread=/"


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[object]:
    def start(*options: str, **settings: object) -> object:
        lines = [f"{name} = {value!r}".replace("'", '"') for name, value in settings.items()]
        toml = "\n".join(["moderation = false", "demo_pages = false", *lines])
        (tmp_path / "parley.toml").write_text(toml.replace("True", "true") + "\n")
        parley("migrate", cwd=tmp_path)
        return parley_serving(*options, cwd=tmp_path, probe=PROBE)

    yield start


def post(url: str, forwarded_for: str | None = None, body: str = "Hello.") -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    # A new connection for each write: with several workers, any of them may answer.
    return httpx.post(
        f"{url}/api/v1/comments", json={"thread": THREAD, "body": body}, headers=headers
    )


def test_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit(serve) -> None:  # type: ignore[no-untyped-def]
    with serve(rate_limit=3, rate_period=3600) as url:
        answers = [post(url, f"203.0.113.{n}").status_code for n in range(5)]
    assert answers == [201, 201, 201, 429, 429]


def test_forwarded_for_from_a_trusted_proxy_names_the_client(serve) -> None:  # type: ignore[no-untyped-def]
    with serve(rate_limit=2, rate_period=3600, trusted_proxies="10.0.0.0/8, 127.0.0.1") as url:
        distinct = [post(url, f"203.0.113.{n}").status_code for n in range(4)]
        # The client is the last address no trusted proxy added, whatever it claims before.
        chain = [post(url, f"198.51.100.{n}, 198.51.100.7, 10.1.2.3").status_code for n in range(3)]
    assert distinct == [201] * 4
    assert chain == [201, 201, 429]


def test_workers_share_one_limit(serve) -> None:  # type: ignore[no-untyped-def]
    with serve("--workers", "2", rate_limit=10, rate_period=3600) as url:
        answers = [post(url).status_code for _ in range(14)]
    assert answers == [201] * 10 + [429] * 4


def test_votes_and_edits_are_counted_apart_from_posts(serve) -> None:  # type: ignore[no-untyped-def]
    with serve(rate_limit=2, rate_period=3600) as url:
        posted = [post(url) for _ in range(2)]
        assert post(url).status_code == 429
        comment_id, token = posted[0].json()["comment"]["id"], posted[0].json()["author_token"]
        headers = {"X-Author-Token": token}
        target = f"{url}/api/v1/comments/{comment_id}"
        votes = [
            httpx.post(f"{target}/vote", json={"value": v}, headers=headers).status_code
            for v in (1, 0, 1)
        ]
        edits = [
            httpx.patch(target, json={"body": f"Edit {n}."}, headers=headers).status_code
            for n in range(3)
        ]
    assert votes == [200, 200, 429]
    assert edits == [200, 200, 429]
