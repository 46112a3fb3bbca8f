"""Read-path benchmark: Parley vs Isso (PyPI) vs nginx static, on loopback.

    .venv/bin/python bench/read_path.py [--duration 10] [--servers parley,isso,nginx]

Loads the seed thread (13 comments) and a synthetic 1,000-comment thread into Parley
(SQLite) and Isso (gunicorn, 2 workers), serves Parley's exact response bytes from nginx
(2 workers) as the practical ceiling, and measures GET with wrk at concurrency 1 and 32.
All servers stay up; they take turns under load, cell by cell. Then POST latency on Parley.
wrk shares the two cores with the server under load.
Results: a table on stdout and bench/.work/read_path.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the script runs as a file, not from a package
    LOOPBACK,
    PARLEY_BIN,
    REPO_ROOT,
    WORK_DIR,
    Children,
    WrkResult,
    ensure_apt_packages,
    ensure_venv,
    find_tool,
    format_table,
    free_port,
    fresh_sqlite,
    http_get,
    install_signal_handlers,
    log,
    machine_info,
    percentile,
    run_checked,
    run_wrk,
    timed,
    tool_version,
    wait_http_ready,
    write_synthetic_wxr,
)

SEED_WXR = REPO_ROOT.parent / "shared" / "fixtures" / "seed-thread.wxr.xml"
PARLEY_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
ISSO_VENV = WORK_DIR / "isso-venv"
ISSO_REQUIREMENTS = ("isso==0.14.0", "gunicorn>=22")
SITE = "demo"
ORIGIN = "http://localhost:8080"
POST_THREAD = "/reviews/bench-post-latency/"
LOADS = ((1, 1), (2, 32))  # (wrk threads, connections)
SERVERS = ("parley", "isso", "nginx")


@dataclass(frozen=True)
class Thread:
    label: str
    key: str
    expected: int
    wxr: Path


THREADS = (
    Thread("seed", "/reviews/nanking/", 13, WORK_DIR / "seed-thread.wxr.xml"),
    Thread("1k", "/reviews/a-thousand-voices/", 1000, WORK_DIR / "thread-1000.wxr.xml"),
)


@dataclass(frozen=True)
class Target:
    """A running server: how to address a thread and count the comments in its answer."""

    name: str
    port: int
    url_for: Callable[[Thread], str]
    count: Callable[[bytes], int]


@dataclass(frozen=True)
class Row:
    server: str
    thread: str
    connections: int
    result: WrkResult  # the median run by requests/s
    runs_rps: tuple[float, ...] = ()  # every run, with --repeat


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    # What nginx serves: Parley's exact bytes (Isso's only when Parley is not run).
    static_bodies: dict[str, bytes] = field(default_factory=dict)
    static_source: Target | None = None
    post: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- set-up


def prepare_tools(servers: Sequence[str]) -> None:
    tools = {"wrk": "wrk"}
    if "nginx" in servers:
        tools["nginx"] = "nginx"
    ensure_apt_packages(tools)
    if "isso" in servers:
        ensure_venv(ISSO_VENV, ISSO_REQUIREMENTS, ("isso", "gunicorn"))


def prepare_fixtures() -> None:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED_WXR, THREADS[0].wxr)
    slug = THREADS[1].key.strip("/").split("/")[-1]
    title = "A thousand voices (synthetic) - documentary review"
    write_synthetic_wxr(THREADS[1].wxr, slug=slug, title=title, count=THREADS[1].expected)


def versions(servers: Sequence[str]) -> dict[str, str]:
    found = {
        "wrk": tool_version([find_tool("wrk") or "wrk", "-v"]),
        "python (harness)": sys.version.split()[0],
    }
    if "nginx" in servers:
        found["nginx"] = tool_version([find_tool("nginx") or "nginx", "-v"])
    if "isso" in servers:
        found["isso"] = tool_version([str(ISSO_VENV / "bin" / "isso"), "--version"])
        found["gunicorn"] = tool_version([str(ISSO_VENV / "bin" / "gunicorn"), "--version"])
    if "parley" in servers:
        code = "import importlib.metadata as m; print('parley', m.version('parley'))"
        found["parley"] = tool_version([str(PARLEY_PYTHON), "-c", code])
    return found


# --------------------------------------------------------------------------- measuring


def verify(target: Target, notes: list[str]) -> dict[str, bytes]:
    """GET each thread once; check the status and the number of comments."""
    bodies = {}
    for thread in THREADS:
        reply = http_get(target.url_for(thread), timeout=60)
        if reply.status != 200:
            raise RuntimeError(
                f"{target.name} {thread.key}: HTTP {reply.status} {reply.body[:300]!r}"
            )
        got = target.count(reply.body)
        if got < thread.expected * 0.9:  # moderation may hold back a few imported comments
            raise RuntimeError(
                f"{target.name} {thread.key}: {got} comments, {thread.expected} expected"
            )
        if got != thread.expected:
            notes.append(
                f"{target.name} shows {got} of the {thread.expected} comments of {thread.key}"
            )
        log(f"{target.name} {thread.key}: {got} comments, {len(reply.body):,} bytes")
        bodies[thread.label] = reply.body
    return bodies


def settle(url: str) -> None:
    """One GET after a load run: a slow server (Isso) keeps answering the requests wrk left
    queued in its backlog; this GET returns once that backlog is drained, so the next run
    starts on an idle server."""
    http_get(url, timeout=300)


def warm_up(targets: Sequence[Target], seconds: float) -> None:
    for target in targets:
        for thread in THREADS:
            url = target.url_for(thread)
            run_wrk(url, threads=2, connections=32, duration=seconds)
            settle(url)


def measure_all(
    children: Children, targets: Sequence[Target], duration: float, repeat: int
) -> list[Row]:
    """Every cell for every server back to back, so that background load drifting over the
    run hits the servers alike and the ratios stay fair; the median of `repeat` rounds."""
    runs: dict[tuple[str, str, int], list[WrkResult]] = {}
    for round_no in range(1, repeat + 1):
        for thread in THREADS:
            for threads, connections in LOADS:
                for target in targets:
                    result = _one_run(children, target, thread, threads, connections, duration)
                    _log_run(target.name, thread.label, connections, result, round_no, repeat)
                    runs.setdefault((target.name, thread.label, connections), []).append(result)
    return [_median_row(key, results) for key, results in runs.items()]


def _one_run(
    children: Children,
    target: Target,
    thread: Thread,
    threads: int,
    connections: int,
    duration: float,
) -> WrkResult:
    children.assert_running(target.name)
    url = target.url_for(thread)
    try:
        result = run_wrk(url, threads=threads, connections=connections, duration=duration)
        settle(url)
    except (RuntimeError, OSError):
        children.assert_running(target.name)  # a clearer message if the server died
        raise
    return result


def _median_row(key: tuple[str, str, int], results: list[WrkResult]) -> Row:
    ordered = sorted(results, key=lambda r: r.rps)
    server, thread, connections = key
    rps = tuple(r.rps for r in results)
    return Row(server, thread, connections, ordered[len(ordered) // 2], rps)


def _log_run(
    server: str, thread: str, connections: int, result: WrkResult, round_no: int, repeat: int
) -> None:
    tag = f" [{round_no}/{repeat}]" if repeat > 1 else ""
    log(
        f"{server:6} {thread:4} c={connections:<2} {result.rps:>10,.1f} req/s "
        f"p50 {result.p50_ms:.2f} ms  p99 {result.p99_ms:.2f} ms{tag}"
    )


# --------------------------------------------------------------------------- Parley


def count_parley(body: bytes) -> int:
    return len(json.loads(body)["comments"])


def start_parley(children: Children, report: Report) -> Target:
    env = {
        "PARLEY_DATABASE_URL": f"sqlite+aiosqlite:///{fresh_sqlite(WORK_DIR / 'parley.db')}",
        "PARLEY_SITE": SITE,  # the site for requests without an Origin header (wrk's)
    }
    with timed("parley migrate + import"):
        run_checked([str(PARLEY_BIN), "migrate"], env=env)
        for thread in THREADS:
            cmd = [str(PARLEY_BIN), "import", "wordpress", str(thread.wxr), "--site", SITE]
            run_checked(cmd, env=env, timeout=600)
    port = free_port()
    serve = [str(PARLEY_BIN), "serve", "--host", LOOPBACK, "--port", str(port), "--workers", "2"]
    proc = children.start("parley", serve, env={**env, "PARLEY_RATE_LIMIT": "0"})
    base = f"http://{LOOPBACK}:{port}"
    try:
        wait_http_ready(f"{base}/api/v1/comments?thread=/", timeout=60, proc=proc)
    except (RuntimeError, TimeoutError):
        log(children.log_tail("parley"))
        raise
    target = Target(
        "parley", port, lambda t: f"{base}/api/v1/comments?thread={t.key}", count_parley
    )
    report.static_bodies, report.static_source = verify(target, report.notes), target
    return target


def _post_body(i: int, parent_id: object) -> bytes:
    body = (
        f"Benchmark comment {i}. Some *Markdown* with a [link](https://example.org/{i}), "
        "a bit of `code` and a list:\n\n- one point\n- another point\n\n"
        "A second paragraph that makes the comment about as long as a real one, which is "
        "usually a few sentences of opinion about the film and the discussion so far."
    )
    payload: dict[str, object] = {"thread": POST_THREAD, "body": body, "name": "Bench"}
    if parent_id is not None:
        payload["parent_id"] = parent_id
    return json.dumps(payload).encode()


def _created_id(raw: bytes) -> object:
    data = json.loads(raw)
    comment = data.get("comment", data) if isinstance(data, dict) else {}
    return comment.get("id") if isinstance(comment, dict) else None


def post_latency(port: int, count: int, warmup: int = 50, budget_s: float = 180) -> dict[str, Any]:
    """Sequential keep-alive POSTs; every 4th is a reply to the previous comment."""
    headers = {"Content-Type": "application/json", "Origin": ORIGIN}
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
    timings: list[float] = []
    failures: dict[int, int] = {}
    last_id: object = None
    deadline = time.monotonic() + budget_s
    try:
        for i in range(warmup + count):
            if time.monotonic() > deadline:
                log(f"POST benchmark stopped at its {budget_s:.0f}s budget after {i} requests")
                break
            parent = last_id if i % 4 == 3 else None
            start = time.perf_counter()
            status, raw = _post_once(conn, _post_body(i, parent), headers)
            elapsed_ms = (time.perf_counter() - start) * 1000
            if status != 201:
                failures[status] = failures.get(status, 0) + 1
                if i == 0:
                    raise RuntimeError(f"POST answered {status}: {raw[:300]!r}")
                continue
            last_id = _created_id(raw)
            if i >= warmup:
                timings.append(elapsed_ms)
    finally:
        conn.close()
    return _post_summary(timings, failures, port)


def _post_once(
    conn: http.client.HTTPConnection, body: bytes, headers: dict[str, str]
) -> tuple[int, bytes]:
    for attempt in range(2):
        try:
            conn.request("POST", "/api/v1/comments", body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        except (http.client.RemoteDisconnected, ConnectionError):
            conn.close()  # the server closed the keep-alive connection; reconnect once
            if attempt:
                raise
    raise AssertionError("unreachable")


def _post_summary(timings: list[float], failures: dict[int, int], port: int) -> dict[str, Any]:
    ordered = sorted(timings)
    tenth = max(1, len(timings) // 10)
    seen = http_get(f"http://{LOOPBACK}:{port}/api/v1/comments?thread={POST_THREAD}")
    visible = count_parley(seen.body) if seen.status == 200 else -1
    summary = {
        "requests": len(ordered),
        "p50_ms": percentile(ordered, 50),
        "p90_ms": percentile(ordered, 90),
        "p99_ms": percentile(ordered, 99),
        "max_ms": ordered[-1] if ordered else float("nan"),
        # Does a write get slower as its thread grows? Median of the first and last tenth.
        "p50_first_tenth_ms": percentile(sorted(timings[:tenth]), 50),
        "p50_last_tenth_ms": percentile(sorted(timings[-tenth:]), 50),
        "failures_by_status": failures,
        "comments_visible_after": visible,
    }
    p50, p99 = summary["p50_ms"], summary["p99_ms"]
    log(f"parley POST x{len(ordered)}: p50 {p50:.2f} ms  p99 {p99:.2f} ms")
    return summary


# --------------------------------------------------------------------------- Isso


def count_isso(body: bytes) -> int:
    def walk(replies: list[dict[str, Any]]) -> int:
        return sum(1 + walk(r.get("replies") or []) for r in replies)

    return walk(json.loads(body)["replies"])


def write_isso_config(port: int, db: Path) -> Path:
    conf = WORK_DIR / "isso.cfg"
    conf.write_text(
        f"[general]\ndbpath = {db}\nhost = {ORIGIN}/\n\n"
        f"[server]\nlisten = http://{LOOPBACK}:{port}/\n\n"
        "[moderation]\nenabled = false\n\n[guard]\nenabled = false\n\n[admin]\nenabled = false\n"
    )
    return conf


def start_isso(children: Children, report: Report) -> Target:
    port = free_port()
    conf = write_isso_config(port, fresh_sqlite(WORK_DIR / "isso.db"))
    isso = str(ISSO_VENV / "bin" / "isso")
    with timed("isso import"):
        for thread in THREADS:
            cmd = [isso, "-c", str(conf), "import", "-t", "wordpress", str(thread.wxr)]
            run_checked(cmd, stdin_text="y\n")  # the second file: "DB is not empty! Continue?"
    gunicorn = [
        str(ISSO_VENV / "bin" / "gunicorn"),
        *("--workers", "2", "--bind", f"{LOOPBACK}:{port}", "--timeout", "120"),
        "isso.run",
    ]
    proc = children.start("isso", gunicorn, env={"ISSO_SETTINGS": str(conf)})
    base = f"http://{LOOPBACK}:{port}"
    target = Target("isso", port, lambda t: f"{base}/?uri={t.key}", count_isso)
    try:
        wait_http_ready(target.url_for(THREADS[0]), timeout=60, proc=proc)
    except (RuntimeError, TimeoutError):
        log(children.log_tail("isso"))
        raise
    bodies = verify(target, report.notes)
    if report.static_source is None:
        report.static_bodies, report.static_source = bodies, target
    return target


# --------------------------------------------------------------------------- nginx


def write_nginx_config(port: int, root: Path) -> Path:
    home = WORK_DIR / "nginx"
    temp = "\n".join(
        f"  {kind}_temp_path {home / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = home / "nginx.conf"
    conf.write_text(
        f"""worker_processes 2;
