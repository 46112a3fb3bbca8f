"""Every error Parley's HTTP API can answer, in one table, as RFC 9457 problem documents.

Codes are stable: clients may switch on them. Add new ones at the end of their hundred.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException

from parley.services.errors import (
    CommentRejected,
    EditWindowClosed,
    InvalidInput,
    MarkupTooComplex,
    NotAllowed,
    NotFound,
    ServiceError,
    StorageUnavailable,
    ThreadLocked,
)
from parley.services.review import ReviewConflict, UndoExpired
from parley.services.sanctions import AuthorRefused, BranchLocked, BranchSlowed

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("parley.web")


class Problem(NamedTuple):
    code: int
    status: int
    slug: str
    title: str


# 1xxx: the request itself is wrong.
MALFORMED_REQUEST = Problem(1000, 400, "malformed-request", "The request body is not valid JSON")
INVALID_INPUT = Problem(1001, 400, "invalid-input", "A field is missing or has the wrong type")
UNPROCESSABLE = Problem(1002, 422, "unprocessable", "The request is well-formed but not acceptable")
NOT_FOUND = Problem(1004, 404, "not-found", "No such resource")
METHOD_NOT_ALLOWED = Problem(1005, 405, "method-not-allowed", "Method not allowed here")
CONTROL_CHARACTER = Problem(
    1006, 400, "control-character", "A text field holds a control character"
)
MARKUP_TOO_COMPLEX = Problem(
    1007, 422, "markup-too-complex", "The text's formatting takes too long to render"
)
PAYLOAD_TOO_LARGE = Problem(1013, 413, "payload-too-large", "The request body is too large")
NOT_JSON = Problem(1015, 415, "unsupported-media-type", "The request body must be JSON")
# 2xxx: the caller may not do this.
NOT_ALLOWED = Problem(2000, 403, "not-allowed", "Not allowed")
EDIT_WINDOW_CLOSED = Problem(2001, 403, "edit-window-closed", "The edit window has closed")
THREAD_LOCKED = Problem(2002, 403, "thread-locked", "The thread is locked")
ORIGIN_NOT_ALLOWED = Problem(2003, 403, "origin-not-allowed", "This origin is not a known site")
NOT_AUTHENTICATED = Problem(2004, 401, "not-authenticated", "Sign in first")
CSRF_FAILED = Problem(2005, 403, "csrf-failed", "The CSRF token is missing or wrong")
LOGIN_FAILED = Problem(2006, 401, "login-failed", "Wrong user name or password")
LOGIN_LOCKED = Problem(2007, 429, "login-locked", "Too many failed sign-ins")
COMMENT_REJECTED = Problem(2010, 422, "comment-rejected", "The comment was not accepted")
RATE_LIMITED = Problem(2029, 429, "rate-limited", "Too many requests")
# 204x: moderators' decisions (web/admin/queue_api.py).
REVIEW_CONFLICT = Problem(
    2040, 409, "review-conflict", "The decision does not apply to the comment as it is"
)
UNDO_EXPIRED = Problem(2041, 410, "undo-expired", "Nothing to undo: the time is over")
# 205x: sanctions and branch rules (services/sanctions.py). A refusal never says which rule.
NOT_ACCEPTED = Problem(2050, 403, "not-accepted", "This cannot be accepted")
BRANCH_LOCKED = Problem(2051, 403, "branch-locked", "This conversation takes no new replies")
BRANCH_SLOWED = Problem(2052, 429, "branch-slowed", "This conversation is slowed down")
# 5xxx: our side failed.
STORAGE_UNAVAILABLE = Problem(5003, 503, "storage-unavailable", "The database is unavailable")
INTERNAL = Problem(5000, 500, "internal", "Internal server error")

TABLE = (
    MALFORMED_REQUEST, INVALID_INPUT, UNPROCESSABLE, NOT_FOUND, METHOD_NOT_ALLOWED,
    CONTROL_CHARACTER, MARKUP_TOO_COMPLEX, PAYLOAD_TOO_LARGE, NOT_JSON,
    NOT_ALLOWED, EDIT_WINDOW_CLOSED, THREAD_LOCKED, ORIGIN_NOT_ALLOWED, COMMENT_REJECTED,
    RATE_LIMITED, STORAGE_UNAVAILABLE, INTERNAL,
    NOT_AUTHENTICATED, CSRF_FAILED, LOGIN_FAILED, LOGIN_LOCKED,
    REVIEW_CONFLICT, UNDO_EXPIRED, NOT_ACCEPTED, BRANCH_LOCKED, BRANCH_SLOWED,
)  # fmt: skip

# The first match wins: subclasses before their bases.
_FOR_SERVICE_ERROR: dict[type[ServiceError], Problem] = {
    MarkupTooComplex: MARKUP_TOO_COMPLEX,
    InvalidInput: UNPROCESSABLE,
    NotFound: NOT_FOUND,
    NotAllowed: NOT_ALLOWED,
    EditWindowClosed: EDIT_WINDOW_CLOSED,
    ThreadLocked: THREAD_LOCKED,
    CommentRejected: COMMENT_REJECTED,
    StorageUnavailable: STORAGE_UNAVAILABLE,
    ReviewConflict: REVIEW_CONFLICT,
    UndoExpired: UNDO_EXPIRED,
    AuthorRefused: NOT_ACCEPTED,
    BranchLocked: BRANCH_LOCKED,
    BranchSlowed: BRANCH_SLOWED,
}
_FOR_STATUS = {
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    413: PAYLOAD_TOO_LARGE,
    415: NOT_JSON,
    429: RATE_LIMITED,
    401: NOT_AUTHENTICATED,
    403: NOT_ALLOWED,
}


class ProblemException(Exception):
    """Raised by the web layer itself (rate limit, origin) to answer with a problem."""

    def __init__(
        self,
        problem: Problem,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.problem = problem
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    problem: Problem,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body = {
        "type": f"https://parley.invalid/problems/{problem.slug}",
        "title": problem.title,
        "status": problem.status,
        "detail": detail,
        "code": problem.code,
        **extra,
    }
    return Response(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def _on_service_error(_: Request[Any, Any, Any], error: ServiceError) -> Response[Any]:
    problem = next(
        (p for kind, p in _FOR_SERVICE_ERROR.items() if isinstance(error, kind)), INTERNAL
    )
    extra: dict[str, Any] = {}
    if isinstance(error, InvalidInput) and error.field:
        extra["field"] = error.field
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, BranchSlowed) else None
    # A rejection's reasons are for moderators (the console shows them): told the rule, a troll
    # learns what to disguise. The author gets the neutral detail alone.
    return problem_response(problem, str(error), headers, **extra)


def _on_problem(_: Request[Any, Any, Any], error: ProblemException) -> Response[Any]:
    return problem_response(error.problem, error.detail, error.headers, **error.extra)


def _on_http(_: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if isinstance(error.__cause__, SerializationException):
        return problem_response(MALFORMED_REQUEST, f"the body is not valid JSON: {error.detail}")
    if isinstance(error, ValidationException):
        return problem_response(INVALID_INPUT, str(error.detail), errors=error.extra or [])
    problem = _FOR_STATUS.get(error.status_code)
    if problem is None:
        problem = INVALID_INPUT if error.status_code < 500 else INTERNAL
    return problem_response(problem, str(error.detail), error.headers)


def _on_unexpected(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    _log.error("unhandled error", exc_info=error)
    return problem_response(INTERNAL, "an unexpected error happened; it has been logged")


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    ServiceError: _on_service_error,
    ProblemException: _on_problem,
    HTTPException: _on_http,
    Exception: _on_unexpected,
}
