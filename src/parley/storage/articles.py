"""The article a thread's comments are judged against, and whether a site takes it from its
pages (`sites.article_from_page`, migration 0010), on the SQL store."""

from __future__ import annotations

import sqlalchemy as sa

from parley.storage.schema import sites, threads
from parley.storage.sql import SqlStore


class SqlArticles:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def article_from_page(self, site_id: int) -> bool | None:
        """Whether the site keeps the article a widget reads from its page; None: no site."""
        query = sa.select(sites.c.article_from_page).where(sites.c.id == site_id)
        async with self._store.reading("read the site's article source") as conn:
            found = (await conn.execute(query)).first()
        return None if found is None else bool(found[0])

    async def set_article_from_page(self, site_id: int, on: bool) -> bool:
        """Set the flag; False when there is no such site."""
        change = sites.update().where(sites.c.id == site_id).values(article_from_page=on)
        async with self._store.writing("set the site's article source") as conn:
            return (await conn.execute(change)).rowcount > 0

    async def offer_article(self, site_id: int, key: str, article_html: str) -> bool:
        """Keep `article_html` as the thread's article unless it has one; whether it was kept.
        One conditional update, so two first posts at once keep one article."""
        await self._store.ensure_thread(site_id, key, "")
        change = (
            threads.update()
            .where(threads.c.site_id == site_id, threads.c.key == key, threads.c.article_html == "")
            .values(article_html=article_html, version=threads.c.version + 1)
        )
        async with self._store.writing("keep the thread's article") as conn:
            return (await conn.execute(change)).rowcount > 0


def article_store(store: object) -> SqlArticles:
    """Articles on the store `storage.factory.open_store` opened."""
    if not isinstance(store, SqlStore):
        raise TypeError(f"articles need a SQL store, not {type(store).__name__}")
    return SqlArticles(store)
