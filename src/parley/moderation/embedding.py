"""Sentence vectors for topicality: all-MiniLM-L6-v2 as an int8 ONNX graph, no torch.

`onnxruntime` runs the graph `parley export-encoder` wrote (mean pooling and L2 normalisation are
inside it), `tokenizers` the WordPiece tokenizer; a vector is float32, 384 wide, of unit norm, so
the cosine of two texts is their dot product. The encoder reads the same normalised text as the
moderation model (homoglyphs, leetspeak and spacing tricks undone) and at most `MAX_TOKENS`
tokens, the length the base model was trained at.

An article is longer than that: `encode_document` cuts it into chunks of whole sentences (a
sentence longer than a chunk is cut between words), gives the title to the first chunk, and
keeps at most `MAX_CHUNKS` chunks, so a comment can be compared with each part of the article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from parley.moderation.normalize import normalized_text
from parley.moderation.transformer import onnx_session, wordpiece

MODEL_DIR = "sentence"
MODEL_FILE = "encoder.int8.onnx"
SETTINGS_FILE = "encoder.json"
MAX_TOKENS = 128  # [CLS] and [SEP] included
MAX_CHUNKS = 16
LEADING_CHUNKS = MAX_CHUNKS // 2  # of a longer article, always kept

_CONTENT_TOKENS = MAX_TOKENS - 2
_PARAGRAPHS = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


class SentenceEncoder:
    """Thread-safe: an ONNX Runtime session and a configured tokenizer may be shared by threads."""

    def __init__(self, directory: Path | Any, threads: int = 1) -> None:
        settings = json.loads(directory.joinpath(SETTINGS_FILE).read_text())
        self.version: str = settings["version"]
        self.dimensions: int = int(settings["dimensions"])
        self.metadata = settings
        tokenizer_json = directory.joinpath(*settings["tokenizer"].split("/")).read_text()
        self._tokenizer = wordpiece(tokenizer_json, MAX_TOKENS)
        self._counter = wordpiece(tokenizer_json, None)  # the whole text, for lengths
        self._session = onnx_session(directory.joinpath(MODEL_FILE).read_bytes(), threads)

    @classmethod
    def load(cls, directory: Path | None = None, threads: int = 1) -> SentenceEncoder:
        """The encoder shipped in `parley/moderation/models/sentence/`, or one in `directory`."""
        return cls(directory or shipped_directory(), threads)

    def encode(self, text: str) -> np.ndarray:
        """The unit vector of `text` (its first `MAX_TOKENS` tokens), float32, shape (384,)."""
        return self._run(self.token_ids(text))

    def encode_many(self, texts: Iterable[str]) -> np.ndarray:
        """One vector per text, shape (n, 384). One run per text: the int8 graph quantises
        activations per tensor, padding included, so inside a padded batch a text's vector would
        depend on its neighbours (measured: cosine 0.991-0.994 to its own vector in a padded
        batch of five)."""
        vectors = [self.encode(text) for text in texts]
        return np.array(vectors, dtype=np.float32).reshape(len(vectors), self.dimensions)

    def encode_document(self, title: str, text: str) -> np.ndarray:
        """One vector per chunk of the article, shape (k, 384), 1 <= k <= `MAX_CHUNKS` (0 when
        title and text are both blank)."""
        chunks = self.document_chunks(title, text)
        vectors = [self._run(self._tokenizer.encode(chunk).ids) for chunk in chunks]
        return np.array(vectors, dtype=np.float32).reshape(len(vectors), self.dimensions)

    def document_chunks(self, title: str, text: str) -> list[str]:
        """The chunks `encode_document` reads, already normalised: whole sentences packed up to
        `MAX_TOKENS`, the title in front of the first, then `sample_chunks`."""
        pieces = [normalized_text(title).strip(), *_sentences(text)]
        return sample_chunks(self._pack(piece for piece in pieces if piece))

    def token_count(self, text: str) -> int:
        """Word pieces of the normalised text, untruncated, without [CLS] and [SEP]."""
        return len(self._counter.encode(normalized_text(text), add_special_tokens=False).ids)

    def token_ids(self, text: str) -> list[int]:
        """The ids the graph reads for `text`: normalised, truncated, [CLS] and [SEP] added."""
        return list(self._tokenizer.encode(normalized_text(text)).ids)

    def _run(self, token_ids: Sequence[int]) -> np.ndarray:
        ids = np.array([token_ids], dtype=np.int64)
        (embedding,) = self._session.run(
            None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        )
        return np.asarray(embedding[0], dtype=np.float32)

    def _pack(self, pieces: Iterable[str]) -> list[str]:
        """Greedily join consecutive pieces into chunks of at most `_CONTENT_TOKENS` word pieces;
        a piece longer than that is cut between word pieces first."""
        chunks: list[str] = []
        current: list[str] = []
        used = 0
        for piece in pieces:
            for part, length in self._windows(piece):
                if current and used + length > _CONTENT_TOKENS:
                    chunks.append(" ".join(current))
                    current, used = [], 0
                current.append(part)
                used += length
        if current:
            chunks.append(" ".join(current))
        return chunks

    def _windows(self, piece: str) -> list[tuple[str, int]]:
        """`piece` (normalised) as parts of at most `_CONTENT_TOKENS` word pieces, cut between
        words (inside a word only when the word alone is longer)."""
        encoding = self._counter.encode(piece, add_special_tokens=False)
        if len(encoding.ids) <= _CONTENT_TOKENS:
            return [(piece, len(encoding.ids))] if encoding.ids else []
        offsets = encoding.offsets
        return [
            (piece[offsets[start][0] : offsets[end - 1][1]], end - start)
            for start, end in _join_ranges(_word_ranges(encoding.word_ids))
        ]


def _word_ranges(word_ids: Sequence[int | None]) -> list[tuple[int, int]]:
    """Token ranges of the words, a word longer than a chunk cut into chunk-sized ranges."""
    bounds = [i for i in range(1, len(word_ids)) if word_ids[i] != word_ids[i - 1]]
    ranges = []
    for start, end in zip([0, *bounds], [*bounds, len(word_ids)], strict=True):
        ranges.extend(
            (first, min(first + _CONTENT_TOKENS, end))
            for first in range(start, end, _CONTENT_TOKENS)
        )
    return ranges


def _join_ranges(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive token ranges merged greedily while the result fits in a chunk."""
    joined: list[tuple[int, int]] = []
    for start, end in ranges:
        if joined and end - joined[-1][0] <= _CONTENT_TOKENS:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def sample_chunks(chunks: Sequence[str], limit: int = MAX_CHUNKS) -> list[str]:
    """All chunks when they are few; else the first `LEADING_CHUNKS` (the lede and title set the
    topic most comments answer) and the rest sampled evenly to the last chunk, so a comment on a
    later section still finds a part of the article near it, at a bounded cost per article."""
    if len(chunks) <= limit:
        return list(chunks)
    lead = min(LEADING_CHUNKS, limit)
    rest = len(chunks) - lead
    picks = np.linspace(0, rest - 1, limit - lead).round().astype(int)
    return list(chunks[:lead]) + [chunks[lead + int(i)] for i in picks]


def _sentences(text: str) -> Iterable[str]:
    """Normalised sentences, paragraph by paragraph (normalising joins lines, so split first)."""
    for paragraph in _PARAGRAPHS.split(text):
        for sentence in _SENTENCE_END.split(paragraph):
            normalized = normalized_text(sentence).strip()
            if normalized:
                yield normalized


def shipped_directory() -> Any:
    return resources.files("parley.moderation").joinpath("models").joinpath(MODEL_DIR)
