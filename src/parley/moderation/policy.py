"""A site's policy: thresholds per label and word / pattern lists -> a verdict with reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from parley.domain.moderation import Action, Language, ModerationContext, Reason
from parley.domain.review import DEFAULT_REPORT_THRESHOLD
from parley.domain.thread_health import DerailmentStep
from parley.moderation.rules import RuleHit, compile_pattern

LABELS = ("toxicity", "severe_toxicity", "identity_attack", "insult", "profanity", "threat")
OFF_TOPIC = "off_topic"  # thread health's score (services/thread_health.py), not the model's
THRESHOLD_LABELS = (*LABELS, OFF_TOPIC)

# Lists the engine always knows by these names; a site's own lists use the same names.
BLOCK_LIST = "block"
HOLD_LIST = "hold"
ALLOW_LIST = "allow"
IDENTITY_SLURS_LIST = "identity_slurs"
PROFANITY_LIST = "profanity"
THREAT_LIST = "threat"
PERSONAL_DATA_LIST = "personal_data"  # someone's phone, e-mail or address posted at them
LINK_LIST = "link"  # every link in the text; the policy counts them against `max_links`
DERAILMENT_RULE = "thread_health"
# What a derailment alert may do (rejecting for a thread's drift would punish one commenter for
# many): nothing, or flag the comment that raised it and then flag, slow, hold or refuse the
# branch's new replies (domain/thread_health.py). Stored before steps: publish, flag, hold.
DERAILMENT_ACTIONS = tuple(DerailmentStep)
_LEGACY_DERAILMENT = {"publish": DerailmentStep.NONE}
MAX_DERAILMENT_COOLDOWN = 24 * 3600
MAX_LINKS_LIMIT = 100
_LIST_ACTIONS = {BLOCK_LIST: Action.REJECT, HOLD_LIST: Action.HOLD, PERSONAL_DATA_LIST: Action.HOLD}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Scores at or above which a label flags, holds or rejects; None switches that step off."""

    flag: float | None = None
    hold: float | None = None
    reject: float | None = None

    def action_for(self, score: float) -> tuple[Action, float] | None:
        for action, threshold in (
            (Action.REJECT, self.reject),
            (Action.HOLD, self.hold),
            (Action.FLAG, self.flag),
        ):
            if threshold is not None and score >= threshold:
                return action, threshold
        return None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thresholds:
        unknown = set(data) - {"flag", "hold", "reject"}
        if unknown:
            raise ValueError(f"unknown threshold step(s): {sorted(unknown)}")
        values = {step: _probability(step, data.get(step)) for step in ("flag", "hold", "reject")}
        return cls(**values)

    def to_dict(self) -> dict[str, float | None]:
        return {"flag": self.flag, "hold": self.hold, "reject": self.reject}


