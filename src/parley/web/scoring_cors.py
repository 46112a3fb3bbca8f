"""CORS for browser callers of the scoring API (`comments:analyze`, `comments:suggestscore`,
the discovery document): the origins in the `scoring_origins` setting, `*` for any.

The API key travels in the URL or `x-goog-api-key`, never in a cookie, so no credentials are
allowed. The sites' own CORS (web/cors.py) does not apply to these paths.
"""

from __future__ import annotations

from collections.abc import Callable

from parley.web.asgi import ASGIApp, Message, Receive, Scope, Send

_PATHS = ("/v1alpha1/comments:", "/$discovery/")
_ALLOW_HEADERS = b"content-type, x-goog-api-key, x-goog-api-client"
_ALLOW_METHODS = b"GET, POST, OPTIONS"
_EXPOSE_HEADERS = b"retry-after"


def scoring_cors(origins: tuple[str, ...]) -> Callable[[ASGIApp], ASGIApp]:
    allowed = frozenset(origin.rstrip("/") for origin in origins)
    anyone = "*" in allowed

    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not str(scope["path"]).startswith(_PATHS):
                await app(scope, receive, send)
                return
            origin = next((bytes(v) for k, v in scope["headers"] if k == b"origin"), None)
            # Without the Origin header the sites' CORS leaves these paths alone.
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"origin"]}
            if origin is None or not (anyone or origin.decode("latin-1") in allowed):
                await app(scope, receive, send)
                return
            cors = [
                (b"access-control-allow-origin", b"*" if anyone else origin),
                (b"vary", b"Origin"),
                (b"access-control-expose-headers", _EXPOSE_HEADERS),
            ]
            preflight = any(k == b"access-control-request-method" for k, _ in scope["headers"])
            if scope["method"] == "OPTIONS" and preflight:
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
