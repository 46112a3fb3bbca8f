"""Console accounts over real HTTP: sessions, CSRF, roles, sites, locks, and the CLI.

Every rule of issue 10's "accounts and safety" has a test here, against the live server on
SQLite and, where the database matters (shared lock counts, sessions), PostgreSQL too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import chdir, closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from parley.cli import main as cli_main
from parley.domain.accounts import Role
from parley.services.moderation import PublishEverything
from parley.services.runtime import migrate_database
from parley.settings import Settings
from parley.storage.factory import normalise_url
from parley.storage.schema import admin_sessions, users
from tests.admin.helpers import (
    ADMIN_API,
    PASSWORD,
    Sites,
    assert_problem,
    create_staff,
    create_user,
    execute,
    make_sites,
    session_of,
    sign_in,
)
from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import axe_violations
from tests.conftest import CHEAP_PASSWORDS, make_settings
from tests.live import LiveServer
from tests.test_cli import parley


def admin_operations(server: LiveServer) -> list[tuple[str, str]]:
    """Every (method, path) of the admin API in the OpenAPI document, path ids set to 1."""
    with server.client() as client:
        schema = client.get("/api/v1/schema/openapi.json").json()
    operations = []
    for path, item in schema["paths"].items():
        if not path.startswith(ADMIN_API + "/"):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method in item:
            if method in {"get", "post", "put", "patch", "delete"}:
                operations.append((method.upper(), concrete))
    return operations


@pytest.fixture
def console(
    start_unmoderated_server: Callable[..., LiveServer], sqlite_url: str
) -> Iterator[tuple[LiveServer, Sites]]:
    """A server with an owner "olga", a moderator "mo" of site a, and "bea" of site b."""
    sites = make_sites(sqlite_url)
    create_staff(sqlite_url)
    yield start_unmoderated_server(), sites


# -- no session --------------------------------------------------------------------------------


def test_every_admin_api_route_answers_401_problem_without_a_session(
    console: tuple[LiveServer, Sites],
) -> None:
    server, _ = console
    operations = admin_operations(server)
    assert ("GET", f"{ADMIN_API}/me") in operations and len(operations) >= 5
    with server.client() as client:
        for method, path in operations:
            if (method, path) == ("POST", f"{ADMIN_API}/session"):
                continue  # signing in is the one thing to do without a session
            answer = client.request(method, path, json={})
            assert_problem(answer, 401, 2004)
        forged = client.get(f"{ADMIN_API}/me", cookies={"parley_admin": "forged-token"})
        assert_problem(forged, 401, 2004)


def test_pages_without_a_session_redirect_to_the_login_form(
    console: tuple[LiveServer, Sites],
) -> None:
    server, _ = console
    with server.client() as client:
        for path in ("/admin/", "/admin/password"):
            answer = client.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/admin/login?next={path}"
        logout = client.post("/admin/logout", data={"csrf_token": "x"})
        assert logout.status_code == 303 and logout.headers["location"].startswith("/admin/login")
        form = client.get("/admin/login")
        assert form.status_code == 200 and 'name="password"' in form.text


# -- signing in ------------------------------------------------------------------------------


def test_signing_in_sets_an_httponly_samesite_session_cookie(
    console: tuple[LiveServer, Sites],
) -> None:
    server, sites = console
    with server.client() as client:
        answer = client.post(f"{ADMIN_API}/session", json={"name": "mo", "password": PASSWORD})
        assert answer.status_code == 200
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("parley_admin=")
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # plain http on loopback
        me = client.get(f"{ADMIN_API}/me").json()
        assert me == {
            "name": "mo",
            "role": "moderator",
            "sites": [{"id": sites.a, "name": "default"}],
            "csrf_token": answer.json()["csrf_token"],
        }
        page = client.get("/admin/")
        assert page.status_code == 200 and "Signed in as <strong>mo</strong>" in page.text


def test_the_cookie_is_secure_when_a_trusted_proxy_says_https(
    start_unmoderated_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    make_sites(sqlite_url)
    create_user(sqlite_url, "olga", Role.OWNER)
    body = {"name": "olga", "password": PASSWORD}
    https = {"X-Forwarded-Proto": "https"}
    trusting = start_unmoderated_server(trusted_proxies=("127.0.0.1",))
    with trusting.client() as client:
        cookie = client.post(f"{ADMIN_API}/session", json=body, headers=https).headers
        assert "Secure" in cookie["set-cookie"]
    untrusting = start_unmoderated_server()
    with untrusting.client() as client:
        cookie = client.post(f"{ADMIN_API}/session", json=body, headers=https).headers
        assert "Secure" not in cookie["set-cookie"]


def test_the_login_form_signs_in_with_its_own_token(console: tuple[LiveServer, Sites]) -> None:
    server, _ = console
    with server.client() as client:
        form = client.get("/admin/login?next=/admin/password")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        fields = {"name": "olga", "password": PASSWORD, "next": "/admin/password"}
        forged = client.post("/admin/login", data={**fields, "csrf_token": "forged"})
        assert forged.status_code == 403 and "parley_admin=" not in forged.headers.get(
            "set-cookie", ""
        )
        wrong = client.post(
            "/admin/login", data={**fields, "password": "wrong password", "csrf_token": token[1]}
        )
        assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', wrong.text)
        assert token is not None
        signed_in = client.post("/admin/login", data={**fields, "csrf_token": token[1]})
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/admin/password"
        assert client.get("/admin/password").status_code == 200
        # An address elsewhere is never a place to go after signing in.
        client.cookies.clear()
        form = client.get("/admin/login?next=//evil.example/")
        assert 'value="/admin/"' in form.text and "evil" not in form.text


def test_a_wrong_password_and_an_unknown_name_answer_alike(
    console: tuple[LiveServer, Sites],
) -> None:
    server, _ = console
    with server.client() as client:
        wrong = client.post(f"{ADMIN_API}/session", json={"name": "mo", "password": "nope" * 3})
        unknown = client.post(f"{ADMIN_API}/session", json={"name": "nobody", "password": "x"})
        for answer in (wrong, unknown):
            assert_problem(answer, 401, 2006)
            assert "set-cookie" not in answer.headers
        assert wrong.json()["detail"] == unknown.json()["detail"]
        as_form = client.post(f"{ADMIN_API}/session", data={"name": "mo", "password": PASSWORD})
        assert as_form.status_code in (400, 415) and "set-cookie" not in as_form.headers


def test_passwords_are_hashed_at_the_production_cost_and_rehashed_at_sign_in(
    start_unmoderated_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    """The tests hash at the cheapest cost; the default is argon2id at RFC 9106's low-memory
    cost, and a password stored at another cost is hashed again at that cost on sign-in."""
    make_sites(sqlite_url)
    create_user(sqlite_url, "mo", Role.MODERATOR, ("default",))
    stored = sa.select(users.c.password_hash).where(users.c.name == "mo")
    assert execute(sqlite_url, stored)[0][0].startswith("$argon2id$v=19$m=64,t=1,p=4$")
    defaults = {name: getattr(Settings(), name) for name in CHEAP_PASSWORDS}
    server = start_unmoderated_server(**defaults)
    with server.client() as client:
        first = client.post(f"{ADMIN_API}/session", json={"name": "mo", "password": PASSWORD})
        assert first.status_code == 200, first.text
    rehashed = execute(sqlite_url, stored)[0][0]
    assert rehashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), rehashed
    with server.client() as client:
        for name, password in (("mo", "wrong password"), ("nobody", PASSWORD)):
            answer = client.post(f"{ADMIN_API}/session", json={"name": name, "password": password})
            assert_problem(answer, 401, 2006)
        again = client.post(f"{ADMIN_API}/session", json={"name": "mo", "password": PASSWORD})
        assert again.status_code == 200, again.text
    assert execute(sqlite_url, stored)[0][0] == rehashed


def test_a_name_locks_after_repeated_failures_across_servers(
    start_unmoderated_server: Callable[..., LiveServer], database_url: str
) -> None:
    """Failures count in the database: two servers (as two workers) share one lock."""
    make_sites(database_url)
    create_user(database_url, "mo", Role.MODERATOR, ("default",))
    create_user(database_url, "olga", Role.OWNER)
    settings = {"database_url": database_url, "admin_login_failures": 3}
    first, second = start_unmoderated_server(**settings), start_unmoderated_server(**settings)
    wrong = {"name": "mo", "password": "wrong password"}
    for server in (first, second, first):
        with server.client() as client:
            assert_problem(client.post(f"{ADMIN_API}/session", json=wrong), 401, 2006)
    right = {"name": "mo", "password": PASSWORD}
    for server in (second, first):
        with server.client() as client:
            locked = client.post(f"{ADMIN_API}/session", json=right)
            assert_problem(locked, 429, 2007)
            assert 1 <= int(locked.headers["retry-after"]) <= 15 * 60
    with second.client() as client:  # another name is not locked
        olga = client.post(f"{ADMIN_API}/session", json={"name": "olga", "password": PASSWORD})
        assert olga.status_code == 200


def test_attempts_sent_at_once_get_no_more_guesses(
    start_unmoderated_server: Callable[..., LiveServer], database_url: str
) -> None:
    """Each attempt is counted before its password is checked: a burst cannot outrun the lock."""
    make_sites(database_url)
    create_user(database_url, "mo", Role.MODERATOR, ("default",))
    server = start_unmoderated_server(database_url=database_url, admin_login_failures=3)
    guesses = [{"name": "mo", "password": f"guess number {n}"} for n in range(10)]

    def attempt(body: dict[str, str]) -> int:
        with server.client() as client:
            return client.post(f"{ADMIN_API}/session", json=body).status_code

    with ThreadPoolExecutor(len(guesses)) as pool:
        answers = list(pool.map(attempt, guesses))
    # At most three were checked; attempts that arrive together may all be refused.
    assert set(answers) <= {401, 429} and answers.count(401) <= 3, answers
    # Refused attempts checked no password, so only three checked failures lock the name.
    with server.client() as client:
        right = client.post(f"{ADMIN_API}/session", json={"name": "mo", "password": PASSWORD})
        assert right.status_code == (429 if answers.count(401) == 3 else 200)


def test_a_success_clears_earlier_failures(start_unmoderated_server: Callable[..., LiveServer],
                                           sqlite_url: str) -> None:  # fmt: skip
    make_sites(sqlite_url)
    create_user(sqlite_url, "mo", Role.MODERATOR, ("default",))
    server = start_unmoderated_server(admin_login_failures=2)
    wrong, right = (
        {"name": "mo", "password": "wrong password"},
        {"name": "mo", "password": PASSWORD},
    )
    with server.client() as client:
        assert client.post(f"{ADMIN_API}/session", json=wrong).status_code == 401
        assert client.post(f"{ADMIN_API}/session", json=right).status_code == 200
        assert client.post(f"{ADMIN_API}/session", json=wrong).status_code == 401
        assert client.post(f"{ADMIN_API}/session", json=right).status_code == 200
        assert client.post(f"{ADMIN_API}/session", json=wrong).status_code == 401
        assert client.post(f"{ADMIN_API}/session", json=wrong).status_code == 401
        assert_problem(client.post(f"{ADMIN_API}/session", json=right), 429, 2007)


def test_one_address_may_try_only_so_many_names(
    start_unmoderated_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    make_sites(sqlite_url)
    create_user(sqlite_url, "olga", Role.OWNER)
    server = start_unmoderated_server(admin_logins_per_address=3)
    with server.client() as client:
        for name in ("ann", "bob", "cy"):
            answer = client.post(f"{ADMIN_API}/session", json={"name": name, "password": "x"})
            assert_problem(answer, 401, 2006)
        olga = client.post(f"{ADMIN_API}/session", json={"name": "olga", "password": PASSWORD})
        assert_problem(olga, 429, 2007)


# -- CSRF --------------------------------------------------------------------------------------


def test_every_state_change_needs_the_csrf_token(console: tuple[LiveServer, Sites]) -> None:
    server, _ = console
    client = sign_in(server, "olga")
    token = client.headers.pop("X-CSRF-Token")
    with closing(client):
        for method, path in admin_operations(server):
            if method == "GET" or (method, path) == ("POST", f"{ADMIN_API}/session"):
                continue
            missing = client.request(method, path, json={})
            assert_problem(missing, 403, 2005)
            wrong = client.request(method, path, json={}, headers={"X-CSRF-Token": token + "x"})
            assert_problem(wrong, 403, 2005)
        # The session still works: a refused change changed nothing.
        assert client.get(f"{ADMIN_API}/me").status_code == 200
        # Pages take the token as a form field.
        refused = client.post("/admin/logout", data={"csrf_token": "wrong"})
        assert refused.status_code == 403 and "text/html" in refused.headers["content-type"]
        assert client.get(f"{ADMIN_API}/me").status_code == 200
        signed_out = client.post("/admin/logout", data={"csrf_token": token})
        assert signed_out.status_code == 303
        assert_problem(client.get(f"{ADMIN_API}/me"), 401, 2004)


# -- roles and sites ----------------------------------------------------------------------------


def test_a_moderator_sees_and_reads_only_their_sites(console: tuple[LiveServer, Sites]) -> None:
    server, sites = console
    with session_of(server, "mo") as mo:
        assert mo.get(f"{ADMIN_API}/sites").json() == [{"id": sites.a, "name": "default"}]
        assert mo.get(f"{ADMIN_API}/sites/{sites.a}").json()["name"] == "default"
        assert_problem(mo.get(f"{ADMIN_API}/sites/{sites.b}"), 403, 2000)
    with session_of(server, "bea") as bea:
        assert bea.get(f"{ADMIN_API}/sites/{sites.b}").json()["origins"] == [
            "https://other.example"
        ]
        assert_problem(bea.get(f"{ADMIN_API}/sites/{sites.a}"), 403, 2000)
    with session_of(server, "olga") as olga:
        listed = olga.get(f"{ADMIN_API}/sites").json()
        assert [s["id"] for s in listed] == [sites.a, sites.b]
        assert olga.get(f"{ADMIN_API}/sites/{sites.b}").status_code == 200
        assert_problem(olga.get(f"{ADMIN_API}/sites/999"), 404, 1004)


def test_only_owners_list_the_accounts(console: tuple[LiveServer, Sites]) -> None:
    server, sites = console
    with session_of(server, "mo") as mo:
        assert_problem(mo.get(f"{ADMIN_API}/users"), 403, 2000)
        assert "Policies" not in mo.get("/admin/").text
    with session_of(server, "olga") as olga:
        users = {u["name"]: u for u in olga.get(f"{ADMIN_API}/users").json()}
        assert set(users) == {"olga", "mo", "bea"}
        assert users["mo"]["role"] == "moderator" and not users["mo"]["disabled"]
        assert users["bea"]["sites"] == [{"id": sites.b, "name": "other"}]
        assert users["olga"]["sites"] == []
        assert "password" not in str(users).lower().replace("password", "", 0)
        assert not any("hash" in key for user in users.values() for key in user)


# -- the session's life -------------------------------------------------------------------------


def test_signing_out_ends_the_session(console: tuple[LiveServer, Sites]) -> None:
    server, _ = console
    client = sign_in(server, "mo")
    stolen = client.cookies["parley_admin"]
    with closing(client):
        answer = client.delete(f"{ADMIN_API}/session")
        assert answer.status_code == 204 and "parley_admin=" in answer.headers["set-cookie"]
    with server.client(cookies={"parley_admin": stolen}) as replay:
        assert_problem(replay.get(f"{ADMIN_API}/me"), 401, 2004)


def test_signing_in_again_replaces_the_old_session(console: tuple[LiveServer, Sites]) -> None:
    server, _ = console
    client = sign_in(server, "mo")
    before = client.cookies["parley_admin"]
    with closing(client):
        again = client.post(f"{ADMIN_API}/session", json={"name": "mo", "password": PASSWORD})
        assert again.status_code == 200
        after = client.cookies["parley_admin"]
        assert after != before
        assert client.get(f"{ADMIN_API}/me").status_code == 200
    with server.client(cookies={"parley_admin": before}) as old:
        assert_problem(old.get(f"{ADMIN_API}/me"), 401, 2004)


def test_changing_the_password_needs_the_old_one_and_ends_other_sessions(
    start_unmoderated_server: Callable[..., LiveServer], database_url: str
) -> None:
    make_sites(database_url)
    create_user(database_url, "mo", Role.MODERATOR, ("default",))
    server = start_unmoderated_server(database_url=database_url)
    here, elsewhere = sign_in(server, "mo"), sign_in(server, "mo")
    new = "a new and longer password"
    with closing(here), closing(elsewhere):
        wrong = here.post(
            f"{ADMIN_API}/password", json={"old_password": "not it at all", "new_password": new}
        )
        assert_problem(wrong, 422, 1002)
        short = here.post(
            f"{ADMIN_API}/password", json={"old_password": PASSWORD, "new_password": "short"}
        )
        assert_problem(short, 422, 1002)
        assert elsewhere.get(f"{ADMIN_API}/me").status_code == 200
        changed = here.post(
            f"{ADMIN_API}/password", json={"old_password": PASSWORD, "new_password": new}
        )
        assert changed.status_code == 204
        assert here.get(f"{ADMIN_API}/me").status_code == 200
        assert_problem(elsewhere.get(f"{ADMIN_API}/me"), 401, 2004)
    with server.client() as client:
        old = client.post(f"{ADMIN_API}/session", json={"name": "mo", "password": PASSWORD})
        assert_problem(old, 401, 2006)
    sign_in(server, "mo", new).close()


def test_the_password_page_changes_the_password(console: tuple[LiveServer, Sites]) -> None:
    server, _ = console
    new = "another long password"
    with session_of(server, "bea") as client:
        token = client.headers["X-CSRF-Token"]
        page = client.get("/admin/password")
        assert page.status_code == 200 and f'value="{token}"' in page.text
        fields = {"csrf_token": token, "old_password": PASSWORD, "new_password": new}
        differ = client.post("/admin/password", data={**fields, "confirm_password": new + "!"})
        assert differ.status_code == 422 and "differ" in differ.text
        changed = client.post("/admin/password", data={**fields, "confirm_password": new})
        assert changed.status_code == 200 and "password is changed" in changed.text
    sign_in(server, "bea", new).close()


def _age_sessions(url: str, **column: datetime) -> None:
    execute(url, admin_sessions.update().values(**column))


def test_a_session_ends_after_its_idle_time_and_its_lifetime(
    start_unmoderated_server: Callable[..., LiveServer], database_url: str
) -> None:
    make_sites(database_url)
    create_user(database_url, "mo", Role.MODERATOR, ("default",))
    server = start_unmoderated_server(
        database_url=database_url, admin_session_idle=600, admin_session_lifetime=3600
    )
    now = datetime.now(UTC)
    with session_of(server, "mo") as client:
        _age_sessions(database_url, last_seen=now - timedelta(seconds=500))
        assert client.get(f"{ADMIN_API}/me").status_code == 200  # touched: idle again from now
        _age_sessions(database_url, last_seen=now - timedelta(seconds=601))
        assert_problem(client.get(f"{ADMIN_API}/me"), 401, 2004)
    with session_of(server, "mo") as client:
        _age_sessions(database_url, expires_at=now - timedelta(seconds=1))
        assert_problem(client.get(f"{ADMIN_API}/me"), 401, 2004)
    with session_of(server, "mo") as client:
        assert client.get(f"{ADMIN_API}/me").status_code == 200


def test_the_database_keeps_no_session_token(console: tuple[LiveServer, Sites],
                                              sqlite_url: str) -> None:  # fmt: skip
    server, _ = console
    with session_of(server, "mo") as client:
        token = client.cookies["parley_admin"]
    database = Path(sa.make_url(normalise_url(sqlite_url)).database or "")
    stored = b"".join(path.read_bytes() for path in database.parent.glob("parley.db*"))
    assert token.encode() not in stored


def test_the_openapi_document_shows_the_session_cookie(console: tuple[LiveServer, Sites]) -> None:
    server, _ = console
    with server.client() as client:
        schema = client.get("/api/v1/schema/openapi.json").json()
    parameters = schema["paths"][f"{ADMIN_API}/me"]["get"]["parameters"]
    assert {"name": "parley_admin", "in": "cookie"}.items() <= parameters[0].items()


# -- the CLI --------------------------------------------------------------------------------------


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def admin_cli(cwd: Path, *args: str, password: str | None = None) -> CliResult:
    """`parley admin ARGS` in `cwd`, the password on stdin (not a terminal), in this process."""

    def invoke() -> CliResult:
        with chdir(cwd):
            result = CliRunner().invoke(
                cli_main, ["admin", *args], input=None if password is None else password + "\n"
            )
        return CliResult(result.exit_code, result.stdout, result.stderr)

    with ThreadPoolExecutor(1) as worker:  # asyncio.run needs a thread without a running loop
        return worker.submit(invoke).result()


def test_the_cli_creates_lists_resets_and_disables_accounts(
    tmp_path: Path, start_unmoderated_server: Callable[..., LiveServer]
) -> None:
    parley("migrate", cwd=tmp_path)
    parley("site", "add", "blog", cwd=tmp_path)
    created = admin_cli(tmp_path, "create-user", "mo", "--role", "moderator", "--site", "blog",
                        password=PASSWORD)  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert (
        admin_cli(tmp_path, "create-user", "olga", "--role", "owner", password=PASSWORD).returncode
        == 0
    )
    short = admin_cli(tmp_path, "create-user", "x", "--role", "owner", password="tooshort")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    no_site = admin_cli(tmp_path, "create-user", "y", "--role", "moderator", password=PASSWORD)
    assert no_site.returncode == 2 and "at least one site" in no_site.stderr
    unknown = admin_cli(tmp_path, "create-user", "z", "--role", "moderator", "--site", "nope",
                        password=PASSWORD)  # fmt: skip
    assert unknown.returncode == 2 and "no site named 'nope'" in unknown.stderr
    twice = admin_cli(tmp_path, "create-user", "mo", "--role", "owner", password=PASSWORD)
    assert twice.returncode == 2 and "exists already" in twice.stderr
    listed = admin_cli(tmp_path, "list-users").stdout.splitlines()
    assert listed == ["mo\tmoderator\tblog\tactive", "olga\towner\t*\tactive"]

    url = f"sqlite:///{tmp_path / 'var' / 'parley.db'}"
    server = start_unmoderated_server(database_url=url)
    mo = sign_in(server, "mo")
    reset = admin_cli(tmp_path, "set-password", "mo", password="a brand new password")
    assert reset.returncode == 0, reset.stderr
    assert_problem(mo.get(f"{ADMIN_API}/me"), 401, 2004)  # signed out everywhere
    mo = sign_in(server, "mo", "a brand new password")
    assert admin_cli(tmp_path, "disable-user", "mo").returncode == 0
    assert_problem(mo.get(f"{ADMIN_API}/me"), 401, 2004)
    with server.client() as client:
        again = client.post(
            f"{ADMIN_API}/session", json={"name": "mo", "password": "a brand new password"}
        )
        assert_problem(again, 401, 2006)
    assert "mo\tmoderator\tblog\tdisabled" in admin_cli(tmp_path, "list-users").stdout
    missing = admin_cli(tmp_path, "disable-user", "nobody")
    assert missing.returncode == 2 and "no user named 'nobody'" in missing.stderr


# -- in Chromium -----------------------------------------------------------------------------------

browser = browser_fixtures.browser
new_page = browser_fixtures.new_page


@pytest.fixture
def browser_console(tmp_path: Path) -> Iterator[LiveServer]:
    """`console` for Chromium: the database is prepared on a worker thread (Playwright's event
    loop owns this one), with the moderator "mo" of the default site."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'browser.db'}"
    with ThreadPoolExecutor(1) as worker:
        worker.submit(migrate_database, make_settings(url)).result()
    make_sites(url)
    create_user(url, "mo", Role.MODERATOR, ("default",))
    server = LiveServer(make_settings(url), PublishEverything()).start()
    yield server
    server.stop()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_moderator_signs_in_and_out_in_a_browser(
    browser_console: LiveServer, new_page: Callable[..., Any], scheme: str
) -> None:
    server = browser_console
    page = new_page(color_scheme=scheme, bypass_csp=True)  # axe-core is injected inline
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else elsewhere.append(r.url))
    page.goto(f"{server.url}/admin/password")
    assert page.url == f"{server.url}/admin/login?next=/admin/password"
    assert axe_violations(page) == []
    page.get_by_label("User name").fill("mo")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong user name or password."
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/admin/password")
    assert "Signed in as mo (moderator)" in page.get_by_role("banner").inner_text()
    browser_fixtures.ARTIFACTS.mkdir(exist_ok=True)  # for a person to look at
    page.screenshot(path=str(browser_fixtures.ARTIFACTS / f"admin-password-{scheme}.png"))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Queues").click()
    page.wait_for_url(f"{server.url}/admin/")
    assert page.get_by_role("link", name="Queues").get_attribute("aria-current") == "page"
    assert page.get_by_role("link", name="Policies").count() == 0  # owners only
    # The keyboard reaches the sign-out button, and its focus is visible.
    button = page.get_by_role("button", name="Sign out")
    button.focus()
    outline = button.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/admin/login")
    page.goto(f"{server.url}/admin/")
    assert page.url.startswith(f"{server.url}/admin/login")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "parley_admin" not in cookies
    assert elsewhere == []
