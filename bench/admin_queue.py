"""The moderators' review queue with 10,000 held comments: the time of its first page.

For SQLite (bench/.work/admin-queue.db) and PostgreSQL (a scratch database on 127.0.0.1:5432,
left out with a note when unreachable): migrate, seed `--held` held comments with stored
verdicts (spread over 50 threads and two sites, a few with reports) and ANALYZE (as autovacuum
would), then time, for each case
(the held queue newest and by priority, filtered by label and score, by language, by free text,
the reported queue, all recent):

* server-side: `ReviewService.queue`, what `GET /api/v1/admin/queue` runs, in this process;
* over HTTP: `GET /api/v1/admin/queue` from `parley serve` (one worker), signed in as an owner;

each the median of `--repeat` runs after two warm-up runs. The peer is the floor: the same
page as a bare indexed `SELECT ... LIMIT 50` of comment rows, measured in the same run. The
goal is a first page under 300 ms.

    .venv/bin/python bench/admin_queue.py [--held 10000] [--repeat 15] [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # the script runs as a file, not from a package
    WORK_DIR,
    Children,
    admin_cookie,
    create_scratch_postgres,
    drop_scratch_postgres,
    format_table,
    install_signal_handlers,
    log,
    machine_info,
    sqlite_url,
    start_parley,
    timed,
)
from parley.domain.accounts import Role, Staff
from parley.domain.review import Queue, QueueOrder, verdict_margin
from parley.services.accounts import AccountService
from parley.services.review import ReviewService
from parley.settings import Settings
from parley.storage.accounts import open_accounts
from parley.storage.factory import migrate, open_store
from parley.storage.review import review_store
from parley.storage.schema import assessments, comments, reports, threads
from parley.storage.sql import SqlStore

GOAL_MS = 300.0
PG_DATABASE = "parley_bench_admin_queue"
OWNER, PASSWORD = "bench-owner", "bench-password-1"
CASES: list[tuple[str, Queue, str, QueueOrder]] = [
    ("held, newest", Queue.HELD, "", QueueOrder.NEWEST),
    ("held, priority", Queue.HELD, "", QueueOrder.PRIORITY),
    ("held, label:insult score>0.8", Queue.HELD, "label:insult score>0.8", QueueOrder.PRIORITY),
    ("held, lang:de", Queue.HELD, "lang:de", QueueOrder.NEWEST),
    ("held, free text", Queue.HELD, "worthless", QueueOrder.NEWEST),
    ("reported, priority", Queue.REPORTED, "", QueueOrder.PRIORITY),
    ("recent, newest", Queue.RECENT, "", QueueOrder.NEWEST),
]
_LABELS = ("insult", "toxicity", "threat", "identity_attack", "severe_toxicity")
_WORDS = ("idiot", "moron", "worthless", "clown", "liar", "stupid", "pathetic", "fool")


def _reason(rng: random.Random, body: str) -> dict[str, Any]:
    word = next((w for w in _WORDS if w in body), body.split()[0])
    start = body.index(word)
    if rng.random() < 0.15:  # a list match: certain, no score
        return {
            "action": "hold",
            "message": f"hold list: {word!r} matched {word!r}",
            "label": None,
            "score": None,
            "threshold": None,
            "rule": word,
            "span": [start, start + len(word)],
            "spans": [[start, start + len(word)]],
        }
    label = rng.choice(_LABELS)
    score = round(rng.uniform(0.8, 1.0), 3)
    return {
        "action": "hold",
        "message": f"{label} {score:.2f} >= hold threshold 0.80",
        "label": label,
        "score": score,
        "threshold": 0.8,
        "rule": None,
        "span": [start, start + len(word)],
        "spans": [[start, start + len(word)]],
    }


async def seed(url: str, held: int, seed_value: int = 10) -> None:
    """Held comments with stored verdicts, some published ones with reports, one owner."""
    rng = random.Random(seed_value)
    store = open_store(url)
    assert isinstance(store, SqlStore)
    try:
        sites = [await store.ensure_site("default"), await store.ensure_site("other")]
        await AccountService(open_accounts(store), store, Settings(database_url=url)).create_user(
            OWNER, PASSWORD, Role.OWNER
        )
        start = datetime(2026, 1, 1, tzinfo=UTC)
        async with store.engine.begin() as conn:
            thread_ids = []
            for n in range(50):
                site = sites[n % 2]
                values = {
                    "site_id": site.id,
                    "key": f"/bench/{n}/",
                    "title": f"Bench thread {n}",
                    "url": "",
                    "article_html": "",
                    "locked": False,
                    "version": 1,
                    "created_at": start,
                }
                result = await conn.execute(threads.insert().values(**values))
                thread_ids.append(int(result.inserted_primary_key[0]))
            rows = []
            published = held // 5
            for i in range(held + published):
                words = rng.sample(_WORDS, 2)
                body = f"You {words[0]} {rng.randint(1, 10**6)}, what a {words[1]} take."
                rows.append(
                    {
                        "thread_id": rng.choice(thread_ids),
                        "parent_id": None,
                        "depth": 0,
                        "author_name": f"author{rng.randint(1, 500)}",
                        "author_email": None,
                        "author_website": None,
                        "author_key": f"k{i}",
                        "network_tag": None,
                        "body_md": body,
                        "body_html": f"<p>{body}</p>",
                        "status": "pending" if i < held else "published",
                        "votes": 0,
                        "created_at": start + timedelta(seconds=i * 37),
                        "source_ref": None,
                    }
                )
            for chunk in range(0, len(rows), 2000):
                await conn.execute(comments.insert(), rows[chunk : chunk + 2000])
            found = (
                await conn.execute(sa.select(comments.c.id, comments.c.body_md, comments.c.status))
            ).all()
            verdicts = []
            for comment_id, body, status in found:
                reasons = [_reason(rng, body)] if status == "pending" else []
                verdicts.append(
                    {
                        "comment_id": comment_id,
                        "model_version": "parley-minilm-1",
                        "action": "hold" if reasons else "publish",
                        "scores": {label: round(rng.random(), 3) for label in _LABELS},
                        "reasons": reasons,
                        "language": rng.choices(["en", "de", "fr"], [85, 10, 5])[0],
                        "margin": verdict_margin(reasons),
                        "created_at": start,
                    }
                )
            for chunk in range(0, len(verdicts), 2000):
                await conn.execute(assessments.insert(), verdicts[chunk : chunk + 2000])
            public = [cid for cid, _, status in found if status == "published"]
            complaints = [
                {
                    "comment_id": cid,
                    "reporter": f"r{n}",
                    "reason": "spam",
                    "note": None,
                    "created_at": start,
                    "resolved_at": None,
                }
                for cid in rng.sample(public, min(200, len(public)))
                for n in range(rng.randint(1, 5))
            ]
            await conn.execute(reports.insert(), complaints)
        async with store.engine.connect() as conn:  # fresh statistics, as autovacuum keeps
            await conn.execute(sa.text("ANALYZE"))
            await conn.commit()
    finally:
        await store.close()


async def _median_ms(work: Callable[[], Awaitable[Any]], repeat: int) -> float:
    for _ in range(2):
        await work()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


async def in_process(url: str, repeat: int) -> dict[str, float]:
    store = open_store(url)
    assert isinstance(store, SqlStore)
    service = ReviewService(review_store(store), store, max_body=10_000)
    owner = Staff(0, OWNER, Role.OWNER, None)
    found: dict[str, float] = {}
    try:
        for name, queue, q, order in CASES:
            page = await service.queue(owner, queue, q, order)
            assert page.entries, f"{name}: an empty page measures nothing"

            async def first_page(
                queue: Queue = queue, q: str = q, order: QueueOrder = order
            ) -> Any:
                return await service.queue(owner, queue, q, order)

            found[name] = await _median_ms(first_page, repeat)
        floor = (
            sa.select(comments)
            .where(comments.c.status == "pending")
            .order_by(comments.c.created_at.desc(), comments.c.id.desc())
            .limit(50)
        )

        async def bare() -> Any:
            async with store.engine.connect() as conn:
                return (await conn.execute(floor)).all()

        found["floor"] = await _median_ms(bare, repeat)
    finally:
        await store.close()
    return found


def server_env(url: str) -> dict[str, str]:
    """`parley serve` on `url`, rate limits and moderation off: only the reads are timed."""
    return {
        "PARLEY_DATABASE_URL": url,
        "PARLEY_SECRET": "bench-secret",
        "PARLEY_RATE_LIMIT": "0",
        "PARLEY_MODERATION": "false",
    }


def over_http(url: str, repeat: int, logs: Path) -> dict[str, float]:
    found: dict[str, float] = {}
    with Children(logs) as children:
        base = start_parley(children, server_env(url))
        header = admin_cookie(base, OWNER, PASSWORD)
        for name, queue, q, order in CASES:
            query = urllib.parse.urlencode({"queue": queue.value, "q": q, "order": order.value})
            request = urllib.request.Request(
                f"{base}/api/v1/admin/queue?{query}", headers={"Cookie": header}
            )

            async def get(request: urllib.request.Request = request) -> None:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    assert answer.status == 200 and json.loads(answer.read())["items"]

            found[name] = asyncio.run(_median_ms(get, repeat))
        children.assert_running("parley")
    return found


def postgres_ready() -> str | None:
    """The URL of a fresh scratch database, or None (with a note) when PostgreSQL is away."""
    try:
        return create_scratch_postgres(PG_DATABASE)
    except (OSError, asyncpg.PostgresError) as error:
        log(f"PostgreSQL unreachable ({error}): left out")
        return None


@contextmanager
def seeded(database: str, sqlite_file: str, held: int) -> Iterator[str | None]:
    """A fresh database of kind `database` ("sqlite": `sqlite_file` in WORK_DIR; else a scratch
    PostgreSQL one, dropped after), migrated and seeded with `held` held comments: its URL, or
    None when PostgreSQL is away."""
    url = sqlite_url(WORK_DIR / sqlite_file) if database == "sqlite" else postgres_ready()
    if url is None:
        yield None
        return
    try:
        with timed(f"{database}: migrate and seed {held} held comments"):
            migrate(url)
            asyncio.run(seed(url, held))
        yield url
    finally:
        if database != "sqlite":
            drop_scratch_postgres(PG_DATABASE)


def arguments(description: str) -> argparse.Namespace:
    """The options of the benches on the seeded queue, read; signals handled, WORK_DIR made."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--held", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    install_signal_handlers()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    return args


