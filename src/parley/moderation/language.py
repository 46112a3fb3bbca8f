"""Which language a comment is in, so that only what the models can read is scored by them.

The model is py3langid's (a naive Bayes model over byte n-grams, 139 languages, shipped inside
the wheel; chosen and measured in `bench/language.py`). On its own it calls "lol" Sesotho and
"so true" Italian, so the answer goes through one policy, tuned on that bench:

- Every answer is a language to act on; there is no "undetermined". Where the evidence is weak
  the answer is English with `reliable=False`: a text with no letters ("10/10", "+1", "👍"),
  a text mostly in Latin letters with fewer than `MIN_LATIN_LETTERS` of them ("lol", "ok!!",
  "great film!"), or one whose best language other than English has a probability under
  `MIN_PROBABILITY`. Such a text gives a language-specific model nothing to misread, and
  English is the language Parley scores, so it is scored rather than passed to a word list.
- A text mostly in Latin letters is another language only on strong evidence: at least
  `MIN_LATIN_LETTERS` letters and a probability of at least `MIN_PROBABILITY`.
- A text mostly in another script (Cyrillic, Arabic, CJK, ...) is not English whatever the
  length: the script rules English out, so `MIN_SCRIPT_LETTERS` letters make the answer
  reliable, and `confidence` says how sure the model is of the particular language.
- Nigerian Pidgin (`pcm`) counts as English: it is English-lexified, the English models read it
  as well as anything Parley has, and it is where the model puts informal English it is unsure of.

`code` is ISO 639-1 ("en", "de"); a member of a macrolanguage is given as the macrolanguage
(Cantonese `yue` as `zh`, Egyptian Arabic `arz` as `ar`); a language with no ISO 639-1 code
keeps its ISO 639-3 code ("ace", "fuv"), as BCP 47 does. `confidence` is the model's
probability for `code`, 0..1 (for a weak-evidence English answer, the probability it gave
English, which may be small).
"""

from __future__ import annotations

import re
import threading
from typing import ClassVar

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from parley.domain.moderation import Language

# The languages Parley's models score; every other language gets the lexical tier.
SCORED_LANGUAGES = frozenset({"en"})
# Languages with a vendored LDNOOBW word list, `data/ldnoobw-{code}.txt` (see data/SOURCE.md).
WORD_LIST_LANGUAGES = frozenset({"en", "de", "fr", "es", "pt", "it"})

ENGLISH = "en"
MIN_LATIN_LETTERS = 12
MIN_SCRIPT_LETTERS = 2
MIN_PROBABILITY = 0.5
# The model reads the start only: evidence enough, and a 20 KB comment costs no more (~0.25 ms).
MAX_CHARS = 1000

_LETTER = re.compile(r"[^\W\d_]")
# Basic Latin, Latin-1, Latin Extended-A/B and Latin Extended Additional (Vietnamese) letters.
_LATIN_LETTER = re.compile(
    r"[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
)
_MACROLANGUAGE = {"yue": "zh", "wuu": "zh", "ary": "ar", "arz": "ar", "uzs": "uz", "gug": "gn"}
_AS_ENGLISH = frozenset({"en", "pcm"})
_NOT_A_LANGUAGE = "zxx"  # the model's class for numbers, markup and identifiers


class LanguageDetector:
    """Thread-safe: `detect` reads the loaded model only."""

    _loaded: ClassVar[LanguageDetector | None] = None
    _loading: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, identifier: LanguageIdentifier) -> None:
        self._identifier = identifier

    @classmethod
    def load(cls) -> LanguageDetector:
        """The detector with the model shipped in py3langid, loaded once per process (~0.7 s)."""
        with cls._loading:
            if cls._loaded is None:
                cls._loaded = cls(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
            return cls._loaded

    def detect(self, text: str) -> Language:
        text = text[:MAX_CHARS]
        letters = len(_LETTER.findall(text))
        if not letters:
            return Language(ENGLISH, 0.0, reliable=False)
        probabilities = self._probabilities(text)
        english = probabilities.pop(ENGLISH, 0.0)
        code, probability = max(probabilities.items(), key=_probability, default=(ENGLISH, 0.0))
        latin = len(_LATIN_LETTER.findall(text))
        latin_script = 2 * latin > letters
        if latin_script:
            enough = latin >= MIN_LATIN_LETTERS
        else:
            enough = letters - latin >= MIN_SCRIPT_LETTERS
        if english >= probability:
            return Language(ENGLISH, english, reliable=enough and english >= MIN_PROBABILITY)
        if not latin_script:
            return Language(code, probability, reliable=enough)
        if enough and probability >= MIN_PROBABILITY:
            return Language(code, probability, reliable=True)
        return Language(ENGLISH, english, reliable=False)

    def _probabilities(self, text: str) -> dict[str, float]:
        """Language -> probability, English-like and macrolanguage members merged."""
        merged: dict[str, float] = {}
        for label, probability in self._identifier.rank(text):
            if label == _NOT_A_LANGUAGE:
                continue
            code = ENGLISH if label in _AS_ENGLISH else _MACROLANGUAGE.get(label, label)
            merged[code] = merged.get(code, 0.0) + float(probability)
        return merged


def _probability(item: tuple[str, float]) -> float:
    return item[1]


def word_list_name(code: str) -> str | None:
    """The name of the vendored word list for `code` (for `rules.load_word_list`), if any."""
    return f"ldnoobw-{code}.txt" if code in WORD_LIST_LANGUAGES else None
