"""How much a comment is about what it answers: the article, its parent, its branch's first comment.

Each comment is embedded once (moderation/embedding.py, MiniLM sentence vectors) and compared by
cosine with the article's chunks, its parent and the top-level comment of its branch. Those
cosines are features of a small logistic model (weights in data/topicality.json, fitted on the
tuning two thirds of tests/data/threads by `parley health fit`), not a fixed cut-off: an on-topic
reply in other words still sits nearer its parent or the article than a reply about something
else does. A short reply that only makes sense with its parent ("I agree.", "Source?") is judged
through its parent: it takes the parent's score.

Lexical overlap (`content_words`) is a further feature: names and rare words the article uses are
strong evidence the embedding alone can miss.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from parley.moderation.normalize import normalized_text

_WORD = re.compile(r"[a-z]{3,}")
WEIGHTS_FILE = "topicality.json"
# At most this many content words, and no question of its own beyond a word or two: a reply
# that leans on its parent for its meaning.
SHORT_REPLY_WORDS = 2
FEATURES = (
    "to_article",  # best cosine to one of the article's chunks
    "to_article_centre",  # cosine to the article as a whole (mean of its chunks)
    "to_parent",  # cosine to the comment replied to (the article's best, for a top-level one)
    "to_root",  # cosine to the branch's top-level comment (the article's best, for one itself)
    "shared_words",  # share of the comment's content words the article or parent uses
    "top_level",  # 1 for a top-level comment
    "parent_off_topic",  # the parent's own score (0 for a top-level comment)
    "follows_off_topic",  # to_parent x parent_off_topic: answering a tangent on its subject
    "follows_on_topic",  # to_parent x (1 - parent_off_topic)
    "tangent_marker",  # "off topic, but", "unrelated:", "speaking of …"
)
# What people write when they know they are changing the subject.
_TANGENT = re.compile(
    r"\b(off[- ]?topic|unrelated|speaking of|talking of|on another note|random question"
    r"|not related|side note|nothing to do with)\b"
)


def content_words(text: str) -> set[str]:
    """Normalised words of three letters or more, stopwords out, plural `s` off."""
    return {
        _stem(word) for word in _WORD.findall(normalized_text(text)) if word not in _stopwords()
    }


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = resources.files("parley.moderation").joinpath("data").joinpath("stopwords.txt")
    return frozenset(path.read_text("utf-8").split())


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True, slots=True)
class Article:
    """An article as comments are compared with it: chunk vectors, their mean, its words."""

    chunks: np.ndarray  # (k, d) unit vectors, the title in the first chunk
    centre: np.ndarray  # (d,) unit vector
    words: frozenset[str]

    @classmethod
    def of(cls, chunks: np.ndarray, text: str) -> Article:
        if len(chunks) == 0:
            raise ValueError("an article needs at least one chunk")
        return cls(chunks, _unit(chunks.mean(axis=0)), frozenset(content_words(text)))

    @property
    def empty(self) -> bool:
        return not self.words


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A comment another one is compared with: its vector, words and its own score."""

    vector: np.ndarray
    off_topic: float
    words: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Topicality:
    """A comment's off-topic score and what it was compared with, for the reason a moderator
    reads."""

    off_topic: float
    to_article: float
    to_parent: float | None
    to_root: float | None
    through_parent: bool = False  # a short reply that took its parent's score

    @property
    def reason(self) -> str:
        """ "closest to the parent, 0.21; to the article, 0.08"."""
        if self.through_parent:
            return f"short reply, judged through its parent ({self.off_topic:.2f} off-topic)"
        cosines = {"the article": self.to_article}
        if self.to_parent is not None:
            cosines["the parent"] = self.to_parent
        if self.to_root is not None:
            cosines["the branch's first comment"] = self.to_root
        ranked = sorted(cosines.items(), key=lambda item: -item[1])
        first, *rest = ranked
        parts = [f"closest to {first[0]}, {first[1]:.2f}"]
        parts += [f"to {name.removeprefix('the ')}, {value:.2f}" for name, value in rest]
        return "; ".join(parts)


class TopicModel:
    """Logistic regression over FEATURES; the shipped weights, or ones just fitted."""

    def __init__(
        self,
        weights: Mapping[str, float],
        bias: float,
        thresholds: Mapping[str, float] | None = None,
    ) -> None:
        self.weights = np.array([float(weights[name]) for name in FEATURES])
        self.bias = float(bias)
        # The derailment thresholds tuned with these weights (thread_health.Thresholds).
        self.thresholds = dict(thresholds or {})

    @classmethod
    def load(cls) -> TopicModel:
        data = json.loads(weights_path().read_text("utf-8"))
        return cls(data["weights"], data["bias"], data.get("thresholds"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": {
                name: round(float(w), 5) for name, w in zip(FEATURES, self.weights, strict=True)
            },
            "bias": round(self.bias, 5),
            "thresholds": self.thresholds,
        }

    def judge(
        self,
        text: str,
        vector: np.ndarray,
        words: set[str],
        article: Article,
        parent: Neighbour | None,
        root: Neighbour | None,
    ) -> Topicality:
        """The comment's off-topic probability, or its parent's for a short reply."""
        features = comment_features(text, vector, words, article, parent, root)
        to_article = features[0]
        to_parent = None if parent is None else features[2]
        to_root = None if root is None or parent is None else features[3]
        if parent is not None and len(words) <= SHORT_REPLY_WORDS:
            return Topicality(parent.off_topic, to_article, to_parent, to_root, True)
        score = 1.0 / (1.0 + math.exp(-(float(features @ self.weights) + self.bias)))
        return Topicality(round(score, 4), to_article, to_parent, to_root)


def weights_path() -> Path:
    """The shipped weights (`parley health eval --fit` rewrites them in a source checkout)."""
    return Path(str(resources.files("parley.moderation").joinpath("data").joinpath(WEIGHTS_FILE)))


def comment_features(
    text: str,
    vector: np.ndarray,
    words: set[str],
    article: Article,
    parent: Neighbour | None,
    root: Neighbour | None,
) -> np.ndarray:
    """FEATURES of one comment, in order."""
    to_article = float(np.max(article.chunks @ vector))
    to_centre = float(article.centre @ vector)
    to_parent = to_article if parent is None else float(parent.vector @ vector)
    to_root = to_article if root is None or parent is None else float(root.vector @ vector)
    context = article.words | (parent.words if parent is not None else frozenset())
    shared = len(words & context) / len(words) if words else 0.0
    parent_off = parent.off_topic if parent is not None else 0.0
    return np.array(
        [
            to_article,
            to_centre,
            to_parent,
            to_root,
            shared,
            1.0 if parent is None else 0.0,
            parent_off,
            to_parent * parent_off,
            to_parent * (1 - parent_off),
            1.0 if _TANGENT.search(text) else 0.0,
        ]
    )


def fit(features: Sequence[np.ndarray], labels: Sequence[bool], l2: float = 0.003) -> TopicModel:
    """Weights for FEATURES by L2-regularised logistic regression (train time, numpy + scipy)."""
    from scipy.optimize import minimize

    x = np.vstack(features)
    y = np.array(labels, dtype=np.float64)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ theta[:-1] + theta[-1]
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-9
        value = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        value += l2 * float(theta[:-1] @ theta[:-1]) / 2
        gradient = np.append(x.T @ (p - y) / len(y) + l2 * theta[:-1], np.mean(p - y))
        return float(value), gradient

    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B")
    theta = result.x
    return TopicModel(dict(zip(FEATURES, theta[:-1], strict=True)), float(theta[-1]))


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
