"""Reliability: no acknowledged comment lost to a SIGKILL, and a long soak that stays flat.

    .venv/bin/python bench/reliability.py kill9 [--rounds 5] [--databases sqlite,postgres]
    .venv/bin/python bench/reliability.py soak [--minutes 10] [--clients 4] [--streams 3]
                                               [--database sqlite|postgres] [--fixed-reads]

`kill9`: `parley serve --workers 2` (rate limit off) on a fresh SQLite file, then on a scratch
PostgreSQL database (`parley_bench_reliability`, dropped after). Four client threads post
comments (a quarter of them replies) into one thread; every 201/202 is an acknowledged comment.
Mid-burst the server's whole process group gets SIGKILL; the server is started again and every
acknowledged id must be in `parley export json` (any status), and every 201 in the API's
thread. Repeated `--rounds` times per database.

`soak`: the same server on SQLite (or `--database postgres`) with two imported threads; client
threads read (half of them with `If-None-Match`), post, reply, vote, edit, preview and count,
while `--streams` live-update streams stay open on the threads being written, each closed and
reopened every 20-60 s and reopened whenever the server ends it. Every 10 s the RSS of each
worker (`VmRSS` of the server's child processes) is sampled. Prints requests and errors by kind
and status, p50/p99 latency, and per worker the first-minute and last-minute RSS medians.
`--fixed-reads` reads only the imported threads, so the per-thread read caches stop growing
once warm (see bench/README.md on reading the RSS figures).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the script runs as a file, not from a package
    LOOPBACK,
    PARLEY_BIN,
    PG_ADMIN,
    REPO_ROOT,
    WORK_DIR,
    Children,
    create_scratch_postgres,
    drop_scratch_postgres,
    format_table,
    free_port,
    install_signal_handlers,
    log,
    machine_info,
    percentile,
    pg_execute,
    run_checked,
    sqlite_url,
    synthetic_body,
    wait_http_ready,
    write_synthetic_wxr,
)

SCRATCH = WORK_DIR / "reliability"
RESULTS = WORK_DIR / "reliability.json"
SEED_WXR = REPO_ROOT.parent / "shared" / "fixtures" / "seed-thread.wxr.xml"
PG_DATABASE = "parley_bench_reliability"
SECRET = "bench-reliability-secret"
ACKNOWLEDGED = (201, 202)
START_TIMEOUT_S = 120.0  # two workers each load the moderation model


# --------------------------------------------------------------------------- databases


@dataclass(frozen=True)
class Database:
    name: str
    url: str


def fresh_sqlite(name: str) -> Database:
    return Database("sqlite", sqlite_url(SCRATCH / f"{name}.db"))


@contextlib.contextmanager
def scratch_postgres() -> Iterator[Database]:
    """A fresh database `parley_bench_reliability`, dropped on the way out."""
    url = create_scratch_postgres(PG_DATABASE)
    try:
        yield Database("postgres", url)
    finally:
        with contextlib.suppress(Exception):
            drop_scratch_postgres(PG_DATABASE)
            log(f"dropped database {PG_DATABASE}")


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        asyncio.run(pg_execute("SELECT 1"))
    except Exception as error:  # any failure to connect means: skip PostgreSQL
        return f"{type(error).__name__}: {error}"
    return None


def parley_env(database: Database) -> dict[str, str]:
    return {
        "PARLEY_DATABASE_URL": database.url,
        "PARLEY_SECRET": SECRET,
        "PARLEY_RATE_LIMIT": "0",
    }


def parley(database: Database, *args: str, timeout: float = 300) -> str:
    return run_checked([str(PARLEY_BIN), *args], env=parley_env(database), timeout=timeout)


# --------------------------------------------------------------------------- server


class Server:
    """`parley serve --workers 2` in its own process group, started and killed repeatedly."""

    def __init__(self, children: Children, database: Database, label: str) -> None:
        self.children = children
        self.database = database
        self.label = label
        self.starts = 0
        self.name = ""
        self.base = ""
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Start the server; the seconds until it answered."""
        self.starts += 1
        self.name = f"{self.label}-{self.starts}"
        port = free_port()
        argv = [str(PARLEY_BIN), "serve", "--host", LOOPBACK, "--port", str(port), "--workers", "2"]
        began = time.monotonic()
        self.proc = self.children.start(self.name, argv, env=parley_env(self.database))
        self.base = f"http://{LOOPBACK}:{port}"
        try:
            ready = f"{self.base}/api/v1/counts?thread=/"
            wait_http_ready(ready, timeout=START_TIMEOUT_S, proc=self.proc)
        except (RuntimeError, TimeoutError):
            log(self.children.log_tail(self.name))
            raise
        return time.monotonic() - began

    def kill9(self) -> None:
        """SIGKILL the master and its workers at once, then reap them."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.children.stop(self.name, grace=5)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.children.stop(self.name)
            self.proc = None

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes: the master's children, minus helper processes."""
        if self.proc is None:
            return []
        pid = self.proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        workers = []
        for child in children:
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in cmdline:
                workers.append(int(child))
        return workers


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def comment_id(response: httpx.Response) -> int:
    return int(response.json()["comment"]["id"])


