"""Sanctions on authors, rules on branches, notes on authors, and the author drawer's reads,
over the store's engines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from parley.domain.comments import Thread
from parley.domain.review import StoredDecision
from parley.domain.sanctions import (
    AuthorComment,
    AuthorNote,
    AuthorSummary,
    AuthorTraces,
    BranchRule,
    NewSanction,
    Sanction,
    SanctionBy,
    SanctionKind,
    SlowBranch,
)
from parley.storage.review import stored_decision
from parley.storage.schema import (
    assessments,
    author_notes,
    branch_rules,
    comments,
    decisions,
    sanctions,
    threads,
)
from parley.storage.sql import SqlStore, _thread, _utc
from parley.storage.store import Store, StoreError

# Decisions that settle a comment for the approval rate; a restore puts it back undecided.
_SETTLING = ["approve", "reject", "spam", "delete", "restore"]
_APPROVING = ["approve"]
_TRACE_LIMIT = 50  # emails and network tags of an author that sanctions are matched against


def _standing_query() -> sa.CompoundSelect[Any]:
    """Sanctions in force matching an identity, and the rules above a comment (with a slow
    rule's branch, cooldown and latest reply): built once (parameters bound per call), so the
    post path pays no statement building."""
    identities = {by: sa.bindparam(f"by_{by.value}", type_=sa.String) for by in SanctionBy}
    in_force = sa.select(
        sa.literal("sanction").label("what"),
        sanctions.c.kind.label("name"),
        sa.cast(sa.null(), sa.Integer).label("comment_id"),
        sa.cast(sa.null(), sa.Integer).label("cooldown_s"),
        sa.cast(sa.null(), branch_rules.c.last_reply_at.type).label("last_reply_at"),
    ).where(
        sanctions.c.site_id == sa.bindparam("site_id", type_=sa.Integer),
        sanctions.c.value.in_(list(identities.values())),
        sanctions.c.lifted_at.is_(None),
        sa.or_(
            sanctions.c.until.is_(None),
            sanctions.c.until > sa.bindparam("now", type_=sanctions.c.until.type),
        ),
        sa.or_(
            *(
                sa.and_(sanctions.c.match_by == by.value, sanctions.c.value == value)
                for by, value in identities.items()
            )
        ),
    )
    chain = (
        sa.select(comments.c.id, comments.c.parent_id)
        .where(comments.c.id == sa.bindparam("parent_id", type_=sa.Integer))
        .cte("chain", recursive=True)
    )
    chain = chain.union(
        sa.select(comments.c.id, comments.c.parent_id).join(
            chain, comments.c.id == chain.c.parent_id
        )
    )
    above = sa.select(
        sa.literal("rule").label("what"),
        branch_rules.c.rule.label("name"),
        branch_rules.c.comment_id,
        branch_rules.c.cooldown_s,
        branch_rules.c.last_reply_at,
    ).where(branch_rules.c.comment_id.in_(sa.select(chain.c.id)))
    return sa.union_all(in_force, above)


_STANDING = _standing_query()


class _TurnTaken(Exception):
    """Another reply took a slow branch's turn first (rolls the turn-taking back)."""


def sanction_store(store: Store) -> SanctionStore:
    """The sanctions storage over the engines of a store `open_store` made."""
    if not isinstance(store, SqlStore):
        raise StoreError("sanctions need an SQL store")
    return SanctionStore(store)


class SanctionStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._engine = store.engine

    # -- enforcement (on the post path: one statement) -----------------------------------
    async def standing(
        self,
        site_id: int,
        matches: Mapping[SanctionBy, str],
        parent_id: int | None,
        now: datetime,
    ) -> tuple[set[SanctionKind], set[BranchRule], list[SlowBranch]]:
        """The kinds of the site's sanctions in force that match any of these identities, the
        rules on `parent_id` and every one of its ancestors, and the slow ones among them, in
        one round trip."""
        values = {
            "site_id": site_id,
            "now": now,
            "parent_id": parent_id,
            **{f"by_{by.value}": matches.get(by) for by in SanctionBy},
        }
        kinds: set[SanctionKind] = set()
        rules: set[BranchRule] = set()
        slow: list[SlowBranch] = []
        async with self._engine.connect() as conn:
            for what, name, comment_id, cooldown_s, last_reply_at in await conn.execute(
                _STANDING, values
            ):
                if what == "sanction":
                    kinds.add(SanctionKind(name))
                    continue
                rules.add(BranchRule(name))
                if name == BranchRule.SLOW:
                    slow.append(SlowBranch(comment_id, cooldown_s or 0, _utc(last_reply_at)))
        return kinds, rules, slow

    async def take_slow_turn(self, branches: Sequence[SlowBranch], now: datetime) -> bool:
        """Record a reply in each of these slow branches at `now`, if each is past its
        cooldown still (another reply may have come since it was read); whether it was."""
        try:
            async with self._store.writing("take the branch's turn") as conn:
                for branch in branches:
                    result = await conn.execute(
                        branch_rules.update()
                        .where(
                            branch_rules.c.comment_id == branch.comment_id,
                            branch_rules.c.rule == BranchRule.SLOW.value,
                            sa.or_(
                                branch_rules.c.last_reply_at.is_(None),
                                branch_rules.c.last_reply_at
                                <= now - timedelta(seconds=branch.cooldown_s),
                            ),
                        )
                        .values(last_reply_at=now)
                    )
                    if not result.rowcount:
                        raise _TurnTaken
        except _TurnTaken:
            return False
        return True

    # -- sanctions ------------------------------------------------------------------------
    async def add_sanction(self, new: NewSanction, at: datetime) -> Sanction:
        values = {
            "site_id": new.site_id,
            "author_key": new.author_key,
            "kind": new.kind.value,
            "match_by": new.by.value,
            "value": new.value,
            "until": new.until,
            "note": new.note,
            "user_id": new.user_id,
            "created_at": at,
        }
        async with self._store.writing("store the sanction") as conn:
            result = await conn.execute(sanctions.insert().values(**values))
            new_id = result.inserted_primary_key[0]  # type: ignore[index]
            row = (
                (await conn.execute(sa.select(sanctions).where(sanctions.c.id == new_id)))
                .mappings()
                .one()
            )
        return _sanction(row)

    async def sanction(self, sanction_id: int) -> Sanction | None:
        async with self._engine.connect() as conn:
            row = (
                (await conn.execute(sa.select(sanctions).where(sanctions.c.id == sanction_id)))
                .mappings()
                .first()
            )
        return _sanction(row) if row else None

    async def lift(self, sanction_id: int, user_id: int | None, at: datetime) -> bool:
        """Lift a sanction not lifted yet; whether this call lifted it."""
        async with self._store.writing("lift the sanction") as conn:
            result = await conn.execute(
                sanctions.update()
                .where(sanctions.c.id == sanction_id, sanctions.c.lifted_at.is_(None))
                .values(lifted_at=at, lifted_by=user_id)
            )
        return bool(result.rowcount)

    async def sanctions_of(
        self, site_id: int, author_key: str, matches: Sequence[tuple[SanctionBy, str]]
    ) -> list[Sanction]:
        """The site's sanctions made from this author's drawer or matching their identities,
        newest first."""
        found = [sanctions.c.author_key == author_key]
        found += [
            sa.and_(sanctions.c.match_by == by.value, sanctions.c.value == value)
            for by, value in matches
        ]
        query = (
            sa.select(sanctions)
            .where(sanctions.c.site_id == site_id, sa.or_(*found))
            .order_by(sanctions.c.id.desc())
        )
        async with self._engine.connect() as conn:
            return [_sanction(row) for row in (await conn.execute(query)).mappings()]

    # -- the author drawer ----------------------------------------------------------------
    async def author_comments(
        self, site_id: int, author_key: str, limit: int
    ) -> list[AuthorComment]:
        """The author's latest comments on the site, newest first, with their latest verdict."""
        latest = assessments.alias("latest")
        latest_id = (
            sa.select(sa.func.max(latest.c.id))
            .where(latest.c.comment_id == comments.c.id)
            .correlate(comments)
            .scalar_subquery()
        )
        query = (
            sa.select(
                comments.c.id,
                comments.c.thread_id,
                comments.c.parent_id,
                comments.c.author_name,
                comments.c.status,
                comments.c.body_md,
                comments.c.created_at,
                threads.c.key.label("thread_key"),
                threads.c.title.label("thread_title"),
                assessments.c.action.label("verdict_action"),
                assessments.c.reasons.label("verdict_reasons"),
            )
            .select_from(
                comments.join(threads, threads.c.id == comments.c.thread_id).outerjoin(
                    assessments, assessments.c.id == latest_id
                )
            )
            .where(threads.c.site_id == site_id, comments.c.author_key == author_key)
            .order_by(comments.c.created_at.desc(), comments.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_author_comment(row) for row in rows]

    async def author_summary(self, site_id: int, author_key: str) -> AuthorSummary:
        standing = decisions.alias("standing")
        standing_id = (
            sa.select(sa.func.max(standing.c.id))
            .where(
                standing.c.comment_id == comments.c.id,
                standing.c.undone_at.is_(None),
                standing.c.action.in_(_SETTLING),
            )
            .correlate(comments)
            .scalar_subquery()
        )
        settled = sa.and_(decisions.c.id.is_not(None), decisions.c.action != "restore")
        query = (
            sa.select(
                sa.func.count(comments.c.id),
                sa.func.min(comments.c.created_at),
                sa.func.max(comments.c.created_at),
                sa.func.count(sa.case((settled, 1))),
                sa.func.count(sa.case((decisions.c.action.in_(_APPROVING), 1))),
            )
            .select_from(
                comments.join(threads, threads.c.id == comments.c.thread_id).outerjoin(
                    decisions, decisions.c.id == standing_id
                )
            )
            .where(threads.c.site_id == site_id, comments.c.author_key == author_key)
        )
        async with self._engine.connect() as conn:
            count, first, last, decided, approved = (await conn.execute(query)).one()
        return AuthorSummary(int(count), _utc(first), _utc(last), int(decided), int(approved))

    async def author_traces(self, site_id: int, author_key: str) -> AuthorTraces:
        base = (
            sa.select(comments.c.author_email, comments.c.network_tag, comments.c.created_at)
            .select_from(comments.join(threads, threads.c.id == comments.c.thread_id))
            .where(threads.c.site_id == site_id, comments.c.author_key == author_key)
            .order_by(comments.c.created_at.desc(), comments.c.id.desc())
        )
        emails: dict[str, None] = {}
        tags: dict[str, datetime] = {}
        async with self._engine.connect() as conn:
            for email, _, _ in await conn.execute(
                base.where(comments.c.author_email.is_not(None)).limit(_TRACE_LIMIT)
            ):
                emails.setdefault(email, None)
            for _, tag, created_at in await conn.execute(
                base.where(comments.c.network_tag.is_not(None)).limit(_TRACE_LIMIT)
            ):
                tags.setdefault(tag, _utc(created_at))
        return AuthorTraces(tuple(emails), tuple(tags.items()))

    async def decisions_on(self, comment_ids: Sequence[int]) -> dict[int, list[StoredDecision]]:
        found: dict[int, list[StoredDecision]] = {i: [] for i in comment_ids}
        if not comment_ids:
            return found
        query = (
            sa.select(decisions)
            .where(decisions.c.comment_id.in_(list(comment_ids)))
            .order_by(decisions.c.id)
        )
        async with self._engine.connect() as conn:
            for row in (await conn.execute(query)).mappings():
                found[row["comment_id"]].append(stored_decision(row))
        return found

    async def add_note(
        self, site_id: int, author_key: str, user_id: int | None, body: str, at: datetime
    ) -> AuthorNote:
        values = {
            "site_id": site_id,
            "author_key": author_key,
            "user_id": user_id,
            "body": body,
            "created_at": at,
        }
        async with self._store.writing("store the note") as conn:
            result = await conn.execute(author_notes.insert().values(**values))
        return AuthorNote(result.inserted_primary_key[0], user_id, body, at)  # type: ignore[index]

    async def notes(self, site_id: int, author_key: str) -> list[AuthorNote]:
        query = (
            sa.select(author_notes)
            .where(author_notes.c.site_id == site_id, author_notes.c.author_key == author_key)
            .order_by(author_notes.c.id.desc())
        )
        async with self._engine.connect() as conn:
            return [
                AuthorNote(row["id"], row["user_id"], row["body"], _utc(row["created_at"]))
                for row in (await conn.execute(query)).mappings()
            ]

    # -- branches and threads -------------------------------------------------------------
    async def comment_thread(self, comment_id: int) -> Thread | None:
        """The thread a comment is in."""
        query = (
            sa.select(threads)
            .select_from(threads.join(comments, comments.c.thread_id == threads.c.id))
            .where(comments.c.id == comment_id)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return _thread(row) if row else None

    async def comment_author(self, comment_id: int) -> tuple[int, str | None] | None:
        """The site a comment is on and its author key."""
        query = (
            sa.select(threads.c.site_id, comments.c.author_key)
            .select_from(comments.join(threads, threads.c.id == comments.c.thread_id))
            .where(comments.c.id == comment_id)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (row[0], row[1]) if row else None

    async def thread(self, thread_id: int) -> Thread | None:
        async with self._engine.connect() as conn:
            row = (
                (await conn.execute(sa.select(threads).where(threads.c.id == thread_id)))
                .mappings()
                .first()
            )
        return _thread(row) if row else None

    async def set_rule(
        self,
        comment_id: int,
        rule: BranchRule,
        on: bool,
        user_id: int | None,
        at: datetime,
        cooldown_s: int | None = None,
    ) -> bool:
        """Put a rule on a branch (a slow one with its cooldown) or take it off; whether
        anything changed."""
        async with self._store.writing("change the branch's rules") as conn:
            where = sa.and_(branch_rules.c.comment_id == comment_id, branch_rules.c.rule == rule)
            present = (
                await conn.execute(
                    sa.select(sa.func.count()).select_from(branch_rules).where(where)
                )
            ).scalar_one()
            if on and not present:
                await conn.execute(
                    branch_rules.insert().values(
                        comment_id=comment_id,
                        rule=rule.value,
                        user_id=user_id,
                        created_at=at,
                        cooldown_s=cooldown_s,
                    )
                )
                return True
            if not on and present:
                await conn.execute(branch_rules.delete().where(where))
                return True
        return False

    async def rules_on(self, comment_id: int) -> set[BranchRule]:
        query = sa.select(branch_rules.c.rule).where(branch_rules.c.comment_id == comment_id)
        async with self._engine.connect() as conn:
            return {BranchRule(row[0]) for row in await conn.execute(query)}

    async def subtree(self, comment_id: int) -> list[int]:
        """The comment and all its replies, at any depth, by id."""
        tree = (
            sa.select(comments.c.id).where(comments.c.id == comment_id).cte("tree", recursive=True)
        )
        tree = tree.union(sa.select(comments.c.id).join(tree, comments.c.parent_id == tree.c.id))
        async with self._engine.connect() as conn:
            return sorted(row[0] for row in await conn.execute(sa.select(tree.c.id)))


def _sanction(row: Mapping[Any, Any]) -> Sanction:
    return Sanction(
        id=row["id"],
        site_id=row["site_id"],
        author_key=row["author_key"],
        kind=SanctionKind(row["kind"]),
        by=SanctionBy(row["match_by"]),
        until=_utc(row["until"]),
        note=row["note"],
        user_id=row["user_id"],
        created_at=_utc(row["created_at"]),
        lifted_at=_utc(row["lifted_at"]),
        lifted_by=row["lifted_by"],
    )


def _author_comment(row: Mapping[Any, Any]) -> AuthorComment:
    reasons = row["verdict_reasons"] or []
    labels = tuple(
        dict.fromkeys(
            str(r["label"]) for r in reasons if r.get("label") and r.get("action") != "publish"
        )
    )
    return AuthorComment(
        id=row["id"],
        thread_id=row["thread_id"],
        thread_key=row["thread_key"],
        thread_title=row["thread_title"],
        parent_id=row["parent_id"],
        author_name=row["author_name"],
        status=row["status"],
        body_md=row["body_md"],
        created_at=_utc(row["created_at"]),
        verdict_action=row["verdict_action"],
        verdict_labels=labels,
    )
