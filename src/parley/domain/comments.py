"""Sites, threads and comments as the rest of Parley sees them, and the pure rules over them."""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from parley.domain.moderation import Action


class CommentStatus(enum.StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"  # held for review: visible to its author and moderators only
    FLAGGED = "flagged"  # public, queued for a moderator's look
    REJECTED = "rejected"
    DELETED = "deleted"  # a tombstone kept because the comment has replies

    @property
    def is_public(self) -> bool:
        return self in _PUBLIC


_PUBLIC = frozenset({CommentStatus.PUBLISHED, CommentStatus.FLAGGED, CommentStatus.DELETED})


def status_for(action: Action) -> CommentStatus:
    """The status a new comment takes from its moderation verdict."""
    return _STATUS_FOR_ACTION[action]


_STATUS_FOR_ACTION = {
    Action.PUBLISH: CommentStatus.PUBLISHED,
    Action.FLAG: CommentStatus.FLAGGED,
    Action.HOLD: CommentStatus.PENDING,
    Action.REJECT: CommentStatus.REJECTED,
}


def status_after_edit(current: CommentStatus, judged: CommentStatus) -> CommentStatus:
    """An edit may bring a comment more scrutiny, never less.

    A held comment stays held and a flagged one stays flagged however harmless the new
    text, so an edit cannot skip the moderator who was to look at it.
    """
    return max(current, judged, key=_SCRUTINY.__getitem__)


_SCRUTINY = {
    CommentStatus.PUBLISHED: 0,
    CommentStatus.FLAGGED: 1,
    CommentStatus.PENDING: 2,
    CommentStatus.REJECTED: 3,
    CommentStatus.DELETED: 4,
}


class SortOrder(enum.StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    TOP = "top"


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    name: str
    origins: tuple[str, ...] = ()
    policy: dict[str, object] = field(default_factory=dict)  # the site's moderation policy


@dataclass(frozen=True, slots=True)
class Thread:
    id: int
    site_id: int
    key: str
    title: str
    locked: bool = False
    version: int = 0
    article_html: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Author:
    name: str | None = None
    email: str | None = None
    website: str | None = None
    key: str | None = None  # the secret identity behind an author token


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    thread_id: int
    parent_id: int | None
    depth: int
    author: Author
    body_md: str
    body_html: str
    status: CommentStatus
    created_at: datetime
    edited_at: datetime | None = None
    votes: int = 0


@dataclass(frozen=True, slots=True)
class NewComment:
    """A comment ready to store: rendered, placed in the tree and judged."""

    thread_key: str
    thread_title: str
    parent_id: int | None
    depth: int
    author: Author
    body_md: str
    body_html: str
    status: CommentStatus
    created_at: datetime
    network_tag: str | None = None  # a keyed, daily tag of the poster's network; kept 30 days
    source_ref: str | None = None  # identity in an imported file, for idempotent imports


@dataclass(frozen=True, slots=True)
class ThreadView:
    """A thread and the comments one reader may see, in display order."""

    thread: Thread | None
    comments: Sequence[Comment] = field(default_factory=tuple)

    @property
    def public_count(self) -> int:
        return sum(1 for c in self.comments if c.status is not CommentStatus.DELETED)


def _sort_key(order: SortOrder) -> object:
    if order is SortOrder.NEWEST:
        return lambda c: (-c.created_at.timestamp(), -c.id)
    if order is SortOrder.TOP:
        return lambda c: (-c.votes, c.created_at, c.id)
    return lambda c: (c.created_at, c.id)


def in_display_order(comments: Iterable[Comment], order: SortOrder) -> list[Comment]:
    """Flatten a tree depth-first: each comment followed by its replies, siblings sorted.

    Replies always read oldest first under `newest`/`top` too, except that `top` also
    ranks replies by votes; a comment whose parent is not in the set is shown at top level.
    """
    comments = list(comments)
    present = {c.id for c in comments}
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in present else None
        children[parent].append(comment)
    top_key = _sort_key(order)
    reply_key = _sort_key(SortOrder.TOP if order is SortOrder.TOP else SortOrder.OLDEST)
    for parent, siblings in children.items():
        siblings.sort(key=top_key if parent is None else reply_key)  # type: ignore[arg-type]
    ordered: list[Comment] = []
    stack = list(reversed(children[None]))
    while stack:
        comment = stack.pop()
        ordered.append(comment)
        stack.extend(reversed(children.get(comment.id, ())))
    return ordered


def prune_tombstones(comments: Sequence[Comment]) -> list[Comment]:
    """Drop deleted comments that no longer have a visible reply beneath them."""
    kept = list(comments)
    while True:
        parents = {c.parent_id for c in kept}
        pruned = [c for c in kept if c.status is not CommentStatus.DELETED or c.id in parents]
        if len(pruned) == len(kept):
            return pruned
        kept = pruned


PageKey = tuple[float, ...]


def page_key(comment: Comment, order: SortOrder) -> PageKey:
    """Where a top-level comment sorts in `order`, as numbers a cursor can carry."""
    at = comment.created_at.timestamp()
    if order is SortOrder.NEWEST:
        return (-at, -comment.id)
    if order is SortOrder.TOP:
        return (-comment.votes, at, comment.id)
    return (at, comment.id)


@dataclass(frozen=True, slots=True)
class Branches:
    """A thread in display order, cut into its top-level branches (a comment and its replies)."""

    comments: Sequence[Comment]
    starts: Sequence[int]  # the index of each top-level comment in `comments`
    keys: Sequence[PageKey]  # page_key of each, ascending

    @classmethod
    def of(cls, ordered: Sequence[Comment], order: SortOrder) -> Branches:
        present = {c.id for c in ordered}
        starts = [i for i, c in enumerate(ordered) if c.parent_id not in present]
        return cls(ordered, starts, [page_key(ordered[i], order) for i in starts])

    def with_own(self, own: Sequence[Comment], order: SortOrder) -> Branches:
        """These branches with a reader's own held comments put in place: a reply in its
        branch, in reply order; a top-level comment among the others. Only the branches they
        join are sorted again, so that an author's read of a long thread stays cheap."""
        by_id = {c.id: c for c in self.comments}
        own_by_id = {c.id: c for c in own}
        joining: dict[int, list[Comment]] = defaultdict(list)  # root id -> own comments
        for comment in own:
            root = comment
            while root.parent_id is not None and (
                parent := by_id.get(root.parent_id) or own_by_id.get(root.parent_id)
            ):
                root = parent
            joining[root.id].append(comment)
        comments: list[Comment] = []
        starts: list[int] = []
        keys: list[PageKey] = []
        new_roots = sorted(
            (c for c in own if c.id in joining and c in joining[c.id]),
            key=lambda c: page_key(c, order),
        )
        pending = iter([*new_roots, None])
        waiting = next(pending)
        bounds = [*self.starts, len(self.comments)]
        for i, key in enumerate(self.keys):
            while waiting is not None and page_key(waiting, order) < key:
                starts.append(len(comments))
                keys.append(page_key(waiting, order))
                comments += in_display_order(joining[waiting.id], order)
                waiting = next(pending)
            branch = self.comments[bounds[i] : bounds[i + 1]]
            root_id = branch[0].id
            starts.append(len(comments))
            keys.append(key)
            comments += (
                in_display_order([*branch, *joining[root_id]], order)
                if root_id in joining
                else branch
            )
        while waiting is not None:
            starts.append(len(comments))
            keys.append(page_key(waiting, order))
            comments += in_display_order(joining[waiting.id], order)
            waiting = next(pending)
        return Branches(comments, starts, keys)

    def page(
        self, limit: int, after: PageKey | None = None
    ) -> tuple[Sequence[Comment], PageKey | None]:
        """Up to `limit` branches following the one `after` names; and the key to continue
        after, None on the last page. A key keeps its place when comments are added."""
        first = 0 if after is None else bisect_right(self.keys, after)
        last = min(first + max(1, limit), len(self.starts))
        begin = self.starts[first] if first < len(self.starts) else len(self.comments)
        end = self.starts[last] if last < len(self.starts) else len(self.comments)
        more = self.keys[last - 1] if last < len(self.starts) else None
        return self.comments[begin:end], more
