"""Scoring text in the terms of Google's Perspective API, on this machine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from parley.domain.moderation import Language, ModerationContext
from parley.domain.scoring import ApiKey, ScoreFeedback
from parley.moderation.language import SCORED_LANGUAGES
from parley.services.errors import InvalidInput
from parley.services.moderation import Moderator

# Perspective's attribute names and the labels Parley's engine scores.
ATTRIBUTES = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxicity",
    "IDENTITY_ATTACK": "identity_attack",
    "INSULT": "insult",
    "PROFANITY": "profanity",
    "THREAT": "threat",
}
RESPONSE_LANGUAGES = tuple(sorted(SCORED_LANGUAGES))  # the answer's `languages`: what scored it
MAX_TEXT_BYTES = 20 * 1024
# clientToken and communityId are kept with a suggestion, in columns of 200 characters.
MAX_IDENTIFIER_CHARACTERS = 200
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)


class FeedbackStorage(Protocol):
    """What the scoring API keeps: callers' suggested scores."""

    async def add_score_feedback(self, feedback: ScoreFeedback) -> None: ...


class LanguageDetector(Protocol):
    """What the service needs to know which language a comment is in."""

    def detect(self, text: str) -> Language: ...


class LanguageNotSupported(InvalidInput):
    """Perspective's LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE: the languages asked for, or else the
    language detected, is one the attribute cannot score."""

    def __init__(
        self,
        attribute: str,
        requested_languages: tuple[str, ...] = (),
        detected_languages: tuple[str, ...] = (),
    ) -> None:
        languages = requested_languages or detected_languages
        super().__init__(
            f"Attribute {attribute} does not support request languages: {', '.join(languages)}"
        )
        self.attribute = attribute
        self.requested_languages = requested_languages
        self.detected_languages = detected_languages


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
    languages: tuple[str, ...]  # the languages the scores are for
    detected_languages: tuple[str, ...]  # what the comment text was detected as
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
    def __init__(
        self, store: FeedbackStorage, moderator: Moderator, languages: LanguageDetector
    ) -> None:
        self._store = store
        self._moderator = moderator
        self._languages = languages

    def analyze(self, request: AnalyzeRequest) -> AnalyzeResult:
        _check_identifier("clientToken", request.client_token)
        attributes = self._checked_attributes(request)
        attribute = next(iter(attributes))
        _check_requested_languages(request.languages, attribute)
        _check_text(request.text)
        detected = self._languages.detect(request.text)
        if not request.languages and detected.reliable and detected.code not in SCORED_LANGUAGES:
            raise LanguageNotSupported(attribute, detected_languages=(detected.code,))
        parts = sentences(request.text) if request.span_annotations else []
        scores, *part_scores = self._score(
            [request.text, *(request.text[begin:end] for begin, end in parts)]
        )
        span_scores = [
            (begin, end, values) for (begin, end), values in zip(parts, part_scores, strict=True)
        ]
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
        return AnalyzeResult(result, RESPONSE_LANGUAGES, (detected.code,), request.client_token)

    async def suggest(self, key: ApiKey, request: SuggestRequest) -> str | None:
        _check_identifier("clientToken", request.client_token)
        _check_identifier("communityId", request.community_id)
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

    def _score(self, texts: list[str]) -> list[dict[str, float]]:
        """Scored as English: the languages were checked before (as Perspective did)."""
        context = ModerationContext(language="en")
        return [self._moderator.assess(text, context).scores for text in texts]

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


def _check_requested_languages(languages: tuple[str, ...], attribute: str) -> None:
    """Languages the caller names are taken at their word, as Perspective does: any Parley
    cannot score is refused, whatever the text turns out to be."""
    unsupported = tuple(
        language for language in languages if language.split("-")[0].lower() not in SCORED_LANGUAGES
    )
    if unsupported:
        raise LanguageNotSupported(attribute, requested_languages=unsupported)


def _check_identifier(field: str, value: str | None) -> None:
    if value is not None and len(value) > MAX_IDENTIFIER_CHARACTERS:
        raise InvalidInput(
            f"{field} is {len(value)} characters long; "
            f"the limit is {MAX_IDENTIFIER_CHARACTERS} characters."
        )


def _check_text(text: str) -> None:
    if not text.strip():
        raise InvalidInput("Comment must be non-empty.")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise InvalidInput(
            f"Comment text too long: {size} bytes; the limit is {MAX_TEXT_BYTES} bytes (20 KB)."
        )
