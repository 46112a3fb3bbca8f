"""The composition root: one Litestar application from one Settings object."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from parley import __version__
from parley.services.errors import ServiceError
from parley.services.moderation import Moderator
from parley.services.runtime import Runtime
from parley.services.sites import SITES_REFRESH_SECONDS
from parley.settings import Settings, ensure_secret, load_settings
from parley.web.admin.routers import admin_api_router, admin_pages_router, admin_static_router
from parley.web.asgi import ASGIApp, plain
from parley.web.cache import ThreadCache
from parley.web.context import trusted_networks
from parley.web.cors import cors_middleware
from parley.web.errors import EXCEPTION_HANDLERS
from parley.web.events import (
    ChannelsEventSink,
    StreamSlots,
    channels_plugin,
    dropping_slow_readers,
)
from parley.web.fastpath import cached_threads
from parley.web.routes.author import author_router
from parley.web.routes.pages import pages_router
from parley.web.routes.perspective import perspective_router
from parley.web.routes.public import public_router
from parley.web.routes.widget import widget_router
from parley.web.scoring_cors import scoring_cors

USAGE_FLUSH_SECONDS = 5.0
NETWORK_TAG_PURGE_SECONDS = 3600.0
_log = logging.getLogger("parley.web")


def create_app(
    settings: Settings, moderator: Moderator | None = None, scoring_only: bool = False
) -> ASGIApp:
    """The whole server, or with `scoring_only` just the Perspective-compatible API.

    Outside in: CORS for the sites' origins, cached anonymous thread reads, Litestar.
    """
    state = State(
        {
            "settings": settings,
            "thread_cache": ThreadCache(settings.read_cache_mb << 19),  # half the read budget
            "stream_slots": StreamSlots(settings.max_streams_per_ip, settings.max_streams),
            "trusted_proxies": trusted_networks(settings),
        }
    )

    channels = channels_plugin(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        runtime = await Runtime.open(
            settings, moderator, ChannelsEventSink(channels), scoring_only=scoring_only
        )
        app.state.runtime = runtime
        tasks = [asyncio.create_task(_flush_usage_every(runtime, USAGE_FLUSH_SECONDS))]
        if not scoring_only:
            purge = _purge_network_tags_every(runtime, NETWORK_TAG_PURGE_SECONDS)
            tasks.append(asyncio.create_task(purge))
            tasks.append(asyncio.create_task(_refresh_sites_every(runtime, SITES_REFRESH_SECONDS)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await runtime.close()

    widget = widget_router()  # minifies parley.js and parley.css once, now
    routers: list[Router] = [perspective_router]
    if not scoring_only:
        routers += [public_router, author_router, widget]
        routers += [admin_api_router, admin_pages_router, admin_static_router]
    if settings.demo_pages and not scoring_only:
        routers.append(pages_router)
    litestar = Litestar(
        route_handlers=routers,
        state=state,
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        plugins=[channels],
        openapi_config=OpenAPIConfig(
            title="Parley",
            version=__version__,
            description="Comments with moderation that runs on the site owner's machine.",
            path="/api/v1/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        debug=settings.debug,
    )
    served = (
        plain(litestar)
        if scoring_only
        else cached_threads(plain(litestar), lambda: state.runtime, state.thread_cache)
    )
    with_cors = scoring_cors(settings.scoring_origins, lambda: state.runtime.api_keys)(
        cors_middleware(lambda: state.runtime.sites)(served)
    )
    return dropping_slow_readers(with_cors, seconds=settings.slow_reader_timeout)


async def _flush_usage_every(runtime: Runtime, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        await runtime.api_keys.flush_usage()


async def _purge_network_tags_every(runtime: Runtime, seconds: float) -> None:
    """Keep network tags no longer than their retention, from start-up on."""
    assert runtime.comments is not None
    while True:
        try:
            await runtime.comments.forget_old_network_tags()
        except ServiceError as error:
            _log.warning("could not forget old network tags: %s", error)
        await asyncio.sleep(seconds)


async def _refresh_sites_every(runtime: Runtime, seconds: float) -> None:
    """Sites, origins and policies changed by `parley site ...` apply without a restart."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await runtime.refresh_sites()
        except Exception as error:  # a database hiccup must not end the loop for good
            _log.warning("could not re-read the sites (keeping the ones known): %r", error)


def app_from_environment() -> ASGIApp:
    """Factory for server workers: settings from parley.toml and PARLEY_* variables."""
    return create_app(ensure_secret(load_settings()))


def scoring_app_from_environment() -> ASGIApp:
    """Factory for `parley serve --scoring-only` workers."""
    return create_app(ensure_secret(load_settings()), scoring_only=True)
