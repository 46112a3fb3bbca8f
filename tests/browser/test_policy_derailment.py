"""The policy editor's derailment settings in Chromium, against the real server: the steps in
words, the cooldown shown for "slow" only, and a save from the form that keeps what the form
shows (the cooldown, the off-topic thresholds) as the API set it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from parley.domain.accounts import Role
from parley.services.runtime import migrate_database
from tests.admin.helpers import ADMIN_API, Sites, create_user, make_sites
from tests.admin.helpers import sign_in as api_sign_in
from tests.browser.conftest import ARTIFACTS, axe_violations
from tests.browser.test_console import sign_in
from tests.conftest import make_settings
from tests.live import LiveServer

pytestmark = pytest.mark.browser

STEP_NAMES = [
    "Do nothing",
    "Flag new replies",
    "Slow new replies (cooldown)",
    "Hold new replies",
    "Lock the branch",
]


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[LiveServer, Sites]]:
    """A server on its own SQLite file with the owner "olga"; prepared on a worker thread
    (Playwright's event loop owns this one)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'policy.db'}"
    with ThreadPoolExecutor(1) as worker:
        worker.submit(migrate_database, make_settings(url)).result()
        sites = worker.submit(make_sites, url).result()
        worker.submit(create_user, url, "olga", Role.OWNER).result()
    server = LiveServer(make_settings(url)).start()
    yield server, sites
    server.stop()


def policy_of(server: LiveServer, site: int, change: dict[str, Any] | None = None) -> Any:
    """The site's policy as the API reads it (after storing `change`, when given)."""
    with closing(api_sign_in(server, "olga")) as olga:
        url = f"{ADMIN_API}/sites/{site}/policy"
        answer = olga.put(url, json=change) if change else olga.get(url)
        assert answer.status_code == 200, answer.text
        return answer.json()["policy"]


def test_the_derailment_step_and_cooldown_are_edited_and_kept_by_the_form(
    editor: tuple[LiveServer, Sites], new_page: Callable[..., Any]
) -> None:
    server, sites = editor
    set_by_api = {
        "derailment": "flag",
        "derailment_cooldown": 90,
        "thresholds": {"off_topic": {"flag": 0.7, "hold": None, "reject": None}},
    }
    policy_of(server, sites.a, set_by_api)
    page = new_page(1200, bypass_csp=True)  # axe-core is injected inline
    sign_in(page, server, f"/admin/policies/{sites.a}")

    step = page.get_by_label("When a branch derails")
    assert step.locator("option").all_inner_texts() == STEP_NAMES
    assert step.input_value() == "flag"
    cooldown = page.get_by_label("Seconds between replies")
    assert cooldown.is_hidden()
    assert page.get_by_label("off topic: flag threshold").input_value() == "0.7"

    step.select_option(label="Slow new replies (cooldown)")
    assert cooldown.is_visible() and cooldown.input_value() == "90"
    cooldown.fill("120")
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-policy-derailment.png"), full_page=True)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{server.url}/admin/policies/{sites.a}?saved=1#saved")
    saved = policy_of(server, sites.a)
    assert (saved["derailment"], saved["derailment_cooldown"]) == ("slow", 120)
    assert saved["thresholds"]["off_topic"] == set_by_api["thresholds"]["off_topic"]

    # Another step hides the cooldown; saving keeps it for the next time the branch is slowed.
    page.get_by_label("When a branch derails").select_option("hold")
    assert page.get_by_label("Seconds between replies").is_hidden()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{server.url}/admin/policies/{sites.a}?saved=1#saved")
    saved = policy_of(server, sites.a)
    assert (saved["derailment"], saved["derailment_cooldown"]) == ("hold", 120)
    assert saved["thresholds"]["off_topic"]["flag"] == 0.7
