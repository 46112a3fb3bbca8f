"""Bringing other systems' comments into Parley, idempotently."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from parley.domain.comments import (
    Author,
    Comment,
    CommentStatus,
    NewComment,
    Site,
    Thread,
    status_for,
)
from parley.domain.moderation import ModerationContext, Verdict
from parley.importers.wordpress import ImportedComment, ImportedPost, parents_first, parse_wxr
from parley.moderation.thread_health import Signals, ThreadWatch
from parley.services.comments import (
    checked_email,
    checked_name,
    checked_thread_key,
    checked_website,
)
from parley.services.errors import InvalidInput
from parley.services.markup import plain_text, sanitize_article, sanitize_html
from parley.services.moderation import Moderator, PublishEverything, moderator_for
from parley.services.thread_health import ThreadHealthService

_PARAGRAPHS = re.compile(r"\n\s*\n")


class ImportStorage(Protocol):
    """What an import needs of a storage engine."""

    async def add_comment(
        self, site_id: int, comment: NewComment, verdict: Verdict | None = None
    ) -> Comment:
        """Store the comment (and its assessment) atomically, creating the thread if needed.

        A comment whose `source_ref` is already stored in the thread is returned unchanged.
        """

    async def count_comments(self, site_id: int, key: str) -> int:
        """All stored comments of a thread, whatever their status (for imports and checks)."""

    async def ensure_site(self, name: str, origins: Sequence[str] = ()) -> Site:
        """Create the site if missing; add any new origins to an existing one."""

    async def ensure_thread(
        self, site_id: int, key: str, title: str, url: str = "", article_html: str = ""
    ) -> Thread: ...


@dataclass(frozen=True, slots=True)
class ImportReport:
    threads: int
    comments_in_file: int
    comments_added: int
    fields_dropped: int = 0  # author fields a post would have refused, left out
    pages_skipped: int = 0  # posts whose link is no path on the site, left out with comments
    site: str = ""  # the site the comments went into
    thread_keys: tuple[str, ...] = ()  # the threads they went into, in the file's order


class Progress:
    """What an import reports as it goes; the CLI draws it as bars."""

    def parsing(self, total_bytes: int) -> Callable[[int], None]:
        return lambda n: None

    def storing(self, total_comments: int) -> Callable[[], None]:
        return lambda: None


def wordpress_comment_html(text: str) -> str:
    """WordPress stores comment text with light HTML and bare line breaks ("autop")."""
    paragraphs = [p.strip() for p in _PARAGRAPHS.split(text.replace("\r\n", "\n")) if p.strip()]
    return sanitize_html("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs))


async def import_wordpress(
    store: ImportStorage,
    site_name: str,
    path: Path,
    moderator: Moderator | None = None,
    progress: Progress | None = None,
    *,
    max_name: int,
    health: ThreadHealthService | None = None,
) -> ImportReport:
    """Import a WXR file; with `health`, each thread is watched in posting order and its
    comments' states and alerts are stored with them."""
    progress = progress or Progress()
    moderator = moderator or PublishEverything()
    imported = parse_wxr(path, progress.parsing(path.stat().st_size))
    site = await store.ensure_site(site_name, [imported.origin] if imported.origin else [])
    moderator = moderator_for(moderator, site)
    advance = progress.storing(imported.comment_count)
    added = dropped = 0
    posts = [post for post in imported.posts if _is_thread_key(post.key)]
    for post in posts:
        post, post_dropped = _with_valid_authors(post, max_name)
        dropped += post_dropped
        added += await _import_post(store, site, post, moderator, health, advance)
    skipped = len(imported.posts) - len(posts)
    keys = tuple(dict.fromkeys(post.key for post in posts))
    return ImportReport(
        len(posts), imported.comment_count, added, dropped, skipped, site.name, keys
    )


def _is_thread_key(key: str) -> bool:
    try:
        return checked_thread_key(key) == key
    except InvalidInput:
        return False


def _with_valid_authors(post: ImportedPost, max_name: int) -> tuple[ImportedPost, int]:
    """The post with each author field a post would refuse left out, and how many were."""
    dropped = 0

    def kept(check: Callable[[str | None], str | None], value: str | None) -> str | None:
        nonlocal dropped
        try:
            return check(value)
        except InvalidInput:
            dropped += 1
            return None

    comments = [
        replace(
            comment,
            author_name=kept(lambda name: checked_name(name, max_name), comment.author_name),
            author_email=kept(checked_email, comment.author_email),
            author_website=kept(checked_website, comment.author_website),
        )
        for comment in post.comments
    ]
    return replace(post, comments=comments), dropped


async def _import_post(
    store: ImportStorage,
    site: Site,
    post: ImportedPost,
    moderator: Moderator,
    health: ThreadHealthService | None,
    advance: Callable[[], None],
) -> int:
    article = sanitize_article(post.article_html)
    thread = await store.ensure_thread(site.id, post.key, post.title, post.url, article)
    before = await store.count_comments(site.id, post.key)
    watch = health.watch_thread(post.title, plain_text(article)) if health else None
    verdicts = _judge_in_posting_order(site, post, plain_text(article), moderator, health, watch)
    stored_ids: dict[str, int] = {}
    for comment, depth in parents_first(post.comments):
        verdict = verdicts[comment.source_id]
        parent_id = stored_ids.get(comment.parent_source_id or "")
        new = _new_comment(post, comment, parent_id, depth, status_for(verdict.action))
        stored_ids[comment.source_id] = (await store.add_comment(site.id, new, verdict)).id
        advance()
    if health is not None and watch is not None:
        await health.record_import(site, thread, watch, stored_ids)
    return await store.count_comments(site.id, post.key) - before


def _judge_in_posting_order(
    site: Site,
    post: ImportedPost,
    article: str,
    moderator: Moderator,
    health: ThreadHealthService | None,
    watch: ThreadWatch | None,
) -> dict[str, Verdict]:
    """Assess each comment as if posted one after the other, watching each branch's health."""
    by_id = {c.source_id: c for c in post.comments}
    verdicts = {}
    for comment in sorted(post.comments, key=lambda c: c.created_at):
        parent = by_id.get(comment.parent_source_id or "")
        context = ModerationContext(
            article=article,
            thread_title=post.title,
            parent_text=parent.body if parent else None,
        )
        verdict = moderator.assess(comment.body, context)
        if health is not None and watch is not None:
            author = comment.author_email or comment.author_name
            signals = Signals(comment.body, author, comment.created_at, verdict.scores)
            parent_id = parent.source_id if parent else None
            verdict = health.judge_imported(
                site, watch, comment.source_id, parent_id, signals, verdict
            )
        verdicts[comment.source_id] = verdict
    return verdicts


def _new_comment(
    post: ImportedPost,
    comment: ImportedComment,
    parent_id: int | None,
    depth: int,
    moderated: CommentStatus,
) -> NewComment:
    status = moderated if comment.approved else CommentStatus.PENDING
    return NewComment(
        thread_key=post.key,
        thread_title=post.title,
        parent_id=parent_id,
        depth=depth,
        author=Author(comment.author_name, comment.author_email, comment.author_website),
        body_md=comment.body,
        body_html=wordpress_comment_html(comment.body),
        status=status,
        created_at=comment.created_at,
        network_tag=None,
        source_ref=f"wordpress:{comment.source_id}",
    )
