"""Undo the usual tricks for hiding words, keeping a map back to the original text.

The pipeline is: fold each character (NFKD, accents dropped, casefold, homoglyphs, emoji letters,
zero-width and control characters), squeeze repeats, join spaced-out letters (`f a g`, `f.a.g`),
read leetspeak inside words (`f4g`, `sh!t`), and squeeze the repeats leetspeak may have made.
Every character of the result remembers the span of the original text it came from, so a match
found in the normalised text can be highlighted in what the author wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g", "һ": "h", "ӏ": "l", "ь": "b",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ς": "c",
        # Latin look-alikes NFKD leaves alone
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss",
    }
)  # fmt: skip

# Emoji blocks whose characters stand for Latin letters: regional indicators (🇦), negative
# squared (🅰), negative circled (🅐) and squared (🄰) capitals.
_EMOJI_LETTER_BLOCKS = (0x1F1E6, 0x1F170, 0x1F150, 0x1F130)

_LEET_DIGITS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b"}
_LEET_DIGITS["9"] = "g"
# Symbols read as letters only inside a word (so `stupid!` and `@name` keep their meaning).
_LEET_INNER_SYMBOLS = {"@": "a", "$": "s", "!": "i", "|": "l", "+": "t"}
_LEET_ANYWHERE_SYMBOLS = {"$": "s"}

_UNIT = r"(?:[^\W_]|[@$])"
_SEPARATOR = r"(?:[^\w@$]|_)"
_SPACED_LETTERS = re.compile(rf"(?<!{_UNIT}){_UNIT}(?:{_SEPARATOR}{{1,3}}{_UNIT}(?!{_UNIT})){{2,}}")
_SEPARATORS = re.compile(_SEPARATOR + "+")
# Only the tokens with a character leetspeak may stand for (the others decode to themselves).
_LEET_CANDIDATE = re.compile(r"(?<![^\W_@$!|+])(?:[^\W_]|[@$!|+])*?[0-9@$!|+](?:[^\W_]|[@$!|+])*")
_REPEATS = re.compile(r"([^ ])\1{2,}")
_SPACE_RUNS = re.compile(r" {2,}")
_HAS_LEET = re.compile(r"[0-9@$!|+]")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NEEDS_FOLD_CHAR = re.compile(r"[^\x09-\x0d\x20-\x7e]")
_ASCII_SPACES = str.maketrans("\t\n\r\x0b\x0c", "     ")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text; character i came from `original[starts[i]:ends[i]]`."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the span [start, end) of the normalised text to a span of the original text."""
        if start >= end:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> NormalizedText:
    """Normalise `text` for matching and scoring; never raises on any `str`."""
    chars, starts, ends = _fold(text)
    chars, starts, ends = _drop(chars, starts, ends, _space_drops(chars))
    chars, starts, ends = _drop(chars, starts, ends, _repeat_drops(chars))
    chars, starts, ends = _drop(chars, starts, ends, _spaced_letter_drops(chars))
    chars = _read_leetspeak(chars)
    chars, starts, ends = _drop(chars, starts, ends, _repeat_drops(chars))
    return NormalizedText(text, chars, tuple(starts), tuple(ends))


def normalized_text(text: str) -> str:
    """Only the normalised string, for callers that need no offsets."""
    return normalize(text).text


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """What one character becomes: lower-case ASCII where it looks like a letter."""
    code = ord(char)
    for block in _EMOJI_LETTER_BLOCKS:
        if block <= code < block + 26:
            return chr(ord("a") + code - block)
    category = unicodedata.category(char)
    if char.isspace() or category == "Zs":
        return " "
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return ""
    folded = char
    for _ in range(3):  # NFKD, casefold and the homoglyph table can feed each other
        decomposed = unicodedata.normalize("NFKD", folded)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        refolded = stripped.casefold().translate(_HOMOGLYPHS)
        refolded = "".join(" " if c.isspace() else c for c in refolded)
        if refolded == folded:
            break
        folded = refolded
    return folded


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text.lower().translate(_ASCII_SPACES), list(range(len(text))), _ends(len(text))
    # Runs of printable ASCII fold as a whole (as `fold_char` would fold each character); the
    # other characters one by one.
    pieces: list[str] = []
    starts: list[int] = []
    cursor = 0
    for match in _NEEDS_FOLD_CHAR.finditer(text):
        index = match.start()
        if index > cursor:
            pieces.append(text[cursor:index].lower().translate(_ASCII_SPACES))
            starts.extend(range(cursor, index))
        folded = fold_char(match.group())
        pieces.append(folded)
        starts.extend([index] * len(folded))
        cursor = index + 1
    if cursor < len(text):
        pieces.append(text[cursor:].lower().translate(_ASCII_SPACES))
        starts.extend(range(cursor, len(text)))
    return "".join(pieces), starts, [start + 1 for start in starts]


