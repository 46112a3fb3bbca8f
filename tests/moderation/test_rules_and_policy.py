"""Word lists, site policy and the verdicts they give."""

import pytest

from parley.domain.moderation import Action, ModerationContext
from parley.moderation.normalize import normalize
from parley.moderation.policy import Policy, Thresholds
from parley.moderation.rules import PatternList, TermList, load_word_list


def test_terms_match_whole_words_plurals_and_phrases() -> None:
    terms = TermList("t", ["ass", "piece of shit", "g-spot"])
    found = lambda text: [h.term for h in terms.find(normalize(text))]  # noqa: E731
    assert found("kiss my ass") == ["ass"]
    assert found("asses") == ["ass"]
    assert found("a classic assassin, as usual") == []
    assert found("what a piece   of shit") == ["piece of shit"]
    assert found("the g-spot") == ["g-spot"]


def test_hit_span_is_the_original_text() -> None:
    text = "Well, you're a F-4-G!!"
    (hit,) = TermList("t", ["fag"]).find(normalize(text))
    assert text[hit.span[0] : hit.span[1]] == hit.matched_text == "F-4-G"


def test_patterns_search_normalised_text() -> None:
    (hit,) = PatternList("hold", [r"\bbuy now\b"]).find(normalize("BUY   NOW!!!"))
    assert hit.matched_text == "BUY   NOW"


def test_vendored_lists_load() -> None:
    assert "fag" in load_word_list("identity-slurs.txt")
    assert set(load_word_list("identity-slurs.txt")) <= set(load_word_list("ldnoobw-en.txt"))


def test_policy_round_trips_through_a_dict() -> None:
    data = {
        "thresholds": {"toxicity": {"flag": 0.5, "hold": 0.8, "reject": 0.99}},
        "block_terms": ["spamword"],
        "hold_patterns": [r"https?://"],
        "allow_terms": ["scunthorpe"],
        "hold_first_time": True,
    }
    policy = Policy.from_dict(data)
    assert policy.thresholds["toxicity"] == Thresholds(0.5, 0.8, 0.99)
    assert Policy.from_dict(policy.to_dict()) == policy


@pytest.mark.parametrize(
    "data",
    [
        {"thresholds": {"toxicity": {"flag": 2}}},
        {"thresholds": {"rudeness": {"flag": 0.5}}},
        {"hold_patterns": ["("]},
        {"block_terms": "one"},
        {"colour": "red"},
    ],
)
def test_bad_policy_is_a_clear_error(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Policy.from_dict(data)


def test_strictest_reason_wins_and_every_reason_is_explained() -> None:
    policy = Policy.from_dict({"thresholds": {"toxicity": {"flag": 0.5, "hold": 0.9}}})
    action, reasons = policy.decide({"toxicity": 0.95, "insult": 0.1}, [], ModerationContext())
    assert action is Action.HOLD
    assert reasons[0].label == "toxicity" and reasons[0].threshold == 0.9
    assert reasons[0].score == 0.95


def test_first_time_authors_can_be_held() -> None:
    policy = Policy(hold_first_time=True)
    action, _ = policy.decide({}, [], ModerationContext(first_time_author=True))
    assert action is Action.HOLD


def test_lower_case_patterns_find_the_same_as_case_insensitive_ones() -> None:
    from parley.moderation.engine import THREAT_PATTERNS

    texts = ["I'll KILL you", "kill yourself", "Watch your back, kys", "we will hunt you", "hi"]
    fast = PatternList("threat", THREAT_PATTERNS, lower_case=True)
    plain = PatternList("threat", THREAT_PATTERNS)
    for text in texts:
        assert list(fast.find(normalize(text))) == list(plain.find(normalize(text)))
    assert len(list(fast.find(normalize("Watch your back, kys")))) == 2
