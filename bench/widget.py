"""Widget size: Parley's parley.js + parley.css as the server serves them (minified), gzipped,
next to Isso's embed.min.js.

Isso's script comes from its PyPI wheel (downloaded once into bench/.work/). Budget: Parley's
two files together at most 15,000 B gzipped. A reader whose language is not English also fetches
one catalogue from i18n/; those are listed separately.

    python bench/widget.py
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import zipfile
from pathlib import Path

from common import WORK_DIR, format_table, log  # the script runs as a file
from parley.web.routes.widget import widget_files

BUDGET = 15_000
ISSO_SCRIPT = "isso/js/embed.min.js"


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def isso_wheel() -> Path:
    wheels = sorted(WORK_DIR.glob("isso-*.whl"))
    if not wheels:
        log("downloading the Isso wheel into bench/.work/")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "isso", "--no-deps", "--only-binary=:all:",
             "-q", "-d", str(WORK_DIR)],
            check=True,
        )  # fmt: skip
        wheels = sorted(WORK_DIR.glob("isso-*.whl"))
    return wheels[-1]


def main() -> int:
    served = widget_files()
    parley = {name: served[name] for name in ("parley.js", "parley.css")}
    wheel = isso_wheel()
    with zipfile.ZipFile(wheel) as archive:
        isso = archive.read(ISSO_SCRIPT)
    rows: list[list[object]] = [[name, len(data), gzipped(data)] for name, data in parley.items()]
    total = sum(gzipped(data) for data in parley.values())
    rows.append(["Parley total", sum(len(d) for d in parley.values()), total])
    rows.append([f"Isso {wheel.name.split('-')[1]} embed.min.js", len(isso), gzipped(isso)])
    rows += [
        [f"(on demand) {name}", len(data), gzipped(data)]
        for name, data in sorted(served.items())
        if name.startswith("i18n/")
    ]
    print(format_table(["file", "bytes", "gzipped"], rows))
    print(
        f"\nParley {total:,} B gzipped = {total / gzipped(isso):.2f} x Isso's {gzipped(isso):,} B;"
        f" budget {BUDGET:,} B: {'within' if total <= BUDGET else 'OVER'}"
    )
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