# --------------------------------------------------------------------------- kill -9


@dataclass
class Burst:
    """What the posting clients of one round saw."""

    acked: dict[int, int] = field(default_factory=dict)  # comment id -> 201 or 202
    before_kill: Counter[str] = field(default_factory=Counter)  # unexpected answers, by kind
    after_kill: Counter[str] = field(default_factory=Counter)  # in-flight requests that failed
    lock: threading.Lock = field(default_factory=threading.Lock)
    killed: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def failed(self, kind: str) -> None:
        with self.lock:
            (self.after_kill if self.killed.is_set() else self.before_kill)[kind] += 1


def post_until_stopped(base: str, thread: str, client: int, seed: int, burst: Burst) -> None:
    rng = random.Random(seed * 100 + client)
    token: str | None = None
    last: int | None = None
    with httpx.Client(base_url=base, timeout=10) as http:
        n = 0
        while not burst.stop.is_set():
            n += 1
            body: dict[str, Any] = {
                "thread": thread,
                "body": f"kill9 client {client} post {n}: {synthetic_body(rng)}",
            }
            if last is not None and rng.random() < 0.25:
                body["parent_id"] = last
            headers = {"X-Author-Token": token} if token else {}
            try:
                response = http.post("/api/v1/comments", json=body, headers=headers)
            except httpx.HTTPError as error:
                burst.failed(type(error).__name__)
                if burst.killed.is_set():
                    return
                continue
            if response.status_code not in ACKNOWLEDGED:
                burst.failed(f"HTTP {response.status_code}")
                continue
            created = comment_id(response)
            token = response.json()["author_token"]
            last = created
            with burst.lock:
                burst.acked[created] = response.status_code


def exported_ids(database: Database) -> dict[str, set[int]]:
    """Every stored comment (any status), by thread, as `parley export json` writes them."""
    document = json.loads(parley(database, "export", "json"))
    return {t["key"]: {c["id"] for c in t["comments"]} for t in document["threads"]}


def api_ids(base: str, thread: str) -> set[int]:
    """The ids the API shows the public in `thread`, following `next` page after page."""
    ids: set[int] = set()
    params = {"thread": thread}
    for _ in range(1000):
        response = httpx.get(f"{base}/api/v1/comments", params=params, timeout=30)
        response.raise_for_status()
        page = response.json()
        ids |= {c["id"] for c in page["comments"]}
        if not page.get("next"):
            return ids
        params = {"thread": thread, "after": page["next"]}
    raise RuntimeError(f"{thread}: more than 1000 pages")


def kill9_round(server: Server, number: int, clients: int, seed: int) -> dict[str, Any]:
    thread = f"/bench/kill9/round-{number}/"
    rng = random.Random(seed + number)
    burst = Burst()
    workers = [
        threading.Thread(
            target=post_until_stopped,
            args=(server.base, thread, c, seed + number, burst),
            daemon=True,
        )
        for c in range(clients)
    ]
    for worker in workers:
        worker.start()
    try:
        deadline = time.monotonic() + 60
        while len(burst.acked) < 20 * clients:  # a burst in full swing, then a random moment
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(burst.acked)} comments acknowledged in 60 s")
            server.children.assert_running(server.name)
            time.sleep(0.05)
        time.sleep(rng.uniform(0.2, 2.0))
        burst.killed.set()
        server.kill9()
        acked_at_kill = len(burst.acked)
    finally:
        burst.killed.set()
        burst.stop.set()
        for worker in workers:
            worker.join(timeout=15)
    restart_s = server.start()
    by_thread = exported_ids(server.database)
    stored = set().union(*by_thread.values())
    visible = api_ids(server.base, thread)
    acked = burst.acked
    published = {i for i, status in acked.items() if status == 201}
    result: dict[str, Any] = {
        "round": number,
        "acknowledged": len(acked),
        "acknowledged_at_kill": acked_at_kill,
        "held_202": len(acked) - len(published),
        "lost": sorted(set(acked) - stored),
        "lost_from_api": sorted(published - visible),
        "stored_not_acknowledged": len(by_thread.get(thread, set()) - set(acked)),
        "failed_before_kill": dict(burst.before_kill),
        "failed_in_flight": dict(burst.after_kill),
        "restart_s": round(restart_s, 2),
    }
    log(
        f"{server.database.name} round {number}: {len(acked)} acknowledged, "
        f"{len(result['lost'])} lost, {len(result['lost_from_api'])} missing from the API, "
        f"restart {restart_s:.1f}s"
    )
    return result


