"""The Store on SQLAlchemy Core, shared by the SQLite and PostgreSQL engines."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any, overload

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from parley.domain.comments import (
    Author,
    Comment,
    CommentStatus,
    NewComment,
    Site,
    Thread,
    ThreadView,
)
from parley.domain.moderation import Verdict
from parley.domain.review import verdict_margin
from parley.domain.scoring import ApiKey, KeyChanges, KeyUsage, ScoreFeedback, StoredSuggestion
from parley.storage.schema import (
    api_keys,
    api_quota_days,
    api_usage,
    assessments,
    comments,
    decisions,
    rate_limits,
    score_feedback,
    sites,
    threads,
    votes,
)
from parley.storage.store import StoreError

_PUBLIC_STATUSES = [s.value for s in CommentStatus if s.is_public]

_COMMENT_COLUMNS = [
    comments.c.id,
    comments.c.thread_id,
    comments.c.parent_id,
    comments.c.depth,
    comments.c.author_name,
    comments.c.author_email,
    comments.c.author_website,
    comments.c.author_key,
    comments.c.body_md,
    comments.c.body_html,
    comments.c.status,
    comments.c.votes,
    comments.c.created_at,
    comments.c.edited_at,
]


# A thread's columns beside a comment's in one joined row, and the thread read back from it.
_THREAD_COLUMNS = [c.label(f"thread_{c.name}") for c in threads.c]


def _labelled_thread(row: Mapping[Any, Any]) -> Thread:
    return _thread({c.name: row[f"thread_{c.name}"] for c in threads.c})


@overload
def _utc(moment: datetime) -> datetime: ...
@overload
def _utc(moment: None) -> None: ...
def _utc(moment: datetime | None) -> datetime | None:
    """A moment read back (SQLite keeps none of its zone) in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _site(row: Mapping[Any, Any]) -> Site:
    return Site(
        id=row["id"],
        name=row["name"],
        origins=tuple(row["origins"] or ()),
        policy=dict(row["policy"] or {}),
    )


def _thread(row: Mapping[Any, Any]) -> Thread:
    return Thread(
        id=row["id"],
        site_id=row["site_id"],
        key=row["key"],
        title=row["title"],
        locked=bool(row["locked"]),
        version=row["version"],
        article_html=row["article_html"],
        url=row["url"],
    )


def _comment(row: Mapping[Any, Any]) -> Comment:
    return Comment(
        id=row["id"],
        thread_id=row["thread_id"],
        parent_id=row["parent_id"],
        depth=row["depth"],
        author=Author(
            name=row["author_name"],
            email=row["author_email"],
            website=row["author_website"],
            key=row["author_key"],
        ),
        body_md=row["body_md"],
        body_html=row["body_html"],
        status=CommentStatus(row["status"]),
        created_at=_utc(row["created_at"]),
        edited_at=_utc(row["edited_at"]),
        votes=row["votes"],
    )


@asynccontextmanager
async def _store_errors(
    opening: AbstractAsyncContextManager[AsyncConnection], what: str
) -> AsyncIterator[AsyncConnection]:
    """The connection `opening` gives, a failure of the database on it a StoreError."""
    try:
        async with opening as conn:
            yield conn
    except SQLAlchemyError as error:
        raise StoreError(f"could not {what}: {error.__class__.__name__}") from error


