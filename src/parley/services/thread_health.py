"""Thread health on the write paths: each comment judged in its branch before it is stored,
its branch state and any derailment alert recorded after, and the site's policy step applied.

The judging itself lives in moderation/thread_health.py (`BranchWatch`); this service reads the
parent's and the branch root's stored states (one query), writes the new comment's state, and
turns an alert into what the site's policy (`derailment`) asks: the alerting comment flagged or
held (`with_topicality`), and a branch rule on the alert's branch root (`flag_replies`, `slow`,
`hold_replies` or `lock`, services/sanctions.py enforces them), audited as the system's action,
and announced on the moderators' event stream.

A thread without an article (no title, no text) gives nothing to compare a comment with: such a
comment is not watched, has no `off_topic` score and leaves no state. A reply whose parent left
no state (posted before the watch ran) is judged against the article alone, as a top-level one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from parley.domain.accounts import Staff
from parley.domain.comments import Comment, Site, Thread
from parley.domain.moderation import Verdict
from parley.domain.review import AuditEntry
from parley.domain.sanctions import BranchRule
from parley.domain.thread_health import AlertStatus, DerailmentStep, StoredAlert
from parley.moderation.policy import Policy
from parley.moderation.thread_health import (
    NEW,
    Alert,
    BranchState,
    BranchWatch,
    CommentId,
    Observation,
    Signals,
    ThreadWatch,
    with_topicality,
)
from parley.services.errors import InvalidInput, NotFound, storing
from parley.services.events import EventSink, NoEvents
from parley.storage.thread_health import NewAlert, StateRow

MAX_ALERTS_PAGE = 200
_RULE_OF_STEP = {
    DerailmentStep.FLAG: BranchRule.FLAG_REPLIES,
    DerailmentStep.SLOW: BranchRule.SLOW,
    DerailmentStep.HOLD: BranchRule.HOLD_REPLIES,
    DerailmentStep.LOCK: BranchRule.LOCK,
}
_CLOSING = {AlertStatus.DISMISSED.value, AlertStatus.RESOLVED.value}


class HealthStorage(Protocol):
    """storage/thread_health.py `HealthStore`."""

    async def branch_states(self, parent_id: int) -> dict[int, tuple[dict[str, Any], bytes]]: ...

    async def put_state(self, row: StateRow) -> None: ...

    async def put_states(self, rows: Sequence[StateRow]) -> None: ...

    async def add_alert(self, new: NewAlert, at: datetime) -> int | None: ...

    async def thread_alert_data(self, thread_id: int) -> list[tuple[int, dict[str, Any]]]: ...

    async def widen_alert(
        self,
        alert_id: int,
        branch_root: int,
        root_path: Sequence[int],
        widened_at: int,
        reasons: Sequence[str],
    ) -> None: ...

    async def alerts(
        self,
        site_ids: Sequence[int],
        status: str | None,
        thread_id: int | None = None,
        limit: int = 50,
        before_id: int | None = None,
    ) -> list[StoredAlert]: ...

    async def alert(self, alert_id: int) -> StoredAlert | None: ...

    async def close_alert(
        self, alert_id: int, status: str, user_id: int | None, at: datetime
    ) -> bool: ...


class BranchRules(Protocol):
    """storage/sanctions.py `SanctionStore.set_rule`."""

    async def set_rule(
        self,
        comment_id: int,
        rule: BranchRule,
        on: bool,
        user_id: int | None,
        at: datetime,
        cooldown_s: int | None = None,
    ) -> bool: ...


class Threads(Protocol):
    async def get_thread(self, site_id: int, key: str) -> Thread | None: ...


class AuditLog(Protocol):
    async def record(self, entry: AuditEntry) -> None: ...


@dataclass(frozen=True, slots=True)
class Judged:
    """A comment's verdict with its topicality and the policy's step for an alert, and what
    the watch saw (None: not watched), to record once the comment is stored."""

    verdict: Verdict
    observation: Observation | None = None
    alerts: tuple[tuple[int, Alert], ...] = ()  # the thread's stored alerts, by id


class ThreadHealthService:
    def __init__(
        self,
        storage: HealthStorage,
        threads: Threads,
        rules: BranchRules,
        audit: AuditLog,
        policies: Callable[[Site], Policy],
        watch: BranchWatch | None,
        events: EventSink | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._storage = storage
        self._threads = threads
        self._rules = rules
        self._audit = audit
        self._policies = policies
        self._watch = watch
        self._events = events or NoEvents()
        self._clock = clock

    # -- posting and editing ----------------------------------------------------------------
    async def judge(
        self,
        site: Site,
        thread: Thread | None,
        parent: Comment | None,
        text: str,
        author: str | None,
        verdict: Verdict,
        article_text: str,
        comment_id: int | None = None,
        at: datetime | None = None,
    ) -> Judged:
        """The comment (a new one, or `comment_id` edited) in its branch, before it is stored;
        `article_text` is the thread's article as plain text (the moderation context's), `at`
        when the comment was posted (now, for a new one)."""
        if self._watch is None or thread is None:
            return Judged(verdict)
        if not (thread.title.strip() or article_text.strip()):
            return Judged(verdict)  # nothing to compare the comment with
        article = self._watch.article(thread.title, article_text)
        parent_state, top_state = await self._above(parent)
        alerts = await self._alerts_of(thread) if parent_state is not None else ()
        signals = Signals(text, author, at or self._clock(), verdict.scores)
        observation = self._watch.observe(
            comment_id if comment_id is not None else NEW,
            signals,
            article,
            parent_state,
            top_state,
            [alert for _, alert in alerts],
        )
        judged = with_topicality(verdict, observation, self._policies(site))
        return Judged(judged, observation, alerts)

    async def record(self, site: Site, thread: Thread, comment_id: int, judged: Judged) -> None:
        """Keep the stored comment's state (replacing an edited one's), and act on its alert."""
        if judged.observation is None:
            return
        observation = judged.observation.stored_as(comment_id)
        state = observation.state
        row = StateRow(comment_id, site.id, thread.id, state.to_dict(), state.vector)
        await storing(self._storage.put_state(row))
        policy = self._policies(site)
        if observation.alert is not None:
            await self._raise(site.id, thread, observation.alert, policy)
        if observation.widened is not None:
            before, after = observation.widened
            alert_id = next(known for known, alert in judged.alerts if alert == before)
            await self._widen(site.id, alert_id, before, after, policy)

    async def _alerts_of(self, thread: Thread) -> tuple[tuple[int, Alert], ...]:
        found = await storing(self._storage.thread_alert_data(thread.id))
        return tuple((alert_id, Alert.from_dict(data)) for alert_id, data in found)

    async def _above(self, parent: Comment | None) -> tuple[BranchState | None, BranchState | None]:
        """The parent's and the branch root's states (None, None for a top-level comment)."""
        if parent is None:
            return None, None
        found = await storing(self._storage.branch_states(parent.id))
        if parent.id not in found:
            return None, None
        parent_state = _state(found[parent.id])
        top = found.get(int(parent_state.top_id))
        return parent_state, _state(top) if top else parent_state

    # -- importing --------------------------------------------------------------------------
    def watch_thread(self, title: str, article_text: str) -> ThreadWatch | None:
        """An in-memory watch for a thread imported in posting order (None: not watched)."""
        if self._watch is None or not (title.strip() or article_text.strip()):
            return None
        return ThreadWatch(self._watch, title, article_text)

    def judge_imported(
        self,
        site: Site,
        watch: ThreadWatch,
        comment_id: str,
        parent_id: str | None,
        signals: Signals,
        verdict: Verdict,
    ) -> Verdict:
        """An imported comment in its branch, in posting order, as `judge` judges a post."""
        observation = watch.observe(comment_id, parent_id, signals)
        return with_topicality(verdict, observation, self._policies(site))

    async def record_import(
        self, site: Site, thread: Thread, watch: ThreadWatch, stored_ids: Mapping[str, int]
    ) -> None:
        """Store the states of an imported thread under the stored ids, and its alerts (each
        once: importing the file again stores none twice)."""
        ids: dict[CommentId, CommentId] = {key: value for key, value in stored_ids.items()}
        rows = []
        for state in watch.states.values():
            stored = state.renamed(ids)
            row = StateRow(
                int(stored.comment_id), site.id, thread.id, stored.to_dict(), state.vector
            )
            rows.append(row)
        await storing(self._storage.put_states(rows))
        policy = self._policies(site)
        for alert in watch.alerts:
            await self._raise(site.id, thread, alert.renamed(ids), policy)

    # -- alerts -----------------------------------------------------------------------------
    async def _raise(self, site_id: int, thread: Thread, alert: Alert, policy: Policy) -> None:
        """Store the alert, then act on it (`_act`); an alert its branch had already is not
        stored or acted on again."""
        new = NewAlert(
            site_id,
            thread.id,
            int(alert.branch_root),
            int(alert.at_comment),
            alert.reasons,
            alert.drift,
            alert.heat,
            policy.derailment.value,
            tuple(int(i) for i in alert.root_path),
            None if alert.widened_at is None else int(alert.widened_at),
        )
        alert_id = await storing(self._storage.add_alert(new, self._clock()))
        if alert_id is not None:
            await self._act(site_id, alert_id, alert, policy)

    async def _widen(
        self, site_id: int, alert_id: int, before: Alert, alert: Alert, policy: Policy
    ) -> None:
        """An alert moved up to where its branch turned: the step applies from there (its rule
        leaves the old root, which the new one covers)."""
        assert alert.widened_at is not None
        rule = _RULE_OF_STEP.get(policy.derailment)
        if rule is not None:
            old_root = int(before.branch_root)
            await storing(self._rules.set_rule(old_root, rule, False, None, self._clock()))
        await storing(
            self._storage.widen_alert(
                alert_id,
                int(alert.branch_root),
                [int(i) for i in alert.root_path],
                int(alert.widened_at),
                alert.reasons,
            )
        )
        await self._act(site_id, alert_id, alert, policy)

    async def _act(self, site_id: int, alert_id: int, alert: Alert, policy: Policy) -> None:
        """The policy's rule on the alert's branch (audited as the system's action), and the
        news to the site's moderators."""
        step = policy.derailment
        branch_root, at_comment = int(alert.branch_root), int(alert.at_comment)
        rule = _RULE_OF_STEP.get(step)
        if rule is not None:
            cooldown = policy.derailment_cooldown if rule is BranchRule.SLOW else None
            now = self._clock()
            await storing(self._rules.set_rule(branch_root, rule, True, None, now, cooldown))
            await self._audit.record(
                AuditEntry(
                    user_id=None,
                    site_id=site_id,
                    action=f"alert.{step.value}",
                    target=f"comment:{branch_root}",
                    after={
                        "alert": alert_id,
                        "rule": rule.value,
                        "cooldown_s": cooldown,
                        "at_comment": at_comment,
                        "reasons": list(alert.reasons),
                    },
                )
            )
        self._events.publish_to_moderators(
            site_id,
            {
                "type": "alert",
                "id": alert_id,
                "site": site_id,
                "branch_root": branch_root,
                "at_comment": at_comment,
            },
        )

    async def alerts(
        self,
        site_ids: Sequence[int],
        status: str | None = "open",
        limit: int = 50,
        before_id: int | None = None,
    ) -> list[StoredAlert]:
        """The sites' alerts, newest first; `status` None for all, `before_id` to page on."""
        if status is not None and status not in {s.value for s in AlertStatus}:
            raise InvalidInput(f"status is one of {', '.join(AlertStatus)}", "status")
        if not 1 <= limit <= MAX_ALERTS_PAGE:
            raise InvalidInput(f"limit is 1 to {MAX_ALERTS_PAGE}", "limit")
        if not site_ids:
            return []
        return await storing(
            self._storage.alerts(site_ids, status, limit=limit, before_id=before_id)
        )

    async def thread_alerts(self, site_id: int, thread_key: str) -> list[StoredAlert]:
        """Every alert of one thread, newest first (none for an unknown thread)."""
        thread = await storing(self._threads.get_thread(site_id, thread_key))
        if thread is None:
            return []
        return await storing(
            self._storage.alerts([site_id], None, thread_id=thread.id, limit=MAX_ALERTS_PAGE)
        )

    async def close_alert(self, staff: Staff, alert_id: int, status: str) -> StoredAlert:
        """Dismiss or resolve an open alert (audited); closing a closed one changes nothing.
        The rule its step put on the branch stays: moderators lift it where they set rules."""
        if status not in _CLOSING:
            raise InvalidInput("an alert is closed as dismissed or resolved", "status")
        found = await storing(self._storage.alert(alert_id))
        if found is None or not staff.may_moderate(found.site_id):
            raise NotFound(f"no alert {alert_id}")
        now = self._clock()
        if await storing(self._storage.close_alert(alert_id, status, staff.user_id, now)):
            await self._audit.record(
                AuditEntry(
                    user_id=staff.user_id,
                    site_id=found.site_id,
                    action=f"alert.{status}",
                    target=f"alert:{alert_id}",
                    before={"status": found.status},
                    after={"status": status},
                )
            )
            closed = await storing(self._storage.alert(alert_id))
            assert closed is not None
            return closed
        return found


def _state(stored: tuple[dict[str, Any], bytes]) -> BranchState:
    data, vector = stored
    return BranchState.from_dict(data, vector)