def kill9_database(children: Children, database: Database, rounds: int, clients: int) -> Any:
    parley(database, "migrate")
    server = Server(children, database, f"kill9-{database.name}")
    server.start()
    try:
        return [kill9_round(server, n, clients, seed=9000) for n in range(1, rounds + 1)]
    finally:
        server.stop()


def run_kill9(args: argparse.Namespace, children: Children) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in args.databases.split(","):
        if name == "sqlite":
            out[name] = kill9_database(children, fresh_sqlite("kill9"), args.rounds, args.clients)
        elif name == "postgres":
            why = postgres_reachable()
            if why is not None:
                log(f"PostgreSQL not reachable at {PG_ADMIN} ({why}): skipped")
                out[name] = {"skipped": why}
                continue
            with scratch_postgres() as database:
                out[name] = kill9_database(children, database, args.rounds, args.clients)
        else:
            raise SystemExit(f"unknown database {name!r}: sqlite or postgres")
    return out


def kill9_table(results: dict[str, Any]) -> str:
    rows: list[list[object]] = []
    for name, rounds in results.items():
        if isinstance(rounds, dict):
            rows.append([name, "skipped", *["-"] * 8])
            continue
        rows.append(
            [
                name,
                len(rounds),
                sum(r["acknowledged"] for r in rounds),
                sum(r["held_202"] for r in rounds),
                sum(len(r["lost"]) for r in rounds),
                sum(len(r["lost_from_api"]) for r in rounds),
                sum(sum(r["failed_in_flight"].values()) for r in rounds),
                sum(r["stored_not_acknowledged"] for r in rounds),
                sum(sum(r["failed_before_kill"].values()) for r in rounds),
                max(r["restart_s"] for r in rounds),
            ]
        )
    headers = ["database", "rounds", "acknowledged", "held", "lost", "lost (API)"]
    more = ["in flight", "stored unacked", "errors before kill", "restart s (max)"]
    return format_table([*headers, *more], rows)


# --------------------------------------------------------------------------- soak

READ_THREADS = ("/reviews/nanking/", "/reviews/soak-long-thread/")
POSTS_PER_THREAD = 60  # writes move on to a fresh thread, so no thread grows without bound
ACTIONS = (
    ("read", 40),
    ("counts", 5),
    ("post", 15),
    ("reply", 10),
    ("vote", 15),
    ("edit", 5),
    ("preview", 10),
)
EXPECTED = {
    "read": (200, 304),
    "counts": (200,),
    "post": ACKNOWLEDGED,
    "reply": ACKNOWLEDGED,
    "vote": (200,),
    "edit": (200,),
    "preview": (200,),
}


@dataclass
class SoakState:
    fixed_reads: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    posts: int = 0
    ids: dict[str, list[int]] = field(default_factory=dict)  # posting thread -> comment ids
    latency_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    streams: Counter[str] = field(default_factory=Counter)

    def writing_thread(self, back: int = 0) -> str:
        return f"/soak/thread-{max(0, self.posts // POSTS_PER_THREAD - back)}/"

    def record(self, kind: str, status: str, seconds: float | None, ok: bool) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if seconds is not None:
                self.latency_ms.setdefault(kind, []).append(seconds * 1000)
            if not ok:
                self.errors[(kind, status)] += 1


