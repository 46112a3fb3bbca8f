"""The moderation engine: normalise, match lists, score, apply the site's policy."""

from __future__ import annotations

from collections.abc import Sequence

from parley.domain.moderation import Action, ModerationContext, Reason, Verdict
from parley.moderation.normalize import normalize
from parley.moderation.policy import (
    ALLOW_LIST,
    BLOCK_LIST,
    HOLD_LIST,
    IDENTITY_SLURS_LIST,
    LABELS,
    PROFANITY_LIST,
    THREAT_LIST,
    Policy,
)
from parley.moderation.rules import PatternList, RuleHit, TermList, load_word_list
from parley.moderation.scorer import Classifier, LinearModel, label_scores

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
)


class RuleSet:
    """The lists one policy applies: the defaults it keeps plus the site's own."""

    def __init__(self, policy: Policy) -> None:
        self._lists: list[TermList | PatternList] = [
            TermList(IDENTITY_SLURS_LIST, load_word_list("identity-slurs.txt")),
            TermList(PROFANITY_LIST, load_word_list("ldnoobw-en.txt")),
            PatternList(THREAT_LIST, THREAT_PATTERNS),
            TermList(BLOCK_LIST, policy.block_terms),
            TermList(HOLD_LIST, policy.hold_terms),
            PatternList(BLOCK_LIST, policy.block_patterns),
            PatternList(HOLD_LIST, policy.hold_patterns),
        ]
        self._allow = TermList(ALLOW_LIST, policy.allow_terms)

    def find(self, text: str) -> tuple[list[RuleHit], str]:
        """Hits in `text` not covered by an allowed term, and the normalised text."""
        normalized = normalize(text)
        allowed = [hit.span for hit in self._allow.find(normalized)]
        hits = [
            hit
            for rule_list in self._lists
            for hit in rule_list.find(normalized)
            if not any(start <= hit.span[0] and hit.span[1] <= end for start, end in allowed)
        ]
        return _without_repeats(hits), normalized.text


class Engine:
    """Thread-safe after `load`: `assess` reads shared state only (and a per-word cache)."""

    def __init__(self, classifier: Classifier, policy: Policy) -> None:
        self._classifier = classifier
        self.policy = policy
        self._rules = RuleSet(policy)
        self.model_version = classifier.version

    @classmethod
    def load(cls, policy: Policy | None = None) -> Engine:
        """The engine with the model shipped in the package."""
        return cls(LinearModel.load(), policy or Policy())

    def with_policy(self, policy: Policy) -> Engine:
        """The same model under another site's policy (the model is shared, not reloaded)."""
        return Engine(self._classifier, policy)

    def assess(self, text: str, context: ModerationContext) -> Verdict:
        if not isinstance(text, str):
            raise TypeError(f"comment text must be str, not {type(text).__name__}")
        if not text.strip():
            return self._empty_verdict()
        hits, normalized = self._rules.find(text)
        head_scores = self._classifier.predict_normalized([normalized])[0]
        scores = label_scores(dict(zip(self._classifier.heads, head_scores, strict=True)), hits)
        action, reasons = self.policy.decide(scores, hits, context)
        return Verdict(action, scores, reasons, self.model_version)

    def assess_many(self, texts: Sequence[str], context: ModerationContext) -> list[Verdict]:
        return [self.assess(text, context) for text in texts]

    def _empty_verdict(self) -> Verdict:
        reason = Reason(Action.PUBLISH, "empty comment: nothing to assess", rule="empty")
        scores = dict.fromkeys(LABELS, 0.0)
        return Verdict(Action.PUBLISH, scores, (reason,), self.model_version)


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
