"""A site's moderation policy in the console: read it, ask what an edit would change, save it.

The what-if re-decides the site's last WHAT_IF_COMMENTS assessed comments under the current
and the edited policy from what was stored: the model's scores as the engine combined them, and
the cheap parts run again on the stored text (word and pattern lists, links, first-time
authors, the step a derailment alert takes). The neural model is never run again, so the
answer takes well under a second (bench/policy_whatif.py).

Who may do what: anyone who moderates a site may read its policy and ask what an edit would
change; only an owner may save one. A save is audited (before and after) and applies to this
process at once; every other process re-reads the sites within SITES_REFRESH_SECONDS.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any, Protocol

from parley.domain.accounts import Staff
from parley.domain.comments import Site
from parley.domain.moderation import Action, Language, ModerationContext, Reason
from parley.domain.review import AuditEntry
from parley.moderation.engine import RuleSet, combined_scores
from parley.moderation.language import SCORED_LANGUAGES, word_list_name
from parley.moderation.normalize import NormalizedText, normalize
from parley.moderation.policy import (
    DERAILMENT_ACTIONS,
    DERAILMENT_RULE,
    LABELS,
    THRESHOLD_LABELS,
    Policy,
)
from parley.moderation.rules import load_word_list
from parley.services.audit import AuditService
from parley.services.errors import InvalidInput, NotAllowed, NotFound, StorageUnavailable, storing
from parley.storage.insights import AssessedComment
from parley.storage.store import StoreError

WHAT_IF_COMMENTS = 1000
MAX_TERMS = 5000  # per word or pattern list
MAX_TERM_LENGTH = 200
STEPS = ("flag", "hold", "reject")
LISTS = ("block_terms", "hold_terms", "allow_terms", "block_patterns", "hold_patterns")
_UNSCORED_CONFIDENCE = re.compile(r"\(([0-9.]+)\)\s*$")
__all__ = ["DERAILMENT_ACTIONS", "LABELS", "Policy", "PolicyService", "WhatIf", "checked_policy"]


class SiteStorage(Protocol):
    async def get_site(self, site_id: int) -> Site | None: ...

    async def set_site_policy(self, name: str, policy: dict[str, object]) -> Site: ...


class HistoryStorage(Protocol):
    async def recent_assessed(self, site_id: int, limit: int) -> list[AssessedComment]: ...


@dataclass(frozen=True, slots=True)
class PolicyView:
    site: Site
    policy: Policy
    editable: bool  # whether the caller may save it


@dataclass(frozen=True, slots=True)
class Redecided:
    comment: AssessedComment
    old: Action
    old_reasons: tuple[Reason, ...]
    new: Action
    new_reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class WhatIf:
    site: Site
    compared: int  # comments re-decided
    recorded: dict[str, int]  # verdicts as stored when each comment was judged
    before: dict[str, int]  # under the saved policy
    after: dict[str, int]  # under the edited one
    changed: list[Redecided]  # newest first


def checked_policy(data: object) -> Policy:
    """The policy `data` describes; InvalidInput naming the first wrong field (`thresholds.
    insult.hold`, `max_links`, ...). Keys left out keep their defaults."""
    if not isinstance(data, Mapping):
        raise InvalidInput("a policy is a JSON object", field="policy")
    for key, value in data.items():
        if key == "thresholds":
            _check_thresholds(value)
        elif key in LISTS:
            _check_list(key, value)
        else:
            _single(key, value)
    return _single(None, data)


def _single(field: str | None, value: Any) -> Policy:
    try:
        return Policy.from_dict(value if field is None else {field: value})
    except ValueError as error:
        raise InvalidInput(str(error), field=field or "policy") from error


def _check_thresholds(value: Any) -> None:
    if not isinstance(value, Mapping):
        raise InvalidInput("thresholds is an object of label -> {flag, hold, reject}", "thresholds")
    for label, steps in value.items():
        field = f"thresholds.{label}"
        if label not in THRESHOLD_LABELS:
            choices = ", ".join(THRESHOLD_LABELS)
            raise InvalidInput(f"unknown label {label!r}: one of {choices}", field)
        if not isinstance(steps, Mapping):
            raise InvalidInput(f"{field} is an object of flag, hold and reject", field)
        for step, number in steps.items():
            if step not in STEPS:
                raise InvalidInput(
                    f"unknown step {step!r}: flag, hold or reject", f"{field}.{step}"
                )
            _single_threshold(label, step, number)
        given = [(step, steps[step]) for step in STEPS if steps.get(step) is not None]
        for (lower, low), (upper, high) in pairwise(given):
            if low > high:
                raise InvalidInput(
                    f"{label}: the {lower} threshold ({low}) is above the {upper} one ({high})",
                    f"{field}.{lower}",
                )


def _single_threshold(label: str, step: str, number: Any) -> None:
    try:
        Policy.from_dict({"thresholds": {label: {step: number}}})
    except ValueError as error:
        raise InvalidInput(str(error), field=f"thresholds.{label}.{step}") from error


def _check_list(name: str, value: Any) -> None:
    _single(name, value)
    if len(value) > MAX_TERMS:
        raise InvalidInput(f"{name} holds at most {MAX_TERMS} entries", name)
    for term in value:
        if not term.strip() or len(term) > MAX_TERM_LENGTH or "\n" in term:
            raise InvalidInput(
                f"{name}: every entry is one line of 1 to {MAX_TERM_LENGTH} characters", name
            )


class Redecider:
    """Verdicts again, under one policy, from what was stored: the model is not run."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._lists = tuple(getattr(policy, name) for name in LISTS)
        self._rules = _rule_set(self._lists, None)

    def decide(
        self, comment: AssessedComment, normalized: NormalizedText
    ) -> tuple[Action, tuple[Reason, ...]]:
        stored_rules = {r.get("rule") for r in comment.reasons}
        if "empty" in stored_rules or not comment.body_md.strip():
            reason = Reason(Action.PUBLISH, "empty comment: nothing to assess", rule="empty")
            return Action.PUBLISH, (reason,)
        context = ModerationContext(first_time_author=comment.first_time)
        unscored = _unscored_language(comment)
        if unscored is not None:
            hits = _rule_set(self._lists, unscored.code).find(normalized)
            action, reasons = self.policy.decide_unscored(unscored, hits, context)
        else:
            hits = self._rules.find(normalized)
            scores = combined_scores(comment.scores, hits)
            spans = _model_spans(comment) or ((0, len(comment.body_md)),)
            action, reasons = self.policy.decide(scores, hits, context, spans)
        for stored in comment.reasons:
            if stored.get("rule") == DERAILMENT_RULE:
                message = str(stored.get("message", "")).removeprefix("derailing: ")
                action, reasons = self.policy.with_derailment(action, reasons, message)
        return action, reasons


