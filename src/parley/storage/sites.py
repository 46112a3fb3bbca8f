"""Removing a site, with or without what it holds, on the SQL store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from parley.storage.schema import (
    assessments,
    audit_log,
    comments,
    decisions,
    reports,
    sites,
    threads,
    votes,
)
from parley.storage.sql import SqlStore


@dataclass(frozen=True, slots=True)
class SiteRemoval:
    name: str
    threads: int
    comments: int
    removed: bool  # False: the site holds threads and removing them was not asked for


class SqlSites:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def remove_site(self, name: str, with_threads: bool) -> SiteRemoval | None:
        """Delete the site; its threads and everything under them too when `with_threads`,
        else only a site that holds none. One transaction; None for an unknown site.
        The audit log keeps a line saying what went."""
        async with self._store.writing("remove the site") as conn:
            found = (
                (await conn.execute(sa.select(sites).where(sites.c.name == name).with_for_update()))
                .mappings()
                .first()
            )
            if found is None:
                return None
            site_id = found["id"]
            thread_ids = sa.select(threads.c.id).where(threads.c.site_id == site_id)
            comment_ids = sa.select(comments.c.id).where(comments.c.thread_id.in_(thread_ids))
            n_threads = await conn.scalar(
                sa.select(sa.func.count()).select_from(thread_ids.subquery())
            )
            n_comments = await conn.scalar(
                sa.select(sa.func.count()).select_from(comment_ids.subquery())
            )
            removal = SiteRemoval(name, int(n_threads or 0), int(n_comments or 0), False)
            if removal.threads and not with_threads:
                return removal
            for table in (votes, assessments, reports):
                await conn.execute(table.delete().where(table.c.comment_id.in_(comment_ids)))
            await conn.execute(decisions.delete().where(decisions.c.site_id == site_id))
            await conn.execute(comments.delete().where(comments.c.thread_id.in_(thread_ids)))
            await conn.execute(threads.delete().where(threads.c.site_id == site_id))
            await conn.execute(sites.delete().where(sites.c.id == site_id))
            await conn.execute(
                audit_log.insert().values(
                    created_at=datetime.now(UTC),
                    user_id=None,
                    site_id=site_id,
                    action="site.remove",
                    target=f"site:{site_id}",
                    before={
                        "name": name,
                        "origins": list(found["origins"] or []),
                        "threads": removal.threads,
                        "comments": removal.comments,
                    },
                    after=None,
                )
            )
        return SiteRemoval(name, removal.threads, removal.comments, True)


def site_store(store: object) -> SqlSites:
    """Site removal on the store `storage.factory.open_store` opened."""
    if not isinstance(store, SqlStore):
        raise TypeError(f"sites need a SQL store, not {type(store).__name__}")
    return SqlSites(store)
