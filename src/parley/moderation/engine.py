"""The moderation engine: normalise, match lists, score, apply the site's policy."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

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
        # Hits come in this order of lists, in text order within each list.
        self._patterns = [
            (2, PatternList(THREAT_LIST, THREAT_PATTERNS, lower_case=True)),
            (5, PatternList(BLOCK_LIST, policy.block_patterns)),
            (6, PatternList(HOLD_LIST, policy.hold_patterns)),
        ]
        term_lists = {
            IDENTITY_SLURS_LIST: (0, _default_list("identity-slurs.txt")),
            PROFANITY_LIST: (1, _default_list("ldnoobw-en.txt")),
            BLOCK_LIST: (3, policy.block_terms),
            HOLD_LIST: (4, policy.hold_terms),
        }
        # Every term list in one pass over the tokens.
        self._terms = TermList.combined((name, terms) for name, (_, terms) in term_lists.items())
        self._term_rank = {name: rank for name, (rank, _) in term_lists.items()}
        self._allow = TermList(ALLOW_LIST, policy.allow_terms)

    def find(self, text: str) -> tuple[list[RuleHit], str]:
        """Hits in `text` not covered by an allowed term, and the normalised text."""
        normalized = normalize(text)
        ranked = [(self._term_rank[hit.list_name], hit) for hit in self._terms.find(normalized)]
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


@cache
def _default_list(name: str) -> tuple[str, ...]:
    return tuple(load_word_list(name))


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
