"""The shapes of requests and answers at the HTTP boundary (msgspec structs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Literal

import msgspec

from parley.domain.comments import Comment, CommentStatus, Thread
from parley.services.articles import MAX_PAGE_ARTICLE
from parley.services.comments import CommentDraft
from parley.services.reading import ThreadPage

# Bounded by the `max_body` setting (422) and, before decoding, by the request's size (413).
Text = Annotated[str, msgspec.Meta(description="Markdown, at most `max_body` characters")]
MAX_ID = 2**31 - 1  # ids are 32-bit in both databases
CommentId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


class CommentCreate(msgspec.Struct, forbid_unknown_fields=True):
    thread: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    body: Text
    parent_id: CommentId | None = None
    name: str | None = None
    email: str | None = None
    website: str | None = None
    title: str | None = None
    # The page's text (the embed's `data-article` element), sent with a thread's first comment;
    # kept as its article only where the site allows it: services/articles.py.
    article: Annotated[str, msgspec.Meta(max_length=MAX_PAGE_ARTICLE)] | None = None

    def draft(self) -> CommentDraft:
        return CommentDraft(
            thread_key=self.thread,
            body=self.body,
            parent_id=self.parent_id,
            name=self.name,
            email=self.email,
            website=self.website,
            title=self.title,
        )


class CommentUpdate(msgspec.Struct, forbid_unknown_fields=True):
    body: Text


class VoteCreate(msgspec.Struct, forbid_unknown_fields=True):
    value: Annotated[Literal[1, 0, -1], msgspec.Meta(description="1 up, -1 down, 0 takes it back")]


class AuthorPublic(msgspec.Struct):
    name: str | None
    avatar: str  # a hash to draw an identicon from; never the email
    website: str | None


class CommentPublic(msgspec.Struct, omit_defaults=True):
    id: int
    parent_id: int | None
    depth: int
    author: AuthorPublic
    created_at: datetime
    edited_at: datetime | None
    html: str
    votes: int
    status: str
    mine: bool
    # Only on the caller's own comments: the Markdown to edit, and until when they may.
    body_md: str | None = None
    edit_until: datetime | None = None


class PreviewRequest(msgspec.Struct, forbid_unknown_fields=True):
    body: Text


class PreviewResult(msgspec.Struct):
    html: str


class ThreadPublic(msgspec.Struct):
    key: str
    title: str
    locked: bool
    count: int


class ThreadComments(msgspec.Struct):
    thread: ThreadPublic
    comments: list[CommentPublic]
    # Ask again with `after=<next>` for the next page; null on the last.
    next: str | None = None


class CommentCreated(msgspec.Struct):
    comment: CommentPublic
    author_token: str
    held: bool
    edit_until: datetime


class VoteResult(msgspec.Struct):
    id: int
    votes: int
    # The voter's identity, as from posting: send it as X-Author-Token with every later call.
    author_token: str


class Counts(msgspec.Struct):
    counts: dict[str, int]


class ProblemDetail(msgspec.Struct):
    type: str
    title: str
    status: int
    detail: str
    code: int


Avatar = Callable[[Comment], str]  # keyed with the server's secret: CommentService.avatar


def comment_public(
    comment: Comment,
    avatar: Avatar,
    viewer_key: str | None = None,
    edit_window: timedelta | None = None,
) -> CommentPublic:
    # A flagged comment is public; that a moderator will look at it is not the reader's business.
    status = CommentStatus.PUBLISHED if comment.status is CommentStatus.FLAGGED else comment.status
    deleted = comment.status is CommentStatus.DELETED
    mine = viewer_key is not None and comment.author.key == viewer_key and not deleted
    return CommentPublic(
        id=comment.id,
        parent_id=comment.parent_id,
        depth=comment.depth,
        author=AuthorPublic(
            name=None if deleted else comment.author.name,
            avatar="" if deleted else avatar(comment),
            website=None if deleted else comment.author.website,
        ),
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        html=comment.body_html,
        votes=comment.votes,
        status=status.value,
        mine=mine,
        body_md=comment.body_md if mine else None,
        edit_until=comment.created_at + edit_window if mine and edit_window else None,
    )


def thread_public(key: str, page: ThreadPage) -> ThreadPublic:
    thread: Thread | None = page.thread
    return ThreadPublic(
        key=key,
        title=thread.title if thread else "",
        locked=thread.locked if thread else False,
        count=page.count,
    )


def thread_comments(
    key: str,
    page: ThreadPage,
    avatar: Avatar,
    viewer_key: str | None,
    edit_window: timedelta | None = None,
) -> ThreadComments:
    return ThreadComments(
        thread=thread_public(key, page),
        comments=[comment_public(c, avatar, viewer_key, edit_window) for c in page.comments],
        next=page.next,
    )
