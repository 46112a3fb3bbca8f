"""Language detection: what is said of short comments, and of comments in other languages."""

from __future__ import annotations

import threading

import pytest

from parley.domain.moderation import Language
from parley.moderation.language import (
    SCORED_LANGUAGES,
    LanguageDetector,
    word_list_name,
)
from parley.moderation.rules import load_word_list


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector.load()


def test_load_returns_one_shared_detector() -> None:
    assert LanguageDetector.load() is LanguageDetector.load()
    assert frozenset({"en"}) == SCORED_LANGUAGES


@pytest.mark.parametrize(
    "text",
    ["lol", "10/10", "ok!!", "+1", "great film!", "so true", "haha", "love it", "👍👍", "?", " "],
)
def test_tiny_comments_are_english_on_weak_evidence(detector: LanguageDetector, text: str) -> None:
    # The model alone calls "lol" Sesotho and "so true" Italian; too little to act on.
    detected = detector.detect(text)
    assert detected.code == "en" and not detected.reliable


def test_letterless_text_has_no_confidence(detector: LanguageDetector) -> None:
    assert detector.detect("10/10 !!! 😂") == Language("en", 0.0, reliable=False)


def test_a_short_foreign_phrase_is_not_called_foreign(detector: LanguageDetector) -> None:
    # Fewer than a dozen Latin letters: scored as English rather than guessed at.
    detected = detector.detect("Danke schön!")
    assert detected.code == "en" and not detected.reliable


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("You are an idiot and nobody wants to read your comments.", "en"),
        ("Der Film hat mich wirklich sehr berührt, danke für den Artikel.", "de"),
        ("Ce film m'a vraiment beaucoup touché, merci pour cet article.", "fr"),
        ("Vi el documental anoche y me encantó, gracias por el artículo.", "es"),
        ("Assisti ao documentário ontem à noite e adorei, obrigado.", "pt"),
        ("Ho visto il documentario ieri sera ed è stato bellissimo.", "it"),
        ("Ik heb de documentaire gisteravond gezien en vond hem geweldig.", "nl"),
        ("Obejrzałem wczoraj ten dokument i jestem zachwycony.", "pl"),
        ("Этот фильм меня очень тронул, спасибо за статью.", "ru"),
        ("Belgeseli dün akşam izledim, gerçekten bayıldım.", "tr"),
        ("شاهدت الفيلم الوثائقي أمس وأعجبني جدا.", "ar"),
        ("昨日の夜ドキュメンタリーを見て、すごく良かったです。", "ja"),
        ("昨晚看了这部纪录片，非常喜欢。", "zh"),
    ],
)
def test_comment_length_sentences_are_detected_reliably(
    detector: LanguageDetector, text: str, code: str
) -> None:
    detected = detector.detect(text)
    assert detected.code == code
    assert detected.reliable
    assert 0.5 <= detected.confidence <= 1.0


def test_another_script_rules_english_out_even_when_short(detector: LanguageDetector) -> None:
    detected = detector.detect("ありがとう")
    assert detected.code == "ja" and detected.reliable


def test_confidence_is_the_models_probability_for_the_answer(detector: LanguageDetector) -> None:
    english = detector.detect("Thanks for writing this, it was really helpful.")
    assert english.code == "en" and english.reliable and english.confidence > 0.9
    weak = detector.detect("lol")
    assert 0.0 <= weak.confidence < 0.5


def test_informal_english_stays_english(detector: LanguageDetector) -> None:
    # Texts the model alone puts in Nigerian Pidgin, Frisian or Tagalog.
    for text in (
        "== comment from Sasayama ==  go fuck ya mum!  fuck ya too  fuck off bitch!",
        "Feel the bern",
        "====  Gay propaganda .                Gay propaganda is forbidden.",
        "Mike Trout   Also known as Gavin Whyte",
    ):
        assert detector.detect(text).code == "en", text


def test_only_the_start_of_a_long_comment_is_read(detector: LanguageDetector) -> None:
    text = "Der Film hat mich wirklich sehr berührt. " * 30 + "This part is English. " * 2000
    assert detector.detect(text).code == "de"


def test_detect_is_safe_from_many_threads(detector: LanguageDetector) -> None:
    texts = ["Der Film hat mich wirklich sehr berührt.", "This documentary changed my mind."]
    expected = [detector.detect(text) for text in texts]
    failures: list[str] = []

    def work() -> None:
        for _ in range(50):
            for text, answer in zip(texts, expected, strict=True):
                if detector.detect(text) != answer:
                    failures.append(text)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.parametrize("code", ["en", "de", "fr", "es", "pt", "it"])
def test_each_lexical_language_has_its_word_list(code: str) -> None:
    name = word_list_name(code)
    assert name == f"ldnoobw-{code}.txt"
    terms = load_word_list(name)
    assert len(terms) >= 60 and all(term == term.strip() for term in terms)


def test_languages_without_a_list_have_none() -> None:
    assert word_list_name("ru") is None and word_list_name("nl") is None
