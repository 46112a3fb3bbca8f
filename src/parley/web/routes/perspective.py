"""Perspective API's wire format (commentanalyzer v1alpha1), a thin adapter over scoring.

Sites that called Google's Perspective API switch by changing its base URL to Parley's.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import HeaderParameter, QueryParameter

from parley.domain.scoring import ApiKey
from parley.services.apikeys import InvalidKey, MissingKey, QuotaExceeded
from parley.services.errors import InvalidInput, ServiceError
from parley.services.markup import plain_text
from parley.services.perspective import (
    AnalyzeRequest,
    AnalyzeResult,
    LanguageNotSupported,
    SuggestRequest,
)
from parley.web.context import runtime
from parley.web.discovery import discovery_document

_CAMEL_PART = re.compile(r"_([a-z])")
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
    value: float
    type: str = "PROBABILITY"


class SuggestAttribute(msgspec.Struct, rename="camel"):
    summary_score: SummaryScore


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


def _text(entry: TextEntry) -> str:
    if entry.type not in ("PLAIN_TEXT", "HTML"):
        raise InvalidInput(f"comment.type {entry.type!r}: use PLAIN_TEXT")
    return plain_text(entry.text) if entry.type == "HTML" else entry.text


def _threshold(name: str, parameters: AttributeParameters) -> float | None:
    if parameters.score_type not in (None, "PROBABILITY"):
        raise InvalidInput(
            f"{name}: scoreType {parameters.score_type!r} is not supported; use PROBABILITY"
        )
    threshold = parameters.score_threshold
    if threshold is not None and not (0 <= threshold <= 1 and math.isfinite(threshold)):
        raise InvalidInput(f"{name}: scoreThreshold must be between 0 and 1")
    return threshold


def _analysis_json(result: AnalyzeResult, spans: bool) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    for name, score in result.scores.items():
        entry: dict[str, Any] = {"summaryScore": {"value": score.summary, "type": "PROBABILITY"}}
        if spans:
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
    """The caller's API key, checked and counted against its quota (403, 400 or 429 else)."""
    return await runtime(request).api_keys.admit(key or header_key)


# How a handler asks for the caller's admitted key: `api_key: AdmittedKey`.
AdmittedKey = NamedDependency[ApiKey]


@post("/v1alpha1/comments:analyze", status_code=200, summary="Perspective: analyze a comment")
async def analyze(request: Request[Any, Any, Any], api_key: AdmittedKey) -> dict[str, Any]:
    rt = runtime(request)
    body = _decode(await request.body(), AnalyzeBody)
    result = rt.perspective.analyze(
        AnalyzeRequest(
            text=_text(body.comment),
            attributes={k: _threshold(k, v) for k, v in body.requested_attributes.items()},
            languages=tuple(body.languages),
            span_annotations=body.span_annotations,
            drop_unsupported=body.drop_unsupported_attributes,
            client_token=body.client_token,
        )
    )
    return _analysis_json(result, body.span_annotations)


@post(
    "/v1alpha1/comments:suggestscore",
    status_code=200,
    summary="Perspective: suggest scores for a comment (kept as training feedback)",
)
async def suggest_score(request: Request[Any, Any, Any], api_key: AdmittedKey) -> dict[str, Any]:
    rt = runtime(request)
    body = _decode(await request.body(), SuggestBody)
    token = await rt.perspective.suggest(
        api_key,
        SuggestRequest(
            text=_text(body.comment),
            attribute_scores={k: v.summary_score.value for k, v in body.attribute_scores.items()},
            languages=tuple(body.languages),
            do_not_store=body.do_not_store,
            community_id=body.community_id,
            client_token=body.client_token,
        ),
    )
    return {"clientToken": token} if token is not None else {}


@get("/$discovery/rest", summary="Google API discovery document for commentanalyzer v1alpha1")
async def discovery(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return discovery_document(str(request.base_url).rstrip("/") + "/")


_GOOGLE_ERRORS: dict[type[ServiceError], tuple[int, str]] = {
    InvalidInput: (400, "INVALID_ARGUMENT"),
    MissingKey: (401, "UNAUTHENTICATED"),
    InvalidKey: (403, "PERMISSION_DENIED"),
    QuotaExceeded: (429, "RESOURCE_EXHAUSTED"),
}


def _google_error(_: Request[Any, Any, Any], error: ServiceError) -> Response[Any]:
    code, status = next(
        (found for kind, found in _GOOGLE_ERRORS.items() if isinstance(error, kind)),
        (500, "INTERNAL"),
    )
    headers = {}
    if isinstance(error, QuotaExceeded):
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    body: dict[str, Any] = {"code": code, "message": str(error), "status": status}
    if isinstance(error, LanguageNotSupported):
        body["details"] = [_language_error_detail(error)]
    return Response({"error": body}, status_code=code, headers=headers)


def _language_error_detail(error: LanguageNotSupported) -> dict[str, Any]:
    """The detail Perspective attached, naming what was asked for or else what was detected."""
    languages: dict[str, Any] = {}
    if error.requested_languages:
        languages["requestedLanguages"] = list(error.requested_languages)
    if error.detected_languages:
        languages["detectedLanguages"] = list(error.detected_languages)
    return {
        "@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error",
        "errorType": "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        "languageNotSupportedByAttributeError": {**languages, "attribute": error.attribute},
    }


perspective_router = Router(
    path="/",
    route_handlers=[analyze, suggest_score, discovery],
    dependencies={"api_key": Provide(_admitted_key)},
    exception_handlers={ServiceError: _google_error},
    tags=["perspective"],
)
