"""Perspective-compatible scoring API: HTTP requests vs the same scoring in-process.

    .venv/bin/python bench/perspective.py [--duration 10] [--texts 500]

Starts `parley serve --scoring-only --workers 2` on loopback (SQLite, one API key with no
practical quota), sends single-comment `comments:analyze` requests with all six attributes
(Wikipedia comments from ../shared/data, cycled) with wrk at concurrency 1 and 32, and scores
the same comments in this process with the library. The difference is the HTTP overhead.
The key quota is counted in the database (shared by workers): its own cost is measured apart,
in this process on SQLite, with each worker's leases of the quota against a database write
per query.
wrk shares the two cores with the server. Results: a table, and bench/.work/perspective.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the script runs as a file, not from a package
    PARLEY_BIN,
    REPO_ROOT,
    WORK_DIR,
    Children,
    ensure_apt_packages,
    format_table,
    install_signal_handlers,
    log,
    machine_info,
    percentile,
    run_checked,
    run_wrk,
    start_parley,
)
from parley.domain.moderation import ModerationContext
from parley.moderation.corpora import default_data_dir, wikipedia
from parley.moderation.engine import Engine
from parley.moderation.scorer import LinearScorer
from parley.services.apikeys import LEASE_SHARE
from parley.services.limits import SlidingWindows
from parley.storage.factory import migrate, open_store

ATTRIBUTES = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")
MAX_TEXT_BYTES = 20 * 1024


def load_texts(count: int) -> list[str]:
    texts = [
        example.text.strip()
        for example in wikipedia(default_data_dir())
        if example.text.strip() and len(example.text.encode()) <= MAX_TEXT_BYTES
    ]
    return [t for t in texts if "]==]" not in t][:count]


def request_body(text: str) -> str:
    return json.dumps(
        {
            "comment": {"text": text},
            "requestedAttributes": {name: {} for name in ATTRIBUTES},
            "languages": ["en"],
            "doNotStore": True,
        }
    )


def wrk_prelude(texts: list[str]) -> str:
    """Lua that cycles wrk's POST bodies through the comments."""
    bodies = ",\n".join(f"[==[{request_body(t)}]==]" for t in texts)
    return (
        f"local bodies = {{\n{bodies}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #bodies + 1\n"
        '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])\n'
        "end\n"
    )


def engines() -> dict[str, Engine]:
    """The shipped model (v2, fine-tuned MiniLM) and moderation v1's linear model, side by
    side: the server scores with v2; v1 shows what the goals were set against."""
    v2 = Engine.load()
    return {"v2 (MiniLM)": v2, "v1 (linear)": Engine(LinearScorer.load(), v2.policy)}


def in_process(texts: list[str], engine: Engine) -> dict[str, float]:
    """The library alone: per-comment latency and comments/s in one process."""
    context = ModerationContext()
    for text in texts[:50]:
        engine.assess(text, context)  # warm caches
    latencies = []
    started = time.perf_counter()
    for text in texts:
        before = time.perf_counter()
        engine.assess(text, context)
        latencies.append(time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(texts) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
    }


def quota_checks(count: int) -> dict[str, dict[str, float]]:
    """One process checking a busy key's shared quota on SQLite: leased, and unleased."""

    async def measure(url: str, lease_share: float) -> dict[str, float]:
        store = open_store(url)
        windows = SlidingWindows(store, lease_share=lease_share)
        latencies = []
        try:
            for _ in range(count):
                before = time.perf_counter()
                await windows.take("apikey:1:1s", 1e9, 1, "apikey:1:")
                latencies.append(time.perf_counter() - before)
        finally:
            await store.close()
        latencies.sort()
        return {
            "rps": len(latencies) / sum(latencies),
            "p50_ms": percentile(latencies, 50) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000,
        }

    results = {}
    for label, share in (("a write per query", 0.0), (f"leased ({LEASE_SHARE:.3g})", LEASE_SHARE)):
        with tempfile.TemporaryDirectory() as scratch:
            url = f"sqlite+aiosqlite:///{scratch}/parley.db"
            migrate(url)
            results[label] = asyncio.run(measure(url, share))
    return results


def serve_and_load(texts: list[str], duration: float) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as scratch, Children(WORK_DIR / "logs") as children:
        env = {
            "PARLEY_DATABASE_URL": f"sqlite+aiosqlite:///{scratch}/parley.db",
            "PARLEY_SECRET": "bench",
        }
        run_checked([str(PARLEY_BIN), "migrate"], env=env)
        key = run_checked(
            [str(PARLEY_BIN), "apikey", "create", "bench", "--qps", "1e9"], env=env
        ).split()[0]
        base = start_parley(
            children,
            env,
            "--scoring-only",
            "--workers",
            "2",
            name="parley-scoring",
            ready="/$discovery/rest?version=v1alpha1",
        )
        url = f"{base}/v1alpha1/comments:analyze?key={key}"
        prelude = wrk_prelude(texts)
        results = {}
        for label, threads, connections in (("c=1", 1, 1), ("c=32", 2, 32)):
            log(f"wrk {label} for {duration:g} s")
            result = run_wrk(
                url, threads=threads, connections=connections, duration=duration, prelude=prelude
            )
            children.assert_running("parley-scoring")
            if result.non_2xx or result.errors:
                raise RuntimeError(f"{result.non_2xx} non-2xx answers, {result.errors} errors")
            results[label] = {"rps": result.rps, "p50_ms": result.p50_ms, "p99_ms": result.p99_ms}
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--texts", type=int, default=500)
    args = parser.parse_args()
    install_signal_handlers()
    ensure_apt_packages({"wrk": "wrk"})
    texts = load_texts(args.texts)
    machine = machine_info()
    log(f"{len(texts)} Wikipedia comments; machine: {machine}")
    libraries = {name: in_process(texts, engine) for name, engine in engines().items()}
    library = libraries["v2 (MiniLM)"]
    quota = quota_checks(2000)
    http = serve_and_load(texts, args.duration)
    rows = [
        *[
            [f"library {name}, 1 process", r["rps"], r["p50_ms"], r["p99_ms"]]
            for name, r in libraries.items()
        ],
        *[
            [f"HTTP {label}, 2 workers", r["rps"], r["p50_ms"], r["p99_ms"]]
            for label, r in http.items()
        ],
        *[
            [f"key quota alone, {label}", r["rps"], r["p50_ms"], r["p99_ms"]]
            for label, r in quota.items()
        ],
    ]
    print(format_table(["scoring", "requests/s", "p50 ms", "p99 ms"], rows))
    overhead = http["c=1"]["p50_ms"] - library["p50_ms"]
    print(
        f"HTTP overhead at c=1 (p50): {overhead:.2f} ms per request; goals: p99 < 10 ms at "
        f"c=1 ({http['c=1']['p99_ms']:.2f}), >= 1,000 requests/s at c=32 "
        f"({http['c=32']['rps']:,.0f})"
    )
    output = WORK_DIR / "perspective.json"
    output.write_text(
        json.dumps(
            {"machine": machine, "library": libraries, "http": http, "quota": quota}, indent=2
        )
    )
    log(f"wrote {output.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
