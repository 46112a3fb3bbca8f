"""Pure rules of the domain: display order and tombstones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from parley.domain.comments import (
    Author,
    Branches,
    Comment,
    CommentStatus,
    SortOrder,
    in_display_order,
    prune_tombstones,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def comment(
    id: int,
    parent: int | None = None,
    minutes: int = 0,
    votes: int = 0,
    status: CommentStatus = CommentStatus.PUBLISHED,
) -> Comment:
    return Comment(
        id, 1, parent, 0, Author("x"), "", "", status, T0 + timedelta(minutes=minutes), votes=votes
    )


TREE = [
    comment(1, minutes=0, votes=1),
    comment(2, 1, minutes=5),
    comment(3, minutes=10, votes=5),
    comment(4, 1, minutes=2, votes=3),
    comment(5, 4, minutes=20),
]


def ids(comments: list[Comment]) -> list[int]:
    return [c.id for c in comments]


def test_oldest_first_depth_first() -> None:
    assert ids(in_display_order(TREE, SortOrder.OLDEST)) == [1, 4, 5, 2, 3]


def test_newest_first_at_the_top_replies_in_conversation_order() -> None:
    assert ids(in_display_order(TREE, SortOrder.NEWEST)) == [3, 1, 4, 5, 2]


def test_top_ranks_siblings_by_votes() -> None:
    assert ids(in_display_order(TREE, SortOrder.TOP)) == [3, 1, 4, 5, 2]
    assert ids(in_display_order([*TREE[:2], comment(6, 1, minutes=9, votes=2)], SortOrder.TOP)) == [
        1,
        6,
        2,
    ]


def test_a_reply_whose_parent_is_hidden_shows_at_top_level() -> None:
    assert ids(in_display_order([comment(7, parent=99)], SortOrder.OLDEST)) == [7]


def test_tombstones_stay_only_above_visible_replies() -> None:
    gone = CommentStatus.DELETED
    chain = [
        comment(1, status=gone),
        comment(2, 1, status=gone),
        comment(3, 2),
        comment(4, status=gone),
        comment(5, 4, status=gone),
    ]
    assert ids(prune_tombstones(chain)) == [1, 2, 3]


@st.composite
def forests(draw: st.DrawFn) -> tuple[list[Comment], list[Comment]]:
    """A thread's public comments and one reader's held ones (replies anywhere, or new roots)."""
    size = draw(st.integers(1, 40))
    made: list[Comment] = []
    held: list[Comment] = []
    for n in range(1, size + 1):
        own = draw(st.booleans()) and draw(st.booleans())
        # replies to a held comment are held too (services/comments.py)
        parents = [c.id for c in made if own or c not in held]
        parent = draw(st.none() | st.sampled_from(parents)) if parents else None
        made.append(
            comment(
                n,
                parent,
                minutes=draw(st.integers(0, 50)),
                votes=0 if own else draw(st.integers(-2, 4)),
                status=CommentStatus.PENDING if own else CommentStatus.PUBLISHED,
            )
        )
        if own:
            held.append(made[-1])
    public = [c for c in made if c not in held]
    # a held comment is shown only where its parent is (or none): drop those under nothing
    shown = {c.id for c in public}
    for c in held:
        if c.parent_id is None or c.parent_id in shown:
            shown.add(c.id)
    return public, [c for c in held if c.id in shown]


@given(forests(), st.sampled_from(list(SortOrder)), st.integers(1, 5))
def test_own_comments_fall_where_a_full_sort_puts_them(
    thread: tuple[list[Comment], list[Comment]], order: SortOrder, limit: int
) -> None:
    public, own = thread
    merged = Branches.of(in_display_order([*public, *own], order), order)
    patched = Branches.of(in_display_order(public, order), order).with_own(own, order)
    assert ids(list(patched.comments)) == ids(list(merged.comments))
    assert list(patched.keys) == list(merged.keys)
    pages, after = [], None
    while True:
        page, after = patched.page(limit, after)
        pages += page
        if after is None:
            break
    assert ids(pages) == ids(list(merged.comments))
