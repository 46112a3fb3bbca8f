"""Scoring-API keys: daily quotas shared by workers, each method's own quota line, keys that
belong to a site (their suggestions kept and listed per site), CORS origins per key (issue 13,
items 5, 6 and 7; rows of tests/perspective/CONFORMANCE.md)."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from googleapiclient.errors import HttpError

from parley.domain.scoring import KeyChanges
from parley.services.daily_quotas import DailyQuotas
from parley.services.moderation import PublishEverything
from parley.services.runtime import Runtime
from parley.storage.factory import open_store
from tests.conftest import make_settings
from tests.live import LiveServer
from tests.test_cli import parley
from tests.test_perspective import analyze, google_client, request_body
from tests.test_shared_quotas import ANALYZE, Clock, scoring_server  # noqa: F401 (a fixture)

ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
SUGGESTION = {
    "comment": {"text": "A fine comment."},
    "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}},
}


def make_key(
    database_url: str, name: str, qps: float = 1000.0, site: str | None = None, **settings: Any
) -> str:
    """A key made as `parley apikey create` makes one; `site` is created when missing."""

    async def work() -> str:
        runtime = await Runtime.open(
            make_settings(database_url), PublishEverything(), scoring_only=True
        )
        try:
            if site is not None:
                await runtime.store.ensure_site(site)
            created = await runtime.api_keys.create(name, qps, site, KeyChanges(**settings))
            return created.secret
        finally:
            await runtime.close()

    return asyncio.run(work())


def suggest(server: LiveServer, key: str, **extra: Any) -> httpx.Response:
    return httpx.post(
        f"{server.url}/v1alpha1/comments:suggestscore",
        params={"key": key},
        json={**SUGGESTION, **extra},
    )


# -- daily quotas, counted in the database ------------------------------------------------


def test_workers_share_a_daily_quota_and_a_new_day_renews_it(database_url: str) -> None:
    """Two workers' counters on one database, each counting ahead in leases of 7."""

    async def admitted(workers: list[DailyQuotas], key_id: int, tries: int) -> int:
        answers = [await workers[n % 2].take(key_id, "analyze", 50, lease=7) for n in range(tries)]
        return answers.count(None)

    async def work() -> tuple[int, int, float | None, int]:
        store = open_store(database_url)
        try:
            key = await store.create_api_key("quota", "pk_quota", "0" * 64, 1000.0)
            clock = Clock(1_800_000_000.0)  # 08:00 UTC
            workers = [DailyQuotas(store, clock) for _ in range(2)]
            first = await admitted(workers, key.id, 120)
            for worker in workers:  # what one counted ahead and did not use, the other may
                await worker.hand_back()
            total = first + await admitted(workers, key.id, 120)
            wait = await workers[0].take(key.id, "analyze", 50, lease=7)
            clock.now += wait or 0
            return first, total, wait, await admitted(workers, key.id, 60)
        finally:
            await store.close()

    first, total, wait, tomorrow = asyncio.run(work())
    assert 50 - 7 <= first <= 50  # never past the quota, even with leases held
    assert total == 50  # and all of it once the leases are handed back
    assert wait == 16 * 3600  # told to come back at midnight UTC
    assert tomorrow == 50


