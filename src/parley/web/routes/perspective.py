"""Perspective API's wire format (commentanalyzer v1alpha1), a thin adapter over scoring.

Sites that called Google's Perspective API switch by changing its base URL to Parley's.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import HeaderParameter, QueryParameter

from parley.domain.scoring import ApiKey
from parley.services.apikeys import InvalidKey, MissingKey, QuotaExceeded
from parley.services.errors import InvalidInput, ServiceError, StorageUnavailable
from parley.services.perspective import (
    AnalyzeRequest,
    AnalyzeResult,
    LanguageNotSupported,
    PerspectiveError,
    SuggestedScore,
    SuggestRequest,
)
from parley.web.context import runtime
from parley.web.discovery import discovery_document

_CAMEL_PART = re.compile(r"_([a-z])")
_log = logging.getLogger("parley.web.perspective")
# The proto3 enums' zero values mean "not set": the default.
_TEXT_TYPES = {"PLAIN_TEXT": False, "HTML": True, "TEXT_TYPE_UNSPECIFIED": False}
_SCORE_TYPES = (None, "PROBABILITY", "SCORE_TYPE_UNSPECIFIED")
T = TypeVar("T")


class TextEntry(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    text: str = ""
    type: str = "PLAIN_TEXT"


class AttributeParameters(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    score_type: str | None = None
    score_threshold: float | None = None


class ContextEntries(msgspec.Struct, rename="camel"):
    entries: list[TextEntry] = []


class AnalyzeBody(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    comment: TextEntry
    requested_attributes: dict[str, AttributeParameters] = {}
    languages: list[str] = []
    do_not_store: bool = False
    span_annotations: bool = False
    client_token: str | None = None
    session_id: str | None = None
    community_id: str | None = None
    context: ContextEntries | None = None
    drop_unsupported_attributes: bool = False


class SummaryScore(msgspec.Struct):
    value: float = 0.0  # proto3: an unset value is zero
    type: str = "PROBABILITY"


class SuggestSpan(msgspec.Struct):
    begin: int | None = None
    end: int | None = None
    score: SummaryScore | None = None


class SuggestAttribute(msgspec.Struct, rename="camel"):
    summary_score: SummaryScore | None = None
    span_scores: list[SuggestSpan] = []


class SuggestBody(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    comment: TextEntry
    attribute_scores: dict[str, SuggestAttribute] = {}
    languages: list[str] = []
    do_not_store: bool = False
    client_token: str | None = None
    session_id: str | None = None
    community_id: str | None = None
    context: ContextEntries | None = None


def _camel(data: Any) -> Any:
    """Google's JSON parsers take proto field names (snake_case) as well as lowerCamelCase."""
    if isinstance(data, dict):
        return {
            (_CAMEL_PART.sub(lambda m: m.group(1).upper(), k) if k.islower() else k): _camel(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_camel(item) for item in data]
    return data


def _decode(raw: bytes, kind: type[T]) -> T:
    try:
        return msgspec.convert(_camel(msgspec.json.decode(raw)), kind)
    except RecursionError:
        raise InvalidInput("Invalid JSON payload received. It is nested too deeply.") from None
    except msgspec.DecodeError as error:
        raise InvalidInput(f"Invalid JSON payload received. {error}") from error
    except msgspec.ValidationError as error:
        raise InvalidInput(f"Invalid JSON payload received. {error}") from error


def _is_html(entry: TextEntry) -> bool:
    if entry.type not in _TEXT_TYPES:
        raise InvalidInput(f"comment.type {entry.type!r}: use PLAIN_TEXT or HTML", "comment.type")
    return _TEXT_TYPES[entry.type]


def _suggested(name: str, attribute: SuggestAttribute) -> SuggestedScore:
    spans = []
    for span in attribute.span_scores:
        if span.begin is None or span.end is None or span.score is None:
            raise InvalidInput(
                f"attributeScores.{name}.spanScores: each span needs begin, end and score",
                f"attribute_scores[{name}].span_scores",
            )
        spans.append((span.begin, span.end, span.score.value))
    summary = attribute.summary_score
    return SuggestedScore(summary.value if summary else None, tuple(spans))


def _threshold(name: str, parameters: AttributeParameters) -> float | None:
    if parameters.score_type not in _SCORE_TYPES:
        raise InvalidInput(
            f"{name}: scoreType {parameters.score_type!r} is not supported; use PROBABILITY"
        )
    threshold = parameters.score_threshold
    if threshold is not None and not (0 <= threshold <= 1 and math.isfinite(threshold)):
        raise InvalidInput(f"{name}: scoreThreshold must be between 0 and 1")
    return threshold


def _analysis_json(result: AnalyzeResult) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    for name, score in result.scores.items():
        entry: dict[str, Any] = {"summaryScore": {"value": score.summary, "type": "PROBABILITY"}}
        if score.spans:
            entry["spanScores"] = [
                {"begin": s.begin, "end": s.end, "score": {"value": s.value, "type": "PROBABILITY"}}
                for s in score.spans
            ]
        scores[name] = entry
    body: dict[str, Any] = {
        "attributeScores": scores,
        "languages": list(result.languages),
        "detectedLanguages": list(result.detected_languages),
    }
    if result.client_token is not None:
        body["clientToken"] = result.client_token
    return body


async def _admitted_key(
    request: Request[Any, Any, Any],
    key: Annotated[
        str | None,
        QueryParameter(name="key", required=False, description="The API key, as Google's took it"),
    ] = None,
    header_key: Annotated[
        str | None,
        HeaderParameter(
            name="x-goog-api-key", required=False, description="Or the key as a header"
        ),
    ] = None,
) -> ApiKey:
    """The caller's API key, checked and counted against its method's quota (403, 400 or 429
    else)."""
    method = str(request.route_handler.opt.get("quota", "analyze"))
    return await runtime(request).api_keys.admit(key or header_key, method)


# How a handler asks for the caller's admitted key: `api_key: AdmittedKey`.
AdmittedKey = NamedDependency[ApiKey]


@post(
    "/v1alpha1/comments:analyze",
    status_code=200,
    summary="Perspective: analyze a comment",
    opt={"quota": "analyze"},
)
async def analyze(request: Request[Any, Any, Any], api_key: AdmittedKey) -> dict[str, Any]:
    rt = runtime(request)
    body = _decode(await request.body(), AnalyzeBody)
    result = rt.perspective.analyze(
        AnalyzeRequest(
            text=body.comment.text,
            attributes={k: _threshold(k, v) for k, v in body.requested_attributes.items()},
            languages=tuple(body.languages),
            span_annotations=body.span_annotations,
            drop_unsupported=body.drop_unsupported_attributes,
            client_token=body.client_token,
            html=_is_html(body.comment),
        )
    )
    return _analysis_json(result)


@post(
    "/v1alpha1/comments:suggestscore",
    status_code=200,
    summary="Perspective: suggest scores for a comment (kept as training feedback)",
    opt={"quota": "suggestscore"},
)
async def suggest_score(request: Request[Any, Any, Any], api_key: AdmittedKey) -> dict[str, Any]:
    rt = runtime(request)
    body = _decode(await request.body(), SuggestBody)
    token = await rt.perspective.suggest(
        api_key,
        SuggestRequest(
            text=_readable(body.comment),
            attribute_scores={k: _suggested(k, v) for k, v in body.attribute_scores.items()},
            languages=tuple(body.languages),
            do_not_store=body.do_not_store,
            community_id=body.community_id,
            client_token=body.client_token,
        ),
    )
    return {"clientToken": token} if token is not None else {}


def _readable(entry: TextEntry) -> str:
    """A suggestion's text as kept: the caller's, markup and all."""
    _is_html(entry)
    return entry.text


@get("/$discovery/rest", summary="Google API discovery document for commentanalyzer v1alpha1")
async def discovery(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Names Parley by the `public_url` setting (as the world reaches it, behind any proxy),
    or else by the address the request came to."""
    public_url = runtime(request).settings.public_url
    return discovery_document((public_url or str(request.base_url)).rstrip("/") + "/")


ERROR_DETAIL = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
_SERVICE = "commentanalyzer.googleapis.com"
_GOOGLE_ERRORS: dict[type[ServiceError], tuple[int, str]] = {
    InvalidInput: (400, "INVALID_ARGUMENT"),
    MissingKey: (403, "PERMISSION_DENIED"),
    InvalidKey: (400, "INVALID_ARGUMENT"),
    QuotaExceeded: (429, "RESOURCE_EXHAUSTED"),
    StorageUnavailable: (503, "UNAVAILABLE"),
}
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}


def _error_info(reason: str, **metadata: str) -> dict[str, Any]:
    return {
        "@type": _ERROR_INFO,
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": _SERVICE, **metadata},
    }


def _details(error: ServiceError) -> list[dict[str, Any]]:
    """What Google put in `error.details`: Perspective's own Error for its refusals, the API
    frontend's ErrorInfo for keys and quotas, BadRequest for malformed fields."""
    if isinstance(error, LanguageNotSupported):
        return [_language_error_detail(error)]
    if isinstance(error, PerspectiveError):
        return [{"@type": ERROR_DETAIL, "errorType": error.error_type}]
    if isinstance(error, MissingKey):
        return [_error_info("CREDENTIALS_MISSING")]
    if isinstance(error, InvalidKey):
        return [_error_info("API_KEY_INVALID")]
    if isinstance(error, QuotaExceeded):
        return [_quota_error_info(error)]
    if isinstance(error, StorageUnavailable):
        return [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1s"}]
    if isinstance(error, InvalidInput):
        violation = {"field": error.field or "", "description": str(error)}
        return [
            {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}
        ]
    return []


def _quota_error_info(error: QuotaExceeded) -> dict[str, Any]:
    """Google's ErrorInfo for a spent quota, field by field as Perspective sent it (with
    `quota_limit` "AnalyzeRequestsPerMinutePerProject"), per key and second or day here."""
    method = error.method[0].upper() + error.method[1:]
    return _error_info(
        "RATE_LIMIT_EXCEEDED",
        quota_metric=f"CommentAnalyzerService/{error.method}_requests",
        quota_limit=f"{method}RequestsPer{error.per.capitalize()}PerKey",
        quota_limit_value=f"{error.limit:.15g}",
        quota_location="global",
        consumer=f"api_key:{error.key.name}",
    )


def _google_body(code: int, status: str, message: str, details: list[dict[str, Any]]) -> Any:
    body: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        body["details"] = details
    return {"error": body}


def _google_error(_: Request[Any, Any, Any], error: ServiceError) -> Response[Any]:
    code, status = next(
        (found for kind, found in _GOOGLE_ERRORS.items() if isinstance(error, kind)),
        (500, "INTERNAL"),
    )
    headers = {}
    if isinstance(error, QuotaExceeded):
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    if isinstance(error, StorageUnavailable):
        _log.warning("scoring API: storage unavailable: %s", error)
        headers["Retry-After"] = "1"
    body = _google_body(code, status, str(error), _details(error))
    return Response(body, status_code=code, headers=headers)


def _google_http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """Litestar's own refusals (a body too large, a wrong method) in Google's shape."""
    code = error.status_code
    status = _STATUS_NAMES.get(code, "FAILED_PRECONDITION" if code < 500 else "INTERNAL")
    body = _google_body(code, status, str(error.detail), [])
    return Response(body, status_code=code, headers=error.headers)


def _google_internal_error(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    _log.exception("scoring API: internal error", exc_info=error)
    body = _google_body(500, "INTERNAL", "Internal error encountered.", [])
    return Response(body, status_code=500)


def _language_error_detail(error: LanguageNotSupported) -> dict[str, Any]:
    """Perspective's detail: the languages asked for, or else detected, and the attribute."""
    languages = error.requested_languages or error.detected_languages
    return {
        "@type": ERROR_DETAIL,
        "errorType": "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        "languageNotSupportedByAttributeError": {
            "detectedLanguages": list(languages),
            "attribute": error.attribute,
        },
    }


perspective_router = Router(
    path="/",
    route_handlers=[analyze, suggest_score, discovery],
    dependencies={"api_key": Provide(_admitted_key)},
    exception_handlers={
        ServiceError: _google_error,
        HTTPException: _google_http_error,
        Exception: _google_internal_error,
    },
    tags=["perspective"],
)
