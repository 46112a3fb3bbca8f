"""Scoring text in the terms of Google's Perspective API, on this machine."""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from parley.domain.moderation import Language, ModerationContext
from parley.domain.scoring import ApiKey, ScoreFeedback
from parley.moderation.language import SCORED_LANGUAGES
from parley.services.errors import InvalidInput, StorageUnavailable
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
# Attributes Perspective served that Parley does not score: no labelled data to score them
# honestly. They are refused as Perspective refused an attribute in a language it lacked
# (LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE), so `dropUnsupportedAttributes` drops them.
UNSERVED_ATTRIBUTES = frozenset({"SEXUALLY_EXPLICIT", "FLIRTATION"})
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


class PerspectiveError(InvalidInput):
    """A refusal Perspective gave with an `errorType` (google.commentanalyzer.v1alpha1.Error)."""

    def __init__(self, message: str, error_type: str) -> None:
        super().__init__(message)
        self.error_type = error_type


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
    html: bool = False  # comment.type HTML: scored without its markup, spans into `text`


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
class SuggestedScore:
    """What a caller believes an attribute's score is: for the whole comment, for spans of it
    (begin, end, value; UTF-16 offsets as the caller sent them), or both."""

    summary: float | None
    spans: tuple[tuple[int, int, float], ...] = ()

    def stored(self) -> Any:
        """As kept in score_feedback.attribute_scores: the bare value when there are no spans."""
        if not self.spans:
            return self.summary
        return {
            "summaryScore": self.summary,
            "spanScores": [{"begin": b, "end": e, "value": v} for b, e, v in self.spans],
        }


@dataclass(frozen=True, slots=True)
class SuggestRequest:
    text: str
    attribute_scores: dict[str, SuggestedScore]
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


