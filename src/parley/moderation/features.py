"""Text -> sparse TF-IDF features (word 1-2-grams and character 2-4-grams) plus a few lexicon
features (valence, profanity, length), shared by training and prediction so the two can never
disagree.

Identity terms (`gay`, `muslim`, `black`, ...) are replaced by one placeholder (`model_words`)
before anything is counted: the model can learn that a sentence attacks *a group*, but cannot
learn that naming a particular group is itself toxic, which is the bias a model trained on tweets
picks up.
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
    """What the model reads: normalised, without handles and links (see `model_words`)."""
    return model_text_from_normalized(normalized_text(text[:MAX_SCORED_CHARS]))


def model_text_from_normalized(normalized: str) -> str:
    return _NOISE.sub(" ", normalized[:MAX_SCORED_CHARS])


def model_words(text: str) -> list[str]:
    """The words of a model text, each naming a group of people (data/identity-terms.txt)
    replaced by one placeholder, also before an apostrophe (`muslim's`)."""
    identities = _identity_words()
    masked = []
    for word in _WORD.findall(text):
        if word in identities:
            word = IDENTITY_PLACEHOLDER
        elif "'" in word:
            head, _, tail = word.partition("'")
            if head in identities:
                word = f"{IDENTITY_PLACEHOLDER}'{tail}"
        masked.append(word)
    return masked


@lru_cache(maxsize=1)
def _identity_words() -> frozenset[str]:
    terms = resources.files("parley.moderation").joinpath("data").joinpath("identity-terms.txt")
    return frozenset(terms.read_text("utf-8").split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_ngrams(tokens: Sequence[str]) -> list[str]:
    return [*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))]


def char_ngrams(tokens: Iterable[str], sizes: range = range(2, 5)) -> list[str]:
    grams = []
    for token in tokens:
        padded = f" {token} "
        for size in sizes:
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


SECOND_PERSON = frozenset({"you", "your", "u", "ur", "you're", "youre", "yourself", "ya", "yall"})
# Valence bins (VADER's scale, -4 .. 4): how many words of the text fall in each.
VALENCE_BINS = ((-5.0, -2.5), (-2.5, -1.5), (-1.5, -0.4), (0.4, 1.5), (1.5, 2.5), (2.5, 5.0))
LEXICON_FEATURES = (
    *(f"valence [{lo}, {hi})" for lo, hi in VALENCE_BINS),
    "most negative valence",
    "most positive valence",
    "second person x most negative valence",
    "profane words",
    "length",
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word-level prior knowledge the tweets cannot teach: how negative or positive a word is
    (VADER's valence, -4 .. 4, and pattern's adjective polarity x 4 for words VADER lacks) and
    which words are profane (LDNOOBW). Gives `len(LEXICON_FEATURES)` dense columns per text.

    The templates and many comments are decided by an adjective no tweet in the training data
    uses ("a vile ...", "a wonderful ..."): valence generalises to those words.
    """

    valence: Mapping[str, float]
    profane: frozenset[str]

    def features(self, tokens: Sequence[str]) -> np.ndarray:
        get = self.valence.get
        counts = [0] * len(VALENCE_BINS)
        most_negative = most_positive = 0.0
        second_person = profane = 0
        for token in tokens:
            if token in SECOND_PERSON:
                second_person = 1
            if token in self.profane:
                profane += 1
            value = get(token)
            if value is None:
                continue
            for i, (low, high) in enumerate(VALENCE_BINS):
                if low <= value < high:
                    counts[i] += 1
                    break
            if value < most_negative:
                most_negative = value
            elif value > most_positive:
                most_positive = value
        log1p = math.log1p
        return np.array(
            [
                *(log1p(count) for count in counts),
                -most_negative / 4,
                most_positive / 4,
                second_person * -most_negative / 4,
                log1p(profane),
                log1p(len(tokens)) / 5,
            ],
            dtype=np.float32,
        )

    @classmethod
    def shipped(cls) -> Lexicon:
        """Built from the vendored lists in `data/` (see SOURCE.md there); used by training."""
        valence = {}
        for line in _data_lines("pattern-polarity.tsv"):
            word, polarity = line.split("\t")
            if abs(float(polarity)) >= 0.1:
                valence[word] = 4.0 * float(polarity)
        for line in _data_lines("vader_lexicon.txt"):
            word, mean = line.split("\t")[:2]
            valence[word] = float(mean)  # VADER's human ratings win over pattern's
        profane = {w for w in _data_lines("ldnoobw-en.txt") if " " not in w}
        return cls(valence, frozenset(profane))


def _data_lines(name: str) -> list[str]:
    path = resources.files("parley.moderation").joinpath("data").joinpath(name)
    lines = path.read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


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
        unique, counts = _counts(np.asarray(columns, dtype=np.int64))
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


def _counts(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(columns, return_counts=True)` without its overhead (called twice a comment)."""
    if len(columns) == 0:
        return columns, columns
    ordered = np.sort(columns)
    starts = np.empty(len(ordered), dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    return ordered[first], np.diff(first, append=len(ordered))


_NO_COLUMNS = np.empty(0, dtype=np.int64)


class _CharColumnCache(dict[str, np.ndarray]):
    """word -> its character n-gram columns, computed on first use (`cache[word]`)."""

    def __init__(self, vocabulary: Vocabulary, limit: int) -> None:
        super().__init__()
        self._vocabulary = vocabulary
        self._limit = limit

    def __missing__(self, word: str) -> np.ndarray:
        if len(self) >= self._limit:
            self.clear()
        columns = np.array(self._vocabulary.columns(char_ngrams((word,))), dtype=np.int64)
        self[word] = columns
        return columns


class Featurizer:
    """Word and character vocabularies and the lexicon side by side: columns
    [words | characters | lexicon features].

    A word's character n-gram columns are cached: words repeat, so most comments cost one
    dictionary look-up per word.
    """

    _CACHE_LIMIT = 200_000

    def __init__(
        self, word_vocabulary: Vocabulary, char_vocabulary: Vocabulary, lexicon: Lexicon
    ) -> None:
        self.word_vocabulary = word_vocabulary
        self.char_vocabulary = char_vocabulary
        self.lexicon = lexicon
        self._char_offset = len(word_vocabulary.index)
        self._lexicon_offset = self._char_offset + len(char_vocabulary.index)
        self._lexicon_columns = np.arange(
            self._lexicon_offset, self._lexicon_offset + len(LEXICON_FEATURES)
        )
        self._char_columns_by_word = _CharColumnCache(char_vocabulary, self._CACHE_LIMIT)

    @property
    def size(self) -> int:
        return self._lexicon_offset + len(LEXICON_FEATURES)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of one text's feature vector."""
        return self.row_from_model_text(model_text(text))

    def row_from_model_text(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        tokens = model_words(text)
        word_columns, word_values = self.word_vocabulary.tfidf(
            self.word_vocabulary.columns(word_ngrams(tokens))
        )
        cache = self._char_columns_by_word
        char_columns, char_values = self.char_vocabulary.tfidf(
            np.concatenate([cache[token] for token in tokens]) if tokens else _NO_COLUMNS
        )
        columns = np.concatenate(
            [word_columns, char_columns + self._char_offset, self._lexicon_columns]
        )
        return columns, np.concatenate([word_values, char_values, self.lexicon.features(tokens)])

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
