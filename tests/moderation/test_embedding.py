"""The shipped sentence encoder: torch-free, unit vectors, truncation, meaning, article chunks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from parley.moderation.embedding import (
    LEADING_CHUNKS,
    MAX_CHUNKS,
    MAX_TOKENS,
    SentenceEncoder,
    sample_chunks,
)

DOCUMENTARY = (
    "The documentary tells how the Japanese army took Nanking in 1937 and murdered its people."
)
CRUELTY = "The cruelty of the Japanese soldiers towards civilians is hard to imagine."
BITCOIN = "Bitcoin rose ten percent after the exchange listed two new crypto tokens."


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


def test_the_shipped_encoder_loads_and_encodes_without_torch() -> None:
    script = (
        "import sys; from parley.moderation.embedding import SentenceEncoder; "
        "e = SentenceEncoder.load(); v = e.encode('hello there'); "
        "print(e.version, v.shape, 'torch' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    version, *_, torch_imported = completed.stdout.split()
    assert version.startswith("minilm-sentence-")
    assert torch_imported == "False"


def test_vectors_are_unit_float32_and_deterministic(encoder: SentenceEncoder) -> None:
    first = encoder.encode(CRUELTY)
    assert first.shape == (encoder.dimensions,) == (384,)
    assert first.dtype == np.float32
    assert np.linalg.norm(first) == pytest.approx(1.0, abs=1e-5)
    assert np.array_equal(first, encoder.encode(CRUELTY))
    many = encoder.encode_many([BITCOIN, CRUELTY])
    assert many.shape == (2, 384)
    assert np.array_equal(many[1], first)
    assert encoder.encode_many([]).shape == (0, 384)


def test_input_is_read_normalised(encoder: SentenceEncoder) -> None:
    disguised = CRUELTY.replace("a", "а")  # Cyrillic а
    assert np.array_equal(encoder.encode(disguised), encoder.encode(CRUELTY))


def test_a_long_comment_is_read_up_to_max_tokens(encoder: SentenceEncoder) -> None:
    words = ("the war was long and the city was full of people " * 20).split()
    assert encoder.token_count(" ".join(words)) == len(words)  # one word piece per word
    head = " ".join(words[: MAX_TOKENS - 2])
    assert np.array_equal(encoder.encode(head + " " + BITCOIN), encoder.encode(head))
    shorter = " ".join(words[: MAX_TOKENS - 20])
    assert not np.array_equal(encoder.encode(shorter + " " + BITCOIN), encoder.encode(shorter))


def test_related_sentences_are_closer_than_unrelated(encoder: SentenceEncoder) -> None:
    documentary, cruelty, bitcoin = encoder.encode_many([DOCUMENTARY, CRUELTY, BITCOIN])
    assert documentary @ cruelty > documentary @ bitcoin + 0.2
    assert cruelty @ documentary > cruelty @ bitcoin + 0.2


def _article(paragraphs: int) -> str:
    sentence = "In part {p} step {s}, the river town rebuilt its bridge after the flood."
    return "\n\n".join(
        " ".join(sentence.format(p=p, s=s) for s in range(6)) for p in range(paragraphs)
    )


def test_a_short_article_is_one_chunk_led_by_its_title(encoder: SentenceEncoder) -> None:
    chunks = encoder.document_chunks("Nanking, 1937", DOCUMENTARY)
    assert chunks == ["nanking, 1937 " + DOCUMENTARY.lower()]
    vectors = encoder.encode_document("Nanking, 1937", DOCUMENTARY)
    assert vectors.shape == (1, 384)
    assert float(vectors[0] @ encoder.encode(chunks[0])) == pytest.approx(1.0, abs=1e-5)
    assert encoder.encode_document("", " \n\n ").shape == (0, 384)


def test_chunks_keep_sentences_whole_and_fit_the_model(encoder: SentenceEncoder) -> None:
    text = _article(4)
    chunks = encoder.document_chunks("Bridges", text)
    assert 1 < len(chunks) <= MAX_CHUNKS
    assert chunks[0].startswith("bridges in part 0 step 0,")
    for chunk in chunks:
        assert encoder.token_count(chunk) <= MAX_TOKENS - 2
        assert chunk.endswith("flood.")  # cut between sentences, not inside one
    assert " ".join(chunks) == " ".join(["bridges", *text.lower().split()])


def test_a_sentence_longer_than_a_chunk_is_cut_between_words(encoder: SentenceEncoder) -> None:
    sentence = " ".join(["forgotten histories of occupied cities"] * 60)  # 300 words
    chunks = encoder.document_chunks("", sentence)
    assert len(chunks) > 2
    assert all(encoder.token_count(chunk) <= MAX_TOKENS - 2 for chunk in chunks)
    assert " ".join(chunks) == sentence


def test_a_long_article_keeps_its_start_and_samples_the_rest(encoder: SentenceEncoder) -> None:
    text = _article(60)
    chunks = encoder.document_chunks("Bridges", text)
    assert len(chunks) == MAX_CHUNKS
    assert chunks[0].startswith("bridges in part 0 step 0,")
    assert chunks[-1].endswith(
        "in part 59 step 5, the river town rebuilt its bridge after the flood."
    )
    assert encoder.encode_document("Bridges", text).shape == (MAX_CHUNKS, 384)


def test_sample_chunks_keeps_the_lead_and_spreads_the_rest() -> None:
    chunks = [str(n) for n in range(100)]
    picked = sample_chunks(chunks)
    assert picked[:LEADING_CHUNKS] == chunks[:LEADING_CHUNKS]
    rest = [int(c) for c in picked[LEADING_CHUNKS:]]
    assert len(picked) == MAX_CHUNKS
    assert rest[0] == LEADING_CHUNKS and rest[-1] == 99
    gaps = np.diff(rest)
    assert gaps.min() >= 12 and gaps.max() <= 14
    assert sample_chunks(chunks[:MAX_CHUNKS]) == chunks[:MAX_CHUNKS]
