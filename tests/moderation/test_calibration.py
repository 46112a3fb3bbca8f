"""Scores are calibrated probabilities: on test splits the model never saw, a score of p means
about p of such comments carry the label, so a site's Perspective thresholds keep their meaning."""

import random

import numpy as np
import pytest
from tests.conftest import SHARED, require

from parley.moderation import corpora
from parley.moderation.engine import Engine
from parley.moderation.evaluate import (
    calibration_table,
    english_scorer,
    expected_calibration_error,
    held_out_sets,
    reliability_svg,
)

PER_SOURCE = 300  # test comments per source: enough bins to measure, quick on 2 cores
ECE_BAR = 0.10


@pytest.fixture(scope="module")
def measured() -> list:
    require((SHARED / "data").is_dir(), "../shared/data is missing")
    sets = held_out_sets(SHARED / "data")
    rng = random.Random(corpora.SPLIT_SEED)
    sample = {
        name: rng.sample(sets[name], min(PER_SOURCE, len(sets[name])))
        for name in corpora.TRAINING_SOURCES
    }
    score = english_scorer(Engine.load(threads=2))
    scores = {name: score([e.text for e in examples]) for name, examples in sample.items()}
    return calibration_table(sample, scores)


def test_every_label_is_calibrated_on_held_out_comments(measured: list) -> None:
    errors = {row.label: round(row.ece, 3) for row in measured}
    assert set(errors) == {
        "toxicity",
        "severe_toxicity",
        "identity_attack",
        "insult",
        "profanity",
        "threat",
    }
    assert all(error <= ECE_BAR for error in errors.values()), errors


def test_a_high_toxicity_score_means_most_raters_agree(measured: list) -> None:
    (toxicity,) = [row for row in measured if row.label == "toxicity"]
    high = [(rate, n) for mean, rate, n in toxicity.points if mean >= 0.8]
    observed = sum(rate * n for rate, n in high) / sum(n for _, n in high)
    assert observed >= 0.7, toxicity.points


def test_ece_is_zero_for_a_perfect_scale_and_large_for_a_wrong_one() -> None:
    labels = np.array([0.0, 0.0, 1.0, 1.0] * 50)
    assert expected_calibration_error(labels, np.array([0.0, 0.0, 1.0, 1.0] * 50)) == 0.0
    assert expected_calibration_error(labels, np.full(200, 0.95)) == pytest.approx(0.45)


def test_the_reliability_plot_is_an_svg_with_every_bin(measured: list) -> None:
    row = measured[0]
    svg = reliability_svg(row.label, row.points, row.ece)
    assert svg.startswith("<svg") and svg.count("<circle") == len(row.points)
