"""v1's linear model (TF-IDF heads, numpy only), kept as a fast scorer to compare v2 against.

Its heads are toxicity, severe_toxicity, identity_attack and insult, uncalibrated; `parley train
--linear` rebuilds it. The engine serves the fine-tuned transformer (`transformer.py`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np

from parley.moderation.features import (
    Featurizer,
    Lexicon,
    Vocabulary,
    model_text,
    model_text_from_normalized,
)
from parley.moderation.normalize import NormalizedText
from parley.moderation.transformer import Prediction

MODEL_HEADS = ("toxicity", "severe_toxicity", "identity_attack", "insult")
MODEL_FILE = "parley-linear.npz"


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


@dataclass(frozen=True, slots=True)
class LinearScorer:
    """v1's linear heads as an engine scorer (kept to compare against; no spans, no calibration)."""

    model: LinearModel

    @property
    def version(self) -> str:
        return self.model.version

    @classmethod
    def load(cls) -> LinearScorer:
        return cls(LinearModel.load())

    def predict(self, texts: Sequence[NormalizedText]) -> list[Prediction]:
        probabilities = self.model.predict_normalized([t.text for t in texts])
        return [
            Prediction(
                {h: round(float(p), 4) for h, p in zip(self.model.heads, row, strict=True)}, ()
            )
            for row in probabilities
        ]


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
