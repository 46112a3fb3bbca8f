"""Live updates: thread changes fanned out through Litestar channels to SSE readers."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import inspect
import logging
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Any

from litestar import Request
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.response import ServerSentEventMessage

from parley.settings import Settings, SettingsError
from parley.web.asgi import ASGIApp, Message, Receive, Scope, Send, plain_scope
from parley.web.context import client_address
from parley.web.errors import RATE_LIMITED, ProblemException

KEEPALIVE_SECONDS = 15.0
# A reader whose connection takes nothing for this long (its buffers are full: it stopped
# reading) loses its stream, and with it its slot and what was queued for it.
SLOW_READER_SECONDS = 30.0
STREAM_RETRY_SECONDS = 30  # the Retry-After of a stream refused for the caps
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
# Sent on a thread's channel when events may have been missed: readers re-read the thread.
RESYNC = b'{"type":"resync"}'
RECONNECT_FIRST_DELAY = 0.1
RECONNECT_MAX_DELAY = 5.0
_log = logging.getLogger("parley.events")


def channel_name(site_id: int, thread_key: str) -> str:
    # Channel names must suit every backend (PostgreSQL wants short identifiers).
    digest = hashlib.blake2b(f"{site_id}:{thread_key}".encode(), digest_size=12).hexdigest()
    return f"parley_{digest}"


def moderators_channel(site_id: int) -> str:
    """The channel of a site's moderator-only events (`queued`, `decided`, `reported`; see
    web/admin/events_api.py). Readers' streams cannot reach it: they subscribe to
    `channel_name` digests only."""
    return f"parley_moderators_{site_id}"


def _backend(settings: Settings) -> ChannelsBackend:
    choice = settings.events_backend
    if choice == "memory":
        return MemoryChannelsBackend()
    if choice == "postgres":
        if not settings.database_url.startswith("postgresql"):
            raise SettingsError("events_backend 'postgres' needs a PostgreSQL database_url")
        return _reconnecting_asyncpg_backend(settings.database_url.replace("+asyncpg", "", 1))
    if choice.startswith(("redis://", "rediss://")):
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        return RedisChannelsPubSubBackend(redis=Redis.from_url(choice))
    raise SettingsError(f"events_backend {choice!r}: use memory, postgres or redis://HOST:PORT/DB")


def _reconnecting_asyncpg_backend(dsn: str) -> ChannelsBackend:
    """Litestar's LISTEN/NOTIFY backend, made to outlive its listening connection.

    When the connection drops (a restart, a killed backend, a failover), it reconnects with
    backoff, listens again on every channel and sends each channel RESYNC, so that readers
    re-read what they may have missed. Subscriptions made while it is away wait for it.
    """
    import asyncpg  # type: ignore[import-untyped]
    from litestar.channels.backends.asyncpg import AsyncPgChannelsBackend

    class ReconnectingAsyncPgBackend(AsyncPgChannelsBackend):
        _reconnecting: asyncio.Task[None] | None = None

        async def on_startup(self) -> None:
            await super().on_startup()
            self._watch(self._listener_conn)

        async def on_shutdown(self) -> None:
            if self._reconnecting is not None:
                self._reconnecting.cancel()
            await super().on_shutdown()

        def _watch(self, conn: asyncpg.Connection) -> None:
            conn.add_termination_listener(self._lost)

        def _lost(self, _: object) -> None:
            if self._queue is None or self._reconnecting is not None:
                return  # shutting down, or already on it
            _log.warning("lost the LISTEN connection; reconnecting")
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

        async def _reconnect(self) -> None:
            delay = RECONNECT_FIRST_DELAY
            while True:
                try:
                    async with self._listener_lock:
                        conn = await self._connect()
                        for channel in self._subscribed_channels:
                            await conn.add_listener(channel, self._listener)
                        self._listener_conn = conn
                        self._watch(conn)
                        self._reconnecting = None
                        for channel in self._subscribed_channels:
                            self._queue.put_nowait((channel, RESYNC))  # type: ignore[union-attr]
                    _log.warning("LISTEN connection restored")
                    return
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                    _log.warning("could not listen again (%s); retrying in %.1f s", error, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECONNECT_MAX_DELAY)

        async def subscribe(self, channels: Iterable[str]) -> None:
            if self._reconnecting is None:
                with contextlib.suppress(asyncpg.InterfaceError, asyncpg.PostgresError, OSError):
                    await super().subscribe(channels)
                    return
            # Away: remember the channels; the reconnection listens on them.
            async with self._listener_lock:
                self._subscribed_channels.update(channels)

        async def unsubscribe(self, channels: Iterable[str]) -> None:
            try:
                await super().unsubscribe(channels)
            except (asyncpg.InterfaceError, asyncpg.PostgresError, OSError):
                async with self._listener_lock:
                    self._subscribed_channels.difference_update(channels)

        async def publish(self, data: bytes, channels: Iterable[str]) -> None:
            # An exception here would end the plugin's publishing task for good.
            try:
                await super().publish(data, channels)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                _log.warning("could not publish an event: %s", error)

    return ReconnectingAsyncPgBackend(dsn=dsn)


def channels_plugin(settings: Settings) -> ChannelsPlugin:
    return ChannelsPlugin(
        backend=_backend(settings),
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=100,
        subscriber_backlog_strategy="dropleft",
    )


class ChannelsEventSink:
    """The services' EventSink on top of the channels plugin."""

    def __init__(self, plugin: ChannelsPlugin) -> None:
        self._plugin = plugin

    def publish(self, site_id: int, thread_key: str, event: dict[str, Any]) -> None:
        self._plugin.publish(event, channel_name(site_id, thread_key))

    def publish_to_moderators(self, site_id: int, event: dict[str, Any]) -> None:
        self._plugin.publish(event, moderators_channel(site_id))