class SoakClient:
    def __init__(self, base: str, number: int, state: SoakState) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.rng = random.Random(7000 + number)
        self.state = state
        self.number = number
        self.token: str | None = None
        self.mine: list[int] = []
        self.etags: dict[str, str] = {}

    def run(self) -> None:
        kinds = [kind for kind, _ in ACTIONS]
        weights = [weight for _, weight in ACTIONS]
        with self.http:
            while not self.state.stop.is_set():
                kind = self.rng.choices(kinds, weights)[0]
                self.once(kind)

    def once(self, kind: str) -> None:
        began = time.perf_counter()
        try:
            response = getattr(self, kind)()
        except httpx.HTTPError as error:
            self.state.record(kind, type(error).__name__, None, ok=False)
            return
        if response is None:  # nothing to act on yet
            return
        elapsed = time.perf_counter() - began
        ok = response.status_code in EXPECTED[kind]
        self.state.record(kind, str(response.status_code), elapsed, ok)
        if ok and kind in ("post", "reply"):
            self.remember(response)
        elif ok and kind == "read" and response.status_code == 200:
            self.etags[str(response.request.url.params["thread"])] = response.headers["etag"]

    def remember(self, response: httpx.Response) -> None:
        answer = response.json()
        self.token = answer["author_token"]
        created = int(answer["comment"]["id"])
        self.mine = [*self.mine[-19:], created]
        thread = json.loads(response.request.content)["thread"]
        with self.state.lock:
            self.state.ids.setdefault(thread, []).append(created)

    def headers(self) -> dict[str, str]:
        return {"X-Author-Token": self.token} if self.token else {}

    def some_comment(self) -> tuple[str, int] | None:
        """A recent comment of the thread being written (or the one before) and its thread."""
        with self.state.lock:
            for back in (0, 1):
                thread = self.state.writing_thread(back)
                ids = self.state.ids.get(thread)
                if ids:
                    return thread, self.rng.choice(ids[-50:])
        return None

    def read(self) -> httpx.Response:
        with self.state.lock:
            threads = [*READ_THREADS, self.state.writing_thread(), self.state.writing_thread(1)]
        if self.state.fixed_reads:
            threads = list(READ_THREADS)
        thread = self.rng.choice(threads)
        headers = {}
        if thread in self.etags and self.rng.random() < 0.5:
            headers["If-None-Match"] = self.etags[thread]
        sort = self.rng.choice(("oldest", "oldest", "newest", "top"))
        params = {"thread": thread, "sort": sort}
        return self.http.get("/api/v1/comments", params=params, headers=headers)

    def counts(self) -> httpx.Response:
        with self.state.lock:
            threads = [*READ_THREADS, self.state.writing_thread(), self.state.writing_thread(1)]
        return self.http.get("/api/v1/counts", params=[("thread", t) for t in threads])

    def post(self, parent: tuple[str, int] | None = None) -> httpx.Response:
        with self.state.lock:
            self.state.posts += 1
            thread = self.state.writing_thread() if parent is None else parent[0]
        body: dict[str, Any] = {
            "thread": thread,
            "body": synthetic_body(self.rng),
            "name": f"soak reader {self.number}",
        }
        if parent is not None:
            body["parent_id"] = parent[1]
        return self.http.post("/api/v1/comments", json=body, headers=self.headers())

    def reply(self) -> httpx.Response | None:
        parent = self.some_comment()
        return None if parent is None else self.post(parent)

    def vote(self) -> httpx.Response | None:
        target = self.some_comment()
        if target is None:
            return None
        value = self.rng.choice((1, 1, -1, 0))
        path = f"/api/v1/comments/{target[1]}/vote"
        return self.http.post(path, json={"value": value}, headers=self.headers())

    def edit(self) -> httpx.Response | None:
        if not self.mine or self.token is None:
            return None
        target = self.rng.choice(self.mine)
        body = {"body": synthetic_body(self.rng) + " (edited)"}
        return self.http.patch(f"/api/v1/comments/{target}", json=body, headers=self.headers())

    def preview(self) -> httpx.Response:
        return self.http.post("/api/v1/preview", json={"body": synthetic_body(self.rng)})


def stream_events(base: str, number: int, state: SoakState) -> None:
    """Keep one live-update stream open on a thread being written, reopening it as it ends."""
    rng = random.Random(8000 + number)
    timeout = httpx.Timeout(10.0, read=20.0)  # the server sends a keep-alive every 15 s
    with httpx.Client(base_url=base, timeout=timeout) as http:
        while not state.stop.is_set():
            with state.lock:
                thread = state.writing_thread()
            until = time.monotonic() + rng.uniform(20, 60)
            began = time.perf_counter()
            try:
                with http.stream("GET", "/api/v1/events", params={"thread": thread}) as response:
                    status = str(response.status_code)
                    ok = response.status_code == 200
                    state.record("events", status, time.perf_counter() - began, ok)
                    if not ok:
                        time.sleep(1)
                        continue
                    state.streams["opened"] += 1
                    ended_by_us = read_stream(response, until, state)
                    state.streams["closed by us" if ended_by_us else "ended by server"] += 1
            except httpx.HTTPError as error:
                state.record("events", type(error).__name__, None, ok=False)
                time.sleep(1)


