"""Debian's Chromium driven by Playwright against the real server, seeded with the demo thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from parley.services.importing import import_wordpress
from parley.services.runtime import Runtime, migrate_database
from parley.settings import Settings
from tests.conftest import REPO, SEED_WXR, make_settings, require
from tests.live import LiveServer, free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
THREAD = "/reviews/nanking/"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per module; Playwright's event loop must be gone before other tests run."""
    require(
        find_spec("playwright") is not None,
        "Playwright is not installed (pip install -e '.[test]')",
    )
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


async def _import_seed(settings: Settings) -> None:
    runtime = await Runtime.open(settings)
    try:
        await import_wordpress(runtime.store, settings.site, SEED_WXR, max_name=settings.max_name)
    finally:
        await runtime.close()


def _seed_database(settings: Settings) -> None:
    migrate_database(settings)
    asyncio.run(_import_seed(settings))


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """The real app on a fresh SQLite file with the seed thread imported (as `make demo` does).

    Its own origin may write, as the demo's does. The database is prepared on a worker thread:
    Playwright's event loop owns this one.
    """
    servers: list[LiveServer] = []

    def start(**overrides: object) -> LiveServer:
        port = free_port()
        database = f"sqlite+aiosqlite:///{tmp_path / f'parley-{len(servers)}.db'}"
        origins = (f"http://127.0.0.1:{port}",)
        settings = make_settings(database, origins=origins, **{"demo_pages": True, **overrides})
        with ThreadPoolExecutor(1) as worker:
            worker.submit(_seed_database, settings).result()
        server = LiveServer(settings, port=port).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Pages in fresh browser contexts (each its own localStorage, so its own author)."""
    contexts: list[Any] = []

    def open_page(width: int = 900, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str, full_page: bool = False) -> None:
    """What the reader sees now (or the whole page), saved for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"), full_page=full_page)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core findings on the page, shadow roots included."""
    require(AXE.exists(), f"{AXE} is missing (npm ci)")
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]
