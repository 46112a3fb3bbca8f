"""`parley train`: fit the shipped model from `../shared/data` (needs the `train` extra).

Reproducible: the split has a fixed seed (`corpora.SPLIT_SEED`), the vocabularies are sorted, and
the solver is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from parley.moderation import corpora
from parley.moderation.features import (
    Featurizer,
    Lexicon,
    Vocabulary,
    char_ngrams,
    model_text,
    model_words,
    word_ngrams,
)
from parley.moderation.scorer import MODEL_HEADS, LinearModel

MODEL_VERSION = "parley-linear-2"
TOXIGEN_WEIGHT = 4.0  # ToxiGen's few hundred sentences carry the implicit-hate signal
REGULARIZATION_C = 0.3  # stronger than 1.0: n-grams of unknown names add less noise
BALANCED_HEADS = frozenset({"toxicity", "insult"})
WORD_VOCABULARY_SIZE = 60_000
CHAR_VOCABULARY_SIZE = 120_000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class TrainingResult:
    model: LinearModel
    examples: int
    metadata: dict[str, object]


def train(data_dir: Path, progress: Progress | None = None) -> TrainingResult:
    report = progress or (lambda step, done, total: None)
    toxigen_train, _ = corpora.toxigen_split(data_dir)
    examples = corpora.davidson(data_dir) + toxigen_train
    weights = np.array([TOXIGEN_WEIGHT if e.group else 1.0 for e in examples])
    report("read", 0, len(examples))
    tokens = [model_words(model_text(e.text)) for e in examples]
    featurizer = Featurizer(
        Vocabulary.fit((word_ngrams(t) for t in tokens), WORD_VOCABULARY_SIZE, min_df=2),
        Vocabulary.fit((char_ngrams(t) for t in tokens), CHAR_VOCABULARY_SIZE, min_df=3),
        Lexicon.shipped(),
    )
    report("featurize", 0, len(examples))
    matrix = featurizer.matrix(e.text for e in examples)
    columns, biases = [], []
    for done, head in enumerate(MODEL_HEADS):
        report(f"fit {head}", done, len(MODEL_HEADS))
        coefficients, intercept = _fit_head(matrix, examples, weights, head)
        columns.append(coefficients)
        biases.append(intercept)
    report("done", len(MODEL_HEADS), len(MODEL_HEADS))
    model = LinearModel(
        featurizer, np.stack(columns, axis=1), np.array(biases), MODEL_HEADS, MODEL_VERSION
    )
    metadata = {
        "training_examples": len(examples),
        "split_seed": corpora.SPLIT_SEED,
        "toxigen_weight": TOXIGEN_WEIGHT,
        "regularization_c": REGULARIZATION_C,
    }
    return TrainingResult(model, len(examples), metadata)


def _fit_head(
    matrix: sparse.csr_matrix,
    examples: Sequence[corpora.Example],
    weights: np.ndarray,
    head: str,
) -> tuple[np.ndarray, float]:
    """Logistic regression on soft targets: each row twice, as positive (p) and negative (1 - p).

    For `BALANCED_HEADS` classes are balanced, so 0.5 means "as likely toxic as not" whatever
    the data's mix (Davidson's tweets are 83 % offensive, far more than comments on a site);
    the rare labels keep their natural, low prior.
    """
    from sklearn.linear_model import LogisticRegression

    rows = [i for i, e in enumerate(examples) if head in e.targets]
    target = np.array([examples[i].targets[head] for i in rows])
    stacked = sparse.vstack([matrix[rows], matrix[rows]]).tocsr()
    labels = np.concatenate([np.ones(len(rows)), np.zeros(len(rows))])
    sample_weight = np.concatenate([target, 1.0 - target]) * np.tile(weights[rows], 2)
    if head in BALANCED_HEADS:
        sample_weight = _balanced(sample_weight, labels)
    keep = sample_weight > 0
    classifier = LogisticRegression(C=REGULARIZATION_C, max_iter=3000, solver="liblinear")
    classifier.fit(stacked[keep], labels[keep], sample_weight=sample_weight[keep])
    return classifier.coef_[0].astype(np.float32), float(classifier.intercept_[0])


def _balanced(sample_weight: np.ndarray, labels: np.ndarray) -> np.ndarray:
    positive = labels == 1
    total = sample_weight.sum()
    scale = np.where(
        positive,
        total / (2 * sample_weight[positive].sum()),
        total / (2 * sample_weight[~positive].sum()),
    )
    return sample_weight * scale
