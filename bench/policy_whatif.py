"""The policy editor's what-if on a site's last 1,000 assessed comments.

The what-if re-decides stored verdicts: the model's stored scores, with the word and pattern
lists, links and the first-time rule run again on the stored text; the neural model is not
run. Its budget is 1 s for 1,000 comments. This measures, in one run on one SQLite file:

- `what-if (service)`: `PolicyService.what_if` as the API calls it: the database read of the
  1,000 comments with their latest assessment, and both policies' re-decisions;
- `what-if, cold caches`: the same as the first one in a fresh worker (the lists are built and
  the texts normalised first; later what-ifs reuse them);
- `  read`: the database read alone; `  re-decide`: the two policies' re-decisions alone;
- the peer, `engine (model)`: the shipped engine assessing the same 1,000 texts once, as
  re-running the model would (one policy, not two).

The comments are 1,000 of the Impermium insults corpus (../shared/data, mixed insults and
ordinary comments), posted on one site and judged by the shipped engine first.

    .venv/bin/python bench/policy_whatif.py [--repeat 7] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO_ROOT, WORK_DIR, format_table, log, machine_info, sqlite_url
from parley.domain.accounts import Role, Staff
from parley.domain.comments import Author, NewComment, status_for
from parley.domain.moderation import ModerationContext
from parley.moderation.engine import Engine
from parley.moderation.policy import Policy
from parley.services import policies
from parley.services.audit import AuditService
from parley.services.policies import WHAT_IF_COMMENTS, PolicyService, what_if
from parley.services.runtime import migrate_database
from parley.settings import Settings
from parley.storage.factory import open_store
from parley.storage.insights import insights_store
from parley.storage.review import review_store

CORPUS = REPO_ROOT.parent / "shared" / "data" / "impermium-insults" / "normalized.jsonl"
OWNER = Staff(user_id=1, name="bench", role=Role.OWNER, site_ids=None)
EDITED = {
    "thresholds": {"insult": {"flag": 0.4, "hold": 0.7}, "toxicity": {"flag": 0.45}},
    "hold_terms": ["idiot", "moron"],
    "block_patterns": [r"\bshut up\b"],
    "max_links": 1,
    "hold_first_time": True,
}


def texts(count: int) -> list[str]:
    found = []
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            text = str(json.loads(line)["text"]).strip()
            if 0 < len(text) <= 2000:
                found.append(text)
            if len(found) == count:
                return found
    raise SystemExit(f"{CORPUS} holds fewer than {count} usable comments")


async def seed(url: str, bodies: list[str], engine: Engine) -> int:
    store = open_store(url)
    try:
        site = await store.ensure_site("bench-policy")
        context = ModerationContext(site=site.name)
        verdicts = engine.assess_many(bodies, context)
        start = datetime.now(UTC) - timedelta(hours=len(bodies))
        for i, (body, verdict) in enumerate(zip(bodies, verdicts, strict=True)):
            author = Author(f"reader{i % 300}", None, None, f"key-{i % 300:04d}")
            new = NewComment(
                thread_key=f"/bench/{i % 20}/",
                thread_title="",
                parent_id=None,
                depth=0,
                author=author,
                body_md=body,
                body_html=f"<p>{body}</p>",
                status=status_for(verdict.action),
                created_at=start + timedelta(hours=i),
            )
            await store.add_comment(site.id, new, verdict)
        return site.id
    finally:
        await store.close()


async def measure(url: str, site_id: int, bodies: list[str], engine: Engine, repeat: int) -> None:
    store = open_store(url)
    insights = insights_store(store)
    service = PolicyService(store, insights, AuditService(review_store(store)))
    edited = Policy.from_dict(EDITED)
    try:
        history = await insights.recent_assessed(site_id, WHAT_IF_COMMENTS)
        assert len(history) == WHAT_IF_COMMENTS, len(history)
        answer = await service.what_if(OWNER, site_id, EDITED)
        log(f"what-if: before {answer.before}, after {answer.after}, {len(answer.changed)} changed")

        async def whole() -> None:
            await service.what_if(OWNER, site_id, EDITED)

        async def cold() -> None:
            # As the first what-if in a fresh worker: no lists built, no text normalised yet.
            policies._rule_set.cache_clear()
            policies._normalized.cache_clear()
            await service.what_if(OWNER, site_id, EDITED)

        async def read() -> None:
            await insights.recent_assessed(site_id, WHAT_IF_COMMENTS)

        async def redecide() -> None:
            what_if(Policy(), edited, history)

        async def model() -> None:
            engine.assess_many(bodies, ModerationContext(site="bench-policy"))

        rows = []
        results = {}
        for name, work in (
            ("what-if (service)", whole),
            ("what-if, cold caches", cold),
            ("  read", read),
            ("  re-decide", redecide),
            ("engine (model)", model),
        ):
            times = await _timed(work, repeat if name != "engine (model)" else max(1, repeat // 3))
            results[name] = statistics.median(times)
            rows.append(
                [
                    name,
                    f"{statistics.median(times) * 1000:.0f}",
                    f"{min(times) * 1000:.0f}",
                    f"{WHAT_IF_COMMENTS / statistics.median(times):,.0f}",
                ]
            )
        print(format_table(["step", "median ms", "best ms", "comments/s"], rows))
        ratio = results["engine (model)"] / results["what-if, cold caches"]
        print(
            f"\nwhat-if on {WHAT_IF_COMMENTS:,} comments: {results['what-if (service)']:.3f} s, "
            f"{results['what-if, cold caches']:.3f} s cold (budget 1 s); running the model "
            f"instead would take {ratio:.1f}x as long as the cold one, for one policy of the two."
        )
    finally:
        await store.close()


async def _timed(work: Callable[[], Awaitable[None]], repeat: int) -> list[float]:
    await work()  # warm caches (word lists, SQLite pages)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    url = args.database_url or sqlite_url(WORK_DIR / "policy-whatif.db")
    migrate_database(Settings(database_url=url))
    bodies = texts(WHAT_IF_COMMENTS)
    log("loading the engine and judging 1,000 comments to seed the site")
    engine = Engine.load()
    site_id = asyncio.run(seed(url, bodies, engine))
    print(json.dumps(machine_info()))
    asyncio.run(measure(url, site_id, bodies, engine, args.repeat))


if __name__ == "__main__":
    main()
