"""How much a comment is about what it replies to: the share of its content words found there.

Lexical, not semantic: cheap enough to run on every comment, and explainable ("shares 3 of 20
words with the article"). Words are normalised and crudely stemmed (plural `s` dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from parley.moderation.normalize import normalized_text

_WORD = re.compile(r"[a-z]{3,}")


def content_words(text: str) -> set[str]:
    """Normalised words of three letters or more, stopwords out, plural `s` off."""
    return {
        _stem(word) for word in _WORD.findall(normalized_text(text)) if word not in _stopwords()
    }


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = resources.files("parley.moderation").joinpath("data").joinpath("stopwords.txt")
    return frozenset(path.read_text("utf-8").split())


def topicality(comment: str, *contexts: str) -> float:
    """Share of the comment's content words that occur in any of `contexts`; 1.0 if it has none."""
    words = content_words(comment)
    if not words:
        return 1.0
    context_words = _union(content_words(context) for context in contexts)
    return len(words & context_words) / len(words)


def _union(sets: Iterable[set[str]]) -> set[str]:
    merged: set[str] = set()
    for words in sets:
        merged |= words
    return merged


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