_MARKUP = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style)\b.*?(?:</\1\s*>|$)|<[^>]*>?|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?",
    re.DOTALL | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MappedText:
    """Text as scored, with where each of its characters came from in the caller's text."""

    text: str
    starts: tuple[int, ...] | None = None  # None: the caller's text itself
    ends: tuple[int, ...] | None = None

    def source(self, begin: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return begin, end
        return self.starts[begin], self.ends[end - 1]


def html_text(source: str) -> MappedText:
    """The readable text of an HTML fragment, each character mapped back to the source: a tag
    reads as a blank, an entity as its character, scripts, styles and comments as nothing."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0

    def keep(text: str, start: int, end: int) -> None:
        chars.extend(text)
        starts.extend([start] * len(text))
        ends.extend([end] * len(text))

    for match in _MARKUP.finditer(source):
        for offset in range(position, match.start()):
            keep(source[offset], offset, offset + 1)
        token = match.group()
        if token.startswith("&"):
            keep(html.unescape(token), match.start(), match.end())
        elif not token.lower().startswith(("<!--", "<script", "<style")):
            keep(" ", match.start(), match.end())
        position = match.end()
    for offset in range(position, len(source)):
        keep(source[offset], offset, offset + 1)
    return MappedText("".join(chars), tuple(starts), tuple(ends))


def utf16_offsets(text: str) -> Any:
    """A function from character offsets in `text` to UTF-16 code units, as Perspective
    counted them (an emoji outside the Basic Multilingual Plane is two units)."""
    astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF] if not text.isascii() else []
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect_left(astral, offset)


class PerspectiveService:
    def __init__(
        self, store: FeedbackStorage, moderator: Moderator, languages: LanguageDetector
    ) -> None:
        self._store = store
        self._moderator = moderator
        self._languages = languages

    def analyze(self, request: AnalyzeRequest) -> AnalyzeResult:
        _check_identifier("clientToken", request.client_token)
        mapped = html_text(request.text) if request.html else MappedText(request.text)
        _check_text(request.text, mapped.text)
        languages = request.languages
        detected = self._languages.detect(mapped.text)
        attributes = self._checked_attributes(request, languages or (detected.code,))
        attribute = next(iter(attributes))
        _check_requested_languages(languages, attribute)
        if not languages and detected.reliable and detected.code not in SCORED_LANGUAGES:
            raise LanguageNotSupported(attribute, detected_languages=(detected.code,))
        parts = sentences(mapped.text) if request.span_annotations else []
        scores, *part_scores = self._score(
            [mapped.text, *(mapped.text[begin:end] for begin, end in parts)]
        )
        units = utf16_offsets(request.text)
        span_scores = [
            (units(source[0]), units(source[1]), values)
            for source, values in zip(
                (mapped.source(begin, end) for begin, end in parts), part_scores, strict=True
            )
        ]
        if not request.span_annotations:
            # Perspective's answer without spanAnnotations: one span, the whole comment.
            span_scores = [(0, units(len(request.text)), scores)]
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
        _check_text(request.text, request.text)
        if not request.attribute_scores:
            raise InvalidInput("attributeScores must name at least one attribute")
        unknown = set(request.attribute_scores) - set(ATTRIBUTES) - UNSERVED_ATTRIBUTES
        if unknown:
            raise PerspectiveError(
                f"Unknown attribute(s): {', '.join(sorted(unknown))}", "ATTRIBUTE_NOT_SUPPORTED"
            )
        for name, suggested in request.attribute_scores.items():
            _check_suggestion(name, suggested)
        feedback = ScoreFeedback(
            key_id=key.id,
            text=None if request.do_not_store else request.text,
            attribute_scores={k: v.stored() for k, v in request.attribute_scores.items()},
            languages=request.languages,
            community_id=request.community_id,
            client_token=request.client_token,
            created_at=datetime.now(UTC),
            site_id=key.site_id,
        )
        try:
            await self._store.add_score_feedback(feedback)
        except Exception as error:  # the database, whatever its driver raised
            raise StorageUnavailable(f"the suggestion could not be kept: {error}") from error
        return request.client_token

    def _score(self, texts: list[str]) -> list[dict[str, float]]:
        """Scored as English: the languages were checked before (as Perspective did)."""
        context = ModerationContext(language="en")
        return [self._moderator.assess(text, context).scores for text in texts]

    @staticmethod
    def _checked_attributes(
        request: AnalyzeRequest, languages: tuple[str, ...]
    ) -> dict[str, float | None]:
        if not request.attributes:
            raise InvalidInput("requestedAttributes must name at least one attribute")
        unknown = [
            name
            for name in request.attributes
            if name not in ATTRIBUTES and name not in UNSERVED_ATTRIBUTES
        ]
        if unknown:
            raise PerspectiveError(
                f"Unknown attribute(s): {', '.join(unknown)}. Parley scores "
                f"{', '.join(ATTRIBUTES)}.",
                "ATTRIBUTE_NOT_SUPPORTED",
            )
        supported = {k: v for k, v in request.attributes.items() if k in ATTRIBUTES}
        unserved = [name for name in request.attributes if name in UNSERVED_ATTRIBUTES]
        if unserved and (not request.drop_unsupported or not supported):
            raise LanguageNotSupported(unserved[0], detected_languages=languages)
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


def _check_text(text: str, readable: str) -> None:
    if not readable.strip():
        raise PerspectiveError("Comment must be non-empty.", "COMMENT_EMPTY")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise PerspectiveError(
            f"Comment text too long: {size} bytes; the limit is {MAX_TEXT_BYTES} bytes (20 KB).",
            "COMMENT_TOO_LONG",
        )


def _check_suggestion(name: str, suggested: SuggestedScore) -> None:
    if suggested.summary is None and not suggested.spans:
        raise InvalidInput(f"attributeScores.{name}: give a summaryScore, spanScores or both")
    values = [v for _, _, v in suggested.spans]
    if suggested.summary is not None:
        values.append(suggested.summary)
    if not all(0 <= v <= 1 for v in values):
        raise InvalidInput(f"attributeScores.{name}: scores must be between 0 and 1")
    if not all(0 <= b < e for b, e, _ in suggested.spans):
        raise InvalidInput(f"attributeScores.{name}: each span needs 0 <= begin < end")
