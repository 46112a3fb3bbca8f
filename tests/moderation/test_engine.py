"""The engine with the shipped model: verdicts, the seed case, bad input, speed of loading."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from parley.domain.moderation import Action, ModerationContext
from parley.moderation.engine import Engine
from parley.moderation.policy import LABELS, Policy

CONTEXT = ModerationContext()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def test_the_shipped_model_loads_without_torch_or_network() -> None:
    """In a fresh interpreter: the ONNX model, tokenizer and calibration from the package alone
    (its load time is measured by bench/moderation.py, not asserted here)."""
    script = (
        "import sys, socket\n"
        "socket.socket = None  # any network use fails\n"
        "from parley.moderation.engine import Engine\n"
        "from parley.domain.moderation import ModerationContext\n"
        "engine = Engine.load()\n"
        "verdict = engine.assess('you are an idiot', ModerationContext())\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
        "print(engine.model_version, verdict.action.value, verdict.scores['insult'])\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    version, action, insult = completed.stdout.split()
    assert version.startswith("parley-minilm") and action != "publish" and float(insult) > 0.5


def test_identity_slur_is_held_with_its_span(engine: Engine) -> None:
    text = "Putin is a f4g who hides it"
    verdict = engine.assess(text, CONTEXT)
    assert verdict.action is Action.HOLD
    (slur,) = [r for r in verdict.reasons if r.rule == "fag"]
    assert slur.label == "identity_attack" and slur.span is not None
    assert text[slur.span[0] : slur.span[1]] == "f4g"


def test_naming_an_identity_is_not_toxic(engine: Engine) -> None:
    for text in ("I am a gay man", "I am a proud Muslim woman", "My neighbours are Jewish"):
        verdict = engine.assess(text, CONTEXT)
        assert verdict.action is Action.PUBLISH, (text, verdict.scores)


def test_every_label_is_a_probability(engine: Engine) -> None:
    verdict = engine.assess("You are a stupid idiot and I hate you", CONTEXT)
    assert set(verdict.scores) == set(LABELS)
    assert all(0.0 <= score <= 1.0 for score in verdict.scores.values())
    assert verdict.model_version == engine.model_version


def test_site_lists_block_and_allow(engine: Engine) -> None:
    site = engine.with_policy(Policy(block_terms=("spamword",), allow_terms=("fag",)))
    assert site.assess("buy spamword now", CONTEXT).action is Action.REJECT
    assert all(r.rule != "fag" for r in site.assess("fag", CONTEXT).reasons)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "a" * 100_000, "word " * 20_000, "\x00\x01\x1b[31m bell\x07", "😀" * 10_000,
     "\ud800 lone surrogate", "\u202e\u200b\ufeff", "ﷺ" * 1000],
)  # fmt: skip
def test_bad_input_gives_a_verdict(engine: Engine, text: str) -> None:
    verdict = engine.assess(text, CONTEXT)
    assert verdict.action in set(Action)
    assert set(verdict.scores) == set(LABELS)


def test_non_text_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(TypeError, match="must be str"):
        engine.assess(b"bytes", CONTEXT)  # type: ignore[arg-type]


def test_assess_is_thread_safe(engine: Engine) -> None:
    texts = [f"comment number {i} about the film, you idiot" for i in range(200)]
    expected = [engine.assess(t, CONTEXT).scores for t in texts]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda t: engine.assess(t, CONTEXT).scores, texts)) == expected
