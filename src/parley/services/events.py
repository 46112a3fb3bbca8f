"""Telling live readers that a thread changed."""

from __future__ import annotations

from typing import Any, Protocol


class EventSink(Protocol):
    """Where the services announce changes; the web layer fans them out over SSE."""

    def publish(self, site_id: int, thread_key: str, event: dict[str, Any]) -> None: ...


class NoEvents:
    """For processes without live readers (the CLI, imports)."""

    def publish(self, site_id: int, thread_key: str, event: dict[str, Any]) -> None:
        return None
