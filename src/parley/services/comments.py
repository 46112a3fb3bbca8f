"""Posting, editing, deleting, voting on and reading comments."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from parley.domain.comments import (
    Author,
    Comment,
    CommentStatus,
    NewComment,
    Site,
    SortOrder,
    Thread,
    ThreadView,
    in_display_order,
    prune_tombstones,
    status_after_edit,
    status_for,
)
from parley.domain.moderation import Action, ModerationContext, Verdict
from parley.domain.sanctions import NO_HOLDS, Standing
from parley.domain.text import control_character
from parley.services.errors import (
    CommentRejected,
    EditWindowClosed,
    InvalidInput,
    NotAllowed,
    NotFound,
    ThreadLocked,
    storing,
)
from parley.services.events import EventSink, NoEvents, announce_queued
from parley.services.markup import MarkdownRenderer, plain_text
from parley.services.moderation import PublishEverything, SiteModerators
from parley.services.pseudonyms import NETWORK_TAG_DAYS, Pseudonyms
from parley.services.reading import Snapshot, Snapshots, ThreadPage, decode_cursor, encode_cursor
from parley.services.sanctions import SanctionService
from parley.services.thread_health import Judged, ThreadHealthService
from parley.services.tokens import AuthorTokens
from parley.settings import Settings

# A path on this site: a browser takes a key starting "//" or "/\" for a link to another.
_THREAD_KEY = re.compile(r"^/(?![/\\])")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class CommentStorage(Protocol):
    """What the comment service needs of a storage engine."""

    async def add_comment(
        self, site_id: int, comment: NewComment, verdict: Verdict | None = None
    ) -> Comment:
        """Store the comment (and its assessment) atomically, creating the thread if needed.

        A comment whose `source_ref` is already stored in the thread is returned unchanged.
        """

    async def author_has_public_comments(self, author_key: str) -> bool: ...

    async def counts(self, site_id: int, keys: Sequence[str]) -> dict[str, int]: ...

    async def delete_comment(self, comment_id: int) -> None:
        """Remove the comment, or leave a tombstone where it has replies."""

    async def forget_network_tags(self, before: datetime) -> int:
        """Clear the network tag of comments posted before `before`; how many were cleared."""

    async def get_comment(self, comment_id: int) -> tuple[Comment, Thread] | None: ...

    async def get_site(self, site_id: int) -> Site | None: ...

    async def get_thread(self, site_id: int, key: str) -> Thread | None: ...

    async def list_threads(self, site_id: int) -> list[Thread]: ...

    async def pending_comments(self, site_id: int, key: str, author_key: str) -> list[Comment]:
        """One author's comments in a thread that are held for review."""

    async def read_thread(self, site_id: int, key: str, viewer_key: str | None) -> ThreadView:
        """The thread and its public comments (plus the viewer's pending ones), one query."""

    async def thread_version(self, site_id: int, key: str) -> int:
        """A number that changes whenever the thread's visible content may have; 0 if unknown."""

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

    async def vote(self, comment_id: int, voter: str, value: int) -> int:
        """Record one voter's vote (replacing an earlier one; 0 takes it back); the new total."""


@dataclass(frozen=True, slots=True)
class CommentDraft:
    thread_key: str
    body: str
    parent_id: int | None = None
    name: str | None = None
    email: str | None = None
    website: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Posted:
    comment: Comment
    author_token: str
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Voted:
    total: int
    author_token: str  # the voter's identity, the same one their comments are posted under


def _clean_optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _one_line(value: str | None, field: str) -> str | None:
    value = _clean_optional(value)
    if value and control_character(value) is not None:
        raise InvalidInput(f"{field} holds a control character", field=field)
    return value


def checked_thread_key(key: str) -> str:
    """A page path on the site, as a thread is named by a post or an import."""
    key = key.strip()
    if not _THREAD_KEY.match(key) or len(key) > 500:
        raise InvalidInput(
            "thread must be a path on this site, starting with one '/' (≤ 500 chars)",
            field="thread",
        )
    return key


def checked_name(name: str | None, max_name: int) -> str | None:
    """An author's name as a post or an import may store it; `InvalidInput` otherwise."""
    name = _one_line(name, "name")
    if name and len(name) > max_name:
        raise InvalidInput(f"name is longer than {max_name} characters", field="name")
    return name


def checked_email(email: str | None) -> str | None:
    email = _one_line(email, "email")
    if email and (len(email) > 254 or "@" not in email):
        raise InvalidInput("email is not an address", field="email")
    return email


def checked_website(website: str | None) -> str | None:
    """Only an absolute http(s) URL: it becomes the author's link."""
    website = _one_line(website, "website")
    if website and (len(website) > 2000 or not _WEBSITE.match(website)):
        raise InvalidInput("website must be an http(s) URL", field="website")
    return website