class StreamSlots:
    """How many event streams are open, per address and in all, within the settings' caps."""

    def __init__(self, per_address: int, total: int) -> None:
        self._per_address = per_address
        self._total = total
        self._open: dict[str, int] = {}
        self._open_total = 0

    def take(self, address: str) -> Callable[[], None] | None:
        """A slot's release (calls after the first do nothing), or None when a cap is reached."""
        held = self._open.get(address, 0)
        if held >= self._per_address or self._open_total >= self._total:
            return None
        self._open[address] = held + 1
        self._open_total += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self._open_total -= 1
            left = self._open[address] - 1
            if left:
                self._open[address] = left
            else:
                del self._open[address]

        return release


def when_response_ends(scope: Scope, callback: Callable[[], object]) -> None:
    """Call `callback` (and await what it returns, if awaitable) once the response to this
    request has ended, however it ended.

    Only within `dropping_slow_readers`: when sending fails, the stream's generator is left
    suspended, and its own cleanup would wait for the garbage collector.
    """
    scope[_ON_END].append(callback)


async def thread_events(
    plugin: ChannelsPlugin, site_id: int, thread_key: str
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """One reader's stream: each change as a `change` event, a comment line as keep-alive."""
    received: asyncio.Queue[bytes] = asyncio.Queue(maxsize=100)

    async def forward(subscriber: Any) -> None:
        async for raw in subscriber.iter_events():
            with contextlib.suppress(asyncio.QueueFull):
                received.put_nowait(raw)

    async with plugin.start_subscription(channel_name(site_id, thread_key)) as subscriber:
        forwarder = asyncio.create_task(forward(subscriber))
        try:
            yield ServerSentEventMessage(comment="listening", retry=3000)
            while True:
                try:
                    raw = await asyncio.wait_for(received.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ServerSentEventMessage(comment="keep-alive")
                    continue
                yield ServerSentEventMessage(data=raw.decode(), event="change")
        finally:
            forwarder.cancel()


_ON_END = "parley.on_response_end"


class _SlowReader(Exception):
    pass


# The event streams: the readers' (a thread's changes) and the moderators' (their queues').
STREAM_PATHS = frozenset({"/api/v1/events", "/api/v1/admin/events"})


def dropping_slow_readers(
    app: ASGIApp, paths: frozenset[str] = STREAM_PATHS, seconds: float = SLOW_READER_SECONDS
) -> ASGIApp:
    """End a response on one of `paths` when one of its messages cannot be sent within
    `seconds`."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in paths:
            await app(scope, receive, send)
            return
        timed_out = False
        on_end: list[Callable[[], object]] = []
        scope[_ON_END] = on_end

        async def send_in_time(message: Message) -> None:
            nonlocal timed_out
            try:
                await asyncio.wait_for(send(message), seconds)
            except TimeoutError:
                timed_out = True
                raise _SlowReader from None

        try:
            await app(scope, receive, send_in_time)
        except BaseException:  # from within task groups, perhaps wrapped in a group
            if not timed_out:
                raise
            _log.info("ended an event stream whose reader stopped reading")
        finally:
            for callback in on_end:
                result = callback()
                if inspect.isawaitable(result):
                    await result

    return handle


def hold_stream_slot(request: Request[Any, Any, Any]) -> None:
    """Take one of the caller's and the process's open-stream slots until the response ends;
    429 when either cap is reached (readers' and moderators' streams share them)."""
    release = request.app.state.stream_slots.take(client_address(request) or "unknown")
    if release is None:
        raise ProblemException(
            RATE_LIMITED,
            "too many open event streams, from your address or in all; close one or retry later",
            headers={"Retry-After": str(STREAM_RETRY_SECONDS)},
        )
    when_response_ends(plain_scope(request), release)
