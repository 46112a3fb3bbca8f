"""Plain ASGI types for Parley's own middleware.

Litestar's scope and message types are strict TypedDict unions, written for its own internals;
the middleware around it reads and writes plain mappings, as the ASGI specification has them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, cast

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def plain(app: object) -> ASGIApp:
    """An ASGI application (Litestar's, say) seen through these types."""
    return cast(ASGIApp, app)


def plain_scope(request: Any) -> Scope:
    """A Litestar request's scope, as a plain mapping."""
    return cast(Scope, request.scope)