def test_a_key_over_its_daily_quota_gets_googles_resource_exhausted(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = make_key(sqlite_url, "daily", per_day=2, suggest_per_day=1)
    server = start_server()
    client = google_client(server, key)
    body = request_body("hello", "TOXICITY", languages=["en"])
    for _ in range(2):
        client.comments().analyze(body=body).execute()
    with pytest.raises(HttpError) as raised:
        client.comments().analyze(body=body).execute()
    error = raised.value
    assert error.resp.status == 429
    assert json.loads(error.content)["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert error.reason.startswith(
        "Quota exceeded for quota metric 'Analysis requests (AnalyzeComment)' and limit "
        "'Analysis requests (AnalyzeComment) per day'"
    )
    (detail,) = error.error_details
    assert detail["@type"] == ERROR_INFO and detail["reason"] == "RATE_LIMIT_EXCEEDED"
    assert detail["metadata"]["quota_limit"] == "AnalyzeRequestsPerDayPerKey"
    assert detail["metadata"]["quota_limit_value"] == "2"
    assert 1 <= int(error.resp["retry-after"]) <= 86_400
    # suggestscore has its own daily line: the spent analyze quota does not stop it.
    assert suggest(server, key).status_code == 200
    again = suggest(server, key)
    assert again.status_code == 429
    (detail,) = again.json()["error"]["details"]
    assert detail["metadata"]["quota_limit"] == "SuggestscoreRequestsPerDayPerKey"
    assert detail["metadata"]["quota_metric"] == "CommentAnalyzerService/suggestscore_requests"


def test_a_key_without_a_daily_quota_is_not_counted_against_one(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = make_key(sqlite_url, "unlimited", per_day=None)
    server = start_server()
    for _ in range(5):
        assert analyze(server, key, request_body("hello", "TOXICITY")).status_code == 200

    async def counted() -> dict[tuple[int, str], int]:
        store = open_store(sqlite_url)
        try:
            from datetime import UTC, datetime

            return await store.quota_day_counts(datetime.now(UTC).date())
        finally:
            await store.close()

    assert asyncio.run(counted()) == {}


# -- real servers with two workers, and the command line -----------------------------------


async def _statuses(url: str, key: str, requests: int) -> Counter[int]:
    """`requests` analyze requests, eight at a time, each on a fresh connection (so both
    workers answer)."""
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        for start in range(0, requests, 8):
            answers = await asyncio.gather(
                *(
                    http.post(f"{url}/v1alpha1/comments:analyze", params={"key": key}, json=ANALYZE)
                    for _ in range(min(8, requests - start))
                )
            )
            statuses.update(answer.status_code for answer in answers)
    return statuses


def _assert_daily_quota_held(url: str, cwd: Path) -> None:
    key = parley(
        "apikey", "create", "daily", "--qps", "1000", "--per-day", "12", cwd=cwd
    ).stdout.split()[0]
    statuses = asyncio.run(_statuses(url, key, 40))
    assert statuses == Counter({200: 12, 429: 28})  # exactly the quota, across both workers
    shown = parley("apikey", "usage", "daily", cwd=cwd).stdout.splitlines()
    assert shown[0].startswith("daily\tpk_") and shown[0].endswith("\tactive\tsite default")
    assert shown[1] == "  today: analyze 12/12"
    listed = parley("apikey", "list", cwd=cwd).stdout
    assert "\ttoday: analyze 12/12\t" in listed


def test_two_workers_share_a_daily_quota_on_sqlite(scoring_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with scoring_server() as url:
        _assert_daily_quota_held(url, tmp_path)


def test_two_workers_share_a_daily_quota_on_postgres(  # type: ignore[no-untyped-def]
    scoring_server,  # noqa: F811
    tmp_path: Path,
    postgres_url: str,
) -> None:
    with scoring_server(postgres_url) as url:
        _assert_daily_quota_held(url, tmp_path)


def test_set_quota_changes_a_key_and_refuses_what_cannot_be(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    parley("apikey", "create", "tool", "--per-day", "100", cwd=tmp_path)
    changed = parley(
        "apikey", "set-quota", "tool", "--qps", "2", "--suggest-per-day", "5", cwd=tmp_path
    )
    assert changed.stdout.strip() == (
        "key 'tool': 2 qps per method, analyze 100/day, suggestscore 5/day"
    )
    removed = parley("apikey", "set-quota", "tool", "--per-day", "none", cwd=tmp_path)
    assert "analyze unlimited/day, suggestscore 5/day" in removed.stdout
    for args, message in (
        (("--per-day", "0"), "0 is not in the range x>=1"),
        (("--site", "nowhere"), "no site named 'nowhere'"),
        (("--cors-origin", "https://a.example/path"), "an origin has no path"),
    ):
        refused = parley("apikey", "set-quota", "tool", *args, cwd=tmp_path, check=False)
        assert refused.returncode != 0 and message in refused.stderr, refused.stderr
    unknown = parley("apikey", "set-quota", "nobody", "--qps", "1", cwd=tmp_path, check=False)
    assert unknown.returncode != 0 and "no active key named 'nobody'" in unknown.stderr


# -- suggestions kept per site ----------------------------------------------------------------


def test_suggestions_are_kept_with_the_keys_site_and_listed_per_site(
    start_server: Callable[..., LiveServer], sqlite_url: str, tmp_path: Path
) -> None:
    ours = make_key(sqlite_url, "ours", site="default")
    theirs = make_key(sqlite_url, "theirs", site="elsewhere")
    server = start_server()
    assert suggest(server, ours, clientToken="ours-1").status_code == 200
    assert suggest(server, theirs, clientToken="theirs-1", doNotStore=True).status_code == 200
    assert suggest(server, ours, clientToken="ours-2").status_code == 200
    env = {"PARLEY_DATABASE_URL": sqlite_url}

    def listed(*args: str) -> list[dict[str, Any]]:
        shown = parley("apikey", "suggestions", *args, cwd=tmp_path, env=env).stdout
        return [json.loads(line) for line in shown.splitlines()]

    assert [(s["clientToken"], s["site"], s["key"]) for s in listed()] == [
        ("ours-2", "default", "ours"),
        ("theirs-1", "elsewhere", "theirs"),
        ("ours-1", "default", "ours"),
    ]
    (elsewhere,) = listed("--site", "elsewhere")
    assert elsewhere["text"] is None  # doNotStore: the scores only
    assert elsewhere["attributeScores"] == {"TOXICITY": 0.1}
    assert [s["clientToken"] for s in listed("--site", "default", "--limit", "1")] == ["ours-2"]
    unknown = parley(
        "apikey", "suggestions", "--site", "nowhere", cwd=tmp_path, env=env, check=False
    )
    assert unknown.returncode != 0 and "no site named 'nowhere'" in unknown.stderr


# -- CORS per key -------------------------------------------------------------------------------


def _preflight(url: str, origin: str, **params: str) -> httpx.Response:
    return httpx.options(
        url,
        params=params,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-goog-api-key",
        },
    )


def test_a_keys_cors_origins_are_allowed_beside_the_global_ones(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    tool = make_key(sqlite_url, "tool", cors_origins=("https://tool.example",))
    plain = make_key(sqlite_url, "plain")
    server = start_server(scoring_origins=("https://global.example",))
    url = f"{server.url}/v1alpha1/comments:analyze"
    allowed = _preflight(url, "https://tool.example", key=tool)
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "https://tool.example"
    # The key in x-goog-api-key is not in a preflight: any key's origin may send ...
    assert _preflight(url, "https://tool.example").status_code == 204
    # ... but not with a key in the URL that does not list it, nor from an unknown origin.
    for origin, params in (("https://tool.example", {"key": plain}), ("https://x.example", {})):
        refused = _preflight(url, origin, **params)
        assert "access-control-allow-origin" not in refused.headers
    body = request_body("hello", "TOXICITY")

    def post(key: str, origin: str) -> httpx.Response:
        return httpx.post(url, json=body, headers={"Origin": origin, "x-goog-api-key": key})

    answered = post(tool, "https://tool.example")
    assert answered.status_code == 200
    assert answered.headers["access-control-allow-origin"] == "https://tool.example"
    assert answered.headers["vary"] == "Origin"
    other_key = post(plain, "https://tool.example")  # answered, but unreadable by the page
    assert other_key.status_code == 200 and "access-control-allow-origin" not in other_key.headers
    for key in (tool, plain):  # the global origins, whatever the key
        anywhere = post(key, "https://global.example")
        assert anywhere.headers["access-control-allow-origin"] == "https://global.example"