class SqlStore:
    """Everything both engines share; subclasses supply the dialect's upsert and tuning."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def close(self) -> None:
        await self.engine.dispose()

    # -- dialect hooks -------------------------------------------------------------------
    def _insert(self, table: sa.Table) -> Any:
        raise NotImplementedError

    def _write_engine(self) -> AsyncEngine:
        return self.engine

    def writing(self, what: str) -> AbstractAsyncContextManager[AsyncConnection]:
        """A write transaction for storage modules composed over this store (review.py)."""
        return self._writing(what)

    def _writing(self, what: str) -> AbstractAsyncContextManager[AsyncConnection]:
        """A write transaction whose failure (read-only database, full disk) is a StoreError."""
        return _store_errors(self._write_engine().begin(), what)

    def reading(self, what: str) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection to read on, whose failure is a StoreError."""
        return _store_errors(self.engine.connect(), what)

    # -- sites and threads ---------------------------------------------------------------
    async def ensure_site(self, name: str, origins: Sequence[str] = ()) -> Site:
        values = {"name": name, "origins": list(origins), "policy": {}, "created_at": _now()}
        async with self._write_engine().begin() as conn:
            # Two processes starting at once may both create the site: the second one waits.
            await conn.execute(
                self._insert(sites)
                .values(**values)
                .on_conflict_do_nothing(index_elements=[sites.c.name])
            )
            query = sa.select(sites).where(sites.c.name == name).with_for_update()
            found = (await conn.execute(query)).mappings().one()
            merged = list(dict.fromkeys([*(found["origins"] or []), *origins]))
            if merged != list(found["origins"] or []):
                await conn.execute(
                    sites.update().where(sites.c.id == found["id"]).values(origins=merged)
                )
            return Site(
                id=found["id"], name=name, origins=tuple(merged), policy=dict(found["policy"] or {})
            )

    async def set_site_policy(self, name: str, policy: dict[str, object]) -> Site:
        async with self._write_engine().begin() as conn:
            result = await conn.execute(
                sites.update().where(sites.c.name == name).values(policy=policy)
            )
            if not result.rowcount:
                raise StoreError(f"no site named {name!r}")
            row = (await conn.execute(sa.select(sites).where(sites.c.name == name))).mappings()
            return _site(row.one())

    async def author_has_public_comments(self, author_key: str) -> bool:
        public = [CommentStatus.PUBLISHED.value, CommentStatus.FLAGGED.value]
        query = sa.select(comments.c.id).where(
            comments.c.author_key == author_key, comments.c.status.in_(public)
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(query.limit(1))).first() is not None

    async def list_sites(self) -> list[Site]:
        async with self.engine.connect() as conn:
            result = await conn.execute(sa.select(sites).order_by(sites.c.id))
            return [_site(row) for row in result.mappings()]

    async def get_site(self, site_id: int) -> Site | None:
        async with self.engine.connect() as conn:
            result = await conn.execute(sa.select(sites).where(sites.c.id == site_id))
            row = result.mappings().first()
        return _site(row) if row else None

    async def ensure_thread(
        self, site_id: int, key: str, title: str, url: str = "", article_html: str = ""
    ) -> Thread:
        async with self._write_engine().begin() as conn:
            thread = await self._ensure_thread(conn, site_id, key, title)
            changes = {"url": url, "article_html": article_html, "title": title}
            changes = {k: v for k, v in changes.items() if v}
            if changes:
                await conn.execute(
                    threads.update()
                    .where(threads.c.id == thread.id)
                    .values(**changes, version=threads.c.version + 1)
                )
        found = await self.get_thread(site_id, key)
        assert found is not None
        return found

    async def get_thread(self, site_id: int, key: str) -> Thread | None:
        async with self.engine.connect() as conn:
            query = sa.select(threads).where(threads.c.site_id == site_id, threads.c.key == key)
            row = (await conn.execute(query)).mappings().first()
            return _thread(row) if row else None

    async def _ensure_thread(
        self, conn: AsyncConnection, site_id: int, key: str, title: str
    ) -> Thread:
        """The thread, created if missing; many first comments at once create it once."""
        query = sa.select(threads).where(threads.c.site_id == site_id, threads.c.key == key)
        row = (await conn.execute(query)).mappings().first()
        if row is not None:
            return _thread(row)
        values = {
            "site_id": site_id,
            "key": key,
            "title": title,
            "url": "",
            "article_html": "",
            "locked": False,
            "version": 1,
            "created_at": _now(),
        }
        await conn.execute(
            self._insert(threads)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[threads.c.site_id, threads.c.key])
        )
        return _thread((await conn.execute(query)).mappings().one())

    async def set_thread_locked(self, site_id: int, key: str, locked: bool) -> bool:
        async with self._write_engine().begin() as conn:
            result = await conn.execute(
                threads.update()
                .where(threads.c.site_id == site_id, threads.c.key == key)
                .values(locked=locked, version=threads.c.version + 1)
            )
        return bool(result.rowcount)

    async def list_threads(self, site_id: int) -> list[Thread]:
        async with self.engine.connect() as conn:
            query = sa.select(threads).where(threads.c.site_id == site_id).order_by(threads.c.id)
            return [_thread(row) for row in (await conn.execute(query)).mappings()]

    async def thread_version(self, site_id: int, key: str) -> int:
        query = sa.select(threads.c.version).where(
            threads.c.site_id == site_id, threads.c.key == key
        )
        try:
            async with self.engine.connect() as conn:
                return (await conn.execute(query)).scalar() or 0
        except SQLAlchemyError as error:
            raise StoreError(f"could not read the thread: {error.__class__.__name__}") from error

    # -- reading -------------------------------------------------------------------------
    async def read_thread(self, site_id: int, key: str, viewer_key: str | None) -> ThreadView:
        visible: sa.ColumnElement[bool] = comments.c.status.in_(_PUBLIC_STATUSES)
        if viewer_key:
            visible = sa.or_(
                visible,
                sa.and_(
                    comments.c.status == CommentStatus.PENDING.value,
                    comments.c.author_key == viewer_key,
                ),
            )
        joined = threads.outerjoin(comments, sa.and_(comments.c.thread_id == threads.c.id, visible))
        query = (
            sa.select(*_THREAD_COLUMNS, *_COMMENT_COLUMNS)
            .select_from(joined)
            .where(threads.c.site_id == site_id, threads.c.key == key)
        )
        try:
            async with self.engine.connect() as conn:
                rows = (await conn.execute(query)).mappings().all()
        except SQLAlchemyError as error:
            raise StoreError(f"could not read the thread: {error.__class__.__name__}") from error
        if not rows:
            return ThreadView(thread=None)
        thread = _labelled_thread(rows[0])
        found = [_comment(row) for row in rows if row["id"] is not None]
        return ThreadView(thread=thread, comments=found)

    async def pending_comments(self, site_id: int, key: str, author_key: str) -> list[Comment]:
        query = (
            sa.select(*_COMMENT_COLUMNS)
            .select_from(comments.join(threads, threads.c.id == comments.c.thread_id))
            .where(
                threads.c.site_id == site_id,
                threads.c.key == key,
                sa.or_(
                    comments.c.status == CommentStatus.PENDING.value,
                    # Rejected by a moderator after the author saw it held: shown to its author
                    # as rejected (never why), so it does not just vanish.
                    sa.and_(
                        comments.c.status == CommentStatus.REJECTED.value,
                        sa.exists().where(
                            decisions.c.comment_id == comments.c.id,
                            decisions.c.status_after == CommentStatus.REJECTED.value,
                            decisions.c.undone_at.is_(None),
                        ),
                    ),
                ),
                comments.c.author_key == author_key,
            )
        )
        try:
            async with self.engine.connect() as conn:
                rows = (await conn.execute(query)).mappings().all()
        except SQLAlchemyError as error:
            raise StoreError(f"could not read the thread: {error.__class__.__name__}") from error
        return [_comment(row) for row in rows]

    async def get_comment(self, comment_id: int) -> tuple[Comment, Thread] | None:
        query = (
            sa.select(*_THREAD_COLUMNS, *_COMMENT_COLUMNS)
            .select_from(comments.join(threads, threads.c.id == comments.c.thread_id))
            .where(comments.c.id == comment_id)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        if row is None:
            return None
        thread = _labelled_thread(row)
        return _comment(row), thread

    async def assessments(self, comment_id: int) -> list[dict[str, Any]]:
        query = (
            sa.select(assessments)
            .where(assessments.c.comment_id == comment_id)
            .order_by(assessments.c.id)
        )
        async with self.engine.connect() as conn:
            return [dict(row) for row in (await conn.execute(query)).mappings()]

    async def counts(self, site_id: int, keys: Sequence[str]) -> dict[str, int]:
        query = (
            sa.select(threads.c.key, sa.func.count(comments.c.id))
            .select_from(threads.join(comments, comments.c.thread_id == threads.c.id))
            .where(
                threads.c.site_id == site_id,
                threads.c.key.in_(list(keys)),
                comments.c.status.in_([CommentStatus.PUBLISHED.value, CommentStatus.FLAGGED.value]),
            )
            .group_by(threads.c.key)
        )
        async with self.engine.connect() as conn:
            found = {key: count for key, count in (await conn.execute(query)).all()}
        return {key: found.get(key, 0) for key in keys}

    async def count_comments(self, site_id: int, key: str) -> int:
        query = (
            sa.select(sa.func.count(comments.c.id))
            .select_from(threads.join(comments, comments.c.thread_id == threads.c.id))
            .where(threads.c.site_id == site_id, threads.c.key == key)
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(query)).scalar() or 0

    async def export_threads(self, site_id: int) -> AsyncIterator[tuple[Thread, list[Comment]]]:
        found = await self.list_threads(site_id)
        async with self.engine.connect() as conn:
            for thread in found:
                query = (
                    sa.select(*_COMMENT_COLUMNS)
                    .where(comments.c.thread_id == thread.id)
                    .order_by(comments.c.id)
                )
                rows = (await conn.execute(query)).mappings()
                yield thread, [_comment(row) for row in rows]

    # -- writing -------------------------------------------------------------------------
    async def add_comment(
        self, site_id: int, comment: NewComment, verdict: Verdict | None = None
    ) -> Comment:
        async with self._writing("store the comment") as conn:
            thread = await self._ensure_thread(
                conn, site_id, comment.thread_key, comment.thread_title
            )
            if comment.source_ref is not None:
                existing = await self._by_source_ref(conn, thread.id, comment.source_ref)
                if existing is not None:
                    return existing
            comment_id = await self._insert_comment(conn, thread.id, comment)
            if verdict is not None:
                await self._record(conn, comment_id, verdict, comment.created_at)
            await self._bump(conn, thread.id)
            stored = await self._comment_by_id(conn, comment_id)
        return stored

    async def _insert_comment(self, conn: AsyncConnection, thread_id: int, new: NewComment) -> int:
        values = {
            "thread_id": thread_id,
            "parent_id": new.parent_id,
            "depth": new.depth,
            "author_name": new.author.name,
            "author_email": new.author.email,
            "author_website": new.author.website,
            "author_key": new.author.key,
            "network_tag": new.network_tag,
            "body_md": new.body_md,
            "body_html": new.body_html,
            "status": new.status.value,
            "votes": 0,
            "created_at": new.created_at,
            "source_ref": new.source_ref,
        }
        result = await conn.execute(comments.insert().values(**values))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    async def _record(
        self, conn: AsyncConnection, comment_id: int, verdict: Verdict, when: datetime
    ) -> None:
        reasons = [reason.to_dict() for reason in verdict.reasons]
        await conn.execute(
            assessments.insert().values(
                comment_id=comment_id,
                model_version=verdict.model_version,
                action=verdict.action.value,
                scores=verdict.scores,
                reasons=reasons,
                language=verdict.language,
                margin=verdict_margin(reasons),
                created_at=when,
            )
        )

    async def _by_source_ref(
        self, conn: AsyncConnection, thread_id: int, source_ref: str
    ) -> Comment | None:
        query = sa.select(*_COMMENT_COLUMNS).where(
            comments.c.thread_id == thread_id, comments.c.source_ref == source_ref
        )
        row = (await conn.execute(query)).mappings().first()
        return _comment(row) if row else None

    async def _comment_by_id(self, conn: AsyncConnection, comment_id: int) -> Comment:
        query = sa.select(*_COMMENT_COLUMNS).where(comments.c.id == comment_id)
        return _comment((await conn.execute(query)).mappings().one())

    async def _bump(self, conn: AsyncConnection, thread_id: int) -> None:
        await conn.execute(
            threads.update().where(threads.c.id == thread_id).values(version=threads.c.version + 1)
        )

    async def update_comment(
        self,
        comment_id: int,
        body_md: str,
        body_html: str,
        edited_at: datetime,
        status: CommentStatus,
        verdict: Verdict | None = None,
    ) -> Comment:
        async with self._writing("store the edit") as conn:
            await conn.execute(
                comments.update()
                .where(comments.c.id == comment_id)
                .values(
                    body_md=body_md, body_html=body_html, edited_at=edited_at, status=status.value
                )
            )
            if verdict is not None:
                await self._record(conn, comment_id, verdict, edited_at)
            updated = await self._comment_by_id(conn, comment_id)
            await self._bump(conn, updated.thread_id)
        return updated

    async def delete_comment(self, comment_id: int) -> None:
        async with self._writing("delete the comment") as conn:
            target = await self._comment_by_id(conn, comment_id)
            has_replies = (
                await conn.execute(
                    sa.select(sa.func.count()).where(comments.c.parent_id == comment_id)
                )
            ).scalar()
            if has_replies:
                await conn.execute(
                    comments.update()
                    .where(comments.c.id == comment_id)
                    .values(
                        status=CommentStatus.DELETED.value,
                        body_md="",
                        body_html="",
                        author_name=None,
                        author_email=None,
                        author_website=None,
                    )
                )
            else:
                await conn.execute(votes.delete().where(votes.c.comment_id == comment_id))
                await conn.execute(
                    assessments.delete().where(assessments.c.comment_id == comment_id)
                )
                await conn.execute(comments.delete().where(comments.c.id == comment_id))
            await self._bump(conn, target.thread_id)

    async def vote(self, comment_id: int, voter: str, value: int) -> int:
        async with self._writing("store the vote") as conn:
            # Votes on one comment take turns from here, so the total counts every vote
            # committed before this one (SQLite's writers take turns anyway).
            await conn.execute(
                sa.select(comments.c.id)
                .where(comments.c.id == comment_id)
                .with_for_update(key_share=True)
            )
            if value == 0:
                await conn.execute(
                    votes.delete().where(votes.c.comment_id == comment_id, votes.c.voter == voter)
                )
            else:
                upsert = self._insert(votes).values(comment_id=comment_id, voter=voter, value=value)
                upsert = upsert.on_conflict_do_update(
                    index_elements=[votes.c.comment_id, votes.c.voter], set_={"value": value}
                )
                await conn.execute(upsert)
            total = (
                sa.select(sa.func.coalesce(sa.func.sum(votes.c.value), 0))
                .where(votes.c.comment_id == comment_id)
                .scalar_subquery()
            )
            result = await conn.execute(
                comments.update()
                .where(comments.c.id == comment_id)
                .values(votes=total)
                .returning(comments.c.votes, comments.c.thread_id)
            )
            new_total, thread_id = result.one()
            await self._bump(conn, thread_id)
        return int(new_total)

    async def forget_network_tags(self, before: datetime) -> int:
        async with self._writing("forget network tags") as conn:
            result = await conn.execute(
                comments.update()
                .where(comments.c.network_tag.is_not(None), comments.c.created_at < before)
                .values(network_tag=None)
            )
        return int(result.rowcount)

    # -- rate limits ---------------------------------------------------------------------
    async def count_request(self, key: str, window_start: int, amount: int = 1) -> int:
        async with self._writing("count a request") as conn:
            insert = self._insert(rate_limits).values(
                key=key, window_start=window_start, count=amount
            )
            result = await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=[rate_limits.c.key, rate_limits.c.window_start],
                    set_={"count": rate_limits.c.count + amount},
                ).returning(rate_limits.c.count)
            )
            return int(result.scalar_one())

    async def request_counts(self, key: str, since: int) -> dict[int, int]:
        query = sa.select(rate_limits.c.window_start, rate_limits.c.count).where(
            rate_limits.c.key == key, rate_limits.c.window_start >= since
        )
        try:
            async with self.engine.connect() as conn:
                rows = (await conn.execute(query)).all()
        except SQLAlchemyError as error:
            what = error.__class__.__name__
            raise StoreError(f"could not read request counts: {what}") from error
        return {int(start): int(count) for start, count in rows}

    async def forget_request_counts(self, before: int, prefix: str = "") -> int:
        async with self._writing("forget request counts") as conn:
            result = await conn.execute(
                rate_limits.delete().where(
                    rate_limits.c.window_start < before,
                    rate_limits.c.key.startswith(prefix, autoescape=True),
                )
            )
        return int(result.rowcount)

    # -- the scoring API -----------------------------------------------------------------
    async def create_api_key(
        self, name: str, prefix: str, key_hash: str, qps: float, settings: KeyChanges | None = None
    ) -> ApiKey:
        values = {
            "name": name,
            "prefix": prefix,
            "key_hash": key_hash,
            "qps": qps,
            "created_at": _now(),
            **_key_values(settings or KeyChanges()),
        }
        try:
            async with self._write_engine().begin() as conn:
                result = await conn.execute(api_keys.insert().values(**values))
                assert result.inserted_primary_key is not None
                query = sa.select(api_keys).where(api_keys.c.id == result.inserted_primary_key[0])
                row = (await conn.execute(query)).mappings().one()
        except IntegrityError as error:
            raise StoreError(f"an API key named {name!r} exists already") from error
        return _api_key(row)

    async def change_api_key(self, name: str, changes: KeyChanges) -> ApiKey | None:
        """Apply `changes` to the active key named `name`; None when there is none."""
        values = _key_values(changes)
        active = sa.and_(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
        async with self._writing("change an API key") as conn:
            if values:
                await conn.execute(api_keys.update().where(active).values(**values))
            row = (await conn.execute(sa.select(api_keys).where(active))).mappings().first()
        return _api_key(row) if row else None

    async def count_quota_day(self, key_id: int, method: str, day: date, amount: int) -> int:
        """Add `amount` (may be negative) to the key's count for `method` on `day`; the count
        now, read in the same statement, so workers never both take the last request."""
        async with self._writing("count a request against a daily quota") as conn:
            insert = self._insert(api_quota_days).values(
                key_id=key_id, method=method, day=day, requests=amount
            )
            result = await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=[
                        api_quota_days.c.key_id,
                        api_quota_days.c.method,
                        api_quota_days.c.day,
                    ],
                    set_={"requests": api_quota_days.c.requests + amount},
                ).returning(api_quota_days.c.requests)
            )
            return int(result.scalar_one())

    async def quota_day_counts(self, day: date) -> dict[tuple[int, str], int]:
        """Requests counted against daily quotas on `day`, by (key id, method)."""
        query = sa.select(
            api_quota_days.c.key_id, api_quota_days.c.method, api_quota_days.c.requests
        ).where(api_quota_days.c.day == day)
        async with self.reading("read the daily quota counts") as conn:
            rows = (await conn.execute(query)).all()
        return {(key_id, method): int(requests) for key_id, method, requests in rows}

    async def score_suggestions(self, site_id: int | None, limit: int) -> list[StoredSuggestion]:
        """The newest suggestions first, of one site or (None) of all."""
        query = (
            sa.select(score_feedback, api_keys.c.name.label("key_name"), sites.c.name.label("site"))
            .select_from(
                score_feedback.join(api_keys, api_keys.c.id == score_feedback.c.key_id).outerjoin(
                    sites, sites.c.id == score_feedback.c.site_id
                )
            )
            .order_by(score_feedback.c.id.desc())
            .limit(limit)
        )
        if site_id is not None:
            query = query.where(score_feedback.c.site_id == site_id)
        async with self.reading("read the suggested scores") as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [
            StoredSuggestion(
                id=row["id"],
                key_name=row["key_name"],
                site_name=row["site"],
                text=row["text"],
                attribute_scores=dict(row["attribute_scores"]),
                languages=tuple(row["languages"]),
                community_id=row["community_id"],
                client_token=row["client_token"],
                created_at=_utc(row["created_at"]),
            )
            for row in rows
        ]

    async def list_api_keys(self) -> list[ApiKey]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(api_keys).order_by(api_keys.c.id))
            return [_api_key(row) for row in rows.mappings()]

    async def revoke_api_key(self, name: str, when: datetime) -> bool:
        async with self._write_engine().begin() as conn:
            result = await conn.execute(
                api_keys.update()
                .where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=when)
            )
        return bool(result.rowcount)

    async def api_key_by_hash(self, key_hash: str) -> ApiKey | None:
        async with self.engine.connect() as conn:
            query = sa.select(api_keys).where(api_keys.c.key_hash == key_hash)
            row = (await conn.execute(query)).mappings().first()
        return _api_key(row) if row else None

    async def add_api_usage(self, counts: dict[tuple[int, date], int]) -> None:
        if not counts:
            return
        async with self._write_engine().begin() as conn:
            for (key_id, day), requests in counts.items():
                insert = self._insert(api_usage).values(key_id=key_id, day=day, requests=requests)
                await conn.execute(
                    insert.on_conflict_do_update(
                        index_elements=[api_usage.c.key_id, api_usage.c.day],
                        set_={"requests": api_usage.c.requests + insert.excluded.requests},
                    )
                )

    async def api_usage(self) -> list[KeyUsage]:
        query = (
            sa.select(api_keys.c.name, api_usage.c.day, api_usage.c.requests)
            .select_from(api_usage.join(api_keys, api_keys.c.id == api_usage.c.key_id))
            .order_by(api_keys.c.name, api_usage.c.day)
        )
        async with self.engine.connect() as conn:
            return [
                KeyUsage(name, day, requests)
                for name, day, requests in (await conn.execute(query)).all()
            ]

    async def add_score_feedback(self, feedback: ScoreFeedback) -> None:
        async with self._write_engine().begin() as conn:
            await conn.execute(
                score_feedback.insert().values(
                    key_id=feedback.key_id,
                    text=feedback.text,
                    attribute_scores=feedback.attribute_scores,
                    languages=list(feedback.languages),
                    community_id=feedback.community_id,
                    client_token=feedback.client_token,
                    created_at=feedback.created_at,
                    site_id=feedback.site_id,
                )
            )


def _api_key(row: Mapping[Any, Any]) -> ApiKey:
    return ApiKey(
        id=row["id"],
        name=row["name"],
        prefix=row["prefix"],
        qps=row["qps"],
        created_at=_utc(row["created_at"]),
        revoked_at=_utc(row["revoked_at"]),
        site_id=row["site_id"],
        per_day=row["per_day"],
        suggest_per_day=row["suggest_per_day"],
        cors_origins=tuple(row["cors_origins"] or ()),
    )


def _key_values(changes: KeyChanges) -> dict[str, Any]:
    """The api_keys columns `changes` sets."""
    values: dict[str, Any] = {}
    if changes.qps is not None:
        values["qps"] = changes.qps
    if changes.site_id is not None:
        values["site_id"] = changes.site_id
    if changes.per_day is not None or changes.no_per_day:
        values["per_day"] = None if changes.no_per_day else changes.per_day
    if changes.suggest_per_day is not None or changes.no_suggest_per_day:
        values["suggest_per_day"] = None if changes.no_suggest_per_day else changes.suggest_per_day
    if changes.cors_origins is not None:
        values["cors_origins"] = list(changes.cors_origins)
    return values
