"""The moderation engine: detect the language, normalise, match lists, score, apply the policy."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

from parley.domain.moderation import Action, Language, ModerationContext, Reason, Verdict
from parley.moderation.language import SCORED_LANGUAGES, word_list_name
from parley.moderation.language import LanguageDetector as ShippedLanguageDetector
from parley.moderation.normalize import NormalizedText, normalize
from parley.moderation.policy import (
    ALLOW_LIST,
    BLOCK_LIST,
    HOLD_LIST,
    IDENTITY_SLURS_LIST,
    LABELS,
    LINK_LIST,
    PERSONAL_DATA_LIST,
    PROFANITY_LIST,
    THREAT_LIST,
    Policy,
)
from parley.moderation.rules import (
    PatternList,
    RuleHit,
    TermList,
    links,
    load_word_list,
    personal_data,
)
from parley.moderation.transformer import Prediction, TransformerModel

# Said as threats in comments; matched on normalised text, identities already lower-case.
THREAT_PATTERNS = (
    r"\b(?:i ?'?ll|i will|i'm going to|i am going to|im gonna|i'm gonna|we will|we'll)"
    r" (?:kill|hurt|shoot|stab|murder|rape|beat|find|hunt|burn)\b",
    r"\bkill (?:yo)?ursel(?:f|ves)\b",
    r"\bkys\b",
    r"\b(?:you|u) (?:should|deserve to|will|are going to|better) (?:die|be killed|be shot)\b",
    r"\bhope (?:you|u) (?:die|get (?:raped|shot|killed|hurt))\b",
    r"\bwatch your back\b",
    r"\b(?:kill|shoot|hang|gas|exterminate|lynch|deport) (?:all|every) \w+",
    # Veiled threats and doxxing: knowing where someone is, and what "could happen" to them.
    r"\bi know (?:where|what street|what school|which house) (?:you|u|your \w+) (?:live|work|go)",
    r"\bwe know where (?:you|u) live\b",
    r"\b(?:would be a )?shame if something (?:happened|were to happen) to (?:you|your)\b",
    r"\bsleep with one eye open\b",
    r"\bsee (?:you|u) (?:soon|around),? \w*\s*(?:at|outside) your (?:house|home|work|school)\b",
    r"\bi (?:know|found|have|'ve got|got) (?:which|what|where) (?:train|bus|gym|route|school|car"
    r"|office|house|room|hotel|street) (?:you|u)\b",
    r"\bi (?:know|found|have|'ve got|got|looked up) your (?:real name|home address|address"
    r"|phone number|plate|employer|workplace)\b",
)

THREAT_PATTERN_SCORE = 0.85


class Scorer(Protocol):
    """Anything that turns normalised texts into calibrated label scores (and spans)."""

    version: str

    def predict(self, texts: Sequence[NormalizedText]) -> list[Prediction]: ...


class LanguageDetector(Protocol):
    def detect(self, text: str) -> Language: ...


class RuleSet:
    """The lists one policy applies: the defaults it keeps plus the site's own."""

    def __init__(self, policy: Policy, profanity: Sequence[str] | None = None) -> None:
        # Hits come in this order of lists, in text order within each list.
        self._patterns = [
            (2, PatternList(THREAT_LIST, THREAT_PATTERNS, lower_case=True)),
            (5, PatternList(BLOCK_LIST, policy.block_patterns)),
            (6, PatternList(HOLD_LIST, policy.hold_patterns)),
        ]
        term_lists = {
            IDENTITY_SLURS_LIST: (0, _default_list("identity-slurs.txt")),
            PROFANITY_LIST: (
                1,
                _default_list("ldnoobw-en.txt") if profanity is None else profanity,
            ),
            BLOCK_LIST: (3, policy.block_terms),
            HOLD_LIST: (4, policy.hold_terms),
        }
        # Every term list in one pass over the tokens.
        self._terms = TermList.combined((name, terms) for name, (_, terms) in term_lists.items())
        self._term_rank = {name: rank for name, (rank, _) in term_lists.items()}
        self._allow = TermList(ALLOW_LIST, policy.allow_terms)

    def find(self, normalized: NormalizedText) -> list[RuleHit]:
        """Hits in the text not covered by an allowed term."""
        ranked = [(self._term_rank[hit.list_name], hit) for hit in self._terms.find(normalized)]
        ranked.extend((2, hit) for hit in personal_data(normalized.original, PERSONAL_DATA_LIST))
        ranked.extend((7, hit) for hit in links(normalized.original, LINK_LIST))
        for rank, patterns in self._patterns:
            ranked.extend((rank, hit) for hit in patterns.find(normalized))
        ranked.sort(key=lambda pair: pair[0])
        hits = [hit for _, hit in ranked]
        if hits:
            allowed = [hit.span for hit in self._allow.find(normalized)]
            hits = [
                hit
                for hit in hits
                if not any(start <= hit.span[0] and hit.span[1] <= end for start, end in allowed)
            ]
        return _without_repeats(hits)


