"""Word and pattern lists applied to normalised text, each hit mapped back to the original text.

A term matches whole words of the normalised text. Repeated letters are tolerated (`faag` is
`fag`), but a doubled letter in the term must stay doubled (`ass` does not match `as`), and a
plural `s` / `es` is accepted. Multi-word terms match across single spaces and punctuation as
written in the term (`g-spot`, `piece of shit`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from parley.moderation.normalize import NormalizedText, normalized_text

_TOKEN = re.compile(r"[^\W_]+|([^\w\s])\1*")
_WORD = re.compile(r"[^\W_]+")
_RUNS = re.compile(r"(.)\1+")
_FIRST_GROUP = operator.itemgetter(1)  # as a replacement: faster than the template r"\1"
_EVERY_RUN = re.compile(r"(.)\1*")
_PLURAL_SUFFIXES = ("es", "s")
_ONE_LETTER_WORDS = ("a", "i")


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One match: which list, which term, where in the original text and what was written there."""

    list_name: str
    term: str
    span: tuple[int, int]
    matched_text: str


def squeeze(text: str) -> str:
    """Collapse every run of one character to one: the key under which terms are looked up."""
    return _RUNS.sub(_FIRST_GROUP, text)


class TermList:
    """Terms found by token windows and a dictionary, so cost grows with the text only.

    One `TermList` can hold several named lists (`combined`): the text is tokenised once and each
    token costs one dictionary look-up whatever the number of lists; a hit names its own list.
    """

    def __init__(self, name: str, terms: Iterable[str]) -> None:
        self.name = name
        # squeezed key -> (list name, term as written, pattern for the exact window)
        self._patterns: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
        self._prefixes: set[str] = set()
        self._max_tokens = 1
        # Words one of which a text must have for any term to match, and symbols it must contain
        # (terms without a word, such as an emoji): see `_add_anchor`.
        self._anchors: set[str] = set()
        self._symbol_anchors: set[str] = set()
        self.add(name, terms)

    @classmethod
    def combined(cls, lists: Iterable[tuple[str, Iterable[str]]]) -> TermList:
        """One matcher for several (list name, terms) pairs."""
        combined = cls("", ())
        for name, terms in lists:
            combined.add(name, terms)
        return combined

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._patterns.values())

    def add(self, name: str, terms: Iterable[str]) -> None:
        for term in terms:
            self._add(name, term)

    def _add(self, name: str, term: str) -> None:
        normalized = normalized_text(term.strip()).strip()
        if not normalized:
            return
        key = squeeze(normalized)
        self._patterns.setdefault(key, []).append((name, term.strip(), _term_pattern(normalized)))
        tokens = [match.group() for match in _TOKEN.finditer(normalized)]
        self._max_tokens = max(self._max_tokens, len(tokens))
        for count in range(1, len(tokens)):
            self._prefixes.add(squeeze(_join_prefix(normalized, tokens, count)))
        self._add_anchor([match.group() for match in _TOKEN.finditer(key)])

    def _add_anchor(self, key_tokens: list[str]) -> None:
        """Note the longest word of a term (squeezed) in the forms a text that has the term
        must show it in: plural when it ends the term, after `a` / `i` when it starts it."""
        words = [(len(token), i) for i, token in enumerate(key_tokens) if _WORD.fullmatch(token)]
        if not words:
            self._symbol_anchors.add(max(key_tokens, key=len))
            return
        _, position = max(words)
        anchor = key_tokens[position]
        forms = {anchor}
        if position == len(key_tokens) - 1:
            forms.update(anchor + suffix for suffix in _PLURAL_SUFFIXES)  # `fags` is `fag`
        if position == 0:
            forms.update([a + form for a in _ONE_LETTER_WORDS for form in forms])  # `afag`
        self._anchors.update(forms)

    def find(self, text: NormalizedText) -> Iterator[RuleHit]:
        if not self._patterns:
            return
        squeezed_text = squeeze(text.text)
        if self._anchors.isdisjoint(_WORD.findall(squeezed_text)) and not any(
            symbol in squeezed_text for symbol in self._symbol_anchors
        ):
            return  # no term can match: the common case
        tokens = [match.span() for match in _TOKEN.finditer(text.text)]
        squeezed = [match.group() for match in _TOKEN.finditer(squeezed_text)]
        patterns, prefixes = self._patterns, self._prefixes
        for first, (start, _) in enumerate(tokens):
            key = squeezed[first]
            if key[:1] in _ONE_LETTER_WORDS:
                yield from self._spaced_after_article(text, tokens[first], key)
            if (
                key not in patterns
                and key not in prefixes
                and not (key[-1:] == "s" and (key[:-1] in patterns or key[:-2] in patterns))
            ):
                continue  # starts no term: the common case, one look-up
            last = first
            while True:
                end = tokens[last][1]
                for name, term in self._match(key, text.text[start:end]):
                    yield self._hit(text, name, term, start, end)
                last += 1
                if key not in prefixes or last >= min(first + self._max_tokens, len(tokens)):
                    break
                key = squeeze(text.text[start : tokens[last][1]])

    def _spaced_after_article(
        self, text: NormalizedText, token: tuple[int, int], key: str
    ) -> Iterator[RuleHit]:
        """`a f a g` is normalised to `afag`: also try it without the English word `a` / `i`."""
        start, end = token
        if text.ends[end - 1] - text.starts[start] <= end - start:
            return  # not a word that lost separators in normalisation
        original_start, original_end = text.original_span(start, end)
        if text.original[original_start:original_end].isalnum():
            return
        whole = {name for name, _ in self._match(key, text.text[start:end])}
        stripped = text.text[start + 1 : end]
        for name, term in self._match(squeeze(stripped), stripped):
            if name not in whole:
                yield self._hit(text, name, term, start + 1, end)

    def _match(self, key: str, window: str) -> list[tuple[str, str]]:
        """(list name, term) of the first term of each list that `window` is."""
        candidates = _with_plural_stems(key) if key[-1:] == "s" else (key,)
        found: dict[str, str] = {}
        for candidate in candidates:
            for name, term, pattern in self._patterns.get(candidate, ()):
                if name not in found and pattern.fullmatch(window):
                    found[name] = term
        return list(found.items())

    def _hit(self, text: NormalizedText, name: str, term: str, start: int, end: int) -> RuleHit:
        original_start, original_end = text.original_span(start, end)
        matched = text.original[original_start:original_end]
        return RuleHit(name, term, (original_start, original_end), matched)


