"""The narrow interface every storage engine offers to the services."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from parley.domain.comments import Comment, CommentStatus, NewComment, Site, Thread, ThreadView
from parley.domain.moderation import Verdict
from parley.domain.scoring import ApiKey, KeyChanges, KeyUsage, ScoreFeedback, StoredSuggestion


class StoreError(Exception):
    """The database refused or failed an operation; the message says which."""


class Store(Protocol):
    async def close(self) -> None: ...

    async def ensure_site(self, name: str, origins: Sequence[str] = ()) -> Site:
        """Create the site if missing; add any new origins to an existing one."""

    async def list_sites(self) -> list[Site]: ...

    async def get_site(self, site_id: int) -> Site | None: ...

    async def set_site_policy(self, name: str, policy: dict[str, object]) -> Site:
        """Replace a site's moderation policy; StoreError for an unknown site."""

    async def author_has_public_comments(self, author_key: str) -> bool: ...

    async def ensure_thread(
        self, site_id: int, key: str, title: str, url: str = "", article_html: str = ""
    ) -> Thread: ...

    async def get_thread(self, site_id: int, key: str) -> Thread | None: ...

    async def list_threads(self, site_id: int) -> list[Thread]: ...

    async def set_thread_locked(self, site_id: int, key: str, locked: bool) -> bool:
        """Lock or unlock a thread; False when there is no such thread."""

    async def thread_version(self, site_id: int, key: str) -> int:
        """A number that changes whenever the thread's visible content may have; 0 if unknown."""

    async def read_thread(self, site_id: int, key: str, viewer_key: str | None) -> ThreadView:
        """The thread and its public comments (plus the viewer's pending ones), one query."""

    async def pending_comments(self, site_id: int, key: str, author_key: str) -> list[Comment]:
        """One author's comments in a thread that are held for review."""

    async def get_comment(self, comment_id: int) -> tuple[Comment, Thread] | None: ...

    async def add_comment(
        self, site_id: int, comment: NewComment, verdict: Verdict | None = None
    ) -> Comment:
        """Store the comment (and its assessment) atomically, creating the thread if needed.

        A comment whose `source_ref` is already stored in the thread is returned unchanged.
        """

    async def assessments(self, comment_id: int) -> list[dict[str, Any]]:
        """The moderation verdicts recorded for a comment, oldest first."""

    async def update_comment(
        self,
        comment_id: int,
        body_md: str,
        body_html: str,
        edited_at: datetime,
        status: CommentStatus,
        verdict: Verdict | None = None,
    ) -> Comment:
        """Replace an edited comment's text and status, recording the new assessment."""

    async def delete_comment(self, comment_id: int) -> None:
        """Remove the comment, or leave a tombstone where it has replies."""

    async def vote(self, comment_id: int, voter: str, value: int) -> int:
        """Record one voter's vote (replacing an earlier one; 0 takes it back); the new total."""

    async def forget_network_tags(self, before: datetime) -> int:
        """Clear the network tag of comments posted before `before`; how many were cleared."""

    async def count_request(self, key: str, window_start: int, amount: int = 1) -> int:
        """Add `amount` (may be negative) to `key`'s count in the window; the count now (atomic)."""

    async def request_counts(self, key: str, since: int) -> dict[int, int]:
        """`key`'s counts by the start of their window, for windows starting at `since` or later."""

    async def forget_request_counts(self, before: int, prefix: str = "") -> int:
        """Drop the counts, of keys starting with `prefix`, of windows that started before
        `before`; how many were dropped."""

    async def counts(self, site_id: int, keys: Sequence[str]) -> dict[str, int]: ...

    async def count_comments(self, site_id: int, key: str) -> int:
        """All stored comments of a thread, whatever their status (for imports and checks)."""

    # -- the scoring API ---------------------------------------------------------------
    async def create_api_key(
        self, name: str, prefix: str, key_hash: str, qps: float, settings: KeyChanges | None = None
    ) -> ApiKey:
        """Raises StoreError when the name is taken."""

    async def change_api_key(self, name: str, changes: KeyChanges) -> ApiKey | None:
        """The active key named `name` after `changes`; None when there is none."""

    async def count_quota_day(self, key_id: int, method: str, day: date, amount: int) -> int:
        """Add `amount` (may be negative) to a key's daily count for `method`; the count now."""

    async def quota_day_counts(self, day: date) -> dict[tuple[int, str], int]: ...

    async def score_suggestions(self, site_id: int | None, limit: int) -> list[StoredSuggestion]:
        """Newest first, of one site or (None) all."""

    async def list_api_keys(self) -> list[ApiKey]: ...

    async def revoke_api_key(self, name: str, when: datetime) -> bool: ...

    async def api_key_by_hash(self, key_hash: str) -> ApiKey | None: ...

    async def add_api_usage(self, counts: dict[tuple[int, date], int]) -> None:
        """Add request counts per (key id, day)."""

    async def api_usage(self) -> list[KeyUsage]: ...

    async def add_score_feedback(self, feedback: ScoreFeedback) -> None: ...

    def export_threads(self, site_id: int) -> AsyncIterator[tuple[Thread, list[Comment]]]: ...
