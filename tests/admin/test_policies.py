"""The policy editor over real HTTP: who may read and save, the what-if on the site's stored
verdicts, validation naming the field, saving that applies without a restart (in a second
server on the same database too), the audit entry; on SQLite and PostgreSQL. And in Chromium.

Comments are posted through the public API and judged by the shipped engine; what a changed
policy should decide is worked out here from the scores the engine stored, never hard-coded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from parley.domain.accounts import Role
from parley.domain.moderation import Action
from parley.moderation.policy import Policy
from parley.services.moderation import checked_policy as stored_policy
from parley.services.policies import what_if
from parley.services.runtime import migrate_database
from parley.storage.factory import open_store
from parley.storage.insights import AssessedComment
from parley.storage.schema import assessments
from tests.admin.helpers import (
    ADMIN_API,
    Room,
    Sites,
    assert_problem,
    create_user,
    make_sites,
    rows,
    send,
    session_of,
    start_room,
)
from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import ARTIFACTS, axe_violations
from tests.conftest import make_settings
from tests.live import LiveServer

THREAD = "/reviews/policy/"
INSULT = "Shut up, you stupid worthless idiot."
INSULT_2 = "You are a complete idiot and a moron."
KIND = "Great documentary, thanks for sharing."
KIND_2 = "I watched it twice; the archive footage is remarkable."
LINKS = "Sources: https://a.example/1 https://b.example/2 and www.c.example/3"
CSRF_FAILED, NOT_ALLOWED, NOT_AUTHENTICATED, UNPROCESSABLE = 2005, 2000, 2004, 1002


@dataclass
class Console(Room):
    thread: str = THREAD

    def policy_url(self, site_id: int | None = None) -> str:
        return f"{ADMIN_API}/sites/{site_id or self.sites.a}/policy"

    def stored(self) -> dict[int, dict[str, Any]]:
        """Every comment's latest stored assessment, by comment id."""
        found = rows(self.url, sa.select(assessments).order_by(assessments.c.id))
        return {row["comment_id"]: row for row in found}


@pytest.fixture
def console(database_url: str, start_server: Callable[..., LiveServer]) -> Console:
    """The moderated server with sites "default" and "other"; the owner "olga", "mo" who
    moderates default, and "bea" who moderates other."""
    return start_room(Console, database_url, start_server, hold_terms=())


def current(client: httpx.Client, console: Console) -> dict[str, Any]:
    answer = client.get(console.policy_url())
    assert answer.status_code == 200, answer.text
    return answer.json()["policy"]  # type: ignore[no-any-return]


