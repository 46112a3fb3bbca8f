"""Lexicon features, the shipped model's copy of the lexicon, and one-pass term lists."""

import numpy as np

from parley.domain.moderation import ModerationContext
from parley.moderation.engine import Engine
from parley.moderation.features import LEXICON_FEATURES, Lexicon, model_words
from parley.moderation.normalize import normalize
from parley.moderation.rules import TermList
from parley.moderation.scorer import LinearModel


def test_lexicon_reads_valence_and_profanity() -> None:
    lexicon = Lexicon.shipped()
    assert lexicon.valence["vile"] < -2 < 2 < lexicon.valence["wonderful"]
    assert "shit" in lexicon.profane
    features = lexicon.features(["you", "are", "vile"])
    assert features.shape == (len(LEXICON_FEATURES),)
    assert np.all(np.isfinite(features))
    assert np.all(lexicon.features([]) == 0)


def test_shipped_model_carries_the_vendored_lexicon() -> None:
    """The model file stores the lexicon it was trained with: it must match `data/`."""
    shipped = LinearModel.load().featurizer.lexicon
    vendored = Lexicon.shipped()
    assert shipped.profane == vendored.profane
    assert shipped.valence.keys() == vendored.valence.keys()
    assert all(abs(shipped.valence[w] - v) < 1e-6 for w, v in vendored.valence.items())


def test_identities_are_masked_word_by_word() -> None:
    assert model_words("the muslim's view and gay rights") == [
        "the", "xgroupx's", "view", "and", "xgroupx", "rights",
    ]  # fmt: skip


def test_negative_words_score_above_positive_ones() -> None:
    engine = Engine.load()
    score = lambda text: engine.assess(text, ModerationContext()).scores["toxicity"]  # noqa: E731
    assert score("Robin is a vile neighbour") > score("Robin is a wonderful neighbour")
    assert score("you are disgusting") > score("you are delightful")


def test_combined_term_lists_name_their_own_list() -> None:
    terms = TermList.combined([("slurs", ["fag"]), ("profanity", ["fag", "shit"]), ("site", [])])
    hits = sorted((hit.list_name, hit.term) for hit in terms.find(normalize("a f a g, shits")))
    assert hits == [("profanity", "fag"), ("profanity", "shit"), ("slurs", "fag")]
    assert list(terms.find(normalize("nothing to see here"))) == []