class CommentService:
    def __init__(
        self,
        store: CommentStorage,
        settings: Settings,
        moderators: SiteModerators | None = None,
        events: EventSink | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._settings = settings
        self._moderators = moderators or SiteModerators(PublishEverything(), [])
        self._events = events or NoEvents()
        self._tokens = AuthorTokens(settings.secret, settings.author_token_ttl)
        self._pseudonyms = Pseudonyms(settings.secret)
        self._markup = MarkdownRenderer()
        self._clock = clock
        self._snapshots = Snapshots(settings.read_cache_mb << 19)  # half the read budget
        self._sanctions: SanctionService | None = None
        self._health: ThreadHealthService | None = None

    def enforce(self, sanctions: SanctionService) -> None:
        """Refuse and hold as the moderators' sanctions and branch rules say."""
        self._sanctions = sanctions

    def watch_health(self, health: ThreadHealthService) -> None:
        """Judge each comment in its branch, and keep its state (services/thread_health.py)."""
        self._health = health

    # -- reading -------------------------------------------------------------------------
    async def thread_version(self, site: Site, thread_key: str) -> int:
        return await storing(self._store.thread_version(site.id, thread_key))

    async def read(
        self, site: Site, thread_key: str, order: SortOrder, author_token: str | None = None
    ) -> ThreadView:
        viewer = self._tokens.author_key(author_token)
        view = await storing(self._store.read_thread(site.id, thread_key, viewer))
        ordered = in_display_order(prune_tombstones(view.comments), order)
        return ThreadView(thread=view.thread, comments=ordered)

    async def read_page(
        self,
        site: Site,
        thread_key: str,
        order: SortOrder,
        limit: int,
        after: str | None = None,
        author_token: str | None = None,
    ) -> ThreadPage:
        """Up to `limit` top-level comments with all their replies, from the cursor `after`.

        A valid author token adds its author's held comments; any other token reads as none.
        """
        after_key = decode_cursor(after, order) if after else None
        snapshot = await self._snapshot(site, thread_key)
        viewer = self._tokens.author_key(author_token)
        own = (
            await storing(self._store.pending_comments(site.id, thread_key, viewer))
            if viewer and snapshot.thread
            else []
        )
        comments, more = snapshot.branches(order, own).page(limit, after_key)
        return ThreadPage(
            thread=snapshot.thread,
            comments=comments,
            count=snapshot.count(own),
            next=encode_cursor(order, more) if more else None,
        )

    async def _snapshot(self, site: Site, thread_key: str) -> Snapshot:
        version = await self.thread_version(site, thread_key)
        snapshot = self._snapshots.get(site.id, thread_key, version)
        if snapshot is None:
            view = await storing(self._store.read_thread(site.id, thread_key, None))
            snapshot = Snapshot(version, view.thread, list(view.comments))
            self._snapshots.put(site.id, thread_key, snapshot)
        return snapshot

    async def threads(self, site: Site) -> list[Thread]:
        return await self._store.list_threads(site.id)

    async def counts(self, site: Site, thread_keys: Sequence[str]) -> dict[str, int]:
        if len(thread_keys) > 100:
            raise InvalidInput("ask for at most 100 threads at once", field="thread")
        return await self._store.counts(site.id, list(dict.fromkeys(thread_keys)))

    def viewer_key(self, author_token: str | None) -> str | None:
        return self._tokens.author_key(author_token)

    def avatar(self, comment: Comment) -> str:
        return self._pseudonyms.avatar(comment.author.email, comment.author.name, comment.id)

    async def preview(self, body: str) -> str:
        """The HTML a comment with this body would show, under the same limits as a post."""
        return await self._markup.render(self._validated_body(body))

    # -- writing -------------------------------------------------------------------------
    async def post(
        self, site: Site, draft: CommentDraft, author_token: str | None, remote_addr: str | None
    ) -> Posted:
        draft = self._validated(draft)
        thread = await self._store.get_thread(site.id, draft.thread_key)
        if thread is not None and thread.locked:
            raise ThreadLocked("this thread is locked: it takes no new comments")
        parent = await self._parent_for(site, draft) if draft.parent_id is not None else None
        author_key, token = self._tokens.issue(self._tokens.author_key(author_token))
        now = self._clock()
        network_tag = self._pseudonyms.network_tag(remote_addr, now.date())
        standing = await self._standing(
            site, author_key, draft.email, network_tag, draft.parent_id, "comment"
        )
        body_html = await self._markup.render(draft.body)
        first_time = await self._first_time(site, author_key)
        judged = await self._judge(site, thread, parent, draft.body, first_time, author_key)
        verdict = standing.applied_to(judged.verdict)
        new = NewComment(
            thread_key=draft.thread_key,
            thread_title=thread.title if thread else "",  # the site's, never a poster's
            parent_id=parent.id if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=Author(draft.name, draft.email, draft.website, author_key),
            body_md=draft.body,
            body_html=body_html,
            status=_status_under(parent, status_for(verdict.action)),
            created_at=now,
            network_tag=network_tag,
        )
        stored = await storing(self._store.add_comment(site.id, new, verdict))
        if thread is not None:  # a thread a post creates has no article to watch against
            await self._record_health(site, thread, stored.id, judged)
        announce_queued(self._events, site.id, stored)
        if verdict.action is Action.REJECT:
            raise CommentRejected(
                "this comment was not published", [r.message for r in verdict.reasons]
            )
        if stored.status.is_public:
            self._announce(site.id, draft.thread_key, "created", stored)
        return Posted(comment=stored, author_token=token, verdict=verdict)

    async def edit(self, comment_id: int, body: str, author_token: str | None) -> Comment:
        """Judge the new text as a post in the same place would be.

        The status never eases (`status_after_edit`): an edit cannot publish a held comment.
        """
        comment, thread = await self._own_comment(comment_id, author_token)
        if comment.status is CommentStatus.REJECTED:
            raise NotFound(f"no comment {comment_id}")
        if thread.locked:
            raise ThreadLocked("this thread is locked: its comments can no longer be changed")
        body = self._validated_body(body)
        body_html = await self._markup.render(body)
        site = await self._store.get_site(thread.site_id)
        if site is None:
            raise NotFound(f"no comment {comment_id}")
        author = comment.author
        standing = await self._standing(site, author.key, author.email, None, None, "edit")
        parent = await self._parent_of(comment)
        first_time = await self._first_time(site, comment.author.key)
        judged = await self._judge(site, thread, parent, body, first_time, author.key, comment)
        verdict = standing.applied_to(judged.verdict)
        if verdict.action is Action.REJECT:
            raise CommentRejected(
                "this edit was not accepted", [r.message for r in verdict.reasons]
            )
        status = status_after_edit(comment.status, status_for(verdict.action))
        edited = await storing(
            self._store.update_comment(comment.id, body, body_html, self._clock(), status, verdict)
        )
        await self._record_health(site, thread, comment.id, judged)
        announce_queued(self._events, thread.site_id, edited)
        if comment.status.is_public or edited.status.is_public:
            self._announce(thread.site_id, thread.key, "edited", edited)
        return edited

    async def delete(self, comment_id: int, author_token: str | None) -> None:
        comment, thread = await self._own_comment(comment_id, author_token)
        await storing(self._store.delete_comment(comment.id))
        if comment.status.is_public:  # a held comment's id is its author's alone
            self._announce(thread.site_id, thread.key, "deleted", comment)

    async def vote(
        self, site: Site, comment_id: int, value: int, author_token: str | None
    ) -> Voted:
        """One vote per identity: 1 or -1 replaces the voter's earlier vote, 0 takes it back.

        A voter without a token gets one, as a poster does, and keeps it for every later vote
        and comment: an identity comes from the browser's token, never from its address.
        """
        if value not in (1, 0, -1):
            raise InvalidInput("a vote is 1, -1, or 0 to take it back", field="value")
        found = await self._store.get_comment(comment_id)
        if found is None or not found[0].status.is_public or found[1].site_id != site.id:
            raise NotFound(f"no comment {comment_id}")
        voter, token = self._tokens.issue(self._tokens.author_key(author_token))
        await self._standing(site, voter, None, None, None, "vote")
        total = await storing(self._store.vote(comment_id, voter, value))
        comment, thread = found
        self._announce(thread.site_id, thread.key, "voted", comment)
        return Voted(total=total, author_token=token)

    async def forget_old_network_tags(self) -> int:
        """Clear the network tags of comments older than NETWORK_TAG_DAYS; how many were."""
        before = self._clock() - timedelta(days=NETWORK_TAG_DAYS)
        return await storing(self._store.forget_network_tags(before))

    # -- helpers -------------------------------------------------------------------------
    async def _standing(
        self,
        site: Site,
        author_key: str | None,
        email: str | None,
        network_tag: str | None,
        parent_id: int | None,
        what: str,
    ) -> Standing:
        """Refused (raised) or held by a sanction or a branch rule (services/sanctions.py)."""
        if self._sanctions is None:
            return NO_HOLDS
        return await self._sanctions.check(site.id, author_key, email, network_tag, parent_id, what)

    async def _judge(
        self,
        site: Site,
        thread: Thread | None,
        parent: Comment | None,
        body: str,
        first_time: bool,
        author_key: str | None,
        edited: Comment | None = None,
    ) -> Judged:
        """The comment on its own, then its place in the branch it joins (from the stored
        states of its parent and branch root: no ancestor is scored again)."""
        context = self._context(site, thread, parent, first_time)
        verdict = self._moderators.for_site(site.id).assess(body, context)
        if self._health is None:
            return Judged(verdict)
        return await self._health.judge(
            site,
            thread,
            parent,
            body,
            author_key,
            verdict,
            context.article,
            comment_id=edited.id if edited else None,
            at=edited.created_at if edited else None,
        )

    async def _record_health(
        self, site: Site, thread: Thread, comment_id: int, judged: Judged
    ) -> None:
        if self._health is not None:
            await self._health.record(site, thread, comment_id, judged)

    async def _first_time(self, site: Site, author_key: str | None) -> bool:
        """Whether the site holds this author's comments as a newcomer's."""
        if not self._moderators.holds_first_time(site.id):
            return False
        return author_key is None or not await self._store.author_has_public_comments(author_key)

    async def _parent_of(self, comment: Comment) -> Comment | None:
        if comment.parent_id is None:
            return None
        found = await self._store.get_comment(comment.parent_id)
        return found[0] if found else None

    def _announce(self, site_id: int, thread_key: str, change: str, comment: Comment) -> None:
        self._events.publish(site_id, thread_key, {"type": change, "id": comment.id})

    def _validated(self, draft: CommentDraft) -> CommentDraft:
        key = checked_thread_key(draft.thread_key)
        name = checked_name(draft.name, self._settings.max_name)
        email = checked_email(draft.email)
        website = checked_website(draft.website)
        title = _clean_optional(draft.title)
        if title and len(title) > 500:
            raise InvalidInput("title is longer than 500 characters", field="title")
        return CommentDraft(
            key, self._validated_body(draft.body), draft.parent_id, name, email, website, title
        )

    def _validated_body(self, body: str) -> str:
        body = body.strip()
        if not body:
            raise InvalidInput("the comment is empty", field="body")
        if len(body) > self._settings.max_body:
            raise InvalidInput(
                f"the comment is longer than {self._settings.max_body} characters", field="body"
            )
        return body

    async def _parent_for(self, site: Site, draft: CommentDraft) -> Comment:
        """The comment to reply to: the one asked for, or its deepest ancestor allowed."""
        assert draft.parent_id is not None
        found = await self._store.get_comment(draft.parent_id)
        if found is None or found[1].site_id != site.id or found[1].key != draft.thread_key:
            raise InvalidInput(f"no comment {draft.parent_id} in this thread", field="parent_id")
        parent = found[0]
        if parent.status is CommentStatus.REJECTED:
            raise InvalidInput(f"no comment {draft.parent_id} in this thread", field="parent_id")
        while parent.depth >= self._settings.max_depth and parent.parent_id is not None:
            ancestor = await self._store.get_comment(parent.parent_id)
            assert ancestor is not None
            parent = ancestor[0]
        return parent

    def _context(
        self, site: Site, thread: Thread | None, parent: Comment | None, first_time: bool
    ) -> ModerationContext:
        return ModerationContext(
            site=site.name,
            article=plain_text(thread.article_html) if thread else "",
            thread_title=thread.title if thread else "",
            parent_text=parent.body_md if parent else None,
            first_time_author=first_time,
        )

    async def _own_comment(
        self, comment_id: int, author_token: str | None
    ) -> tuple[Comment, Thread]:
        found = await self._store.get_comment(comment_id)
        if found is None or found[0].status is CommentStatus.DELETED:
            raise NotFound(f"no comment {comment_id}")
        comment, thread = found
        key = self._tokens.author_key(author_token)
        if key is None or key != comment.author.key:
            if not comment.status.is_public:  # 403 would tell that a held comment exists
                raise NotFound(f"no comment {comment_id}")
            raise NotAllowed(
                "only the comment's author may change it (author token missing, "
                "expired or not this comment's)"
            )
        if self._clock() - comment.created_at > timedelta(seconds=self._settings.edit_window):
            raise EditWindowClosed(
                f"comments can be changed for {self._settings.edit_window // 60} minutes "
                "after posting; that time is over"
            )
        return comment, thread


def _status_under(parent: Comment | None, status: CommentStatus) -> CommentStatus:
    """A reply to a held comment is held with it: shown, it would give away the held id."""
    if parent is not None and not parent.status.is_public and status.is_public:
        return CommentStatus.PENDING
    return status
