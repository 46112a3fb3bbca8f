"""What every API request must be before a handler sees it.

- A write carries JSON and says so. A page may send `text/plain`, a form or multipart to any
  origin without asking first (a CORS "simple request"), so accepting those would let any page
  post and vote as its visitors. A DELETE without a body needs no type: browsers always ask
  before a cross-origin DELETE.
- A body is no larger than the largest that could hold a comment of `max_body` characters
  (413), and not nested deeper than the JSON decoder recurses (400, not a crash).
- No text field or query parameter holds a control character (400, naming the field), so
  SQLite and PostgreSQL store the same thing; a comment's body may hold tabs and line breaks.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from parley.domain.text import control_character
from parley.services.articles import MAX_PAGE_ARTICLE
from parley.settings import Settings
from parley.web.errors import (
    CONTROL_CHARACTER,
    MALFORMED_REQUEST,
    NOT_JSON,
    PAYLOAD_TOO_LARGE,
    ProblemException,
)

JSON = "application/json"
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
MULTILINE_FIELDS = frozenset({"body", "article"})
# JSON may spell one character in up to 12 bytes (a surrogate pair of \u escapes), and the
# other fields of a comment (thread, name, email, website, title) take under 4,096 characters,
# its page's text (`article`, a thread's first comment only) at most MAX_PAGE_ARTICLE.
_BYTES_PER_CHARACTER = 12
_OTHER_FIELDS = 4_096 + MAX_PAGE_ARTICLE


def max_request_bytes(settings: Settings) -> int:
    return _BYTES_PER_CHARACTER * (settings.max_body + _OTHER_FIELDS)


async def checked_request(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    for name, value in connection.query_params.multi_items():
        _refuse_control_characters(name, value)
    if isinstance(connection, Request) and connection.method in WRITES:
        await _check_body(connection)


async def _check_body(request: Request[Any, Any, Any]) -> None:
    limit = max_request_bytes(request.app.state.settings)
    too_large = ProblemException(
        PAYLOAD_TOO_LARGE, f"the request body is larger than the {limit} bytes taken here"
    )
    if (request.content_length or 0) > limit:
        raise too_large
    body = await request.body()  # Litestar stops reading at its own, larger limit
    if len(body) > limit:
        raise too_large
    declared = request.headers.get("content-type")
    if _media_type(declared) != JSON:
        if request.method == "DELETE" and declared is None and not body:
            return
        raise ProblemException(
            NOT_JSON, f"send the body as {JSON}, with that Content-Type (got {declared!r})"
        )
    if not body:
        return
    try:
        decoded = msgspec.json.decode(body)
    except RecursionError:
        raise ProblemException(MALFORMED_REQUEST, "the body is nested too deeply") from None
    except msgspec.DecodeError:
        return  # the handler's decoding answers it, as for any malformed body
    if isinstance(decoded, dict):
        for name, value in decoded.items():
            if isinstance(value, str):
                _refuse_control_characters(name, value)


def _media_type(content_type: str | None) -> str | None:
    if content_type is None:
        return None
    return content_type.split(";", 1)[0].strip().lower()


def _refuse_control_characters(field: str, value: str) -> None:
    found = control_character(value, multiline=field in MULTILINE_FIELDS)
    if found is not None:
        raise ProblemException(
            CONTROL_CHARACTER,
            f"{field} holds the control character U+{ord(found):04X}; remove it",
            field=field,
        )
