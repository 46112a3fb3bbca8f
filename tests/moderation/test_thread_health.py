"""Derailment alerts come once per branch, when heat builds up along a reply chain."""

from parley.moderation.thread_health import ThreadComment, ThreadHealth
from parley.moderation.topicality import topicality

ARTICLE = "The documentary tells the story of Nanking in 1937 and the Safety Zone."


def test_calm_thread_raises_nothing() -> None:
    health = ThreadHealth(ARTICLE)
    for i in range(1, 6):
        health.observe(
            ThreadComment(i, i - 1 if i > 1 else None, "The Safety Zone saved many.", 0.1)
        )
    assert health.alerts == []


def test_heated_branch_raises_one_alert() -> None:
    health = ThreadHealth(ARTICLE)
    health.observe(ThreadComment(1, None, "Moving film about Nanking.", 0.1))
    for i in range(2, 7):
        health.observe(ThreadComment(i, i - 1, "you are all idiots and liars", 0.95))
    (alert,) = health.alerts
    assert alert["branch_root"] == 1 and alert["kind"] == "derailing"
    assert alert["comment_id"] == 3


def test_topicality_is_the_share_of_shared_words() -> None:
    assert topicality("Nanking documentary", ARTICLE) == 1.0
    assert topicality("bitcoin pumps tomorrow", ARTICLE) == 0.0
