"""Text -> sparse TF-IDF features (word 1-2-grams and character 2-5-grams), shared by training
and prediction so the two can never disagree.

Identity terms (`gay`, `muslim`, `black`, ...) are replaced by one placeholder before anything is
counted: the model can learn that a sentence attacks *a group*, but cannot learn that naming a
particular group is itself toxic, which is the bias a model trained on tweets picks up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import numpy as np
from scipy import sparse

from parley.moderation.normalize import normalized_text

IDENTITY_PLACEHOLDER = "xgroupx"
MAX_SCORED_CHARS = 5000  # the model reads this much; rules read everything

_NOISE = re.compile(r"@\w+|https?://\S+|www\.\S+|&\w+;|&#\d+;|\brt\b")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def model_text(text: str) -> str:
    """What the model reads: normalised, without handles and links, identities masked."""
    return model_text_from_normalized(normalized_text(text[:MAX_SCORED_CHARS]))


def model_text_from_normalized(normalized: str) -> str:
    cleaned = _NOISE.sub(" ", normalized[:MAX_SCORED_CHARS])
    return _identity_pattern().sub(IDENTITY_PLACEHOLDER, cleaned)


@lru_cache(maxsize=1)
def _identity_pattern() -> re.Pattern[str]:
    """Words naming a group of people (data/identity-terms.txt), longest first."""
    terms = resources.files("parley.moderation").joinpath("data").joinpath("identity-terms.txt")
    words = sorted(terms.read_text("utf-8").split(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_ngrams(tokens: Sequence[str]) -> list[str]:
    return [*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))]


def char_ngrams(tokens: Iterable[str], sizes: range = range(2, 6)) -> list[str]:
    grams = []
    for token in tokens:
        padded = f" {token} "
        for size in sizes:
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """n-gram -> column, with the inverse document frequency of each column."""

    index: Mapping[str, int]
    idf: np.ndarray

    def columns(self, grams: Iterable[str]) -> list[int]:
        get = self.index.get
        return [column for column in map(get, grams) if column is not None]

    def tfidf(self, columns: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sublinear TF-IDF of the given column occurrences, L2-normalised: (columns, values)."""
        unique, counts = np.unique(np.asarray(columns, dtype=np.int64), return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf[unique]
        norm = float(np.sqrt(values @ values)) or 1.0
        return unique, (values / norm).astype(np.float32)

    @classmethod
    def fit(cls, documents: Iterable[list[str]], max_size: int, min_df: int) -> Vocabulary:
        document_frequency: Counter[str] = Counter()
        total = 0
        for grams in documents:
            document_frequency.update(set(grams))
            total += 1
        kept = [g for g, df in document_frequency.most_common(max_size) if df >= min_df]
        kept.sort()
        idf = np.array(
            [math.log((1 + total) / (1 + document_frequency[g])) + 1 for g in kept],
            dtype=np.float32,
        )
        return cls({gram: i for i, gram in enumerate(kept)}, idf)


class Featurizer:
    """Word and character vocabularies side by side: columns [words | characters].

    A word's character n-gram columns are cached: words repeat, so most comments cost one
    dictionary look-up per word.
    """

    _CACHE_LIMIT = 200_000

    def __init__(self, word_vocabulary: Vocabulary, char_vocabulary: Vocabulary) -> None:
        self.word_vocabulary = word_vocabulary
        self.char_vocabulary = char_vocabulary
        self._char_offset = len(word_vocabulary.index)
        self._char_columns_by_word: dict[str, list[int]] = {}

    @property
    def size(self) -> int:
        return self._char_offset + len(self.char_vocabulary.index)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of one text's feature vector."""
        return self.row_from_model_text(model_text(text))

    def row_from_model_text(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        tokens = words(text)
        word_columns, word_values = self.word_vocabulary.tfidf(
            self.word_vocabulary.columns(word_ngrams(tokens))
        )
        char_columns, char_values = self.char_vocabulary.tfidf(
            [column for token in tokens for column in self._char_columns(token)]
        )
        columns = np.concatenate([word_columns, char_columns + self._char_offset])
        return columns, np.concatenate([word_values, char_values])

    def _char_columns(self, token: str) -> list[int]:
        cached = self._char_columns_by_word.get(token)
        if cached is None:
            if len(self._char_columns_by_word) >= self._CACHE_LIMIT:
                self._char_columns_by_word.clear()
            cached = self.char_vocabulary.columns(char_ngrams((token,)))
            self._char_columns_by_word[token] = cached
        return cached

    def matrix(self, texts: Iterable[str]) -> sparse.csr_matrix:
        indptr, indices, data = [0], [], []
        for text in texts:
            columns, values = self.row(text)
            indices.append(columns)
            data.append(values)
            indptr.append(indptr[-1] + len(columns))
        shape = (len(indptr) - 1, self.size)
        return sparse.csr_matrix(
            (np.concatenate(data), np.concatenate(indices), np.array(indptr)), shape=shape
        )