def ask(client: httpx.Client, console: Console, policy: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(f"{console.policy_url()}/what-if", json=policy)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


# -- who may ---------------------------------------------------------------------------------


def test_anonymous_callers_get_401_on_every_policy_route(console: Console) -> None:
    with console.server.client() as anonymous:
        assert_problem(anonymous.get(console.policy_url()), 401, NOT_AUTHENTICATED)
        for method in ("POST", "PUT"):
            url = console.policy_url() + ("/what-if" if method == "POST" else "")
            assert_problem(anonymous.request(method, url, json={}), 401, NOT_AUTHENTICATED)
        page = anonymous.get("/admin/policies/1")
        assert page.status_code == 303 and "/admin/login" in page.headers["location"]


def test_moderators_read_their_sites_policies_and_only_owners_save(console: Console) -> None:
    edit = {"hold_terms": ["spoiler"]}
    with session_of(console.server, "bea") as bea:  # moderates "other" only
        assert_problem(bea.get(console.policy_url()), 403, NOT_ALLOWED)
        assert_problem(bea.post(console.policy_url() + "/what-if", json=edit), 403, NOT_ALLOWED)
        assert_problem(bea.put(console.policy_url(), json=edit), 403, NOT_ALLOWED)
        assert bea.get(console.policy_url(console.sites.b)).json()["editable"] is False
        assert bea.get(f"/admin/policies/{console.sites.a}").status_code == 403
    with session_of(console.server, "mo") as mo:
        seen = mo.get(console.policy_url()).json()
        assert seen["editable"] is False and seen["policy"] == Policy().to_dict()
        assert mo.post(console.policy_url() + "/what-if", json=edit).status_code == 200
        assert_problem(mo.put(console.policy_url(), json=edit), 403, NOT_ALLOWED)
        page = mo.get(f"/admin/policies/{console.sites.a}")
        assert page.status_code == 200 and "only an owner may change it" in page.text
        assert 'value="save"' not in page.text
        form = {"csrf_token": mo.headers["X-CSRF-Token"], "intent": "save", "hold_terms": "x"}
        assert mo.post(f"/admin/policies/{console.sites.a}", data=form).status_code == 403
    with session_of(console.server, "olga") as olga:
        assert current(olga, console)["hold_terms"] == []  # nobody saved anything
        assert_problem(olga.get(console.policy_url(999)), 404)
        without_csrf = olga.headers.pop("X-CSRF-Token")
        assert_problem(olga.put(console.policy_url(), json=edit), 403, CSRF_FAILED)
        assert_problem(olga.post(console.policy_url() + "/what-if", json=edit), 403, CSRF_FAILED)
        olga.headers["X-CSRF-Token"] = without_csrf
        saved = olga.put(console.policy_url(), json=edit)
        assert saved.status_code == 200, saved.text
        assert saved.json()["editable"] is True
        assert current(olga, console)["hold_terms"] == ["spoiler"]


WRONG_FIELDS = [
    ({"thresholds": {"insult": {"hold": "high"}}}, "thresholds.insult.hold"),
    ({"thresholds": {"insult": {"reject": 1.5}}}, "thresholds.insult.reject"),
    ({"thresholds": {"insult": {"flag": 0.95, "hold": 0.9}}}, "thresholds.insult.flag"),
    ({"thresholds": {"rudeness": {"flag": 0.5}}}, "thresholds.rudeness"),
    ({"thresholds": {"insult": {"maybe": 0.5}}}, "thresholds.insult.maybe"),
    ({"thresholds": []}, "thresholds"),
    ({"block_patterns": ["(unclosed"]}, "block_patterns"),
    ({"hold_terms": "spoiler"}, "hold_terms"),
    ({"hold_terms": ["   "]}, "hold_terms"),
    ({"max_links": -1}, "max_links"),
    ({"max_links": 2.5}, "max_links"),
    ({"derailment": "reject"}, "derailment"),
    ({"hold_first_time": "yes"}, "hold_first_time"),
    ({"report_threshold": 0}, "report_threshold"),
    ({"colour": "blue"}, "colour"),
]


def test_a_wrong_field_is_422_naming_it_and_nothing_is_saved(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    sites = make_sites(sqlite_url)
    create_user(sqlite_url, "olga", Role.OWNER)
    server = start_server(database_url=sqlite_url)
    url = f"{ADMIN_API}/sites/{sites.a}/policy"
    with session_of(server, "olga") as olga:
        for body, field in WRONG_FIELDS:
            for answer in (olga.put(url, json=body), olga.post(f"{url}/what-if", json=body)):
                assert_problem(answer, 422, UNPROCESSABLE)
                assert answer.json()["field"] == field, (body, answer.json())
        assert olga.get(url).json()["policy"] == Policy().to_dict()


# -- the what-if -----------------------------------------------------------------------------


def test_the_what_if_recounts_the_stored_verdicts_when_a_threshold_changes(
    console: Console,
) -> None:
    for body in (INSULT, INSULT_2, KIND, KIND_2, INSULT, KIND):
        console.post(body)
    stored = console.stored()
    with session_of(console.server, "olga") as olga:
        policy = current(olga, console)
        same = ask(olga, console, policy)
        recorded = {a.value: 0 for a in Action}
        for assessment in stored.values():
            recorded[assessment["action"]] += 1
        assert same["compared"] == len(stored) == 6
        assert same["recorded"] == recorded == same["before"] == same["after"]
        assert same["changed"] == []

        # Reject at the lowest insult score any held comment has: exactly the comments scoring
        # at least that must turn to reject (reject is the strictest step).
        insult = {i: a["scores"]["insult"] for i, a in stored.items()}
        cut = min(insult[i] for i, a in stored.items() if a["action"] == "hold")
        policy["thresholds"]["insult"]["reject"] = cut
        edited = ask(olga, console, policy)
        turned = {i for i, score in insult.items() if score >= cut}
        assert turned and {c["comment_id"] for c in edited["changed"]} == turned
        was_held = {i for i in turned if stored[i]["action"] == "hold"}
        assert edited["after"]["reject"] == same["before"]["reject"] + len(turned)
        assert edited["after"]["hold"] == same["before"]["hold"] - len(was_held)
        for change in edited["changed"]:
            assert change["old"] == stored[change["comment_id"]]["action"]
            assert change["new"] == "reject"
            top = change["new_reasons"][0]
            assert (top["label"], top["action"], top["threshold"]) == ("insult", "reject", cut)
        assert [c["comment_id"] for c in edited["changed"]] == sorted(turned, reverse=True)
        assert current(olga, console)["thresholds"]["insult"]["reject"] is None  # not saved


def test_the_what_if_runs_the_lists_links_and_first_time_rule_on_the_stored_text(
    console: Console,
) -> None:
    first = console.post(KIND)
    token = first["author_token"]
    second = console.post(KIND_2, token=token)  # the same author, no longer a newcomer
    links = console.post(LINKS)
    assert {first["held"], second["held"], links["held"]} == {False}
    ids = {name: c["comment"]["id"] for name, c in (("kind", first), ("kind_2", second),
                                                      ("links", links))}  # fmt: skip
    with session_of(console.server, "olga") as olga:
        policy = current(olga, console)

        def changed(edit: dict[str, Any]) -> dict[int, dict[str, Any]]:
            found = ask(olga, console, {**policy, **edit})
            return {c["comment_id"]: c for c in found["changed"]}

        words = changed({"hold_terms": ["documentary"]})
        assert set(words) == {ids["kind"]}
        assert words[ids["kind"]]["new"] == "hold"
        assert "'documentary'" in words[ids["kind"]]["new_reasons"][0]["message"]
        assert set(changed({"allow_terms": ["documentary"], "hold_terms": ["documentary"]})) == (
            set()
        )

        linked = changed({"max_links": 2})
        assert set(linked) == {ids["links"]}
        assert linked[ids["links"]]["new_reasons"][0]["rule"] == "max_links"
        assert changed({"max_links": 3}) == {}

        newcomers = changed({"hold_first_time": True})
        assert set(newcomers) == {ids["kind"], ids["links"]}  # kind_2's author had one public
        assert {r["rule"] for r in newcomers[ids["kind"]]["new_reasons"]} >= {"first_time"}


def test_a_derailment_alert_does_what_the_edited_policy_says() -> None:
    """Re-deciding a stored verdict that carried an alert (no model is run: pure rules)."""
    alert: dict[str, Any] = {
        "action": "flag",
        "message": "derailing: drifted off the article and heating up",
        "label": None,
        "score": None,
        "threshold": None,
        "rule": "thread_health",
        "spans": [],
    }
    comment = AssessedComment(
        comment_id=7,
        thread_key="/t/",
        created_at=datetime.now(UTC),
        body_md="Whatever, this thread is about football now.",
        status="flagged",
        first_time=False,
        action="flag",
        scores=dict.fromkeys(Policy().thresholds, 0.01),
        reasons=[alert],
        language="en",
        model_version="test",
    )
    for step in ("publish", "flag", "hold"):
        edited = Policy.from_dict({"derailment": step})
        _, before, after, changes = what_if(Policy(), edited, [comment])
        assert before["flag"] == 1 and after[step] == 1
        assert [c.new.value for c in changes] == ([] if step == "flag" else [step])
        if changes:
            assert changes[0].new_reasons[-1].message == alert["message"]


# -- saving ----------------------------------------------------------------------------------


def test_a_saved_threshold_judges_the_next_post_in_every_server_and_is_audited(
    console: Console, start_server: Callable[..., LiveServer]
) -> None:
    second = start_server(database_url=console.url)  # another worker on the same database
    held = console.post(INSULT)
    assert held["held"] is True
    score = console.stored()[held["comment"]["id"]]["scores"]["insult"]
    with session_of(console.server, "olga") as olga:
        before = current(olga, console)
        policy = {**before, "thresholds": {**before["thresholds"]}}
        policy["thresholds"]["insult"] = {**before["thresholds"]["insult"], "reject": score}
        policy["max_links"] = 2
        saved = olga.put(console.policy_url(), json=policy)
        assert saved.status_code == 200, saved.text
        assert saved.json()["policy"]["thresholds"]["insult"]["reject"] == score
        # The server that saved it judges the very next post by it.
        rejected = console.send(INSULT)
        assert_problem(rejected, 422, 2010)
        assert "reasons" not in rejected.json()  # the author is not told the rule ...
        rejection = max(console.stored().values(), key=lambda a: a["id"])
        assert rejection["action"] == "reject"  # ... the moderators are
        assert any(r.get("label") == "insult" for r in rejection["reasons"])
        assert console.post(LINKS)["held"] is True  # three links, two allowed
        assert console.post(KIND)["held"] is False
        # The other one re-reads the sites every couple of seconds: wait for it.
        deadline = time.monotonic() + 30
        while send(second, INSULT, THREAD, name="ann").status_code != 422:
            assert time.monotonic() < deadline, "the second server never took the policy"
            time.sleep(0.2)
        entries = olga.get(f"{ADMIN_API}/audit", params={"action": "site.policy"}).json()
        (entry,) = entries["entries"]
        assert entry["site_id"] == console.sites.a and entry["target"] == f"site:{console.sites.a}"
        assert entry["user_id"] is not None
        assert entry["before"] == Policy().to_dict() == before
        assert entry["after"]["thresholds"]["insult"]["reject"] == score
        # Saving the same policy again changes nothing and writes no entry.
        assert olga.put(console.policy_url(), json=policy).status_code == 200
        again = olga.get(f"{ADMIN_API}/audit", params={"action": "site.policy"}).json()
        assert len(again["entries"]) == 1


def test_a_policy_stored_elsewhere_reads_back_complete(console: Console) -> None:
    async def save() -> None:
        store = open_store(console.url)
        try:
            await store.set_site_policy("default", stored_policy({"max_links": 1}))
        finally:
            await store.close()

    asyncio.run(save())
    with session_of(console.server, "olga") as olga:
        assert current(olga, console) == {**Policy().to_dict(), "max_links": 1}


# -- the form, without JavaScript ------------------------------------------------------------


def test_the_form_asks_what_if_and_saves(console: Console) -> None:
    console.post(KIND)
    with session_of(console.server, "olga") as olga:
        page = olga.get(f"/admin/policies/{console.sites.a}")
        assert page.status_code == 200
        assert 'name="thresholds.insult.hold" value="0.9"' in page.text
        form = {
            "csrf_token": olga.headers["X-CSRF-Token"],
            "thresholds.insult.flag": "0.55",
            "thresholds.insult.hold": "0.9",
            "hold_terms": "documentary\n\n",
            "report_threshold": "3",
            "derailment": "flag",
            "unsupported_language": "flag",
            "hold_identity_slurs": "on",
        }
        asked = olga.post(f"/admin/policies/{console.sites.a}", data={**form, "intent": "what-if"})
        assert asked.status_code == 200
        assert 'data-verdict="hold"' in asked.text and "would get another verdict" in asked.text
        assert current(olga, console)["hold_terms"] == []
        wrong = olga.post(
            f"/admin/policies/{console.sites.a}",
            data={**form, "thresholds.insult.hold": "lots", "intent": "save"},
        )
        assert wrong.status_code == 422 and "thresholds.insult.hold" in wrong.text
        assert 'name="thresholds.insult.hold" value="lots" aria-label' in wrong.text
        saved = olga.post(f"/admin/policies/{console.sites.a}", data={**form, "intent": "save"})
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/admin/policies/{console.sites.a}?saved=1#saved"
        stored = current(olga, console)
        assert stored["hold_terms"] == ["documentary"]
        # Steps left empty in the form are off: the form is the whole policy.
        assert stored["thresholds"]["toxicity"] == {"flag": None, "hold": None, "reject": None}


# -- in Chromium -----------------------------------------------------------------------------

browser = browser_fixtures.browser
new_page = browser_fixtures.new_page


@pytest.fixture
def browser_console(tmp_path: Path) -> Iterator[tuple[LiveServer, Sites]]:
    """The moderated server on SQLite for Chromium, a few comments posted, the owner "olga".
    The database is prepared on a worker thread: Playwright's event loop owns this one."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'browser.db'}"
    with ThreadPoolExecutor(1) as worker:
        worker.submit(migrate_database, make_settings(url)).result()
        sites = worker.submit(make_sites, url).result()
        worker.submit(create_user, url, "olga", Role.OWNER).result()
        worker.submit(create_user, url, "mo", Role.MODERATOR, ("default",)).result()
    server = LiveServer(make_settings(url)).start()
    for body in (INSULT, INSULT_2, KIND, KIND_2, LINKS):
        httpx.post(f"{server.url}/api/v1/comments", json={"thread": THREAD, "body": body})
    yield server, sites
    server.stop()


@pytest.mark.browser
def test_an_owner_edits_a_threshold_sees_what_changes_and_saves(
    browser_console: tuple[LiveServer, Sites], new_page: Callable[..., Any]
) -> None:
    server, sites = browser_console
    page = new_page(width=1200, bypass_csp=True)  # axe-core is injected inline
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else elsewhere.append(r.url))
    page.goto(f"{server.url}/admin/policies")
    page.get_by_label("User name").fill("olga")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/admin/policies")
    assert axe_violations(page) == []
    page.get_by_role("link", name="default").click()
    page.wait_for_url(f"{server.url}/admin/policies/{sites.a}")
    assert page.get_by_role("group", name="Thresholds per label").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="What would change?").click()
    counts = page.get_by_role("table", name="Verdicts per kind")
    counts.wait_for()

    def after(verdict: str) -> int:
        return int(counts.locator(f"tr[data-verdict={verdict}] td[data-after]").inner_text())

    held_before = after("hold")
    assert held_before >= 2 and page.locator("[data-changed]").inner_text() == "0"

    hold = page.get_by_label("insult: hold threshold")
    hold.fill("0")
    page.get_by_label("insult: flag threshold").fill("0")
    page.get_by_role("button", name="What would change?").click()
    page.wait_for_function("document.querySelector('[data-changed]').textContent !== '0'")
    assert after("hold") > held_before
    assert page.get_by_role("table", name="Comments whose verdict would change").is_visible()
    assert page.get_by_label("insult: hold threshold").input_value() == "0"  # kept
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-policy-what-if.png"), full_page=True)

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{server.url}/admin/policies/{sites.a}?saved=1#saved")
    assert "Saved." in page.get_by_role("status").inner_text()
    assert page.get_by_label("insult: hold threshold").input_value() == "0"
    answer = httpx.post(f"{server.url}/api/v1/comments", json={"thread": THREAD, "body": KIND})
    assert answer.status_code in (201, 202)
    assert elsewhere == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_overview_page_passes_axe(
    browser_console: tuple[LiveServer, Sites], new_page: Callable[..., Any], scheme: str
) -> None:
    server, _ = browser_console
    page = new_page(width=1200, color_scheme=scheme, bypass_csp=True)
    page.goto(f"{server.url}/admin/overview")
    page.get_by_label("User name").fill("mo")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/admin/overview")
    chart = page.get_by_role("img", name="Comments posted per day on all your sites, by outcome")
    assert chart.is_visible()
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-overview-{scheme}.png"), full_page=True)