class Engine:
    """Thread-safe after `load`: `assess` reads shared state, and builds a language's word-list
    rules on first use (two threads may both build them; either result is the same)."""

    def __init__(
        self, scorer: Scorer, policy: Policy, languages: LanguageDetector | None = None
    ) -> None:
        self._scorer = scorer
        self._languages = languages
        self.policy = policy
        self._rules = RuleSet(policy)
        self._lexical_rules: dict[str, RuleSet] = {}
        self.model_version = scorer.version

    @classmethod
    def load(cls, policy: Policy | None = None, threads: int = 1) -> Engine:
        """The engine with the model and language detector shipped in the package."""
        detector = ShippedLanguageDetector.load()
        return cls(TransformerModel.load(threads=threads), policy or Policy(), detector)

    def with_policy(self, policy: Policy) -> Engine:
        """The same model under another site's policy (the model is shared, not reloaded)."""
        return Engine(self._scorer, policy, self._languages)

    def assess(self, text: str, context: ModerationContext) -> Verdict:
        return self.assess_many([text], context)[0]

    def assess_many(self, texts: Sequence[str], context: ModerationContext) -> list[Verdict]:
        """Verdicts for `texts`, scored by the model in one call."""
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"comment text must be str, not {type(text).__name__}")
        verdicts: list[Verdict | None] = [None] * len(texts)
        scored: list[tuple[int, NormalizedText, list[RuleHit], str | None]] = []
        for i, text in enumerate(texts):
            if not text.strip():
                verdicts[i] = self._empty_verdict()
                continue
            language = self._language(text, context)
            normalized = normalize(text)
            if language is not None and language.code not in SCORED_LANGUAGES:
                verdicts[i] = self._unscored(normalized, language, context)
                continue
            code = language.code if language else None
            scored.append((i, normalized, self._rules.find(normalized), code))
        predictions = self._scorer.predict([normalized for _, normalized, _, _ in scored])
        for (i, normalized, hits, code), prediction in zip(scored, predictions, strict=True):
            scores = combined_scores(prediction.scores, hits)
            spans = prediction.spans or tuple(
                hit.span for hit in hits if hit.list_name != LINK_LIST
            )
            action, reasons = self.policy.decide(
                scores, hits, context, spans or ((0, len(normalized.original)),)
            )
            verdicts[i] = Verdict(action, scores, reasons, self.model_version, code)
        return [v for v in verdicts if v is not None]

    def _language(self, text: str, context: ModerationContext) -> Language | None:
        if context.language:
            return Language(context.language.split("-")[0].lower(), 1.0, True)
        return self._languages.detect(text) if self._languages else None

    def _unscored(
        self, normalized: NormalizedText, language: Language, context: ModerationContext
    ) -> Verdict:
        """A language the model cannot read: the site's lists, the language's word list if Parley
        has one, and the policy's step for unscored languages."""
        hits = self._lexical_rules_for(language.code).find(normalized)
        scores = dict.fromkeys(LABELS, 0.0)
        action, reasons = self.policy.decide_unscored(language, hits, context)
        return Verdict(action, scores, reasons, self.model_version, language.code)

    def _lexical_rules_for(self, code: str) -> RuleSet:
        if code not in self._lexical_rules:
            terms = _language_list(code)
            self._lexical_rules[code] = RuleSet(self.policy, terms)
        return self._lexical_rules[code]

    def _empty_verdict(self) -> Verdict:
        reason = Reason(Action.PUBLISH, "empty comment: nothing to assess", rule="empty")
        scores = dict.fromkeys(LABELS, 0.0)
        return Verdict(Action.PUBLISH, scores, (reason,), self.model_version)


def combined_scores(model: dict[str, float], hits: Sequence[RuleHit]) -> dict[str, float]:
    """The model's calibrated scores, raised where a high-precision pattern speaks."""
    scores = {label: model.get(label, 0.0) for label in LABELS}
    lists = {hit.list_name for hit in hits}
    if THREAT_LIST in lists:
        scores["threat"] = max(scores["threat"], THREAT_PATTERN_SCORE)
    if lists & {PROFANITY_LIST, IDENTITY_SLURS_LIST}:
        scores["profanity"] = max(scores["profanity"], 0.5)
    return scores


@cache
def _default_list(name: str) -> tuple[str, ...]:
    return tuple(load_word_list(name))


@cache
def _language_list(code: str) -> tuple[str, ...]:
    name = word_list_name(code)
    return tuple(load_word_list(name)) if name else ()


def _without_repeats(hits: list[RuleHit]) -> list[RuleHit]:
    """One hit per (list, span): the profanity list repeats the identity slurs."""
    seen: set[tuple[str, tuple[int, int]]] = set()
    unique = []
    for hit in hits:
        key = (hit.list_name, hit.span)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    return unique