def read_stream(response: httpx.Response, until: float, state: SoakState) -> bool:
    """Read events until `until` or a stop; False when the server ended the stream first."""
    for line in response.iter_lines():
        if line.startswith("data:"):
            state.streams["events"] += 1
        if state.stop.is_set() or time.monotonic() > until:
            return True
    return False


def prepare_soak_database(database: Database) -> None:
    parley(database, "migrate")
    long_thread = SCRATCH / "soak-long-thread.wxr.xml"
    write_synthetic_wxr(long_thread, slug="soak-long-thread", title="A long thread", count=300)
    for wxr in (SEED_WXR, long_thread):
        parley(database, "import", "wordpress", str(wxr))


@dataclass
class RssSeries:
    started: float
    samples: dict[int, list[tuple[float, int]]] = field(default_factory=dict)  # pid -> (s, KiB)
    worker_sets: list[list[int]] = field(default_factory=list)

    def sample(self, server: Server) -> None:
        pids = sorted(server.worker_pids())
        if not self.worker_sets or self.worker_sets[-1] != pids:
            self.worker_sets.append(pids)
        now = time.monotonic() - self.started
        for pid in pids:
            rss = rss_kib(pid)
            if rss is not None:
                self.samples.setdefault(pid, []).append((round(now, 1), rss))

    def summary(self, total_s: float) -> list[dict[str, Any]]:
        out = []
        for pid, series in self.samples.items():
            first = [kib for t, kib in series if t <= 60]
            last = [kib for t, kib in series if t >= total_s - 60]
            if not first or not last:
                continue
            base = statistics.median(first)
            later = [kib for t, kib in series if t > 60] or first
            out.append(
                {
                    "pid": pid,
                    "samples": len(series),
                    "first_minute_median_mib": round(base / 1024, 1),
                    "last_minute_median_mib": round(statistics.median(last) / 1024, 1),
                    "change_pct": round(100 * (statistics.median(last) - base) / base, 1),
                    "max_deviation_pct": round(
                        100 * max(abs(kib - base) for kib in later) / base, 1
                    ),
                    "max_mib": round(max(kib for _, kib in series) / 1024, 1),
                }
            )
        return out


def run_soak(args: argparse.Namespace, children: Children) -> dict[str, Any]:
    if args.database == "postgres":
        why = postgres_reachable()
        if why is not None:
            raise SystemExit(f"PostgreSQL not reachable at {PG_ADMIN}: {why}")
        with scratch_postgres() as database:
            return soak(args, children, database)
    return soak(args, children, fresh_sqlite("soak"))


def soak(args: argparse.Namespace, children: Children, database: Database) -> dict[str, Any]:
    prepare_soak_database(database)
    server = Server(children, database, f"soak-{database.name}")
    server.start()
    time.sleep(2)  # both workers up before the first RSS sample
    state = SoakState(fixed_reads=args.fixed_reads)
    threads = [
        threading.Thread(target=SoakClient(server.base, n, state).run, daemon=True)
        for n in range(args.clients)
    ] + [
        threading.Thread(target=stream_events, args=(server.base, n, state), daemon=True)
        for n in range(args.streams)
    ]
    total_s = args.minutes * 60
    rss = RssSeries(started=time.monotonic())
    log(f"soak: {args.clients} clients, {args.streams} streams, {args.minutes:g} min")
    try:
        for thread in threads:
            thread.start()
        rss.sample(server)
        while time.monotonic() - rss.started < total_s:
            time.sleep(min(10.0, max(0.0, total_s - (time.monotonic() - rss.started))))
            server.children.assert_running(server.name)
            rss.sample(server)
            requests = sum(state.statuses.values())
            log(
                f"soak {time.monotonic() - rss.started:5.0f}s: {requests} requests, "
                f"{sum(state.errors.values())} errors, posts {state.posts}"
            )
    finally:
        state.stop.set()
        for thread in threads:
            thread.join(timeout=40)
    alive = httpx.get(f"{server.base}/api/v1/counts", params={"thread": "/"}, timeout=10)
    server.stop()
    log_text = server.children.log_path(server.name).read_text(errors="replace")
    return {
        "database": database.name,
        "minutes": args.minutes,
        "fixed_reads": args.fixed_reads,
        "clients": args.clients,
        "streams": args.streams,
        "requests": {f"{k} {s}": n for (k, s), n in sorted(state.statuses.items())},
        "errors": {f"{k} {s}": n for (k, s), n in sorted(state.errors.items())},
        "latency_ms": {
            kind: {
                "count": len(values),
                "p50": round(percentile(sorted(values), 50), 2),
                "p99": round(percentile(sorted(values), 99), 2),
                "max": round(max(values), 2),
            }
            for kind, values in sorted(state.latency_ms.items())
        },
        "streams_seen": dict(state.streams),
        "posts": state.posts,
        "alive_after": alive.status_code,
        "server_log_errors": sum(
            1 for line in log_text.splitlines() if "Traceback" in line or "ERROR" in line
        ),
        "worker_sets": rss.worker_sets,
        "rss": rss.summary(total_s),
        "rss_samples": {str(pid): s for pid, s in rss.samples.items()},
    }


