"""What the console's tests share: accounts and sites made in the database, signed-in clients,
comments posted as a reader would, rows read back, and the problem answers checked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from sqlalchemy.ext.asyncio import create_async_engine

from parley.domain.accounts import Role
from parley.services.accounts import AccountService
from parley.services.moderation import checked_policy
from parley.storage.accounts import open_accounts
from parley.storage.factory import normalise_url, open_store
from tests.conftest import make_settings
from tests.live import LiveServer

PASSWORD = "correct horse battery"
ADMIN_API = "/api/v1/admin"
PROBLEM = "application/problem+json"
THREAD = "/reviews/nanking/"

T = TypeVar("T")
R = TypeVar("R", bound="Room")


@dataclass
class Sites:
    a: int  # "default", the site every test server serves
    b: int  # "other"


def run(coro: Coroutine[Any, Any, T]) -> T:
    """On a worker thread: in a module with browser tests, Playwright's loop owns this one."""
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, coro).result()


def make_sites(url: str, hold_terms: Iterable[str] = ()) -> Sites:
    """Sites "default" and "other"; "default" holds comments with any of `hold_terms`."""

    async def work() -> Sites:
        store = open_store(url)
        try:
            a = await store.ensure_site("default")
            b = await store.ensure_site("other", ["https://other.example"])
            if terms := list(hold_terms):
                await store.set_site_policy("default", checked_policy({"hold_terms": terms}))
            return Sites(a.id, b.id)
        finally:
            await store.close()

    return run(work())


def create_user(url: str, name: str, role: Role, sites: tuple[str, ...] = ()) -> None:
    async def work() -> None:
        store = open_store(url)
        try:
            service = AccountService(open_accounts(store), store, make_settings(url))
            await service.create_user(name, PASSWORD, role, sites)
        finally:
            await store.close()

    run(work())


def create_staff(url: str) -> None:
    """The owner "olga", "mo" who moderates default, and "bea" who moderates other."""
    create_user(url, "olga", Role.OWNER)
    create_user(url, "mo", Role.MODERATOR, ("default",))
    create_user(url, "bea", Role.MODERATOR, ("other",))


def execute(url: str, statement: Any) -> list[Any]:
    """Runs one statement in its own transaction; the rows it returns, if any."""

    async def work() -> list[Any]:
        engine = create_async_engine(normalise_url(url))
        try:
            async with engine.begin() as conn:
                result = await conn.execute(statement)
                return list(result) if result.returns_rows else []
        finally:
            await engine.dispose()

    return run(work())


def rows(url: str, statement: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in execute(url, statement)]


def stored_assessments(url: str, comment_id: int) -> list[dict[str, Any]]:
    """A comment's assessments as the store keeps them, oldest first."""

    async def work() -> list[dict[str, Any]]:
        store = open_store(url)
        try:
            return await store.assessments(comment_id)
        finally:
            await store.close()

    return run(work())


def sign_in(server: LiveServer, name: str, password: str = PASSWORD) -> httpx.Client:
    client = server.client()
    answer = client.post(f"{ADMIN_API}/session", json={"name": name, "password": password})
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


@contextmanager
def session_of(server: LiveServer, name: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    with closing(sign_in(server, name, password)) as client:
        yield client


def assert_problem(answer: httpx.Response, status: int, code: int | None = None) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM), answer.headers
    if code is not None:
        assert answer.json()["code"] == code, answer.json()


def send(
    server: LiveServer,
    body: str,
    thread: str = THREAD,
    *,
    name: str | None = None,
    email: str | None = None,
    parent_id: int | None = None,
    token: str | None = None,
    address: str | None = None,
    origin: str | None = None,
) -> httpx.Response:
    """A comment posted over the public API as a reader would."""
    headers = {}
    if token:
        headers["X-Author-Token"] = token
    if address:
        headers["X-Forwarded-For"] = address
    if origin:
        headers["Origin"] = origin
    sent = {"thread": thread, "body": body, "name": name, "email": email, "parent_id": parent_id}
    return httpx.post(f"{server.url}/api/v1/comments", json=sent, headers=headers)


def posted(answer: httpx.Response, *statuses: int) -> dict[str, Any]:
    """The body of an answer to a post that was taken (201, or 202 when held)."""
    assert answer.status_code in (statuses or (201, 202)), answer.text
    return answer.json()  # type: ignore[no-any-return]


@dataclass
class Room:
    """A live server on its own database, with sites "default" and "other"."""

    server: LiveServer
    url: str
    sites: Sites
    thread: str = THREAD

    @contextmanager
    def client(self, name: str) -> Iterator[httpx.Client]:
        """A signed-in client of the console (with its CSRF header)."""
        with session_of(self.server, name) as client:
            yield client

    def send(self, body: str, thread: str | None = None, **fields: Any) -> httpx.Response:
        """Posted as "ann" unless another name is given."""
        return send(self.server, body, thread or self.thread, **{"name": "ann", **fields})

    def post(self, body: str, **fields: Any) -> dict[str, Any]:
        return posted(self.send(body, **fields))

    def execute(self, statement: Any) -> list[Any]:
        return execute(self.url, statement)


def start_room(
    kind: Callable[..., R],
    database_url: str,
    start_server: Callable[..., LiveServer],
    hold_terms: Iterable[str] = ("spoiler",),
    **settings: Any,
) -> R:
    """The moderated server with sites "default" (holding `hold_terms`) and "other", and the
    staff of `create_staff`."""
    sites = make_sites(database_url, hold_terms)
    create_staff(database_url)
    return kind(start_server(database_url=database_url, **settings), database_url, sites)
