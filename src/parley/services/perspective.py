"""Scoring text in the terms of Google's Perspective API, on this machine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from parley.domain.moderation import ModerationContext
from parley.domain.scoring import ApiKey, ScoreFeedback
from parley.services.errors import InvalidInput
from parley.services.moderation import Moderator
from parley.storage.store import Store

# Perspective's attribute names and the labels Parley's engine scores.
ATTRIBUTES = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxicity",
    "IDENTITY_ATTACK": "identity_attack",
    "INSULT": "insult",
    "PROFANITY": "profanity",
    "THREAT": "threat",
}
SUPPORTED_LANGUAGES = ("en",)
MAX_TEXT_BYTES = 20 * 1024
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class AnalyzeRequest:
    text: str
    attributes: dict[str, float | None]  # name -> score threshold
    languages: tuple[str, ...] = ()
    span_annotations: bool = False
    drop_unsupported: bool = False
    client_token: str | None = None


@dataclass(frozen=True, slots=True)
class SpanScore:
    begin: int
    end: int
    value: float


@dataclass(frozen=True, slots=True)
class AttributeScore:
    summary: float
    spans: tuple[SpanScore, ...] = ()


@dataclass(frozen=True, slots=True)
class AnalyzeResult:
    scores: dict[str, AttributeScore]
    languages: tuple[str, ...]
    client_token: str | None = None


@dataclass(frozen=True, slots=True)
class SuggestRequest:
    text: str
    attribute_scores: dict[str, float]
    languages: tuple[str, ...] = ()
    do_not_store: bool = False
    community_id: str | None = None
    client_token: str | None = None


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the text's sentences, without surrounding blanks."""
    spans = []
    for match in _SENTENCE.finditer(text):
        chunk = match.group()
        start = match.start() + len(chunk) - len(chunk.lstrip())
        end = match.end() - (len(chunk) - len(chunk.rstrip()))
        if end > start:
            spans.append((start, end))
    return spans


class PerspectiveService:
    def __init__(self, store: Store, moderator: Moderator) -> None:
        self._store = store
        self._moderator = moderator

    def analyze(self, request: AnalyzeRequest) -> AnalyzeResult:
        attributes = self._checked_attributes(request)
        languages = self._checked_languages(request.languages, attributes)
        _check_text(request.text)
        scores = self._score(request.text)
        span_scores = (
            [
                (begin, end, self._score(request.text[begin:end]))
                for begin, end in sentences(request.text)
            ]
            if request.span_annotations
            else []
        )
        result: dict[str, AttributeScore] = {}
        for name, threshold in attributes.items():
            label = ATTRIBUTES[name]
            summary = scores[label]
            if threshold is not None and summary < threshold:
                continue  # as Perspective does: below the caller's threshold, say nothing
            spans = tuple(
                SpanScore(begin, end, values[label])
                for begin, end, values in span_scores
                if threshold is None or values[label] >= threshold
            )
            result[name] = AttributeScore(summary, spans)
        return AnalyzeResult(result, languages, request.client_token)

    async def suggest(self, key: ApiKey, request: SuggestRequest) -> str | None:
        _check_text(request.text)
        unknown = set(request.attribute_scores) - set(ATTRIBUTES)
        if unknown:
            raise InvalidInput(f"unknown attribute(s): {', '.join(sorted(unknown))}")
        await self._store.add_score_feedback(
            ScoreFeedback(
                key_id=key.id,
                text=None if request.do_not_store else request.text,
                attribute_scores=request.attribute_scores,
                languages=request.languages,
                community_id=request.community_id,
                client_token=request.client_token,
                created_at=datetime.now(UTC),
            )
        )
        return request.client_token

    def _score(self, text: str) -> dict[str, float]:
        return self._moderator.assess(text, ModerationContext()).scores

    @staticmethod
    def _checked_attributes(request: AnalyzeRequest) -> dict[str, float | None]:
        if not request.attributes:
            raise InvalidInput("requestedAttributes must name at least one attribute")
        unknown = [name for name in request.attributes if name not in ATTRIBUTES]
        if unknown and not request.drop_unsupported:
            raise InvalidInput(
                f"Unknown attribute(s): {', '.join(unknown)}. Parley scores "
                f"{', '.join(ATTRIBUTES)}; set dropUnsupportedAttributes to ignore others."
            )
        supported = {k: v for k, v in request.attributes.items() if k in ATTRIBUTES}
        if not supported:
            raise InvalidInput("none of the requested attributes is supported")
        return supported

    @staticmethod
    def _checked_languages(
        languages: tuple[str, ...], attributes: dict[str, float | None]
    ) -> tuple[str, ...]:
        unsupported = [lang for lang in languages if lang.split("-")[0].lower() != "en"]
        if unsupported:
            raise InvalidInput(
                f"Attribute {next(iter(attributes))} does not support request languages: "
                f"{', '.join(unsupported)}. Parley's scorer handles English (en) only for now."
            )
        return SUPPORTED_LANGUAGES


def _check_text(text: str) -> None:
    if not text.strip():
        raise InvalidInput("Comment must be non-empty.")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise InvalidInput(
            f"Comment text too long: {size} bytes; the limit is {MAX_TEXT_BYTES} bytes (20 KB)."
        )