daemon off;
pid {home / "nginx.pid"};
error_log {home / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types {{ }}
  default_type application/json;
{temp}
  server {{
    listen {LOOPBACK}:{port};
    root {root};
    location / {{ try_files $uri =404; }}
  }}
}}
"""
    )
    return conf


def start_nginx(children: Children, report: Report) -> Target:
    bodies, source = report.static_bodies, report.static_source
    if source is None:
        raise RuntimeError("nginx serves another server's bytes: run it with parley or isso")
    home = WORK_DIR / "nginx"
    root = home / "static"
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    for label, body in bodies.items():
        (root / f"{label}.json").write_bytes(body)
        (root / f"{label}.json").chmod(0o644)
    port = free_port()
    conf = write_nginx_config(port, root)
    nginx = find_tool("nginx") or "nginx"
    argv = [nginx, "-p", str(home), "-e", str(home / "error.log"), "-c", str(conf)]
    proc = children.start("nginx", argv)
    target = Target(
        "nginx", port, lambda t: f"http://{LOOPBACK}:{port}/{t.label}.json", source.count
    )
    if source.name != "parley":
        report.notes.append(f"nginx served {source.name}'s bytes (Parley was not run)")
    wait_http_ready(target.url_for(THREADS[0]), timeout=30, proc=proc)
    served = verify(target, report.notes)
    if served != bodies:
        raise RuntimeError(f"nginx does not serve {source.name}'s exact bytes")
    return target


# --------------------------------------------------------------------------- output


TARGETS = {  # (thread, connections, against): minimum Parley/other ratio from the issue
    ("seed", 32, "isso"): 50.0,
    ("seed", 32, "nginx"): 0.20,
    ("1k", 32, "isso"): 50.0,
}


def find_row(rows: Sequence[Row], server: str, thread: str, connections: int) -> Row | None:
    return next(
        (r for r in rows if (r.server, r.thread, r.connections) == (server, thread, connections)),
        None,
    )


def ratios(rows: Sequence[Row]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for thread in THREADS:
        for _, connections in LOADS:
            parley = find_row(rows, "parley", thread.label, connections)
            for other in ("isso", "nginx"):
                row = find_row(rows, other, thread.label, connections)
                if parley is not None and row is not None:
                    out.append(_ratio(parley, row))
    return [item for item in out if item]


def _ratio(parley: Row, other: Row) -> dict[str, Any]:
    """Median of the per-round ratios: each round's two runs were minutes apart at most, so
    a round's ratio is fairer than the ratio of two medians taken from different rounds."""
    per_round = [p / o for p, o in zip(parley.runs_rps, other.runs_rps, strict=True) if o]
    if not per_round:
        return {}
    ratio = statistics.median(per_round)
    goal = TARGETS.get((parley.thread, parley.connections, other.server))
    return {
        "thread": parley.thread,
        "connections": parley.connections,
        "against": other.server,
        "ratio": ratio,
        "ratio_of_each_round": per_round,
        "target": goal,
        "met": None if goal is None else ratio >= goal,
    }


