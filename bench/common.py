"""Shared helpers for Parley's benchmarks (standard library only; asyncpg when a bench asks
for a scratch PostgreSQL database).

Everything here targets 127.0.0.1 and is bounded in time: every wait has a deadline,
every child process runs in its own process group and is stopped by `Children` on exit,
error, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import ctypes
import hashlib
import http.cookies
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from xml.sax.saxutils import escape

REPO_ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = REPO_ROOT / "bench" / ".work"
LOOPBACK = "127.0.0.1"
PARLEY_BIN = REPO_ROOT / ".venv" / "bin" / "parley"
PG_ADMIN = os.environ.get("PARLEY_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def log(message: str) -> None:
    """Progress line on stderr, so stdout stays the report."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- signals


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    log(f"received {signal.Signals(signum).name}: stopping child processes")
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """SIGTERM/SIGHUP raise SystemExit and SIGINT KeyboardInterrupt (even when started in the
    background, where SIGINT is inherited as ignored), so cleanup always runs."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_exit)
    signal.signal(signal.SIGINT, signal.default_int_handler)


# --------------------------------------------------------------------------- installs


def find_tool(name: str) -> str | None:
    """`shutil.which`, also looking in the sbin directories a non-login PATH may lack."""
    extra = os.pathsep.join(["/usr/sbin", "/sbin", "/usr/local/sbin"])
    return shutil.which(name) or shutil.which(name, path=extra)


def ensure_apt_packages(tools: Mapping[str, str]) -> None:
    """Install Debian packages for missing tools ({tool: package}); `apt-get update` on failure."""
    missing = sorted({pkg for tool, pkg in tools.items() if find_tool(tool) is None})
    if not missing:
        return
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, "apt-get", "install", "-y", "--no-install-recommends", *missing]
    log(f"installing Debian packages: {' '.join(missing)}")
    if _apt(install, env, check=False) != 0:
        log("apt-get install failed; running apt-get update and retrying")
        _apt([*prefix, "apt-get", "update"], env, check=True)
        _apt(install, env, check=True)
    still = [tool for tool in tools if find_tool(tool) is None]
    if still:
        raise RuntimeError(f"still missing after apt-get install: {', '.join(still)}")


def _apt(argv: list[str], env: dict[str, str], *, check: bool) -> int:
    """Run apt-get with its output on stderr, keeping stdout for the report."""
    return subprocess.run(argv, env=env, timeout=600, stdout=sys.stderr, check=check).returncode


def ensure_venv(venv: Path, requirements: Sequence[str], marker_bins: Sequence[str]) -> None:
    """Create `venv` with `requirements` unless every `marker_bins` entry already exists."""
    if all((venv / "bin" / name).exists() for name in marker_bins):
        return
    log(f"creating virtualenv {venv.relative_to(REPO_ROOT)} with {' '.join(requirements)}")
    venv_cmd = [sys.executable, "-m", "venv", "--clear", str(venv)]
    subprocess.run(venv_cmd, check=True, timeout=300, stdout=sys.stderr)
    pip = [str(venv / "bin" / "pip"), "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, *requirements], check=True, timeout=900, stdout=sys.stderr)


# --------------------------------------------------------------------------- network


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes
    headers: dict[str, str]


def http_get(url: str, timeout: float = 10.0) -> HttpReply:
    """GET `url`; non-2xx statuses are returned, not raised."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpReply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as err:
        return HttpReply(err.code, err.read(), dict(err.headers))


