"""Sites from the command line (issue 10, item 9): checked origins, `parley site remove`,
imports that say which site they fill, the README's "Running it" as written, and servers
that take site changes without a restart."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx
from click.testing import CliRunner, Result

from parley.cli import main
from parley.domain.comments import Site
from parley.domain.reports import ReportReason
from parley.services.comments import CommentDraft
from parley.services.moderation import PublishEverything
from parley.services.runtime import Runtime
from tests.conftest import REPO, SEED_WXR, make_settings
from tests.live import LiveServer
from tests.test_cli import exported, parley, parley_serving

BLOG = "https://blog.example"


def sites(cwd: Path, env: dict[str, str] | None = None) -> dict[str, list[str]]:
    listed = parley("site", "list", cwd=cwd, env=env).stdout.splitlines()
    return {
        name: [o for o in origins.split(", ") if o]
        for name, origins in (line.split("\t") for line in listed)
    }


def blog_export(folder: Path) -> Path:
    """The seed thread as the blog at https://blog.example would export it."""
    wxr = folder / "export.xml"
    wxr.write_text(SEED_WXR.read_text().replace("http://localhost:8080", BLOG))
    return wxr


NOT_ORIGINS = [
    "blog.example",
    "ftp://blog.example",
    "https://blog.example/comments/",
    "https://blog.example?page=1",
    "https://blog.example#top",
    "https://user:secret@blog.example",
    "https://blog.example:99999",
    "https://",
    "https://blog example",
    "javascript:alert(1)",
]


def test_site_add_refuses_what_is_no_origin(sqlite_url: str) -> None:
    for origin in NOT_ORIGINS:  # refused before any work is done
        result = cli(sqlite_url, "site", "add", "blog", "--origin", origin)
        assert result.exit_code == 2, origin
        assert "is not an origin" in result.output
        assert isinstance(result.exception, SystemExit)  # a usage error, not a crash
    assert "blog" not in listed_sites(sqlite_url)


def cli(database_url: str, *args: str) -> Result:
    """The `parley` command run in-process (the same code; no interpreter start per call)."""
    return CliRunner().invoke(main, ["--database", database_url, *args])


def listed_sites(database_url: str) -> dict[str, list[str]]:
    listed = cli(database_url, "site", "list").output.splitlines()
    return {
        name: [o for o in origins.split(", ") if o]
        for name, origins in (line.split("\t") for line in listed)
    }


def test_site_add_keeps_origins_as_browsers_send_them(sqlite_url: str) -> None:
    added = cli(
        sqlite_url, "site", "add", "blog", "--origin", "HTTPS://Blog.Example/", "--origin",
        "http://127.0.0.1:4000", "--origin", "http://[::1]:8443",
    )  # fmt: skip
    expected = ["https://blog.example", "http://127.0.0.1:4000", "http://[::1]:8443"]
    assert added.exit_code == 0 and added.output.strip() == f"site blog: {', '.join(expected)}"
    assert listed_sites(sqlite_url)["blog"] == expected
    assert cli(sqlite_url, "site", "add", "blog", "--origin", BLOG).exit_code == 0  # no change
    assert listed_sites(sqlite_url)["blog"] == expected


def test_an_origin_names_one_site(sqlite_url: str) -> None:
    assert cli(sqlite_url, "site", "add", "blog", "--origin", BLOG).exit_code == 0
    taken = cli(sqlite_url, "site", "add", "news", "--origin", "https://BLOG.example")
    assert taken.exit_code == 2
    assert "https://blog.example is an origin of site 'blog' already" in taken.output
    assert "news" not in listed_sites(sqlite_url)
    spaced = cli(sqlite_url, "site", "add", "my blog")
    assert spaced.exit_code == 2 and "is not a site name" in spaced.output


def _fill(database_url: str, site_name: str, thread: str) -> None:
    """A comment in the site's thread, with a vote and a reader's report on it."""

    async def run() -> None:
        runtime = await Runtime.open(make_settings(database_url), PublishEverything())
        try:
            assert runtime.comments and runtime.reports
            site: Site = next(s for s in await runtime.store.list_sites() if s.name == site_name)
            posted = await runtime.comments.post(site, CommentDraft(thread, "Hello."), None, None)
            await runtime.comments.vote(site, posted.comment.id, 1, None)
            reply = CommentDraft(thread, "A reply.", parent_id=posted.comment.id)
            await runtime.comments.post(site, reply, None, None)
            await runtime.reports.report(site, posted.comment.id, ReportReason.SPAM, None)
        finally:
            await runtime.close()

    asyncio.run(run())


