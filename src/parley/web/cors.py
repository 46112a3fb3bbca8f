"""CORS for the origins of known sites only; anything else gets no CORS headers at all."""

from __future__ import annotations

from collections.abc import Callable

from parley.services.sites import SiteDirectory
from parley.web.asgi import ASGIApp, Message, Receive, Scope, Send

_ALLOW_HEADERS = b"content-type, x-author-token, if-none-match"
_ALLOW_METHODS = b"GET, POST, PATCH, DELETE, OPTIONS"
_EXPOSE_HEADERS = b"etag, retry-after"


def _origin(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"origin":
            return bytes(value)
    return None


def _is_preflight(scope: Scope) -> bool:
    return scope["method"] == "OPTIONS" and any(
        name == b"access-control-request-method" for name, _ in scope["headers"]
    )


def cors_middleware(
    sites: Callable[[], SiteDirectory | None],
) -> Callable[[ASGIApp], ASGIApp]:
    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            origin = _origin(scope) if scope["type"] == "http" else None
            directory = sites() if origin is not None else None
            if origin is None or directory is None or not directory.allows(origin.decode()):
                await app(scope, receive, send)
                return
            cors = [
                (b"access-control-allow-origin", origin),
                (b"vary", b"Origin"),
                (b"access-control-expose-headers", _EXPOSE_HEADERS),
            ]
            if _is_preflight(scope):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [
                            *cors,
                            (b"access-control-allow-methods", _ALLOW_METHODS),
                            (b"access-control-allow-headers", _ALLOW_HEADERS),
                            (b"access-control-max-age", b"600"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return

            async def send_with_cors(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), *cors]}
                await send(message)

            await app(scope, receive, send_with_cors)

        return handle

    return middleware
