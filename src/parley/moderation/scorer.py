"""The shipped classifier (linear heads over TF-IDF features, numpy only) and the label scores.

The model has heads for the labels the training data speaks to (toxicity, severe_toxicity,
identity_attack, insult). `profanity` and `threat` have no training data here, so they are read
from word-list and pattern hits, weighted by the model's toxicity (see `label_scores`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Protocol

import numpy as np

from parley.moderation.features import (
    Featurizer,
    Lexicon,
    Vocabulary,
    model_text,
    model_text_from_normalized,
)
from parley.moderation.policy import IDENTITY_SLURS_LIST, PROFANITY_LIST, THREAT_LIST
from parley.moderation.rules import RuleHit

MODEL_HEADS = ("toxicity", "severe_toxicity", "identity_attack", "insult")
MODEL_FILE = "parley-linear.npz"
_SLUR_IDENTITY_ATTACK = 0.9


class Classifier(Protocol):
    """Anything that turns texts into per-head probabilities."""

    version: str
    heads: tuple[str, ...]

    def predict(self, texts: Sequence[str]) -> np.ndarray: ...

    def predict_normalized(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Logistic-regression heads over `Featurizer` columns: weights (columns x heads)."""

    featurizer: Featurizer
    weights: np.ndarray
    bias: np.ndarray
    heads: tuple[str, ...]
    version: str

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities (texts x heads) for raw texts."""
        return self._predict([model_text(text) for text in texts])

    def predict_normalized(self, texts: Sequence[str]) -> np.ndarray:
        """The same for texts already passed through `normalize`."""
        return self._predict([model_text_from_normalized(text) for text in texts])

    def _predict(self, model_texts: Sequence[str]) -> np.ndarray:
        logits = np.empty((len(model_texts), len(self.heads)), dtype=np.float64)
        for i, text in enumerate(model_texts):
            columns, values = self.featurizer.row_from_model_text(text)
            logits[i] = values @ self.weights[columns] + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def save(self, path: Path, metadata: Mapping[str, object]) -> None:
        words = self.featurizer.word_vocabulary
        chars = self.featurizer.char_vocabulary
        np.savez_compressed(
            path,
            word_grams=np.array(list(words.index), dtype=np.str_),
            word_idf=words.idf,
            char_grams=np.array(list(chars.index), dtype=np.str_),
            char_idf=chars.idf,
            valence_words=np.array(list(self.featurizer.lexicon.valence), dtype=np.str_),
            valence=np.array(list(self.featurizer.lexicon.valence.values()), dtype=np.float32),
            profane_words=np.array(sorted(self.featurizer.lexicon.profane), dtype=np.str_),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            heads=np.array(self.heads, dtype=np.str_),
            metadata=np.array(json.dumps({**metadata, "version": self.version})),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> LinearModel:
        """Load from `path`, or the model shipped in `parley/moderation/models/`."""
        source = path or _shipped_model()
        with source.open("rb") as file, np.load(file, allow_pickle=False) as archive:
            featurizer = Featurizer(
                _vocabulary(archive["word_grams"], archive["word_idf"]),
                _vocabulary(archive["char_grams"], archive["char_idf"]),
                _lexicon(archive["valence_words"], archive["valence"], archive["profane_words"]),
            )
            metadata = json.loads(str(archive["metadata"]))
            return cls(
                featurizer,
                archive["weights"].astype(np.float32),
                archive["bias"],
                tuple(str(h) for h in archive["heads"]),
                metadata["version"],
            )


def _shipped_model() -> Traversable:
    return resources.files("parley.moderation").joinpath("models").joinpath(MODEL_FILE)


def shipped_model_path() -> Path:
    """Where `parley train` writes the model: inside the package, next to its card."""
    return Path(str(_shipped_model()))


def _lexicon(words: np.ndarray, valence: np.ndarray, profane: np.ndarray) -> Lexicon:
    pairs = zip(words.tolist(), valence.tolist(), strict=True)
    return Lexicon(dict(pairs), frozenset(profane.tolist()))


def _vocabulary(grams: np.ndarray, idf: np.ndarray) -> Vocabulary:
    return Vocabulary({str(gram): i for i, gram in enumerate(grams.tolist())}, idf)


def label_scores(head_scores: Mapping[str, float], hits: Sequence[RuleHit]) -> dict[str, float]:
    """All six labels from the model heads and the default lists' hits."""
    toxicity = head_scores["toxicity"]
    lists = {hit.list_name for hit in hits}
    scores = {head: round(float(head_scores[head]), 4) for head in MODEL_HEADS}
    if IDENTITY_SLURS_LIST in lists:
        scores["identity_attack"] = max(scores["identity_attack"], _SLUR_IDENTITY_ATTACK)
    profane = bool(lists & {PROFANITY_LIST, IDENTITY_SLURS_LIST})
    scores["profanity"] = _lexical_score(profane, toxicity)
    scores["threat"] = _lexical_score(THREAT_LIST in lists, toxicity)
    return scores


def _lexical_score(listed: bool, toxicity: float) -> float:
    """A listed word is strong evidence when the text is also toxic, weak evidence alone."""
    score = 0.6 + 0.4 * toxicity if listed else 0.2 * toxicity
    return round(float(score), 4)
