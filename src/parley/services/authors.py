"""The author drawer: one author's comments on a site across its threads, the verdicts and
decisions on them, their approval rate, first and last seen, the sanctions that concern them
and the moderators' notes.

An author is their author key (the identity behind their browser's author token), per site:
a moderator sees the authors of the sites they moderate only.

The approval rate is approved / decided: a comment counts as decided when its latest
moderator decision still standing (not undone) approved, rejected, spammed or deleted it (a
restore puts it back undecided), and as approved when that decision approved it. None while
nothing is decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from parley.domain.accounts import Staff
from parley.domain.review import AuditEntry, StoredDecision
from parley.domain.sanctions import (
    AuthorComment,
    AuthorNote,
    AuthorSummary,
    AuthorTraces,
    Sanction,
    SanctionBy,
)
from parley.services.errors import InvalidInput, NotAllowed, NotFound, storing
from parley.services.sanctions import AuditLog, EmailHashes, sanction_matches

DRAWER_COMMENTS = 200  # the newest comments a drawer lists; the figures count them all
MAX_NOTE = 2000


class AuthorStorage(Protocol):
    async def author_summary(self, site_id: int, author_key: str) -> AuthorSummary: ...

    async def author_comments(
        self, site_id: int, author_key: str, limit: int
    ) -> list[AuthorComment]: ...

    async def author_traces(self, site_id: int, author_key: str) -> AuthorTraces: ...

    async def decisions_on(self, comment_ids: Sequence[int]) -> dict[int, list[StoredDecision]]: ...

    async def sanctions_of(
        self, site_id: int, author_key: str, matches: Sequence[tuple[SanctionBy, str]]
    ) -> list[Sanction]: ...

    async def add_note(
        self, site_id: int, author_key: str, user_id: int | None, body: str, at: datetime
    ) -> AuthorNote: ...

    async def notes(self, site_id: int, author_key: str) -> list[AuthorNote]: ...

    async def comment_author(self, comment_id: int) -> tuple[int, str | None] | None: ...


@dataclass(frozen=True, slots=True)
class DrawerComment:
    comment: AuthorComment
    decisions: list[StoredDecision]


@dataclass(frozen=True, slots=True)
class AuthorDrawer:
    site_id: int
    author_key: str
    names: list[str]  # the names the author posted under, newest first
    summary: AuthorSummary
    approval_rate: float | None
    comments: list[DrawerComment]  # newest first, up to DRAWER_COMMENTS
    sanctions: list[Sanction]  # newest first, lifted and ended ones too
    notes: list[AuthorNote]  # newest first
    now: datetime  # when the drawer was read: a sanction is in force at this moment or not


class AuthorService:
    def __init__(self, storage: AuthorStorage, audit: AuditLog, emails: EmailHashes) -> None:
        self._storage = storage
        self._audit = audit
        self._emails = emails

    async def drawer(self, staff: Staff, site_id: int, author_key: str) -> AuthorDrawer:
        summary = await self._known(staff, site_id, author_key)
        listed = await storing(self._storage.author_comments(site_id, author_key, DRAWER_COMMENTS))
        made = await storing(self._storage.decisions_on([c.id for c in listed]))
        traces = await storing(self._storage.author_traces(site_id, author_key))
        matches = sanction_matches(self._emails, author_key, traces)
        names = list(dict.fromkeys(c.author_name for c in listed if c.author_name))
        return AuthorDrawer(
            site_id=site_id,
            author_key=author_key,
            names=names,
            summary=summary,
            approval_rate=summary.approved / summary.decided if summary.decided else None,
            comments=[DrawerComment(c, made.get(c.id, [])) for c in listed],
            sanctions=await storing(self._storage.sanctions_of(site_id, author_key, matches)),
            notes=await storing(self._storage.notes(site_id, author_key)),
            now=datetime.now(UTC),
        )

    async def add_note(self, staff: Staff, site_id: int, author_key: str, body: str) -> AuthorNote:
        body = body.strip()
        if not body or len(body) > MAX_NOTE:
            raise InvalidInput(f"a note needs 1 to {MAX_NOTE} characters", "body")
        await self._known(staff, site_id, author_key)
        note = await storing(
            self._storage.add_note(site_id, author_key, staff.user_id, body, datetime.now(UTC))
        )
        await self._audit.record(
            AuditEntry(
                user_id=staff.user_id,
                site_id=site_id,
                action="author.note",
                target=f"author:{author_key}",
                after={"note_id": note.id, "body": body},
            )
        )
        return note

    async def drawer_of_comment(self, staff: Staff, comment_id: int) -> AuthorDrawer:
        """The drawer of a comment's author (404 for a comment of another's site, or one
        without an author key: imported)."""
        found = await storing(self._storage.comment_author(comment_id))
        if found is None or not staff.may_moderate(found[0]):
            raise NotFound(f"no comment {comment_id}")
        site_id, author_key = found
        if author_key is None:
            raise NotFound(f"comment {comment_id} has no author identity (it was imported)")
        return await self.drawer(staff, site_id, author_key)

    async def _known(self, staff: Staff, site_id: int, author_key: str) -> AuthorSummary:
        """403 for a site the caller does not moderate; 404 for an author not on the site."""
        if not staff.may_moderate(site_id):
            raise NotAllowed(f"you do not moderate site {site_id}")
        summary = await storing(self._storage.author_summary(site_id, author_key))
        if summary.comments == 0:
            raise NotFound("no such author on this site")
        return summary