def main() -> None:
    args = arguments(__doc__.split("\n")[0])
    results: dict[str, dict[str, dict[str, float]]] = {}
    for database in args.databases.split(","):
        with seeded(database, "admin-queue.db", args.held) as url:
            if url is None:
                continue
            with timed(f"{database}: in process"):
                server_side = asyncio.run(in_process(url, args.repeat))
            with timed(f"{database}: over HTTP"):
                logs = WORK_DIR / f"admin-queue-{database}"
                try:
                    http_side = over_http(url, args.repeat, logs)
                except (RuntimeError, TimeoutError, OSError) as error:
                    log(f"{database}: no HTTP figures, the server failed ({error}); see {logs}")
                    http_side = {}
            results[database] = {"server_side_ms": server_side, "http_ms": http_side}
    rows = []
    for database, found in results.items():
        floor = found["server_side_ms"]["floor"]
        for name, *_ in CASES:
            server = found["server_side_ms"][name]
            over = found["http_ms"].get(name)
            rows.append(
                [
                    database,
                    name,
                    round(server, 1),
                    "-" if over is None else round(over, 1),
                    round(server / floor, 1),
                    "yes" if max(server, over or 0) < GOAL_MS else "NO",
                ]
            )
    print(json.dumps({"machine": machine_info(), "held": args.held, "repeat": args.repeat}))
    print(
        format_table(
            ["database", "case", "server ms", "HTTP ms", "x floor", f"< {GOAL_MS:.0f} ms"], rows
        )
    )
    for database, found in results.items():
        floor = found["server_side_ms"]["floor"]
        print(f"{database}: floor (a bare indexed SELECT of 50 rows) {floor:.2f} ms")
    (WORK_DIR / "admin_queue.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
