"""Thread health on the real encoder and topic model: off-topic per comment, the short-reply
rule, one alert per derailing branch naming where it turned, and the seed thread's acceptance."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from parley.domain.moderation import ModerationContext
from parley.moderation.engine import Engine
from parley.moderation.thread_eval import LabelledThread, read_thread, watch_thread
from parley.moderation.thread_health import (
    NEW,
    Alert,
    BranchState,
    BranchWatch,
    Signals,
    ThreadWatch,
)

SEED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "seed-thread.json"
THREADS = Path(__file__).resolve().parents[1] / "data" / "threads"
ARTICLE = (
    "Sourdough for beginners. Feed your starter the night before, mix flour, water and salt, "
    "fold the dough every half hour, shape it and let it prove in the fridge overnight. Bake "
    "in a preheated Dutch oven at 250 degrees for twenty minutes with the lid on."
)
START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def watch() -> BranchWatch:
    return BranchWatch.load()


def _calm(text: str, author: str, minutes: int) -> Signals:
    return Signals(text, author, START + timedelta(minutes=minutes), {"toxicity": 0.05})


def _watched(
    watch: BranchWatch, comments: Sequence[tuple[int, int | None, str, str]]
) -> ThreadWatch:
    thread = ThreadWatch(watch, "Sourdough for beginners", ARTICLE)
    for minute, (cid, parent, author, text) in enumerate(comments):
        thread.observe(cid, parent, _calm(text, author, minute * 7))
    return thread


def test_on_topic_replies_in_other_words_stay_on_topic_and_a_tangent_does_not(
    watch: BranchWatch,
) -> None:
    thread = _watched(
        watch,
        [
            (1, None, "ana", "My loaf came out flat and gummy in the middle, what went wrong?"),
            (
                2,
                1,
                "ben",
                "Probably under-proofed. Give it longer in the cold and check the crumb.",
            ),
            (3, None, "cy", "Who do you think wins the election next month? The polls are close."),
        ],
    )
    assert thread.states[1].off_topic < 0.5
    assert thread.states[2].off_topic < 0.5
    assert thread.states[3].off_topic >= 0.5
    reason = thread.observations[2].topicality.reason
    assert reason.startswith("closest to the") and "article" in reason


def test_a_short_reply_is_judged_through_its_parent(watch: BranchWatch) -> None:
    thread = _watched(
        watch,
        [
            (1, None, "ana", "Folding every half hour made my dough so much stronger, thank you."),
            (2, 1, "ben", "I agree."),
            (3, None, "cy", "The central bank is printing money and the election is rigged."),
            (4, 3, "dee", "I agree."),
        ],
    )
    on, off = thread.observations[2].topicality, thread.observations[4].topicality
    assert on.through_parent and off.through_parent
    assert on.off_topic == thread.states[1].off_topic < 0.5
    assert off.off_topic == thread.states[3].off_topic >= 0.5
    assert "judged through its parent" in off.reason


def _flame(watch: BranchWatch) -> ThreadWatch:
    """An on-topic thread whose one sub-branch becomes a two-person politics fight, while the
    reply beside it stays on the bread."""
    hot = {"toxicity": 0.7, "insult": 0.6}
    thread = ThreadWatch(watch, "Sourdough for beginners", ARTICLE)
    lines = [
        (1, None, "ana", "Great guide, my first loaf had a lovely open crumb.", {}),
        (2, 1, "ben", "Same here, the overnight prove in the fridge made the difference.", {}),
        (
            3,
            2,
            "cy",
            "Bakers like you vote for the same corrupt party that ruined this country.",
            hot,
        ),
        (4, 3, "ben", "Your party's leader is a liar and a crook, everyone knows it.", hot),
        (5, 4, "cy", "Your president is a traitor and you are an idiot for voting for him.", hot),
        (
            6,
            5,
            "ben",
            "Go back to your conspiracy forums, the election was not stolen, moron.",
            hot,
        ),
        (7, 1, "dee", "How long do you preheat the Dutch oven before the dough goes in?", {}),
    ]
    for minute, (cid, parent, author, text, scores) in enumerate(lines):
        signals = Signals(text, author, START + timedelta(minutes=3 * minute), scores)
        thread.observe(cid, parent, signals)
    return thread


def test_a_derailing_branch_is_alerted_once_where_it_turned(watch: BranchWatch) -> None:
    thread = _flame(watch)
    (alert,) = thread.alerts
    assert alert.branch_root == 3  # the turn, not the on-topic comments above or beside it
    assert alert.at_comment in (4, 5)  # as soon as two comments carry it
    assert alert.to_dict()["type"] == "derailment" and alert.reasons
    assert thread.states[7].off_topic < 0.5
    assert not alert.covers(thread.states[7])
    assert alert.covers(thread.states[6])


def test_a_second_run_beside_an_alerted_one_widens_it_to_where_both_meet() -> None:
    states = {}
    for cid, path in ((3, (1, 2)), (4, (1, 2, 3)), (7, (1, 2, 3)), (8, (1, 2, 3, 7))):
        states[cid] = BranchState(
            comment_id=cid, parent_id=path[-1], top_id=1, depth=len(path), author="a",
            posted=0.0, off_topic=0.9, heat=0.5, drift=0.7, chain_heat=0.5, heat_trend=0.0,
            run=1, run_start=cid, pair=1, pace=0.0, path=path,
        )  # fmt: skip
    alert = Alert(4, 4, ("off",), 0.7, 0.5, root_path=(1, 2, 3))
    widened = alert.widened(states[8])
    assert widened is not None
    assert (widened.branch_root, widened.root_path, widened.widened_at) == (3, (1, 2), 8)
    assert widened.at_comment == 4  # still first seen where it was
    beside_top = BranchState(**{**states[8].to_dict(), "path": (1,), "vector": b""})
    assert alert.widened(beside_top) is None  # they meet only at the top-level comment


def test_a_state_survives_storage_and_takes_its_id(watch: BranchWatch) -> None:
    observation = _flame(watch).observations[5]
    state = observation.state
    again = BranchState.from_dict(json.loads(json.dumps(state.to_dict())), state.vector)
    assert again == state
    fresh = watch.observe(
        NEW,
        Signals("I agree.", "eve", START, {}),
        watch.article("Sourdough for beginners", ARTICLE),
        state,
        None,
    )
    stored = fresh.stored_as(99)
    assert stored.state.comment_id == 99 and stored.state.parent_id == 5


# -- the seed thread (issue 11's acceptance) ---------------------------------------------------
PLAINLY_OFF_TOPIC = (4, 6, 8, 9)  # Bush and empire, US meddling, Putin's sexuality, US scrutiny
ABOUT_THE_FILM = (1, 2, 5, 10, 11, 12)  # Nanking, the soldiers, Japan then and now


@pytest.fixture(scope="module")
def seed(watch: BranchWatch, moderation_engine: Engine) -> tuple[LabelledThread, ThreadWatch]:
    if not SEED.exists():
        pytest.skip("needs ../shared/fixtures")
    thread = read_thread(json.loads(SEED.read_text()), "seed")
    context = ModerationContext()
    return thread, watch_thread(
        watch, thread, lambda text: moderation_engine.assess(text, context).scores
    )


def test_seed_derailing_sub_branch_is_alerted_before_the_slur(
    seed: tuple[LabelledThread, ThreadWatch],
) -> None:
    thread, watched = seed
    (alert,) = watched.alerts
    assert thread.position(alert.at_comment) < thread.position(8)  # the slur
    branch = thread.subtree(alert.branch_root)
    assert {4, 6, 7, 8} <= branch
    assert not branch & {10, 11, 12}  # the on-topic comments beside it stay out


def test_seed_off_topic_marks_the_drifted_replies_and_none_about_the_film(
    seed: tuple[LabelledThread, ThreadWatch],
) -> None:
    _, watched = seed
    score = {cid: state.off_topic for cid, state in watched.states.items()}
    assert sum(score[cid] >= 0.5 for cid in PLAINLY_OFF_TOPIC) >= 3, score
    assert all(score[cid] < 0.5 for cid in ABOUT_THE_FILM), score


def test_the_labelled_threads_are_well_formed() -> None:
    files = sorted(THREADS.glob("*.json"))
    assert len(files) >= 30
    threads = [read_thread(json.loads(path.read_text()), path.stem) for path in files]
    held_out = [t for t in threads if t.split == "holdout"]
    assert len(held_out) * 3 >= len(threads) - 2  # about a third
    for thread in threads:
        assert 8 <= len(thread.comments) <= 40, thread.name
        assert all(c.off_topic is not None for c in thread.comments), thread.name
        if thread.branch_root is not None:
            assert thread.starts_at in thread.subtree(thread.branch_root), thread.name
