"""Readers' reports: a reader flags a public comment with a reason; enough of them put the
comment in the moderators' reported queue.

One report per reader (author-token identity, as votes) per comment: reporting again answers
with the first report, unchanged. The queue is derived, never stored: a public comment is in it
while its open reports number at least its site's `report_threshold` (policy, default 3).
Nothing here changes what readers see, and readers never hear of reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from parley.domain.comments import Comment, Site, Thread
from parley.domain.reports import ReportReason
from parley.domain.text import control_character
from parley.moderation.policy import Policy
from parley.services.errors import InvalidInput, NotFound, storing
from parley.services.events import moderator_event
from parley.services.tokens import AuthorTokens
from parley.storage.reports import OpenReports, ReportAdded

MAX_NOTE = 500


class CommentLookup(Protocol):
    async def get_comment(self, comment_id: int) -> tuple[Comment, Thread] | None: ...


class ReportStore(Protocol):
    async def add_report(
        self, comment_id: int, reporter: str, reason: str, note: str | None, at: datetime
    ) -> ReportAdded: ...

    async def open_report_counts(
        self, site_ids: Sequence[int], at_least: int = 1
    ) -> list[OpenReports]: ...

    async def resolve_reports(self, comment_id: int, at: datetime) -> int: ...


class ModeratorEvents(Protocol):
    def publish_to_moderators(self, site_id: int, event: dict[str, Any]) -> None: ...


@dataclass(frozen=True, slots=True)
class Reported:
    comment_id: int
    reason: ReportReason
    reported_at: datetime
    created: bool  # False: the reader had reported this comment before; theirs is unchanged
    author_token: str  # the reader's identity, a new one when none was sent


class Standings(Protocol):
    async def check(
        self,
        site_id: int,
        author_key: str | None,
        email: str | None,
        network_tag: str | None,
        parent_id: int | None = None,
        what: str = "comment",
    ) -> object:
        """Raises when the author may not act here (services/sanctions.py)."""


def report_threshold(site: Site) -> int:
    """Open reports that put one of the site's comments in the reported queue."""
    return Policy.from_dict(site.policy).report_threshold


class ReportService:
    def __init__(
        self,
        comments: CommentLookup,
        reports: ReportStore,
        tokens: AuthorTokens,
        events: ModeratorEvents,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._comments = comments
        self._reports = reports
        self._tokens = tokens
        self._events = events
        self._clock = clock
        self._sanctions: Standings | None = None

    def enforce(self, sanctions: Standings) -> None:
        """Refuse reports from authors the moderators banned or suspended."""
        self._sanctions = sanctions

    async def report(
        self,
        site: Site,
        comment_id: int,
        reason: ReportReason,
        author_token: str | None,
        note: str | None = None,
    ) -> Reported:
        """Record the reader's report of a public comment of `site` (NotFound for any other:
        a held comment's id is never confirmed); tell the moderators when it reaches the
        site's threshold."""
        note = _checked_note(note)
        found = await storing(self._comments.get_comment(comment_id))
        if found is None or not found[0].status.is_public or found[1].site_id != site.id:
            raise NotFound(f"no comment {comment_id}")
        known = self._tokens.author_key(author_token)
        if self._sanctions is not None and known is not None:
            await self._sanctions.check(site.id, known, None, None, None, "report")
        reporter, token = self._tokens.issue(known)
        added = await storing(
            self._reports.add_report(comment_id, reporter, reason.value, note, self._clock())
        )
        if added.created and added.open_reports >= report_threshold(site):
            self._events.publish_to_moderators(
                site.id, moderator_event("reported", comment_id, site.id, "reported")
            )
        return Reported(
            comment_id=comment_id,
            reason=ReportReason(added.report.reason),
            reported_at=added.report.created_at,
            created=added.created,
            author_token=token,
        )

    async def reported_queue(self, sites: Sequence[Site]) -> list[OpenReports]:
        """The public comments of `sites` with at least their site's threshold of open
        reports, most reported first: the moderators' reported queue."""
        if not sites:
            return []
        thresholds = {site.id: report_threshold(site) for site in sites}
        found = await storing(
            self._reports.open_report_counts(list(thresholds), min(thresholds.values()))
        )
        return [entry for entry in found if entry.count >= thresholds[entry.site_id]]

    async def open_report_counts(self, sites: Sequence[Site]) -> list[OpenReports]:
        """Every public comment of `sites` with an open report, whatever the threshold."""
        return await storing(self._reports.open_report_counts([site.id for site in sites]))

    async def resolve(self, comment_id: int) -> int:
        """A moderator decided on the comment: its open reports close (it leaves the queue
        until readers report it again); how many were open."""
        return await storing(self._reports.resolve_reports(comment_id, self._clock()))


def _checked_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note is None:
        return None
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"note is longer than {MAX_NOTE} characters", field="note")
    if control_character(note, multiline=True) is not None:
        raise InvalidInput("note holds a control character", field="note")
    return note
