"""One contract for every storage engine, run against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from parley.domain.comments import Author, CommentStatus, NewComment
from parley.domain.moderation import Action, Reason, Verdict
from parley.storage.factory import open_store
from parley.storage.store import Store, StoreError

pytestmark = pytest.mark.anyio
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = open_store(database_url)
    yield opened
    await opened.close()


def new(
    body: str,
    parent_id: int | None = None,
    depth: int = 0,
    status: CommentStatus = CommentStatus.PUBLISHED,
    key: str = "/post/",
    minutes: int = 0,
    author_key: str | None = None,
    source_ref: str | None = None,
) -> NewComment:
    return NewComment(
        thread_key=key,
        thread_title="A post",
        parent_id=parent_id,
        depth=depth,
        author=Author(name="Ann", email="ann@example.org", key=author_key),
        body_md=body,
        body_html=f"<p>{body}</p>",
        status=status,
        created_at=T0 + timedelta(minutes=minutes),
        source_ref=source_ref,
    )


async def test_sites_are_created_once_and_gain_origins(store: Store) -> None:
    first = await store.ensure_site("blog", ["https://a.example"])
    again = await store.ensure_site("blog", ["https://b.example", "https://a.example"])
    assert again.id == first.id
    assert again.origins == ("https://a.example", "https://b.example")
    assert [s.name for s in await store.list_sites()] == ["blog"]
    assert await store.get_site(first.id) == again
    assert await store.get_site(first.id + 1) is None


async def test_a_thread_is_created_by_its_first_comment_and_read_back_nested(store: Store) -> None:
    site = await store.ensure_site("blog")
    assert (await store.read_thread(site.id, "/post/", None)).thread is None
    root = await store.add_comment(site.id, new("root"))
    reply = await store.add_comment(site.id, new("reply", root.id, 1, minutes=1))
    deep = await store.add_comment(site.id, new("deep", reply.id, 2, minutes=2))
    view = await store.read_thread(site.id, "/post/", None)
    assert view.thread is not None and view.thread.title == "A post"
    by_id = {c.id: c for c in view.comments}
    assert by_id[deep.id].parent_id == reply.id and by_id[deep.id].depth == 2
    assert by_id[root.id].created_at == T0 and by_id[root.id].author.email == "ann@example.org"


async def test_pending_comments_are_visible_to_their_author_only(store: Store) -> None:
    site = await store.ensure_site("blog")
    await store.add_comment(site.id, new("public"))
    await store.add_comment(site.id, new("held", status=CommentStatus.PENDING, author_key="k1"))
    await store.add_comment(site.id, new("gone", status=CommentStatus.REJECTED, author_key="k1"))

    def bodies(view: object) -> set[str]:
        return {c.body_md for c in view.comments}  # type: ignore[attr-defined]

    assert bodies(await store.read_thread(site.id, "/post/", None)) == {"public"}
    assert bodies(await store.read_thread(site.id, "/post/", "k2")) == {"public"}
    assert bodies(await store.read_thread(site.id, "/post/", "k1")) == {"public", "held"}


async def test_every_write_changes_the_thread_version(store: Store) -> None:
    site = await store.ensure_site("blog")
    assert await store.thread_version(site.id, "/post/") == 0
    seen = set()
    comment = await store.add_comment(site.id, new("one"))
    seen.add(await store.thread_version(site.id, "/post/"))
    await store.update_comment(comment.id, "two", "<p>two</p>", T0, CommentStatus.PUBLISHED)
    seen.add(await store.thread_version(site.id, "/post/"))
    await store.vote(comment.id, "voter", 1)
    seen.add(await store.thread_version(site.id, "/post/"))
    await store.delete_comment(comment.id)
    seen.add(await store.thread_version(site.id, "/post/"))
    assert len(seen) == 4 and 0 not in seen


async def test_votes_count_once_per_voter(store: Store) -> None:
    site = await store.ensure_site("blog")
    comment = await store.add_comment(site.id, new("vote on me"))
    assert await store.vote(comment.id, "alice", 1) == 1
    assert await store.vote(comment.id, "alice", 1) == 1
    assert await store.vote(comment.id, "bob", 1) == 2
    assert await store.vote(comment.id, "alice", -1) == 0
    assert await store.vote(comment.id, "alice", 0) == 1  # taken back
    assert await store.vote(comment.id, "alice", 0) == 1
    assert await store.vote(comment.id, "bob", 0) == 0


async def test_requests_are_counted_at_once_per_key_and_window(store: Store) -> None:
    counted = await asyncio.gather(*(store.count_request("posts:192.0.2.1", 60) for _ in range(30)))
    assert sorted(counted) == list(range(1, 31))  # no two writers read the same count
    assert await store.count_request("votes:192.0.2.1", 60) == 1
    assert await store.count_request("posts:192.0.2.1", 120) == 1
    assert await store.forget_request_counts(120) == 2
    assert await store.count_request("posts:192.0.2.1", 60) == 1


async def test_network_tags_are_forgotten_once_old(store: Store) -> None:
    site = await store.ensure_site("blog")
    for minutes in (0, 10, 20):
        tagged = dataclasses.replace(new(f"at {minutes}", minutes=minutes), network_tag="tag")
        await store.add_comment(site.id, tagged)
    assert await store.forget_network_tags(T0 + timedelta(minutes=15)) == 2
    assert await store.forget_network_tags(T0 + timedelta(minutes=15)) == 0
    assert await store.forget_network_tags(T0 + timedelta(minutes=25)) == 1


async def test_deleting_keeps_a_tombstone_only_where_there_are_replies(store: Store) -> None:
    site = await store.ensure_site("blog")
    parent = await store.add_comment(site.id, new("parent"))
    await store.add_comment(site.id, new("child", parent.id, 1))
    leaf = await store.add_comment(site.id, new("leaf"))
    await store.delete_comment(parent.id)
    await store.delete_comment(leaf.id)
    found = await store.get_comment(parent.id)
    assert found is not None
    tombstone, _ = found
    assert tombstone.status is CommentStatus.DELETED and tombstone.body_md == ""
    assert tombstone.author.name is None
    assert await store.get_comment(leaf.id) is None


async def test_counts_cover_many_threads_and_only_public_comments(store: Store) -> None:
    site = await store.ensure_site("blog")
    await store.add_comment(site.id, new("a", key="/a/"))
    await store.add_comment(site.id, new("b", key="/a/"))
    await store.add_comment(site.id, new("held", key="/a/", status=CommentStatus.PENDING))
    await store.add_comment(site.id, new("c", key="/b/"))
    assert await store.counts(site.id, ["/a/", "/b/", "/none/"]) == {
        "/a/": 2,
        "/b/": 1,
        "/none/": 0,
    }


async def test_imported_comments_are_stored_once(store: Store) -> None:
    site = await store.ensure_site("blog")
    first = await store.add_comment(site.id, new("imported", source_ref="wp:1"))
    again = await store.add_comment(site.id, new("imported", source_ref="wp:1"))
    assert again.id == first.id
    assert await store.count_comments(site.id, "/post/") == 1


async def test_assessments_are_stored_with_the_comment(store: Store) -> None:
    site = await store.ensure_site("blog")
    verdict = Verdict(
        Action.HOLD,
        scores={"toxicity": 0.91},
        reasons=(
            Reason(Action.HOLD, "toxicity 0.91 ≥ 0.8", "toxicity", 0.91, 0.8, spans=((0, 4),)),
        ),
        model_version="test-1",
    )
    comment = await store.add_comment(site.id, new("rude", status=CommentStatus.PENDING), verdict)
    assessments = await store.assessments(comment.id)
    assert assessments[0]["action"] == "hold"
    assert assessments[0]["scores"] == {"toxicity": 0.91}
    assert assessments[0]["reasons"][0]["span"] == [0, 4]


async def test_a_failed_write_leaves_nothing_half_written(store: Store) -> None:
    site = await store.ensure_site("blog")
    with pytest.raises(StoreError):
        # The parent does not exist: the insert fails after the thread row was created.
        await store.add_comment(site.id, new("orphan", parent_id=999_999, depth=1, key="/new/"))
    assert (await store.read_thread(site.id, "/new/", None)).thread is None
    assert await store.count_comments(site.id, "/new/") == 0