def results_table(rows: Sequence[Row]) -> str:
    headers = [
        "thread",
        "conns",
        "server",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "non-2xx",
        "kB/resp",
    ]
    ordered = sorted(
        rows, key=lambda r: (r.thread != "seed", r.connections, SERVERS.index(r.server))
    )
    return format_table(
        headers,
        [
            [
                r.thread,
                r.connections,
                r.server,
                r.result.rps,
                r.result.p50_ms,
                r.result.p99_ms,
                r.result.errors,
                r.result.non_2xx,
                r.result.bytes_per_request / 1024,
            ]
            for r in ordered
        ],
    )


def ratio_table(items: Sequence[dict[str, Any]]) -> str:
    def verdict(item: dict[str, Any]) -> str:
        if item["target"] is None:
            return ""
        mark = "met" if item["met"] else "NOT met"
        return f">= {item['target']:g}x: {mark}"

    def rounds(item: dict[str, Any]) -> str:
        each = item["ratio_of_each_round"]
        return ", ".join(f"{r:.2f}" for r in each) if len(each) > 1 else ""

    def row(i: dict[str, Any]) -> list[object]:
        name, value = f"parley/{i['against']}", f"{i['ratio']:.2f}x"
        return [i["thread"], i["connections"], name, value, verdict(i), rounds(i)]

    headers = ["thread", "conns", "ratio", "median", "issue target", "each round"]
    rows = [row(i) for i in items]
    if not any(r[-1] for r in rows):  # one round: no per-round column
        headers, rows = headers[:-1], [r[:-1] for r in rows]
    return format_table(headers, rows)


