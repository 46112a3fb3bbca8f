"""Telling live readers that a thread changed."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from parley.domain.comments import Comment, CommentStatus

# What moderators hear on their sites' channels (`EventSink.publish_to_moderators`): ids only,
# never text; the console fetches the item through the admin API, which checks access.
ModeratorChange = Literal["queued", "decided", "reported"]
_QUEUE_OF = {CommentStatus.PENDING: "held", CommentStatus.FLAGGED: "flagged"}


class EventSink(Protocol):
    """Where the services announce changes; the web layer fans them out over SSE."""

    def publish(self, site_id: int, thread_key: str, event: dict[str, Any]) -> None: ...

    def publish_to_moderators(self, site_id: int, event: dict[str, Any]) -> None:
        """A change only the site's moderators may hear of (a comment reaching the reported
        queue); never sent on a thread's channel, which any reader may listen to."""


class NoEvents:
    """For processes without live readers (the CLI, imports)."""

    def publish(self, site_id: int, thread_key: str, event: dict[str, Any]) -> None:
        return None

    def publish_to_moderators(self, site_id: int, event: dict[str, Any]) -> None:
        return None


def queue_of(status: CommentStatus) -> str | None:
    """The review queue a comment of this status waits in ("held", "flagged"), or None."""
    return _QUEUE_OF.get(status)


def moderator_event(
    change: ModeratorChange, comment_id: int, site_id: int, queue: str | None
) -> dict[str, Any]:
    return {"type": change, "id": comment_id, "site": site_id, "queue": queue}


def announce_queued(events: EventSink, site_id: int, comment: Comment) -> None:
    """Tell the site's moderators that a comment waits in a queue after a post or an edit
    (held or flagged by the engine, a derailment alert or the author's standing)."""
    queue = queue_of(comment.status)
    if queue is not None:
        events.publish_to_moderators(site_id, moderator_event("queued", comment.id, site_id, queue))
