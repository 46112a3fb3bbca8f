"""Live updates: thread changes fanned out through Litestar channels to SSE readers."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from typing import Any

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.response import ServerSentEventMessage

from parley.settings import Settings, SettingsError

KEEPALIVE_SECONDS = 15.0


def channel_name(site_id: int, thread_key: str) -> str:
    # Channel names must suit every backend (PostgreSQL wants short identifiers).
    digest = hashlib.blake2b(f"{site_id}:{thread_key}".encode(), digest_size=12).hexdigest()
    return f"parley_{digest}"


def _backend(settings: Settings) -> ChannelsBackend:
    choice = settings.events_backend
    if choice == "memory":
        return MemoryChannelsBackend()
    if choice == "postgres":
        from litestar.channels.backends.asyncpg import AsyncPgChannelsBackend

        if not settings.database_url.startswith("postgresql"):
            raise SettingsError("events_backend 'postgres' needs a PostgreSQL database_url")
        return AsyncPgChannelsBackend(dsn=settings.database_url.replace("+asyncpg", "", 1))
    if choice.startswith(("redis://", "rediss://")):
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        return RedisChannelsPubSubBackend(redis=Redis.from_url(choice))
    raise SettingsError(f"events_backend {choice!r}: use memory, postgres or redis://HOST:PORT/DB")


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


async def thread_events(
    plugin: ChannelsPlugin, site_id: int, thread_key: str
) -> AsyncIterator[ServerSentEventMessage]:
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
