"""Reads of a 10,000-comment thread: first page, later pages, and author tokens good and bad.

Issue 9's attack: any X-Author-Token value skipped the read cache, so junk tokens made every
read a read of the whole thread (55 -> 2.9 req/s). This measures, side by side in one run on
one `parley serve --workers 2` (SQLite): the anonymous first page (the cached fast path), the
same with a junk token, with a valid author token (the author's own held comments merged in),
the second page (a cursor), and the largest page the API allows (500 branches, ~the whole
thread), each with wrk at 1 and 8 connections.

    .venv/bin/python bench/read_pages.py [--duration 5] [--comments 10000]
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the script runs as a file, not from a package
    LOOPBACK,
    PARLEY_BIN,
    WORK_DIR,
    Children,
    ensure_apt_packages,
    format_table,
    free_port,
    install_signal_handlers,
    log,
    machine_info,
    run_checked,
    run_wrk,
    sqlite_url,
    start_parley,
    timed,
    write_synthetic_wxr,
)

SITE = "demo"
KEY = "/reviews/ten-thousand-voices/"


def _get(url: str, headers: dict[str, str] | None = None) -> dict[str, object]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as reply:
        return json.loads(reply.read())  # type: ignore[no-any-return]


def _held_author_token(base: str) -> str:
    """Post a comment the default policy holds (a slur, aimed) and keep its author's token."""
    body = json.dumps({"thread": KEY, "body": "You are a fucking faggot and everyone hates you"})
    request = urllib.request.Request(
        f"{base}/api/v1/comments",
        data=body.encode(),
        headers={"Content-Type": "application/json", "Origin": base},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        created = json.loads(reply.read())
        if reply.status != 202:
            log(f"note: the author's comment was not held ({reply.status})")
    return str(created["author_token"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--comments", type=int, default=10_000)
    args = parser.parse_args()
    install_signal_handlers()
    ensure_apt_packages({"wrk": "wrk"})
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    wxr = WORK_DIR / f"thread-{args.comments}.wxr.xml"
    slug = KEY.strip("/").split("/")[-1]
    write_synthetic_wxr(wxr, slug=slug, title="Ten thousand voices", count=args.comments)
    port = free_port()
    base = f"http://{LOOPBACK}:{port}"
    env = {
        "PARLEY_DATABASE_URL": sqlite_url(WORK_DIR / "read-pages.db"),
        "PARLEY_SITE": SITE,
        "PARLEY_ORIGINS": base,
        "PARLEY_RATE_LIMIT": "0",
    }
    with Children(WORK_DIR / "logs") as children:
        with timed("parley migrate + import"):
            run_checked([str(PARLEY_BIN), "migrate"], env=env)
            run_checked(
                [str(PARLEY_BIN), "import", "wordpress", str(wxr), "--site", SITE],
                env=env,
                timeout=900,
            )
        ready = "/api/v1/comments?thread=/"
        start_parley(children, env, "--workers", "2", port=port, ready=ready, timeout=120)
        thread = f"{base}/api/v1/comments?thread={urllib.parse.quote(KEY)}"
        token = _held_author_token(base)
        second = _get(thread)["next"]
        cells = {
            "first page, anonymous": (thread, ""),
            "first page, junk token": (thread, "junk-token"),
            "first page, author token": (thread, token),
            "second page (cursor)": (f"{thread}&after={second}", ""),
            "500 branches (limit=500)": (f"{thread}&limit=500", ""),
        }
        rows = []
        for label, (url, header) in cells.items():
            size = len(json.dumps(_get(url, {"X-Author-Token": header} if header else None)))
            prelude = f'wrk.headers["X-Author-Token"] = "{header}"\n' if header else ""
            figures = []
            for connections in (1, 8):
                run_wrk(url, threads=1, connections=connections, duration=1, prelude=prelude)
                result = run_wrk(
                    url,
                    threads=1 if connections == 1 else 2,
                    connections=connections,
                    duration=args.duration,
                    prelude=prelude,
                )
                figures += [round(result.rps), result.p50_ms, result.p99_ms]
                if result.non_2xx or result.errors:
                    log(f"{label}: {result.non_2xx} non-2xx, {result.errors} errors")
            rows.append([label, f"{size / 1024:,.0f} kB", *figures])
    machine = machine_info()
    print(
        f"\n{args.comments:,}-comment thread, parley serve --workers 2 (SQLite), "
        f"wrk {args.duration:g} s per cell"
    )
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores, "
        f"load {machine['load_avg_1m_at_start']} at the end"
    )
    headers = ["read", "body", "c=1 req/s", "p50 ms", "p99 ms", "c=8 req/s", "p50 ms", "p99 ms"]
    print(format_table(headers, rows))
    anonymous, junk = rows[0][5], rows[1][5]
    print(f"junk token / anonymous at c=8: {junk / anonymous:.2f}x (median of one run each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