def wait_http_ready(
    url: str, *, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll `url` until it answers 200; fail early if `proc` dies meanwhile."""
    deadline = time.monotonic() + timeout
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} was ready")
        try:
            reply = http_get(url, timeout=2.0)
            if reply.status == 200:
                return
            last_error = f"HTTP {reply.status}"
        except OSError as err:
            last_error = str(err)
        time.sleep(0.1)
    raise TimeoutError(f"{url} not ready after {timeout:.0f}s ({last_error})")


# --------------------------------------------------------------------------- databases


def fresh_sqlite(path: Path) -> Path:
    """`path` with no SQLite file or journal left there."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def sqlite_url(path: Path) -> str:
    """The URL of a fresh SQLite database at `path`."""
    return f"sqlite+aiosqlite:///{fresh_sqlite(path)}"


async def pg_execute(*statements: str) -> None:
    """Runs `statements` on PG_ADMIN's database, outside a transaction."""
    import asyncpg  # type: ignore[import-untyped]  # the project's driver; only when used

    conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def create_scratch_postgres(name: str) -> str:
    """A fresh, empty database `name` on PG_ADMIN's server (dropped first if there): its URL."""
    drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    asyncio.run(pg_execute(drop, f"CREATE DATABASE {name}"))
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop_scratch_postgres(name: str) -> None:
    asyncio.run(pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


# --------------------------------------------------------------------------- processes


def _die_with_parent() -> None:
    """Linux only: ask the kernel to SIGTERM this child if the harness dies (even SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class Children:
    """Context manager owning long-running child processes (servers).

    Each child gets its own session/process group, so stopping it also stops its workers.
    Output goes to `log_dir/NAME.log`.
    """

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self._procs: dict[str, subprocess.Popen[bytes]] = {}

    def __enter__(self) -> Children:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop_all()

    def start(
        self, name: str, argv: Sequence[str], env: Mapping[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        if name in self._procs:
            raise ValueError(f"child {name!r} already running")
        with open(self.log_path(name), "wb") as out:
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                cwd=REPO_ROOT,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # the harness starts no threads
            )
        self._procs[name] = proc
        return proc

    def pid(self, name: str) -> int:
        return self._procs[name].pid

    def assert_running(self, name: str) -> None:
        """Raise, with the end of its log, if the child `name` has exited."""
        proc = self._procs.get(name)
        if proc is not None and proc.poll() is not None:
            tail = self.log_tail(name, 8)
            raise RuntimeError(f"{name} exited ({proc.returncode}) during the run:\n{tail}")

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def log_tail(self, name: str, lines: int = 20) -> str:
        path = self.log_path(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, name: str, grace: float = 5.0) -> None:
        proc = self._procs.pop(name, None)
        if proc is not None:
            _stop_group(proc, grace)

    def stop_all(self) -> None:
        for name in reversed(list(self._procs)):
            self.stop(name)


def start_parley(
    children: Children,
    env: Mapping[str, str],
    *options: str,
    ready: str = "/api/v1/counts?thread=/",
    name: str = "parley",
    timeout: float = 30.0,
    port: int | None = None,
) -> str:
    """`parley serve OPTIONS` on `port` (a free loopback port unless given), started as child
    `name`, once `ready` answers 200: its base URL."""
    port = port or free_port()
    argv = [str(PARLEY_BIN), "serve", "--host", LOOPBACK, "--port", str(port), *options]
    proc = children.start(name, argv, env)
    base = f"http://{LOOPBACK}:{port}"
    wait_http_ready(base + ready, timeout=timeout, proc=proc)
    return base


def admin_cookie(base: str, name: str, password: str) -> str:
    """A Cookie header value of a console session, signed in as `name`."""
    login = urllib.request.Request(
        f"{base}/api/v1/admin/session",
        data=json.dumps({"name": name, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(login, timeout=30) as answer:
        cookie = http.cookies.SimpleCookie(answer.headers["Set-Cookie"])
    return "; ".join(f"{k}={v.value}" for k, v in cookie.items())


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _stop_group(proc: subprocess.Popen[bytes], grace: float) -> None:
    """SIGINT the child's process group (a quick shutdown for gunicorn, nginx and uvicorn
    alike: no waiting for graceful drains), SIGKILL it after `grace` seconds."""
    _signal_group(proc, signal.SIGINT)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=5)
    # Workers may outlive a master that exited first; sweep the group once more.
    _signal_group(proc, signal.SIGKILL)


def run_checked(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    stdin_text: str = "",
) -> str:
    """Run a short command to completion; raise with its output if it fails."""
    result = subprocess.run(
        list(argv),
        input=stdin_text,
        env={**os.environ, **(env or {})},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-3000:]
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}:\n{output}")
    return result.stdout + result.stderr


# --------------------------------------------------------------------------- wrk

_WRK_REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int
    bytes_per_request: float

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _wrk_script(prelude: str = "") -> Path:
    script = prelude + _WRK_REPORT_LUA
    name = f"wrk_report_{hashlib.blake2b(script.encode(), digest_size=6).hexdigest()}.lua"
    path = WORK_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(script)
    return path


def run_wrk(
    url: str,
    *,
    threads: int,
    connections: int,
    duration: float,
    timeout_s: float = 30.0,
    prelude: str = "",
) -> WrkResult:
    """Run wrk against a loopback URL and return its exact figures (via a Lua `done` hook).

    `prelude` is Lua run before the hook, e.g. a `request` function sending POST bodies.
    """
    if not url.startswith(f"http://{LOOPBACK}:"):
        raise ValueError(f"refusing to load anything but {LOOPBACK}: {url}")
    argv = [
        find_tool("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={round(timeout_s)}s",
        "--latency",
        "-s",
        str(_wrk_script(prelude)),
        url,
    ]
    hard_limit = duration + timeout_s + 30
    result = subprocess.run(argv, capture_output=True, text=True, timeout=hard_limit, check=False)
    return parse_wrk_output(result.stdout + result.stderr)


def parse_wrk_output(output: str) -> WrkResult:
    line = next((ln for ln in output.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no report:\n{output[-2000:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1e6
    requests = raw["requests"]
    return WrkResult(
        requests=requests,
        seconds=seconds,
        rps=requests / seconds if seconds else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        non_2xx=raw["status"],
        bytes_per_request=raw["bytes"] / requests if requests else 0.0,
    )


# --------------------------------------------------------------------------- reporting


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Plain-text table; numbers right-aligned."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        all(_is_number(row[i]) for row in rows) if rows else False for i in range(len(headers))
    ]

    def render(row: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([render(cells[0]), rule, *(render(r) for r in cells[1:])])


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def tool_version(argv: Sequence[str]) -> str:
    """First line a `--version`-style command prints (stdout or stderr), or 'unavailable'."""
    try:
        result = subprocess.run(list(argv), capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unavailable"


def machine_info() -> dict[str, str | int | float]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model,
        "cores": os.cpu_count() or 0,
        "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


# --------------------------------------------------------------------------- fixtures

_WORD_TEXT = (
    "film documentary history archive footage interview survivor memory witness city war "
    "courage story director camera scene evidence people truth record years family soldiers "
    "missionaries zone shelter letters diary watched remember powerful important review think "
    "agree disagree context source book reading lecture school taught never forget again "
    "question answer point fair perspective nuance detail moment voice narration music editing"
)
_WORDS = tuple(_WORD_TEXT.split())


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 16))]
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def synthetic_body(rng: random.Random) -> str:
    """A comment body of 100-600 characters, sometimes with two paragraphs."""
    target = rng.randint(115, 599)
    text = ""
    while len(text) < target:
        sep = "\n\n" if text and rng.random() < 0.12 else " "
        text = f"{text}{sep}{_sentence(rng)}" if text else _sentence(rng)
    if len(text) > target:  # cut at a word boundary so *emphasis* stays balanced
        text = text[:target].rsplit(" ", 1)[0].rstrip(".?! \n") + "."
    return text


def _pick_parent(rng: random.Random, depths: list[int], max_depth: int) -> int:
    """0 for top level, else the 1-based id of an earlier comment (recent ones likelier)."""
    if not depths or rng.random() < 0.25:
        return 0
    for _ in range(8):
        back = min(len(depths), int(rng.expovariate(1 / 20)) + 1)
        candidate = len(depths) - back  # 0-based index
        if depths[candidate] < max_depth:
            return candidate + 1
    return 0


def synthetic_tree(count: int, seed: int, max_depth: int = 6) -> list[tuple[int, int]]:
    """[(comment_id, parent_id)] for `count` comments, depths 1..max_depth, deterministic."""
    rng = random.Random(seed)
    depths: list[int] = []
    tree: list[tuple[int, int]] = []
    for comment_id in range(1, count + 1):
        parent = _pick_parent(rng, depths, max_depth)
        depths.append(1 if parent == 0 else depths[parent - 1] + 1)
        tree.append((comment_id, parent))
    return tree


_ID_OFFSET = 100_000


def write_synthetic_wxr(path: Path, *, slug: str, title: str, count: int, seed: int = 1000) -> None:
    """A WordPress WXR 1.2 file with one post at http://localhost:8080/reviews/SLUG/."""
    rng = random.Random(seed + 1)
    base = calendar.timegm((2019, 5, 1, 8, 0, 0, 0, 0, 0))
    items = []
    for n, parent in synthetic_tree(count, seed):
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(base + n * 1800))
        author = f"reader{rng.randint(1, 250)}"
        # Ids well above the seed file's 1..13, in case an importer keys on (site, WXR id).
        comment_id, parent_id = _ID_OFFSET + n, (_ID_OFFSET + parent if parent else 0)
        items.append(_wxr_comment(comment_id, parent_id, author, stamp, synthetic_body(rng)))
    path.write_text(_WXR_HEAD.format(slug=slug, title=escape(title)) + "".join(items) + _WXR_TAIL)


