"""The Perspective-compatible scoring API, called the way its existing clients call it."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from googleapiclient import discovery
from googleapiclient.errors import HttpError

from parley.services.moderation import PublishEverything
from parley.services.runtime import Runtime
from tests.conftest import make_settings, require
from tests.live import LiveServer

CLIENTS = Path(__file__).parent / "perspective"
ALL = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"]


def create_key(database_url: str, name: str, qps: float = 100.0, revoke: bool = False) -> str:
    async def work() -> str:
        runtime = await Runtime.open(
            make_settings(database_url), PublishEverything(), scoring_only=True
        )
        try:
            created = await runtime.api_keys.create(name, qps)
            if revoke:
                await runtime.api_keys.revoke(name)
            return created.secret
        finally:
            await runtime.close()

    return asyncio.run(work())


@pytest.fixture
def scoring(start_server: Callable[..., LiveServer], sqlite_url: str) -> tuple[LiveServer, str]:
    key = create_key(sqlite_url, "tests")
    return start_server(), key


def analyze(server: LiveServer, key: str | None, body: dict[str, Any] | bytes) -> httpx.Response:
    params = {"key": key} if key else {}
    if isinstance(body, bytes):
        return httpx.post(f"{server.url}/v1alpha1/comments:analyze", params=params, content=body)
    return httpx.post(f"{server.url}/v1alpha1/comments:analyze", params=params, json=body)


def google_error(response: httpx.Response, code: int, status: str) -> str:
    assert response.status_code == code, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["status"] == status
    return str(error["message"])


def request_body(text: str, *attributes: str, **extra: Any) -> dict[str, Any]:
    return {"comment": {"text": text}, "requestedAttributes": {a: {} for a in attributes}, **extra}


def google_client(server: LiveServer, key: str) -> Any:
    """Google's own client, pointed at Parley by its discovery URL alone."""
    return discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey=key,
        discoveryServiceUrl=f"{server.url}/$discovery/rest?version=v1alpha1",
        static_discovery=False,
    )


def test_googles_python_client_works_with_only_the_discovery_url_changed(
    scoring: tuple[LiveServer, str],
) -> None:
    server, key = scoring
    client = google_client(server, key)
    body = request_body("What a moving documentary.", *ALL)
    result = client.comments().analyze(body=body).execute()
    assert set(result["attributeScores"]) == set(ALL)
    for attribute in ALL:
        summary = result["attributeScores"][attribute]["summaryScore"]
        assert summary["type"] == "PROBABILITY" and 0 <= summary["value"] <= 1
    with pytest.raises(HttpError) as raised:
        client.comments().analyze(body=request_body("hello", "FLIRTATION")).execute()
    assert raised.value.resp.status == 400
    suggested = (
        client.comments()
        .suggestscore(
            body={
                "comment": {"text": "a fine comment"},
                "clientToken": "t-1",
                "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.0}}},
            }
        )
        .execute()
    )
    assert suggested == {"clientToken": "t-1"}


