"""The moderators' event stream: `GET /api/v1/admin/events`, Server-Sent Events of the review
queues of the sites the signed-in person moderates (owners: every site).

Each event is a `change` whose data is `{type, id, site, queue}`: `queued` (a comment held or
flagged on a post or an edit, a derailment alert included), `decided` (a decision or its undo;
`queue` is where the comment waits now, or null), `reported` (a comment reaching its site's
report threshold); or `{type: "alert", id, site, branch_root, at_comment}`, a thread-health
alert raised or widened (`id` is the alert's, the other two are comments); or
`{type: "resync"}` when events may have been missed (the events backend reconnected, or this
stream fell behind): re-read the queue. Ids only, never text: the console fetches the item
through the API, which checks access.

The stream is the readers' machinery (`parley.web.events`): a slot per address within the caps,
slow readers dropped, a retry hint, a keep-alive comment. Every RECHECK_SECONDS it looks at the
session again: a session that ended ends the stream, and the sites are those the account
moderates now (an owner's: the sites the server knows now, so a site added later is heard
from within the sites' refresh, `SITES_REFRESH_SECONDS`, plus RECHECK_SECONDS). Each event is
sent only if its site, taken from the channel it came on, is one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from litestar import Request, get
from litestar.channels import ChannelsPlugin, Subscriber
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import ServerSentEvent, ServerSentEventMessage

from parley.domain.accounts import Staff
from parley.services.errors import StorageUnavailable
from parley.web.admin.auth import SessionStaff, accounts, session_token
from parley.web.asgi import plain_scope
from parley.web.context import runtime
from parley.web.events import (
    KEEPALIVE_SECONDS,
    STREAM_HEADERS,
    hold_stream_slot,
    moderators_channel,
    when_response_ends,
)
from parley.web.schemas import ProblemDetail

# How often an open stream looks at its session again (the server's: `admin_events_recheck`).
RECHECK_SECONDS = KEEPALIVE_SECONDS
BACKLOG = 100  # events waiting for a slow connection; past it, a resync replaces them
_CHANGES = frozenset({"queued", "decided", "reported"})
_QUEUES = frozenset({"held", "flagged", "reported"})
_ALERT_IDS = ("id", "branch_root", "at_comment")
RESYNC = {"type": "resync"}

SitesNow = Callable[[], Awaitable[frozenset[int] | None]]


def moderator_payload(raw: bytes, site_id: int) -> dict[str, Any] | None:
    """What a moderator is sent of an event on `site_id`'s channel: its type, comment id,
    site and queue (an alert: its id and its two comments), nothing else; None for anything
    that is neither a queue change nor an alert."""
    try:
        event = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    kind = event.get("type")
    if kind == "resync":
        return RESYNC
    if kind == "alert":
        return _alert_payload(event, site_id)
    comment_id = event.get("id")
    if kind not in _CHANGES or not _is_id(comment_id):
        return None
    queue = event.get("queue", "reported" if kind == "reported" else None)
    return {
        "type": kind,
        "id": comment_id,
        "site": site_id,
        "queue": queue if queue in _QUEUES else None,
    }


def _alert_payload(event: dict[str, Any], site_id: int) -> dict[str, Any] | None:
    ids = {name: event.get(name) for name in _ALERT_IDS}
    if not all(_is_id(value) for value in ids.values()):
        return None
    return {"type": "alert", **ids, "site": site_id}


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


async def moderator_events(
    plugin: ChannelsPlugin,
    sites: frozenset[int],
    sites_now: SitesNow,
    recheck_seconds: float = RECHECK_SECONDS,
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """One moderator's stream over the channels of `sites`; `sites_now` tells, every
    `recheck_seconds`, which sites it may hear of now (None: the session ended)."""
    received: asyncio.Queue[tuple[int, bytes]] = asyncio.Queue(maxsize=BACKLOG)
    listening: dict[int, tuple[Subscriber, asyncio.Task[None]]] = {}
    fell_behind = False

    async def forward(site_id: int, subscriber: Subscriber) -> None:
        nonlocal fell_behind
        async for raw in subscriber.iter_events():
            try:
                received.put_nowait((site_id, raw))
            except asyncio.QueueFull:
                fell_behind = True

    async def listen_to(wanted: frozenset[int]) -> None:
        for site_id in sorted(wanted - listening.keys()):
            subscriber = await plugin.subscribe(moderators_channel(site_id))
            task = asyncio.create_task(forward(site_id, subscriber))
            listening[site_id] = (subscriber, task)
        for site_id in sorted(listening.keys() - wanted):
            await stop(site_id)

    async def stop(site_id: int) -> None:
        subscriber, task = listening.pop(site_id)
        task.cancel()
        await plugin.unsubscribe(subscriber, moderators_channel(site_id))

    try:
        await listen_to(sites)
        yield ServerSentEventMessage(comment="listening", retry=3000)
        loop = asyncio.get_running_loop()
        next_check = loop.time() + recheck_seconds
        resynced = False  # the last event sent was a resync: the next ones add nothing
        while True:
            try:
                site_id, raw = await asyncio.wait_for(received.get(), next_check - loop.time())
            except TimeoutError:
                now = await sites_now()
                if now is None:
                    return
                sites = now
                await listen_to(sites)
                next_check = loop.time() + recheck_seconds
                yield ServerSentEventMessage(comment="keep-alive")
                continue
            payload = moderator_payload(raw, site_id) if site_id in sites else None
            if fell_behind and received.empty():
                fell_behind = False
                payload = RESYNC
            if payload is None or (payload is RESYNC and resynced):
                continue
            resynced = payload is RESYNC
            yield ServerSentEventMessage(data=json.dumps(payload), event="change")
    finally:
        for site_id in list(listening):
            with contextlib.suppress(Exception):  # a backend gone away: nothing to undo
                await stop(site_id)


def moderated_sites(request: Request[Any, Any, Any], staff: Staff) -> frozenset[int]:
    if staff.site_ids is not None:
        return staff.site_ids
    directory = runtime(request).sites
    return frozenset(site.id for site in directory.sites) if directory else frozenset()


@get(
    "/events",
    summary="Server-Sent Events: `change` events ({type, id, site, queue}) as your sites' "
    "review queues change, and ({type: alert, id, site, branch_root, at_comment}) as their "
    "threads derail",
    responses={
        200: ResponseSpec(None, media_type="text/event-stream", description="The stream"),
        401: ResponseSpec(ProblemDetail, description="No valid session"),
        429: ResponseSpec(ProblemDetail, description="Too many open streams"),
    },
)
async def moderator_events_stream(
    request: Request[Any, Any, Any], staff: SessionStaff
) -> ServerSentEvent:
    hold_stream_slot(request)
    token = session_token(request) or ""
    known = moderated_sites(request, staff)

    async def sites_now() -> frozenset[int] | None:
        nonlocal known
        try:
            found = await accounts(request).session(token)
        except StorageUnavailable:
            return known  # the database is away: keep to what was known
        if found is None:
            return None
        known = moderated_sites(request, found.staff)
        return known

    plugin = request.app.plugins.get(ChannelsPlugin)
    recheck = runtime(request).settings.admin_events_recheck
    stream = moderator_events(plugin, known, sites_now, recheck)
    when_response_ends(plain_scope(request), stream.aclose)
    # Subscribed before the answer starts: a client that saw it open has missed nothing since.
    first = await anext(stream)
    return ServerSentEvent(
        _following(first, stream),
        headers=STREAM_HEADERS,
    )


async def _following(
    first: ServerSentEventMessage, rest: AsyncGenerator[ServerSentEventMessage, None]
) -> AsyncGenerator[ServerSentEventMessage, None]:
    yield first
    async for message in rest:
        yield message


EVENTS_API_HANDLERS = [moderator_events_stream]
