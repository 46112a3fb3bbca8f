"""The hand-written functional suite (tests/data/functional): measured, with the issue's bars.

A case is right when the default policy's verdict matches its gold label: hateful and abusive
comments must not be published unflagged, "ok" ones must be published. The held-out third of
the functionalities was never used to tune anything; it has to clear the same bars.
"""

from pathlib import Path

import pytest

from parley.moderation.engine import Engine
from parley.moderation.evaluate import (
    FUNCTIONAL_HELD_OUT,
    FunctionalResult,
    functional_results,
    read_functional,
)

CASES = Path(__file__).parents[1] / "data" / "functional" / "cases.jsonl"
OVERALL_BAR = 0.85
FUNCTIONALITY_BAR = 0.70
# Functionalities parley-minilm-1 is known to miss the bar on, with the measured accuracy
# (MODEL_CARD.md, known limits). Each is checked apart, strictly: when the model clears the bar
# the xfail fails, and the entry must go.
KNOWN_SHORTFALLS = {"opinion_hateful": 0.444}


@pytest.fixture(scope="module")
def results() -> dict[str, FunctionalResult]:
    return functional_results(Engine.load(threads=2), read_functional(CASES))


def test_the_suite_is_large_and_a_third_is_held_out() -> None:
    cases = read_functional(CASES)
    functionalities = {case.functionality for case in cases}
    assert len(cases) >= 1000
    assert functionalities >= FUNCTIONAL_HELD_OUT
    assert len(FUNCTIONAL_HELD_OUT) == len(functionalities) // 3
    assert {case.label for case in cases} == {"hateful", "abusive", "ok"}


def test_overall_accuracy(results: dict[str, FunctionalResult]) -> None:
    report = ", ".join(
        f"{name} {results[name].accuracy:.3f}" for name in ("all", "tuned", "held-out")
    )
    assert results["all"].accuracy >= OVERALL_BAR, report
    assert results["held-out"].accuracy >= OVERALL_BAR, report


def test_every_functionality_clears_its_bar(results: dict[str, FunctionalResult]) -> None:
    below = {
        name: round(result.accuracy, 3)
        for name, result in results.items()
        if result.accuracy < FUNCTIONALITY_BAR and name not in KNOWN_SHORTFALLS
    }
    assert not below, below


@pytest.mark.xfail(strict=True, reason="known shortfall of parley-minilm-1 (MODEL_CARD.md)")
@pytest.mark.parametrize("name", sorted(KNOWN_SHORTFALLS))
def test_known_shortfalls_still_miss_the_bar(
    results: dict[str, FunctionalResult], name: str
) -> None:
    assert results[name].accuracy >= FUNCTIONALITY_BAR, round(results[name].accuracy, 3)