def test_a_coral_style_request_gets_a_perspective_shaped_answer(
    scoring: tuple[LiveServer, str],
) -> None:
    server, key = scoring
    # What Coral sends: its endpoint setting + "/comments:analyze", the key as a parameter.
    body = {
        "comment": {"text": "You are an idiot and a moron."},
        "doNotStore": True,
        "requestedAttributes": {"TOXICITY": {}, "SEVERE_TOXICITY": {}},
        "languages": ["en"],
    }
    response = analyze(server, key, body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["languages"] == ["en"]
    assert set(answer["attributeScores"]) == {"TOXICITY", "SEVERE_TOXICITY"}
    # Without spanAnnotations, as Perspective answered: one span, the whole comment.
    toxicity = answer["attributeScores"]["TOXICITY"]
    (span,) = toxicity["spanScores"]
    assert (span["begin"], span["end"]) == (0, len(body["comment"]["text"]))
    assert span["score"] == toxicity["summaryScore"]
    assert "clientToken" not in answer


def test_a_discourse_plugin_request_gets_its_score(scoring: tuple[LiveServer, str]) -> None:
    server, key = scoring
    body = {
        "comment": {"text": "This forum post is perfectly civil."},
        "doNotStore": True,
        "sessionId": "https://forum.example_42",
        "requestedAttributes": {"SEVERE_TOXICITY": {"scoreType": "PROBABILITY"}},
    }
    answer = analyze(server, key, body).json()
    score = answer["attributeScores"]["SEVERE_TOXICITY"]["summaryScore"]["value"]
    assert 0 <= score < 0.5


def test_coral_moderation_decisions_are_kept_as_suggestions(
    scoring: tuple[LiveServer, str],
) -> None:
    server, key = scoring
    # Coral reports each moderator decision back with comments:suggestscore, shaped so:
    body = {
        "comment": {"text": "An approved comment."},
        "context": {
            "entries": [
                {
                    "text": json.dumps(
                        {"url": "https://news.example/story#c1", "Coral_comment_id": "c1"}
                    )
                }
            ]
        },
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}},
        "languages": ["en"],
        "communityId": "Coral:https://news.example",
        "clientToken": "comment:c1",
    }
    response = httpx.post(
        f"{server.url}/v1alpha1/comments:suggestscore", params={"key": key}, json=body
    )
    assert response.status_code == 200 and response.json() == {"clientToken": "comment:c1"}