def _ends(length: int) -> list[int]:
    return list(range(1, length + 1))


def _drop(
    chars: str, starts: list[int], ends: list[int], drops: list[tuple[int, int]]
) -> tuple[str, list[int], list[int]]:
    """Remove the spans in `drops`, giving each removed span's source to the character before."""
    if not drops:
        return chars, starts, ends
    kept_chars: list[str] = []
    kept_starts: list[int] = []
    kept_ends: list[int] = []
    cursor = 0
    for drop_start, drop_end in drops:
        kept_chars.append(chars[cursor:drop_start])
        kept_starts.extend(starts[cursor:drop_start])
        kept_ends.extend(ends[cursor:drop_start])
        if kept_ends:
            kept_ends[-1] = max(kept_ends[-1], ends[drop_end - 1])
        cursor = drop_end
    kept_chars.append(chars[cursor:])
    kept_starts.extend(starts[cursor:])
    kept_ends.extend(ends[cursor:])
    return "".join(kept_chars), kept_starts, kept_ends


def _space_drops(chars: str) -> list[tuple[int, int]]:
    return [(m.start() + 1, m.end()) for m in _SPACE_RUNS.finditer(chars)]


def _repeat_drops(chars: str) -> list[tuple[int, int]]:
    """Runs of one character longer than two keep two (`faaaag` -> `faag`)."""
    return [(m.start() + 2, m.end()) for m in _REPEATS.finditer(chars)]


def _spaced_letter_drops(chars: str) -> list[tuple[int, int]]:
    """The separators inside `f a g`, `f.a.g`, `f-4-g`: three or more lone characters."""
    return [
        (m.start() + match.start(), m.end() + match.start())
        for match in _SPACED_LETTERS.finditer(chars)
        for m in _SEPARATORS.finditer(match.group())
    ]


def _read_leetspeak(chars: str) -> str:
    if not _HAS_LEET.search(chars):
        return chars
    return _LEET_CANDIDATE.sub(_decode_leet_token, chars)


def _decode_leet_token(match: re.Match[str]) -> str:
    token = match.group()
    if not any(c.isalpha() for c in token) or not _HAS_LEET.search(token):
        return token
    # A symbol read as a letter can make its neighbour readable too (`0+$a`: `$` -> `s`, then
    # `+` sits between letters): read until nothing changes, so normalising twice changes nothing.
    while True:
        decoded = _decode_leet_once(token)
        if decoded == token:
            return decoded
        token = decoded


def _decode_leet_once(token: str) -> str:
    last = len(token) - 1
    decoded = []
    for index, char in enumerate(token):
        if char in _LEET_DIGITS:
            decoded.append(_LEET_DIGITS[char])
        elif char in _LEET_ANYWHERE_SYMBOLS and index < last:
            decoded.append(_LEET_ANYWHERE_SYMBOLS[char])
        elif char in _LEET_INNER_SYMBOLS and 0 < index < last and _between_alnum(token, index):
            decoded.append(_LEET_INNER_SYMBOLS[char])
        else:
            decoded.append(char)
    return "".join(decoded)


def _between_alnum(token: str, index: int) -> bool:
    return token[index - 1].isalnum() and token[index + 1].isalnum()