def soak_report(result: dict[str, Any]) -> str:
    rows = [
        [kind, v["count"], v["p50"], v["p99"], v["max"]] for kind, v in result["latency_ms"].items()
    ]
    lines = [
        f"soak: {result['minutes']:g} min on {result['database']}, {result['clients']} clients, "
        f"{result['streams']} event streams, {result['posts']} posts and replies"
        + (", reads of the imported threads only" if result["fixed_reads"] else ""),
        format_table(["request", "count", "p50 ms", "p99 ms", "max ms"], rows),
        "",
        "answers: " + ", ".join(f"{k}: {n}" for k, n in result["requests"].items()),
        "errors: " + (", ".join(f"{k}: {n}" for k, n in result["errors"].items()) or "none"),
        "streams: " + ", ".join(f"{k}: {n}" for k, n in result["streams_seen"].items()),
        f"server log lines with ERROR or Traceback: {result['server_log_errors']}; "
        f"worker pid sets seen: {result['worker_sets']}",
        "",
        format_table(
            ["worker", "first min MiB", "last min MiB", "change %", "max dev %", "max MiB"],
            [
                [
                    r["pid"],
                    r["first_minute_median_mib"],
                    r["last_minute_median_mib"],
                    r["change_pct"],
                    r["max_deviation_pct"],
                    r["max_mib"],
                ]
                for r in result["rss"]
            ],
        ),
    ]
    flat = all(abs(r["change_pct"]) <= 10 for r in result["rss"]) and result["rss"]
    lines.append(
        f"target: no error, worker RSS within 10 %: "
        f"{'met' if flat and not result['errors'] else 'NOT met'}"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    kill9 = sub.add_parser("kill9", help="SIGKILL mid-burst; count lost acknowledged comments")
    kill9.add_argument("--rounds", type=int, default=5)
    kill9.add_argument("--clients", type=int, default=4)
    kill9.add_argument("--databases", default="sqlite,postgres")
    soak_args = sub.add_parser("soak", help="mixed load for --minutes; errors, latency, RSS")
    soak_args.add_argument("--minutes", type=float, default=10.0)
    soak_args.add_argument("--clients", type=int, default=4)
    soak_args.add_argument("--streams", type=int, default=3)
    soak_args.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    soak_args.add_argument(
        "--fixed-reads",
        action="store_true",
        help="read only the two imported threads: a control run in which the per-thread read "
        "caches stop growing once warm",
    )
    return parser.parse_args(argv)


def save(section: str, result: dict[str, Any], info: dict[str, Any]) -> None:
    saved: dict[str, Any] = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            saved = json.loads(RESULTS.read_text())
    saved[section] = {"machine": info, "result": result}
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not PARLEY_BIN.exists():
        log(f"{PARLEY_BIN.relative_to(REPO_ROOT)} not found: run `make install` first")
        return 2
    install_signal_handlers()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = machine_info()
    with Children(SCRATCH / "logs") as children:
        if args.command == "kill9":
            results = run_kill9(args, children)
            report = kill9_table(results)
        else:
            results = run_soak(args, children)
            report = soak_report(results)
    info["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    fixed = args.command == "soak" and args.fixed_reads
    save(args.command + ("-fixed-reads" if fixed else ""), results, info)
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_avg_1m_at_start']}"
        f" at start, {info['load_avg_1m_at_end']} at end"
    )
    print(report)
    log(f"details: {RESULTS.relative_to(REPO_ROOT)}; logs: {SCRATCH.relative_to(REPO_ROOT)}/logs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