def post_table(post: dict[str, Any]) -> str:
    p99 = post.get("p99_ms", float("nan"))
    verdict = "met" if p99 < 20 else "NOT met"
    return format_table(
        ["POST", "count", "p50 ms", "p90 ms", "p99 ms", "max ms", "failures", "p99 < 20 ms"],
        [
            [
                "parley",
                post["requests"],
                post["p50_ms"],
                post["p90_ms"],
                p99,
                post["max_ms"],
                sum(post["failures_by_status"].values()),
                verdict,
            ]
        ],
    )


def print_report(info: dict[str, Any], report: Report, ratio_items: list[dict[str, Any]]) -> None:
    seconds = info["duration_s"]
    print(f"\nGET thread: wrk --latency, {seconds:g}s per cell, loopback, wrk on the same cores")
    print(results_table(report.rows))
    if ratio_items:
        print()
        print(ratio_table(ratio_items))
    if report.post:
        print()
        print(post_table(report.post))
    for note in report.notes:
        print(f"note: {note}")
    print(f"load average (1 min) at end: {info['load_avg_1m_at_end']:.2f}")


def print_header(info: dict[str, Any]) -> None:
    machine = info["machine"]
    print(f"machine: {machine['cpu']}, {machine['cores']} cores, Linux {machine['kernel']}")
    load = machine["load_avg_1m_at_start"]
    busy = "  (busy: other work on these cores lowers every figure)" if load > 1.0 else ""
    print(f"load average (1 min) at start: {load:.2f}{busy}")
    for name, version in info["versions"].items():
        print(f"{name}: {version}")


