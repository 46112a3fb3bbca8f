"""Telling live readers that a thread changed."""

from __future__ import annotations

from typing import Any, Protocol


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