# Scores are calibrated probabilities (MODEL_CARD.md). Chosen on the pooled validation splits for
# precision >= 70 % to flag and >= 90 % to hold (the card lists what each one measured), and on
# the tuned two thirds of the functional suite. Profanity alone never flags: friendly swearing
# is published.
DEFAULT_THRESHOLDS = {
    "toxicity": Thresholds(flag=0.50, hold=0.90),
    "severe_toxicity": Thresholds(flag=0.50, hold=0.80),
    "identity_attack": Thresholds(flag=0.60, hold=0.80),
    "insult": Thresholds(flag=0.55, hold=0.90),
    "profanity": Thresholds(),
    "threat": Thresholds(flag=0.50, hold=0.80),
    OFF_TOPIC: Thresholds(),  # a site may flag (or hold) comments about something else
}
# A listed slur holds the comment only when the model reads the comment as hostile too: the same
# word is reclaimed, quoted to object to it, or a homonym ("smoked a fag") in other comments.
SLUR_CONFIRMATION = 0.5


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything a site decides about moderation; plain data, stored as JSON with the site."""

    thresholds: Mapping[str, Thresholds] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    block_terms: tuple[str, ...] = ()
    hold_terms: tuple[str, ...] = ()
    allow_terms: tuple[str, ...] = ()
    block_patterns: tuple[str, ...] = ()
    hold_patterns: tuple[str, ...] = ()
    hold_identity_slurs: bool = True
    hold_first_time: bool = False
    # What happens to a comment in a language the model cannot score (never a silent publish).
    unsupported_language: Action = Action.FLAG
    # Open reader reports that put a public comment in the moderators' reported queue.
    report_threshold: int = DEFAULT_REPORT_THRESHOLD
    # More links than this holds the comment; None: no limit.
    max_links: int | None = None
    # What a derailment alert (moderation/thread_health.py) does to the comment that raised it
    # and to the branch's new replies.
    derailment: DerailmentStep = DerailmentStep.FLAG
    # Seconds between new replies in a branch the `slow` step slowed.
    derailment_cooldown: int = 300

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Build from JSON-like data; missing keys keep their defaults, unknown keys are errors."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown policy key(s): {sorted(unknown)}")
        policy = cls()
        if "thresholds" in data:
            policy = replace(policy, thresholds=_thresholds(data["thresholds"]))
        for name in ("block_terms", "hold_terms", "allow_terms", "block_patterns", "hold_patterns"):
            if name in data:
                policy = replace(policy, **{name: _strings(name, data[name])})
        for pattern in (*policy.block_patterns, *policy.hold_patterns):
            compile_pattern(pattern)
        for name in ("hold_identity_slurs", "hold_first_time"):
            if name in data:
                policy = replace(policy, **{name: _boolean(name, data[name])})
        if "unsupported_language" in data:
            policy = replace(policy, unsupported_language=_action(data["unsupported_language"]))
        if "report_threshold" in data:
            policy = replace(policy, report_threshold=_count("report_threshold", data))
        if "max_links" in data:
            policy = replace(policy, max_links=_link_limit(data["max_links"]))
        if "derailment" in data:
            policy = replace(policy, derailment=_derailment(data["derailment"]))
        if "derailment_cooldown" in data:
            policy = replace(policy, derailment_cooldown=_cooldown(data["derailment_cooldown"]))
        return policy

    def to_dict(self) -> dict[str, Any]:
        return {
            "thresholds": {label: t.to_dict() for label, t in self.thresholds.items()},
            "block_terms": list(self.block_terms),
            "hold_terms": list(self.hold_terms),
            "allow_terms": list(self.allow_terms),
            "block_patterns": list(self.block_patterns),
            "hold_patterns": list(self.hold_patterns),
            "hold_identity_slurs": self.hold_identity_slurs,
            "hold_first_time": self.hold_first_time,
            "unsupported_language": self.unsupported_language.value,
            "report_threshold": self.report_threshold,
            "max_links": self.max_links,
            "derailment": self.derailment.value,
            "derailment_cooldown": self.derailment_cooldown,
        }

    def decide(
        self,
        scores: Mapping[str, float],
        hits: Iterable[RuleHit],
        context: ModerationContext,
        spans: tuple[tuple[int, int], ...] = (),
    ) -> tuple[Action, tuple[Reason, ...]]:
        """The strictest action any reason calls for, and all the reasons, strictest first.

        `spans` are the parts of the text the model marked; score reasons name them.
        """
        hits = tuple(hits)
        hostile = max(scores.get("toxicity", 0.0), scores.get("identity_attack", 0.0))
        reasons = [
            *self._score_reasons(scores, spans),
            *self._rule_reasons(hits, hostile),
            *self._link_reasons(hits),
        ]
        return self._verdict(reasons, context)

    def decide_unscored(
        self, language: Language, hits: Sequence[RuleHit], context: ModerationContext
    ) -> tuple[Action, tuple[Reason, ...]]:
        """A comment the model cannot read: the policy's step for it, and its word-list hits."""
        message = f"unsupported_language: {language.code} ({language.confidence:.2f})"
        reasons = [
            Reason(self.unsupported_language, message, rule="unsupported_language"),
            *self._rule_reasons(hits, hostile=1.0),
            *self._link_reasons(hits),
        ]
        for hit in hits:
            if hit.list_name == PROFANITY_LIST:
                message = f"{language.code} word list: {hit.term!r} matched {hit.matched_text!r}"
                reasons.append(
                    Reason(
                        Action.HOLD,
                        message,
                        label="profanity",
                        rule=hit.term,
                        spans=(hit.span,),
                    )
                )
        return self._verdict(reasons, context)

    def with_derailment(
        self, action: Action, reasons: tuple[Reason, ...], message: str
    ) -> tuple[Action, tuple[Reason, ...]]:
        """A verdict after its comment raised a derailment alert: the policy's step for it."""
        step = self.derailment.comment_action
        reason = Reason(step, f"derailing: {message}", rule=DERAILMENT_RULE)
        if step.severity > action.severity:
            action = step
        ranked = sorted((*reasons, reason), key=lambda r: -r.action.severity)
        return action, tuple(ranked)

    def _link_reasons(self, hits: Iterable[RuleHit]) -> Iterable[Reason]:
        if self.max_links is None:
            return
        found = [hit for hit in hits if hit.list_name == LINK_LIST]
        if len(found) > self.max_links:
            message = f"{len(found)} links > limit {self.max_links}"
            yield Reason(
                Action.HOLD, message, rule="max_links", spans=tuple(hit.span for hit in found)
            )

    def _verdict(
        self, reasons: list[Reason], context: ModerationContext
    ) -> tuple[Action, tuple[Reason, ...]]:
        if self.hold_first_time and context.first_time_author:
            reasons.append(Reason(Action.HOLD, "first comment by this author", rule="first_time"))
        reasons.sort(key=lambda reason: -reason.action.severity)
        action = reasons[0].action if reasons else Action.PUBLISH
        return action, tuple(reasons)

    def _score_reasons(
        self, scores: Mapping[str, float], spans: tuple[tuple[int, int], ...]
    ) -> Iterable[Reason]:
        for label, thresholds in self.thresholds.items():
            score = scores.get(label)
            step = thresholds.action_for(score) if score is not None else None
            if step is not None:
                action, threshold = step
                message = f"{label} {score:.2f} >= {action.value} threshold {threshold:.2f}"
                yield Reason(action, message, label, score, threshold, spans=spans)

    def _rule_reasons(self, hits: Iterable[RuleHit], hostile: float) -> Iterable[Reason]:
        for hit in hits:
            action = _LIST_ACTIONS.get(hit.list_name)
            label = None
            message = f"{hit.list_name} list: {hit.term!r} matched {hit.matched_text!r}"
            if hit.list_name == IDENTITY_SLURS_LIST and self.hold_identity_slurs:
                label = "identity_attack"
                if hostile >= SLUR_CONFIRMATION:
                    action = Action.HOLD
                else:
                    action = Action.PUBLISH
                    message += " (read as reclaimed, quoted or another sense of the word)"
            if action is not None:
                yield Reason(action, message, label=label, rule=hit.term, spans=(hit.span,))