def test_site_remove(database_url: str, tmp_path: Path) -> None:
    env = {"PARLEY_DATABASE_URL": database_url}
    parley("site", "add", "empty", "--origin", "https://empty.example", cwd=tmp_path, env=env)
    parley("site", "add", "blog", "--origin", BLOG, cwd=tmp_path, env=env)
    parley(
        "import", "wordpress", str(blog_export(tmp_path)), "--site", "blog", cwd=tmp_path, env=env
    )
    _fill(database_url, "blog", "/reviews/nanking/")
    _fill(database_url, "default", "/kept/")

    removed = parley("site", "remove", "empty", cwd=tmp_path, env=env)
    assert removed.stdout.strip() == "site empty removed, with 0 thread(s) and 0 comment(s)"

    # A site holding threads stays unless --force; nothing of it is touched.
    kept = parley("site", "remove", "blog", cwd=tmp_path, env=env, check=False)
    assert kept.returncode == 1
    assert "site 'blog' holds 1 thread(s) with 15 comment(s)" in kept.stderr
    assert "--force" in kept.stderr and "parley export json --site blog" in kept.stderr
    assert len(exported_site(tmp_path, env, "blog")["threads"][0]["comments"]) == 15

    forced = parley("site", "remove", "blog", "--force", cwd=tmp_path, env=env)
    assert forced.stdout.strip() == "site blog removed, with 1 thread(s) and 15 comment(s)"
    assert set(sites(tmp_path, env)) == {"default"}
    (thread,) = exported(tmp_path, env)["threads"]  # the default site's thread is untouched
    assert thread["key"] == "/kept/" and len(thread["comments"]) == 2

    # Never the default site, even with --force; an unknown site is named.
    default = parley("site", "remove", "default", "--force", cwd=tmp_path, env=env, check=False)
    assert default.returncode == 1 and "is the default site" in default.stderr
    unknown = parley("site", "remove", "blog", cwd=tmp_path, env=env, check=False)
    assert unknown.returncode == 1 and "no site named 'blog'" in unknown.stderr


def exported_site(cwd: Path, env: dict[str, str], site: str) -> dict[str, object]:
    return json.loads(parley("export", "json", "--site", site, cwd=cwd, env=env).stdout)  # type: ignore[no-any-return]


def test_an_import_says_which_site_and_thread_it_fills(tmp_path: Path) -> None:
    parley("migrate", cwd=tmp_path)
    parley("site", "add", "blog", "--origin", BLOG, cwd=tmp_path)
    wxr = str(blog_export(tmp_path))
    first = parley("import", "wordpress", wxr, "--site", "blog", cwd=tmp_path)
    assert "imported 13 comments into site blog (thread /reviews/nanking/)" in first.stdout
    again = parley("import", "wordpress", wxr, "--site", "blog", cwd=tmp_path)
    assert "imported 0 comments into site blog (thread /reviews/nanking/)" in again.stdout
    into_default = parley("import", "wordpress", str(SEED_WXR), cwd=tmp_path)
    assert "imported 13 comments into site default (thread /reviews/nanking/)" in (
        into_default.stdout
    )


def readme_running_it() -> list[list[str]]:
    """The commands of the README's "Running it" block, as argument lists after `parley`."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Running it", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        command = line.split("#", 1)[0].strip()
        if command:
            program, *args = command.split()
            assert program == ".venv/bin/parley", line
            commands.append(args)
    return commands


def test_the_readmes_running_it_works_as_written(tmp_path: Path) -> None:
    """Each command from a fresh SQLite database, in the README's order; `serve` stays up
    for the commands after it, as it would."""
    commands = readme_running_it()
    assert [c[0] for c in commands[:4]] == ["migrate", "site", "import", "serve"]
    blog_export(tmp_path)
    said: list[str] = []
    with ExitStack() as serving:
        for args in commands:
            if args[0] != "serve":
                said.append(parley(*args, cwd=tmp_path).stdout)
                continue
            port = args.index("--port")  # a free one instead
            options = args[1:port] + args[port + 2 :]
            probe = "/api/v1/counts?thread=/"
            url = serving.enter_context(parley_serving(*options, cwd=tmp_path, probe=probe))
            counts = httpx.get(
                f"{url}/api/v1/counts", params={"thread": "/reviews/nanking/"},
                headers={"Origin": BLOG},
            )  # fmt: skip
            # The blog's imported thread is served to the blog's pages (12 public, one held).
            assert counts.json() == {"counts": {"/reviews/nanking/": 12}}
    assert "imported 13 comments into site blog (thread /reviews/nanking/)" in "".join(said)
    backup = json.loads((tmp_path / "backup.json").read_text())
    assert backup["site"] == "blog" and len(backup["threads"][0]["comments"]) == 13
    assert "/reviews/nanking/: locked" in "".join(said)


def wait_for(check: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_running_server_takes_site_changes_without_a_restart(
    start_server: Callable[..., LiveServer], sqlite_url: str, tmp_path: Path
) -> None:
    server = start_server()
    env = {"PARLEY_DATABASE_URL": sqlite_url}
    origin = "https://news.example"

    def post(body: str) -> int:
        return httpx.post(
            f"{server.url}/api/v1/comments",
            json={"thread": "/today/", "body": body},
            headers={"Origin": origin},
        ).status_code

    assert post("Before the site exists.") == 403
    parley("site", "add", "news", "--origin", origin, cwd=tmp_path, env=env)
    assert wait_for(lambda: post("Now it exists.") == 201)

    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"block_terms": ["spoiler"]}))
    parley("site", "policy", "news", str(policy), cwd=tmp_path, env=env)
    assert wait_for(lambda: post("A big spoiler: it ends well.") == 422)
    assert post("No secrets here.") == 201  # default site's policy unchanged meanwhile
    plain = httpx.post(
        f"{server.url}/api/v1/comments", json={"thread": "/today/", "body": "A spoiler, fine."}
    )
    assert plain.status_code == 201

    parley("site", "remove", "news", "--force", cwd=tmp_path, env=env)
    assert wait_for(lambda: post("After it went.") == 403)
