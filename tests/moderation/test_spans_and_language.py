"""Reasons name the words behind them; languages the model cannot read are never a silent pass."""

import pytest

from parley.domain.moderation import Action, ModerationContext
from parley.moderation.engine import Engine
from parley.moderation.policy import Policy

CONTEXT = ModerationContext()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("You are an idiot and everyone here knows it.", "idiot"),
        ("Great film. The reviewer is a pathetic moron though.", "moron"),
        ("Shut up, you stupid f4gg0t.", "f4gg0t"),
    ],
)
def test_every_reason_of_a_verdict_names_its_spans(engine: Engine, text: str, word: str) -> None:
    verdict = engine.assess(text, CONTEXT)
    assert verdict.action is not Action.PUBLISH, verdict.scores
    named = set()
    for reason in verdict.reasons:
        if reason.action is Action.PUBLISH:
            continue
        assert reason.spans, reason
        for start, end in reason.spans:
            assert 0 <= start < end <= len(text)
            named.add(text[start:end])
    # The span is the word's neighbourhood, not the whole comment (the fallback when no token is
    # marked), so a broken span head fails here.
    assert any(word in part and len(part) < len(text) for part in named), named


def test_a_clean_comment_is_published_with_no_reason(engine: Engine) -> None:
    verdict = engine.assess("The archive footage in this documentary is remarkable.", CONTEXT)
    assert verdict.action is Action.PUBLISH
    assert verdict.reasons == ()
    assert verdict.language == "en"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dieser Film hat mich sehr berührt, die Zeitzeugen erzählen ruhig und genau.", "de"),
        ("Ce documentaire est bouleversant, les témoignages sont très forts.", "fr"),
        ("Este documental es impresionante, los testimonios son muy duros.", "es"),
    ],
)
def test_an_unscored_language_is_flagged_with_its_code(
    engine: Engine, text: str, code: str
) -> None:
    verdict = engine.assess(text, CONTEXT)
    assert verdict.action is Action.FLAG
    assert verdict.language == code
    (reason,) = [r for r in verdict.reasons if r.rule == "unsupported_language"]
    assert code in reason.message


def test_the_site_decides_what_an_unscored_language_gets(engine: Engine) -> None:
    text = "Questo documentario è molto importante e ben fatto."
    held = engine.with_policy(Policy.from_dict({"unsupported_language": "hold"}))
    published = engine.with_policy(Policy.from_dict({"unsupported_language": "publish"}))
    assert held.assess(text, CONTEXT).action is Action.HOLD
    assert published.assess(text, CONTEXT).action is Action.PUBLISH


def test_a_listed_word_in_an_unscored_language_is_held_with_its_span(engine: Engine) -> None:
    text = "Der Rezensent ist ein Arschloch und hat keine Ahnung von Geschichte."
    verdict = engine.assess(text, CONTEXT)
    assert verdict.action is Action.HOLD
    (hit,) = [r for r in verdict.reasons if r.label == "profanity"]
    assert hit.span is not None and text[hit.span[0] : hit.span[1]] == "Arschloch"


def test_the_sites_own_lists_apply_in_a_language_without_a_word_list(engine: Engine) -> None:
    site = engine.with_policy(Policy(block_terms=("spamword",)))
    verdict = site.assess("Этот фильм очень важный, купите spamword сегодня", CONTEXT)
    assert verdict.language == "ru" and verdict.action is Action.REJECT
