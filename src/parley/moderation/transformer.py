"""The fine-tuned MiniLM run through ONNX Runtime: calibrated label scores and toxic spans.

No torch here: `onnxruntime` runs the int8 graph, `tokenizers` the WordPiece tokenizer. The model
reads normalised text; spans come back in the coordinates of the text the author wrote.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from parley.moderation.normalize import NormalizedText

MODEL_DIR = "minilm"
MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
SETTINGS_FILE = "model.json"
SPAN_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Prediction:
    """Calibrated probability per label, and the original-text spans the token head marked."""

    scores: dict[str, float]
    spans: tuple[tuple[int, int], ...]


class Calibrator:
    """Piecewise-linear isotonic maps from raw logits to probabilities, one per label."""

    def __init__(self, points: dict[str, dict[str, list[float]]], labels: Sequence[str]) -> None:
        self._maps = [
            (np.array(points[label]["logits"]), np.array(points[label]["probabilities"]))
            for label in labels
        ]

    def __call__(self, logits: np.ndarray) -> np.ndarray:
        out = np.empty_like(logits, dtype=np.float64)
        for column, (xs, ys) in enumerate(self._maps):
            out[:, column] = np.interp(logits[:, column], xs, ys)
        return out


class TransformerModel:
    """Thread-safe: an ONNX Runtime session and a configured tokenizer may be shared by threads."""

    def __init__(self, directory: Path | Any, threads: int = 1) -> None:
        settings = json.loads(directory.joinpath(SETTINGS_FILE).read_text())
        self.version: str = settings["version"]
        self.labels: tuple[str, ...] = tuple(settings["labels"])
        self.metadata = settings
        self._calibrate = Calibrator(settings["calibration"], self.labels)
        tokenizer_json = directory.joinpath(TOKENIZER_FILE).read_text()
        self._tokenizer = wordpiece(tokenizer_json, int(settings["max_tokens"]))
        self._session = onnx_session(directory.joinpath(MODEL_FILE).read_bytes(), threads)

    @classmethod
    def load(cls, directory: Path | None = None, threads: int = 1) -> TransformerModel:
        """The model shipped in `parley/moderation/models/minilm/`, or one in `directory`."""
        return cls(directory or shipped_directory(), threads)

    def predict(self, texts: Sequence[NormalizedText]) -> list[Prediction]:
        """One run per text: the int8 graph quantises activations per tensor, so a padded batch
        would give a comment a score that depends on its neighbours (and batching buys little
        on CPU once padding is paid for)."""
        predictions = []
        for text in texts:
            encoding = self._tokenizer.encode(text.text)
            label_logits, token_logits = self._run(encoding.ids)
            probabilities = self._calibrate(label_logits[None, :])[0]
            scores = {
                label: round(float(p), 4)
                for label, p in zip(self.labels, probabilities, strict=True)
            }
            token_probabilities = 1.0 / (1.0 + np.exp(-token_logits))
            predictions.append(
                Prediction(scores, _spans(text, encoding.offsets, token_probabilities))
            )
        return predictions

    def raw_logits(self, texts: Sequence[NormalizedText]) -> np.ndarray:
        """Uncalibrated label logits, as `predict` computes them (for fitting the calibration)."""
        return np.array([self._run(self._tokenizer.encode(t.text).ids)[0] for t in texts])

    def _run(self, token_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Label logits and per-token span logits of one text."""
        ids = np.array([token_ids], dtype=np.int64)
        label_logits, token_logits = self._session.run(
            None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        )
        return label_logits[0], token_logits[0]


def wordpiece(tokenizer_json: str, max_tokens: int | None) -> Any:
    """The WordPiece tokenizer, unpadded, truncated at `max_tokens` (None: never)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(tokenizer_json)
    if max_tokens is None:
        tokenizer.no_truncation()
    else:
        tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


def onnx_session(model: bytes, threads: int) -> Any:
    """An ONNX Runtime session on the CPU, `threads` for each operator, fully optimised."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def shipped_directory() -> Any:
    return resources.files("parley.moderation").joinpath("models").joinpath(MODEL_DIR)


def _spans(
    text: NormalizedText, offsets: Sequence[tuple[int, int]], probabilities: np.ndarray
) -> tuple[tuple[int, int], ...]:
    """Runs of marked tokens, widened to whole words, as spans of the original text."""
    marked = [
        (start, end)
        for (start, end), p in zip(offsets, probabilities, strict=False)
        if end > start and p >= SPAN_THRESHOLD
    ]
    merged: list[list[int]] = []
    for start, end in marked:
        start, end = _word_bounds(text.text, start, end)
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(text.original_span(start, end) for start, end in merged)


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end
