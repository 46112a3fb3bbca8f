"""Exports of a site's threads and comments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

from parley.domain.comments import Comment, Site, Thread


class ExportStorage(Protocol):
    """What an export needs of a storage engine."""

    def export_threads(self, site_id: int) -> AsyncIterator[tuple[Thread, list[Comment]]]: ...

    async def list_sites(self) -> list[Site]: ...


def _comment(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "depth": comment.depth,
        "author": {
            "name": comment.author.name,
            "email": comment.author.email,
            "website": comment.author.website,
        },
        "body_md": comment.body_md,
        "body_html": comment.body_html,
        "status": comment.status.value,
        "votes": comment.votes,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
    }


def _thread(thread: Thread, comments: list[Comment]) -> dict[str, Any]:
    return {
        "key": thread.key,
        "title": thread.title,
        "url": thread.url,
        "locked": thread.locked,
        "comments": [_comment(c) for c in comments],
    }


async def export_site(store: ExportStorage, site_name: str) -> AsyncIterator[dict[str, Any]]:
    """Every thread of the site with all its comments (any status), one dict per thread."""
    sites = {site.name: site for site in await store.list_sites()}
    if site_name not in sites:
        raise LookupError(f"no site named {site_name!r}; known: {', '.join(sorted(sites))}")
    async for thread, comments in store.export_threads(sites[site_name].id):
        yield _thread(thread, comments)