@lru_cache(maxsize=64)
def _rule_set(lists: tuple[tuple[str, ...], ...], language: str | None) -> RuleSet:
    """The lists of a policy (and of a language the model cannot read), built once: a what-if
    asked again with the same lists, or with the saved policy's, reuses them."""
    block_terms, hold_terms, allow_terms, block_patterns, hold_patterns = lists
    policy = Policy(
        block_terms=block_terms,
        hold_terms=hold_terms,
        allow_terms=allow_terms,
        block_patterns=block_patterns,
        hold_patterns=hold_patterns,
    )
    if language is None:
        return RuleSet(policy)
    name = word_list_name(language)
    return RuleSet(policy, load_word_list(name) if name else [])


def _unscored_language(comment: AssessedComment) -> Language | None:
    for reason in comment.reasons:
        if reason.get("rule") == "unsupported_language":
            found = _UNSCORED_CONFIDENCE.search(str(reason.get("message", "")))
            confidence = float(found.group(1)) if found else 1.0
            return Language(comment.language or "und", confidence, True)
    if comment.language and comment.language not in SCORED_LANGUAGES:
        return Language(comment.language, 1.0, True)
    return None


def _model_spans(comment: AssessedComment) -> tuple[tuple[int, int], ...]:
    """The spans the model marked, as the stored score reasons carry them."""
    for reason in comment.reasons:
        if reason.get("label") and reason.get("score") is not None and reason.get("spans"):
            return tuple((int(a), int(b)) for a, b in reason["spans"])
    return ()


