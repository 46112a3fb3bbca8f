"""CORS for browser callers of the scoring API (`comments:analyze`, `comments:suggestscore`,
the discovery document): the origins in the `scoring_origins` setting (`*` for any), and
each API key's own (`parley apikey create --cors-origin`) for the requests made with it.

A preflight names its key only when the key is in the URL (`?key=`); one whose key travels
in `x-goog-api-key` is answered for the origins of any active key, and the request that
follows is readable only from the origins of the key it used.

The API key travels in the URL or `x-goog-api-key`, never in a cookie, so no credentials are
allowed. The sites' own CORS (web/cors.py) does not apply to these paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from urllib.parse import parse_qs

from parley.services.errors import StorageUnavailable
from parley.web.asgi import ASGIApp, Message, Receive, Scope, Send

_PATHS = ("/v1alpha1/comments:", "/$discovery/")
_ALLOW_HEADERS = b"content-type, x-goog-api-key, x-goog-api-client"
_ALLOW_METHODS = b"GET, POST, OPTIONS"
_EXPOSE_HEADERS = b"retry-after"


class KeyOrigins(Protocol):
    """What the middleware needs of the API keys (services.apikeys.ApiKeyService)."""

    async def cors_origins(self, secret: str | None) -> tuple[str, ...]: ...

    async def origins_of_any_key(self) -> frozenset[str]: ...


def scoring_cors(
    origins: tuple[str, ...], keys: Callable[[], KeyOrigins] | None = None
) -> Callable[[ASGIApp], ASGIApp]:
    """`keys`, called per request (the runtime exists only once the app has started), adds
    each key's origins to the setting's."""
    allowed = frozenset(origin.rstrip("/") for origin in origins)
    anyone = "*" in allowed

    async def allows(origin: str, scope: Scope, preflight: bool) -> bool:
        if anyone or origin in allowed:
            return True
        if keys is None:
            return False
        secret = _key_in(scope, header=not preflight)
        try:
            if secret is None and preflight:
                return origin in await keys().origins_of_any_key()
            return origin in await keys().cors_origins(secret)
        except StorageUnavailable:
            return False  # the request itself is answered 503

    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not str(scope["path"]).startswith(_PATHS):
                await app(scope, receive, send)
                return
            origin = next((bytes(v) for k, v in scope["headers"] if k == b"origin"), None)
            # Without the Origin header the sites' CORS leaves these paths alone.
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"origin"]}
            preflight = scope["method"] == "OPTIONS" and any(
                k == b"access-control-request-method" for k, _ in scope["headers"]
            )
            if origin is None or not await allows(origin.decode("latin-1"), scope, preflight):
                await app(scope, receive, send)
                return
            cors = [
                (b"access-control-allow-origin", b"*" if anyone else origin),
                (b"vary", b"Origin"),
                (b"access-control-expose-headers", _EXPOSE_HEADERS),
            ]
            if preflight:
                headers = [
                    *cors,
                    (b"access-control-allow-methods", _ALLOW_METHODS),
                    (b"access-control-allow-headers", _ALLOW_HEADERS),
                    (b"access-control-max-age", b"600"),
                ]
                await send({"type": "http.response.start", "status": 204, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return

            async def send_with_cors(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), *cors]}
                await send(message)

            await app(scope, receive, send_with_cors)

        return handle

    return middleware


def _key_in(scope: Scope, header: bool) -> str | None:
    """The API key as the scoring routes read it: `?key=`, else (`header`) `x-goog-api-key`."""
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    if query.get("key"):
        return query["key"][0]
    if header:
        found = next((bytes(v) for k, v in scope["headers"] if k == b"x-goog-api-key"), None)
        return None if found is None else found.decode("latin-1")
    return None