def _wxr_comment(comment_id: int, parent: int, author: str, stamp: str, body: str) -> str:
    return f"""    <wp:comment>
      <wp:comment_id>{comment_id}</wp:comment_id>
      <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
      <wp:comment_author_email></wp:comment_author_email>
      <wp:comment_author_url></wp:comment_author_url>
      <wp:comment_author_IP></wp:comment_author_IP>
      <wp:comment_date>{stamp}</wp:comment_date>
      <wp:comment_date_gmt>{stamp}</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[{body}]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type>comment</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>
"""


_WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Documentary reviews</title>
  <link>http://localhost:8080</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>http://localhost:8080</wp:base_site_url>
  <item>
    <title>{title}</title>
    <link>http://localhost:8080/reviews/{slug}/</link>
    <dc:creator><![CDATA[editor]]></dc:creator>
    <content:encoded><![CDATA[<p>A synthetic review with a long discussion.</p>]]></content:encoded>
    <wp:post_id>1000</wp:post_id>
    <wp:post_date>2019-05-01 08:00:00</wp:post_date>
    <wp:post_name>{slug}</wp:post_name>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
"""

_WXR_TAIL = """  </item>
</channel>
</rss>
"""


@contextlib.contextmanager
def timed(label: str) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        log(f"{label}: {time.monotonic() - start:.1f}s")