def _thresholds(data: Any) -> dict[str, Thresholds]:
    if not isinstance(data, Mapping):
        raise ValueError("thresholds must be an object of label -> {flag, hold, reject}")
    unknown = set(data) - set(THRESHOLD_LABELS)
    if unknown:
        raise ValueError(f"unknown label(s) in thresholds: {sorted(unknown)}")
    merged = dict(DEFAULT_THRESHOLDS)
    merged.update({label: Thresholds.from_dict(steps) for label, steps in data.items()})
    return merged


def _probability(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"threshold {name} must be a number in [0, 1] or null, not {value!r}")
    return float(value)


def _strings(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of strings")
    return tuple(value)


def _action(value: Any) -> Action:
    try:
        return Action(value)
    except ValueError:
        choices = ", ".join(a.value for a in Action)
        raise ValueError(f"unsupported_language must be one of {choices}, not {value!r}") from None


def _count(name: str, data: Mapping[str, Any]) -> int:
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ValueError(f"{name} must be a whole number from 1 to 1000, not {value!r}")
    return value


def _link_limit(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LINKS_LIMIT:
        raise ValueError(
            f"max_links must be a whole number from 0 to {MAX_LINKS_LIMIT} or null, not {value!r}"
        )
    return value


def _derailment(value: Any) -> DerailmentStep:
    if isinstance(value, str) and value in _LEGACY_DERAILMENT:
        return _LEGACY_DERAILMENT[value]
    for step in DERAILMENT_ACTIONS:
        if value == step.value:
            return step
    choices = ", ".join(step.value for step in DERAILMENT_ACTIONS)
    raise ValueError(f"derailment must be one of {choices}, not {value!r}")


def _cooldown(value: Any) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_DERAILMENT_COOLDOWN
    ):
        raise ValueError(
            f"derailment_cooldown must be a whole number of seconds from 1 to "
            f"{MAX_DERAILMENT_COOLDOWN}, not {value!r}"
        )
    return value


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value