def write_json(
    path: Path, info: dict[str, Any], report: Report, items: list[dict[str, Any]]
) -> None:
    data = {
        **info,
        "threads": {t.label: {"key": t.key, "comments": t.expected} for t in THREADS},
        "get": [
            {
                "server": r.server,
                "thread": r.thread,
                "connections": r.connections,
                **r.result.to_dict(),
                "rps_of_each_round": list(r.runs_rps),
            }
            for r in report.rows
        ],
        "ratios": items,
        "post": report.post,
        "notes": report.notes,
    }
    path.write_text(json.dumps(data, indent=2) + "\n")
    log(f"wrote {path.relative_to(REPO_ROOT)}")


# --------------------------------------------------------------------------- main


STARTERS: dict[str, Callable[[Children, Report], Target]] = {
    "parley": start_parley,
    "isso": start_isso,
    "nginx": start_nginx,  # last: it serves the bytes Parley answered
}


def run_all(children: Children, args: argparse.Namespace, report: Report) -> None:
    """Start every server (all stay up, idle but for the one under load), then measure."""
    targets = []
    for name in args.servers:
        with timed(f"{name} set-up"):
            targets.append(STARTERS[name](children, report))
    if args.warmup > 0:
        with timed("warm-up"):
            warm_up(targets, args.warmup)
    with timed("GET cells"):
        report.rows = measure_all(children, targets, args.duration, args.repeat)
    parley = next((t for t in targets if t.name == "parley"), None)
    if parley is not None and args.posts > 0:
        with timed("POST latency"):
            report.post = post_latency(parley.port, args.posts)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per thread")
    parser.add_argument("--posts", type=int, default=2000, help="sequential POSTs on Parley")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of every cell; the median is reported"
    )
    parser.add_argument(
        "--servers", default=",".join(SERVERS), help="comma-separated subset of parley,isso,nginx"
    )
    parser.add_argument("--json", type=Path, default=WORK_DIR / "read_path.json")
    args = parser.parse_args(argv)
    args.servers = [s for s in SERVERS if s in args.servers.split(",")]
    if (
        not 1 <= args.duration <= 300
        or not 0 <= args.warmup <= 60
        or not 0 <= args.posts <= 100_000
        or not 1 <= args.repeat <= 9
    ):
        parser.error("--duration 1..300, --warmup 0..60, --posts 0..100000, --repeat 1..9")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    install_signal_handlers()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    if "parley" in args.servers and not PARLEY_BIN.exists():
        log(f"{PARLEY_BIN.relative_to(REPO_ROOT)} not found: run `make install` first")
        return 2
    if args.servers == ["nginx"]:
        log("nginx serves Parley's (or Isso's) response bytes: run it with parley or isso")
        return 2
    prepare_tools(args.servers)
    prepare_fixtures()
    info = {
        "machine": machine_info(),
        "versions": versions(args.servers),
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "repeat": args.repeat,
    }
    print_header(info)
    report = Report()
    try:
        with Children(WORK_DIR / "logs") as children:
            run_all(children, args, report)
    except KeyboardInterrupt:
        log("interrupted: child processes stopped")
        return 130
    except (RuntimeError, TimeoutError, OSError) as error:
        log(f"failed: {error}  (server logs: {(WORK_DIR / 'logs').relative_to(REPO_ROOT)}/)")
        return 1
    info["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    ratio_items = ratios(report.rows)
    print_report(info, report, ratio_items)
    write_json(args.json, info, report, ratio_items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