def what_if(
    current: Policy, edited: Policy, history: list[AssessedComment]
) -> tuple[dict[str, int], dict[str, int], dict[str, int], list[Redecided]]:
    """Counts per verdict (recorded, under `current`, under `edited`) and what changes."""
    old_judge, new_judge = Redecider(current), Redecider(edited)
    recorded: Counter[str] = Counter()
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    changed = []
    for comment in history:
        normalized = _normalized(comment.body_md)
        old, old_reasons = old_judge.decide(comment, normalized)
        new, new_reasons = new_judge.decide(comment, normalized)
        recorded[comment.action] += 1
        before[old.value] += 1
        after[new.value] += 1
        if old is not new:
            changed.append(Redecided(comment, old, old_reasons, new, new_reasons))
    return _all_actions(recorded), _all_actions(before), _all_actions(after), changed


# The texts a what-if asked before, normalised once: asking again after another edit reads them.
_normalized = lru_cache(maxsize=2 * WHAT_IF_COMMENTS)(normalize)


def _all_actions(counts: Counter[str]) -> dict[str, int]:
    return {action.value: counts.get(action.value, 0) for action in Action}


class PolicyService:
    def __init__(
        self,
        sites: SiteStorage,
        history: HistoryStorage,
        audit: AuditService,
        on_change: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self._sites = sites
        self._history = history
        self._audit = audit
        self._on_change = on_change

    async def view(self, staff: Staff, site_id: int) -> PolicyView:
        site = await self._site(staff, site_id)
        return PolicyView(site, Policy.from_dict(site.policy), staff.is_owner)

    async def what_if(self, staff: Staff, site_id: int, data: object) -> WhatIf:
        site = await self._site(staff, site_id)
        edited = checked_policy(data)
        history = await storing(self._history.recent_assessed(site.id, WHAT_IF_COMMENTS))
        recorded, before, after, changed = what_if(Policy.from_dict(site.policy), edited, history)
        return WhatIf(site, len(history), recorded, before, after, changed)

    async def save(self, staff: Staff, site_id: int, data: object) -> PolicyView:
        """Store the site's new policy (whole: keys left out take their defaults), audit it,
        and apply it in this process now."""
        if not staff.is_owner:
            await self._site(staff, site_id)  # a moderator of another site learns nothing more
            raise NotAllowed("only an owner may change a site's policy")
        site = await self._site(staff, site_id)
        policy = checked_policy(data)
        before, after = Policy.from_dict(site.policy).to_dict(), policy.to_dict()
        if site.policy == after:
            return PolicyView(site, policy, True)
        saved = await storing(self._sites.set_site_policy(site.name, after))
        await self._audit.record(
            AuditEntry(staff.user_id, site.id, "site.policy", f"site:{site.id}", before, after)
        )
        if self._on_change is not None:
            # Failing that, the periodic refresh applies it: the policy is stored either way.
            with suppress(LookupError, StoreError, StorageUnavailable):
                await self._on_change()
        return PolicyView(saved, policy, True)

    async def _site(self, staff: Staff, site_id: int) -> Site:
        if not staff.may_moderate(site_id):
            raise NotAllowed(f"you do not moderate site {site_id}")
        site = await storing(self._sites.get_site(site_id))
        if site is None:
            raise NotFound(f"no site {site_id}")
        return site
