"""The console's queue page (`GET /admin/`) with 10,000 held comments, against its JSON API.

Seeds the database as bench/admin_queue.py does (`--held` held comments with stored verdicts,
50 threads, two sites, a few reported; SQLite in bench/.work/console-page.db, and PostgreSQL
in admin_queue.py's scratch database when reachable), starts `parley serve` (one worker)
and, signed in as an owner, times over loopback HTTP each case as the page
(the first page, 50 items rendered by Jinja2, plus the four tab counts) and as the peer, the
JSON API's same first page (`GET /api/v1/admin/queue`), taking turns, each the median of
`--repeat` runs after two warm-up runs. Loopback time is an upper bound on server-side time.
The goal is a page under 300 ms.

    .venv/bin/python bench/console_page.py [--held 10000] [--repeat 15]
                                           [--databases sqlite,postgres]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from admin_queue import (  # the script runs as a file, not from a package
    OWNER,
    PASSWORD,
    arguments,
    seeded,
    server_env,
)
from common import (
    WORK_DIR,
    Children,
    admin_cookie,
    format_table,
    log,
    machine_info,
    start_parley,
    timed,
)

GOAL_MS = 300.0
CASES = [
    ("held, newest", {"queue": "held", "q": "", "order": "newest"}),
    ("held, priority", {"queue": "held", "q": "", "order": "priority"}),
    ("held, label:insult score>0.8", {"queue": "held", "q": "label:insult score>0.8"}),
    ("held, free text", {"queue": "held", "q": "worthless", "order": "newest"}),
    ("all recent", {"queue": "recent", "q": "", "order": "newest"}),
]


def _median_ms(request: urllib.request.Request, repeat: int, check: bytes) -> float:
    def once() -> float:
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = answer.read()
        spent = (time.perf_counter() - began) * 1000
        assert answer.status == 200 and check in body, body[:300]
        return spent

    for _ in range(2):
        once()
    return statistics.median(once() for _ in range(repeat))


def measure(url: str, repeat: int, logs: Path) -> list[list[object]]:
    rows: list[list[object]] = []
    with Children(logs) as children:
        base = start_parley(children, server_env(url))
        header = {"Cookie": admin_cookie(base, OWNER, PASSWORD)}
        for name, params in CASES:
            query = urllib.parse.urlencode(params)
            page = urllib.request.Request(f"{base}/admin/?{query}", headers=header)
            peer = urllib.request.Request(f"{base}/api/v1/admin/queue?{query}", headers=header)
            page_ms = _median_ms(page, repeat, b'class="item"')
            api_ms = _median_ms(peer, repeat, b'"items":[{')
            verdict = "yes" if page_ms < GOAL_MS else "NO"
            rows.append(
                [name, round(page_ms, 1), round(api_ms, 1), round(page_ms / api_ms, 2), verdict]
            )
        children.assert_running("parley")
    return rows


def main() -> None:
    args = arguments(__doc__.split("\n")[0])
    rows: list[list[object]] = []
    for database in args.databases.split(","):
        with seeded(database, "console-page.db", args.held) as url:
            if url is None:
                continue
            with timed(f"{database}: over HTTP"):
                found = measure(url, args.repeat, WORK_DIR / f"console-page-{database}")
            rows += [[database, *row] for row in found]
    log("done")
    print(json.dumps({"machine": machine_info(), "held": args.held, "repeat": args.repeat}))
    header = ["database", "case", "page ms", "API ms (peer)", "x API", f"page < {GOAL_MS:.0f} ms"]
    print(format_table(header, rows))
    (WORK_DIR / "console_page.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