class PatternList:
    """Regular expressions (case-insensitive) searched in the normalised text."""

    def __init__(self, name: str, patterns: Iterable[str], *, lower_case: bool = False) -> None:
        """`lower_case`: the patterns are written in lower case (as the normalised text is), so
        they are matched case-sensitively, which is faster, and searched first as one
        alternation, so a text none of them matches costs one search."""
        self.name = name
        sources = list(patterns)
        if lower_case:
            self._patterns = [(source, re.compile(source)) for source in sources]
            self._any = re.compile("|".join(f"(?:{source})" for source in sources))
        else:
            self._patterns = [(source, compile_pattern(source)) for source in sources]
            self._any = None

    def find(self, text: NormalizedText) -> Iterator[RuleHit]:
        if self._any is not None and not self._any.search(text.text):
            return
        for source, pattern in self._patterns:
            for match in pattern.finditer(text.text):
                if match.end() > match.start():
                    start, end = text.original_span(match.start(), match.end())
                    yield RuleHit(self.name, source, (start, end), text.original[start:end])


# Personal data that lets a reader find someone: phone numbers, e-mail addresses, street addresses.
_PERSONAL_DATA = (
    ("phone number", r"(?<![\w+])\+?\d[\d ().-]{7,}\d(?!\w)"),
    ("e-mail address", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    (
        "street address",
        r"\b\d{1,5}[a-z]?,? (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Way"
        r"|Grove|Mews|Walk|Crescent|Drive|Dr|Court|Ct|Place|Pl|Terrace|Gardens|Boulevard|Blvd)\b",
    ),
)
# Words around such data that aim it at a person rather than at a cinema or a box office.
_EXPOSURE = re.compile(
    r"\b(?:home|house|lives?|living|(?:his|her|their|your) (?:address|number|phone|mobile|cell"
    r"|email|e-mail|work|place|parents|wife|husband|kids|children)|personal|private|visit|visitors"
    r"|call (?:him|her|them)|tell (?:him|her|them)|text (?:him|her|them)|spam|anyone nearby"
    r"|act accordingly|what (?:you|we|people) think|(?:the )?(?:author|reviewer|critic|moderator"
    r"|director|organiser|organizer|commenter|poster|user)(?:'s)?)\b",
    re.IGNORECASE,
)


def personal_data(text: str, name: str = "personal_data") -> list[RuleHit]:
    """Phone numbers, e-mail and street addresses in `text` that are aimed at a person."""
    if not _EXPOSURE.search(text):
        return []
    hits = []
    for kind, source in _PERSONAL_DATA:
        for match in re.finditer(source, text):
            if kind == "phone number" and sum(c.isdigit() for c in match.group()) < 9:
                continue
            hits.append(RuleHit(name, kind, match.span(), match.group()))
    return hits


# A link as a reader would follow it: a URL with its scheme, or a bare www. address.
_LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"']*[^\s<>()\[\]\"'.,;:!?]", re.IGNORECASE)


def links(text: str, name: str = "link") -> list[RuleHit]:
    """Every link written in `text` (Markdown's [text](url) included, by its URL)."""
    return [RuleHit(name, "link", match.span(), match.group()) for match in _LINK.finditer(text)]


def compile_pattern(source: str) -> re.Pattern[str]:
    """Compile a site's pattern, saying which one is wrong if it does not compile."""
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"invalid pattern {source!r}: {error}") from error


def load_word_list(name: str) -> list[str]:
    """A vendored list from `parley/moderation/data/` (see SOURCE.md there)."""
    text = resources.files("parley.moderation").joinpath("data").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _term_pattern(normalized: str) -> re.Pattern[str]:
    parts = [
        _run_pattern(run.group(1), len(run.group())) for run in _EVERY_RUN.finditer(normalized)
    ]
    return re.compile("".join(parts) + "(?:es|s)?")


def _run_pattern(char: str, length: int) -> str:
    escaped = re.escape(char)
    if not char.isalpha():
        return escaped * length
    return f"{escaped}{{2}}" if length >= 2 else f"{escaped}{{1,2}}"


def _join_prefix(normalized: str, tokens: list[str], count: int) -> str:
    position = 0
    for token in tokens[:count]:
        position = normalized.index(token, position) + len(token)
    return normalized[:position]


def _with_plural_stems(window: str) -> Iterator[str]:
    yield window
    for suffix in _PLURAL_SUFFIXES:
        if window.endswith(suffix) and len(window) > len(suffix) + 1:
            yield window[: -len(suffix)]