def test_the_npm_client_sends_a_request_parley_answers(scoring: tuple[LiveServer, str]) -> None:
    node = shutil.which("node")
    require(
        node is not None and (CLIENTS / "node_modules").is_dir(),
        "node or tests/perspective/node_modules missing (make test-deps installs them)",
    )
    server, key = scoring
    result = subprocess.run(
        [str(node), str(CLIENTS / "analyze.js"), server.url, key, "<b>You are vile scum.</b>"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(result.stdout)["ok"]
    assert set(answer["attributeScores"]) == {"TOXICITY", "INSULT", "IDENTITY_ATTACK"}
    wrong_key = subprocess.run(
        [str(node), str(CLIENTS / "analyze.js"), server.url, "pk_wrong", "hello"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(wrong_key.stdout)["status"] == 400


def test_span_scores_thresholds_and_client_token(scoring: tuple[LiveServer, str]) -> None:
    server, key = scoring
    text = "The film is a careful history. You are a worthless idiot."
    body = request_body(text, *ALL, spanAnnotations=True, clientToken="abc-123")
    answer = analyze(server, key, body).json()
    assert answer["clientToken"] == "abc-123"
    spans = answer["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 30), (31, len(text))]
    assert text[spans[1]["begin"] : spans[1]["end"]] == "You are a worthless idiot."
    assert spans[1]["score"]["value"] > spans[0]["score"]["value"]
    assert all(s["score"]["type"] == "PROBABILITY" for s in spans)

    toxicity = answer["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    above = {"scoreThreshold": min(1.0, toxicity + 0.01)}
    below = {"scoreThreshold": max(0.0, toxicity - 0.01)}
    thresholded = request_body(text)
    thresholded["requestedAttributes"] = {"TOXICITY": above, "INSULT": {}}
    assert set(analyze(server, key, thresholded).json()["attributeScores"]) == {"INSULT"}
    thresholded["requestedAttributes"] = {"TOXICITY": below}
    assert set(analyze(server, key, thresholded).json()["attributeScores"]) == {"TOXICITY"}


def test_snake_case_field_names_are_accepted_like_googles_proto_json(
    scoring: tuple[LiveServer, str],
) -> None:
    server, key = scoring
    body = {
        "comment": {"text": "hello"},
        "requested_attributes": {"TOXICITY": {}},
        "span_annotations": True,
        "client_token": "snake",
    }
    answer = analyze(server, key, body).json()
    assert (
        answer["clientToken"] == "snake" and "spanScores" in answer["attributeScores"]["TOXICITY"]
    )


def test_unsupported_attributes_may_be_dropped(scoring: tuple[LiveServer, str]) -> None:
    server, key = scoring
    body = request_body("hello", "TOXICITY", "FLIRTATION", dropUnsupportedAttributes=True)
    assert set(analyze(server, key, body).json()["attributeScores"]) == {"TOXICITY"}


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (request_body("", "TOXICITY"), "non-empty"),
        (request_body("   ", "TOXICITY"), "non-empty"),
        (request_body("hello", "FLIRTATION"), "does not support request languages"),
        (request_body("hello", "NO_SUCH_ATTRIBUTE"), "Unknown attribute"),
        (request_body("hello"), "at least one attribute"),
        (request_body("hallo", "TOXICITY", languages=["de"]), "does not support request languages"),
        (request_body("x" * 20481, "TOXICITY"), "too long"),
        (request_body("hello", "TOXICITY", unknownField=1), "Invalid JSON payload"),
        (
            {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}},
            "scoreType",
        ),
        (
            {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 3}}},
            "between 0 and 1",
        ),
        (b'{"comment": ', "Invalid JSON payload"),
    ],
)
def test_invalid_arguments_get_googles_error_shape(
    scoring: tuple[LiveServer, str], body: dict[str, Any] | bytes, needle: str
) -> None:
    server, key = scoring
    assert needle in google_error(analyze(server, key, body), 400, "INVALID_ARGUMENT")


GERMAN = "Der Film hat mich wirklich sehr berührt, danke für den tollen Artikel!"
LANGUAGE_ERROR_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"


def language_error(response: httpx.Response) -> dict[str, Any]:
    """The languageNotSupportedByAttributeError of Perspective's 400 answer."""
    message = google_error(response, 400, "INVALID_ARGUMENT")
    (detail,) = response.json()["error"]["details"]
    assert detail["@type"] == LANGUAGE_ERROR_TYPE
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    error: dict[str, Any] = detail["languageNotSupportedByAttributeError"]
    assert message == f"Attribute {error['attribute']} does not support request languages: de"
    return error


def test_a_comment_detected_in_a_language_parley_cannot_score_is_refused_as_perspective_did(
    scoring: tuple[LiveServer, str],
) -> None:
    server, key = scoring
    error = language_error(analyze(server, key, request_body(GERMAN, "TOXICITY", "INSULT")))
    assert error == {"detectedLanguages": ["de"], "attribute": "TOXICITY"}


def test_a_requested_language_parley_cannot_score_is_refused_as_perspective_did(
    scoring: tuple[LiveServer, str],
) -> None:
    server, key = scoring
    body = request_body(GERMAN, "INSULT", languages=["de"])
    assert language_error(analyze(server, key, body)) == {
        "detectedLanguages": ["de"],
        "attribute": "INSULT",
    }
    # Google's client sees the same error.
    client = google_client(server, key)
    with pytest.raises(HttpError) as raised:
        client.comments().analyze(body=body).execute()
    assert raised.value.resp.status == 400
    assert "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE" in str(raised.value)


def test_detected_languages_tell_what_the_comment_was_detected_as(
    scoring: tuple[LiveServer, str],
) -> None:
    server, key = scoring
    english = analyze(server, key, request_body("What a moving documentary, thank you.", *ALL))
    assert english.status_code == 200, english.text
    assert english.json()["languages"] == ["en"]
    assert english.json()["detectedLanguages"] == ["en"]
    # Too short to say: scored as English, not refused.
    for text in ("lol", "10/10", "ok!!"):
        tiny = analyze(server, key, request_body(text, "TOXICITY"))
        assert tiny.status_code == 200, (text, tiny.text)
        assert tiny.json()["detectedLanguages"] == ["en"]
    # The caller's languages are taken at their word; the detection is still reported.
    forced = analyze(server, key, request_body(GERMAN, "TOXICITY", languages=["en"]))
    assert forced.status_code == 200, forced.text
    assert forced.json()["languages"] == ["en"]
    assert forced.json()["detectedLanguages"] == ["de"]


def test_missing_and_revoked_keys_are_refused(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    revoked = create_key(sqlite_url, "old", revoke=True)
    server = start_server()
    body = request_body("hello", "TOXICITY")
    missing = google_error(analyze(server, None, body), 403, "PERMISSION_DENIED")
    assert missing == "The request is missing a valid API key."
    google_error(analyze(server, revoked, body), 400, "INVALID_ARGUMENT")
    google_error(analyze(server, "pk_never_issued", body), 400, "INVALID_ARGUMENT")


def test_a_key_over_its_quota_is_told_to_wait(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = create_key(sqlite_url, "slow", qps=1)
    server = start_server()
    body = request_body("hello", "TOXICITY")
    statuses = [analyze(server, key, body) for _ in range(3)]
    assert statuses[0].status_code == 200
    limited = statuses[-1]
    google_error(limited, 429, "RESOURCE_EXHAUSTED")
    assert int(limited.headers["retry-after"]) >= 1


def test_analyze_stores_only_counters_and_suggestions_honour_do_not_store(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = create_key(sqlite_url, "counted")
    server = start_server()
    secret_text = "a comment nobody should keep"
    for _ in range(3):
        assert analyze(server, key, request_body(secret_text, "TOXICITY")).status_code == 200
    for do_not_store in (False, True):
        response = httpx.post(
            f"{server.url}/v1alpha1/comments:suggestscore",
            params={"key": key},
            json={
                "comment": {"text": f"feedback kept={not do_not_store}"},
                "doNotStore": do_not_store,
                "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}},
            },
        )
        assert response.status_code == 200
    server.stop()  # flushes the usage counters
    database = sqlite3.connect(sqlite_url.split("///", 1)[1])
    assert database.execute("SELECT sum(requests) FROM api_usage").fetchone()[0] == 5
    kept = database.execute("SELECT text, attribute_scores FROM score_feedback").fetchall()
    assert [text for text, _ in kept] == ["feedback kept=True", None]
    assert json.loads(kept[0][1]) == {"TOXICITY": 0.9}
    dump = "\n".join(database.iterdump())
    assert secret_text not in dump


def test_the_discovery_document_names_both_methods(scoring: tuple[LiveServer, str]) -> None:
    server, _ = scoring
    document = httpx.get(f"{server.url}/$discovery/rest", params={"version": "v1alpha1"}).json()
    assert document["name"] == "commentanalyzer" and document["version"] == "v1alpha1"
    assert document["rootUrl"] == f"{server.url}/"
    methods = document["resources"]["comments"]["methods"]
    assert methods["analyze"]["path"] == "v1alpha1/comments:analyze"
    assert methods["suggestscore"]["httpMethod"] == "POST"


LONG = "x" * 201


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("analyze", {"clientToken": LONG}),
        ("suggestscore", {"clientToken": LONG}),
        ("suggestscore", {"communityId": LONG}),
    ],
)
def test_tokens_longer_than_perspective_takes_get_googles_error_shape(
    scoring: tuple[LiveServer, str], method: str, extra: dict[str, str]
) -> None:
    server, key = scoring
    body = {"comment": {"text": "A fine film."}, "languages": ["en"], **extra}
    if method == "analyze":
        body["requestedAttributes"] = {"TOXICITY": {}}
    else:
        body["attributeScores"] = {"TOXICITY": {"summaryScore": {"value": 0}}}
    response = httpx.post(
        f"{server.url}/v1alpha1/comments:{method}", params={"key": key}, json=body
    )
    assert "200 characters" in google_error(response, 400, "INVALID_ARGUMENT")


@pytest.mark.parametrize("method", ["analyze", "suggestscore"])
def test_deeply_nested_json_gets_googles_error_shape(
    scoring: tuple[LiveServer, str], method: str
) -> None:
    server, key = scoring
    nested = b'{"comment": {"text": "hi"}, "context": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = httpx.post(
        f"{server.url}/v1alpha1/comments:{method}",
        params={"key": key},
        content=nested,
        headers={"content-type": "application/json"},
    )
    google_error(response, 400, "INVALID_ARGUMENT")


def test_scores_come_back_when_the_site_does_not_moderate_its_comments(
    start_unmoderated_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = create_key(sqlite_url, "tests")
    server = start_unmoderated_server(moderation=False)
    insult = analyze(server, key, request_body("You are an idiot and a moron.", "TOXICITY"))
    kind = analyze(server, key, request_body("What a thoughtful review, thank you.", "TOXICITY"))
    assert insult.status_code == 200 and kind.status_code == 200, insult.text
    score = lambda r: r.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]  # noqa: E731
    assert score(insult) > 0.5 > score(kind)
