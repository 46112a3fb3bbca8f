"""The scoring API's wire, detail by detail, as Perspective answered it: one test per row of
tests/perspective/CONFORMANCE.md. Google's Python client reads the errors back as objects."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from googleapiclient.errors import HttpError

from parley.moderation.engine import Engine
from parley.services.runtime import migrate_database
from parley.settings import Settings
from tests.conftest import make_settings
from tests.live import LiveServer
from tests.test_perspective import analyze, create_key, google_client, request_body

ERROR_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
INSULT = "You are a worthless idiot"


@pytest.fixture(scope="module")
def wire(
    tmp_path_factory: pytest.TempPathFactory, moderation_engine: Engine
) -> Iterator[tuple[LiveServer, str, Path]]:
    """One server for the tests that only read: its URL, a key and its database file."""
    path = tmp_path_factory.mktemp("wire") / "parley.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate_database(Settings(database_url=url))
    key = create_key(url, "wire", qps=1000)
    server = LiveServer(make_settings(url), moderation_engine).start()
    yield server, key, path
    server.stop()


def client_error(server: LiveServer, key: str, body: dict[str, Any]) -> HttpError:
    """The error Google's Python client raises for this analyze request."""
    with pytest.raises(HttpError) as raised:
        google_client(server, key).comments().analyze(body=body).execute()
    return raised.value


def google(response: httpx.Response, code: int, status: str) -> dict[str, Any]:
    assert response.status_code == code, response.text
    error: dict[str, Any] = response.json()["error"]
    assert (error["code"], error["status"]) == (code, status)
    return error


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# Errors


def test_an_empty_comment_has_the_comment_empty_detail_as_an_object(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, key, _ = wire
    error = client_error(server, key, request_body("   ", "TOXICITY"))
    assert error.resp.status == 400
    assert error.error_details == [{"@type": ERROR_TYPE, "errorType": "COMMENT_EMPTY"}]


def test_a_comment_too_long_has_the_comment_too_long_detail(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, key, _ = wire
    error = google(
        analyze(server, key, request_body("x" * 20481, "TOXICITY")), 400, "INVALID_ARGUMENT"
    )
    assert error["details"] == [{"@type": ERROR_TYPE, "errorType": "COMMENT_TOO_LONG"}]


def test_a_language_parley_cannot_score_has_perspectives_language_detail(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, key, _ = wire
    body = request_body("Ein wirklich schöner Film, danke.", "INSULT", languages=["de"])
    error = client_error(server, key, body)
    assert error.resp.status == 400
    assert error.reason == "Attribute INSULT does not support request languages: de"
    assert error.error_details == [
        {
            "@type": ERROR_TYPE,
            "errorType": "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
            "languageNotSupportedByAttributeError": {
                "detectedLanguages": ["de"],
                "attribute": "INSULT",
            },
        }
    ]


def test_an_unknown_attribute_has_the_attribute_not_supported_detail(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, key, _ = wire
    for drop in (False, True):
        body = request_body(
            "hello", "TOXICITY", "NO_SUCH_ATTRIBUTE", dropUnsupportedAttributes=drop
        )
        error = google(analyze(server, key, body), 400, "INVALID_ARGUMENT")
        assert error["details"] == [{"@type": ERROR_TYPE, "errorType": "ATTRIBUTE_NOT_SUPPORTED"}]


def test_a_malformed_body_has_a_bad_request_detail(wire: tuple[LiveServer, str, Path]) -> None:
    server, key, _ = wire
    error = google(analyze(server, key, b'{"comment": '), 400, "INVALID_ARGUMENT")
    (detail,) = error["details"]
    assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    assert "Invalid JSON payload" in detail["fieldViolations"][0]["description"]


def test_a_missing_key_is_permission_denied(wire: tuple[LiveServer, str, Path]) -> None:
    server, _, _ = wire
    error = google(
        analyze(server, None, request_body("hello", "TOXICITY")), 403, "PERMISSION_DENIED"
    )
    assert error["message"] == "The request is missing a valid API key."
    assert error["details"][0]["@type"] == ERROR_INFO


def test_a_wrong_key_is_invalid_argument_with_reason_api_key_invalid(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, _, _ = wire
    error = client_error(server, "pk_never_issued", request_body("hello", "TOXICITY"))
    assert error.resp.status == 400
    (detail,) = error.error_details
    assert (detail["@type"], detail["reason"]) == (ERROR_INFO, "API_KEY_INVALID")


def test_a_key_over_quota_is_resource_exhausted_with_an_error_info(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = create_key(sqlite_url, "slow", qps=0.01)  # one request per 100 s
    server = start_server()
    body = request_body("hello", "TOXICITY")
    assert analyze(server, key, body).status_code == 200
    error = client_error(server, key, body)
    assert error.resp.status == 429
    (detail,) = error.error_details
    assert (detail["@type"], detail["reason"]) == (ERROR_INFO, "RATE_LIMIT_EXCEEDED")
    assert '"RESOURCE_EXHAUSTED"' in error.content.decode()


def test_a_database_failure_is_unavailable_not_an_internal_error(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = create_key(sqlite_url, "unlucky")
    server = start_server()
    database = sqlite3.connect(sqlite_url.split("///", 1)[1])
    database.execute("ALTER TABLE api_keys RENAME TO api_keys_lost")
    database.commit()
    database.close()
    response = analyze(server, key, request_body("hello", "TOXICITY"))
    google(response, 503, "UNAVAILABLE")
    assert response.headers["retry-after"] == "1"


# Spans


def test_span_offsets_are_utf16_code_units(wire: tuple[LiveServer, str, Path]) -> None:
    server, key, _ = wire
    text = "What a film 🎬😀! " + INSULT + " 🤬."
    body = request_body(text, "TOXICITY", spanAnnotations=True, languages=["en"])
    spans = analyze(server, key, body).json()["attributeScores"]["TOXICITY"]["spanScores"]
    units = text.encode("utf-16-le")
    pieces = [units[2 * s["begin"] : 2 * s["end"]].decode("utf-16-le") for s in spans]
    assert pieces == ["What a film 🎬😀!", INSULT + " 🤬."]


def test_html_span_offsets_point_into_the_callers_text(wire: tuple[LiveServer, str, Path]) -> None:
    server, key, _ = wire
    text = (
        "<p>The film is a careful <b>history</b>.</p><p>You are a worthless &amp; vile idiot.</p>"
    )
    body = {
        "comment": {"text": text, "type": "HTML"},
        "requestedAttributes": {"TOXICITY": {}},
        "spanAnnotations": True,
    }
    answer = analyze(server, key, body)
    assert answer.status_code == 200, answer.text
    spans = answer.json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert [text[s["begin"] : s["end"]] for s in spans] == [
        "The film is a careful <b>history</b>.",
        "You are a worthless &amp; vile idiot.",
    ]


def test_without_span_annotations_one_span_covers_the_whole_comment(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, key, _ = wire
    text = "Thanks for the review 👍🏽"
    answer = analyze(server, key, request_body(text, "TOXICITY", "INSULT")).json()
    for scores in answer["attributeScores"].values():
        (span,) = scores["spanScores"]
        assert (span["begin"], span["end"]) == (0, utf16(text))
        assert span["score"] == scores["summaryScore"]


# Enum defaults


def test_score_type_unspecified_means_probability(wire: tuple[LiveServer, str, Path]) -> None:
    server, key, _ = wire
    body = request_body("hello")
    body["requestedAttributes"] = {"TOXICITY": {"scoreType": "SCORE_TYPE_UNSPECIFIED"}}
    response = analyze(server, key, body)
    assert response.status_code == 200, response.text
    assert response.json()["attributeScores"]["TOXICITY"]["summaryScore"]["type"] == "PROBABILITY"


def test_text_type_unspecified_means_plain_text(wire: tuple[LiveServer, str, Path]) -> None:
    server, key, _ = wire
    text = "I like <b>bold</b> claims."
    body = request_body(text, "TOXICITY", spanAnnotations=True)
    body["comment"]["type"] = "TEXT_TYPE_UNSPECIFIED"
    response = analyze(server, key, body)
    assert response.status_code == 200, response.text
    (span,) = response.json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert (span["begin"], span["end"]) == (0, len(text))  # the tags count: plain text


# Attributes


@pytest.mark.parametrize("attribute", ["SEXUALLY_EXPLICIT", "FLIRTATION"])
def test_attributes_parley_cannot_score_get_perspectives_unsupported_error(
    wire: tuple[LiveServer, str, Path], attribute: str
) -> None:
    server, key, _ = wire
    error = client_error(server, key, request_body("A kind remark.", "TOXICITY", attribute))
    assert error.resp.status == 400
    (detail,) = error.error_details
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["en"],
        "attribute": attribute,
    }
    body = request_body("A kind remark.", "TOXICITY", attribute, dropUnsupportedAttributes=True)
    assert set(analyze(server, key, body).json()["attributeScores"]) == {"TOXICITY"}


# suggestscore


def test_suggestscore_takes_span_only_suggestions_and_keeps_them(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, key, path = wire
    body = {
        "comment": {"text": "Fine film. " + INSULT + "."},
        "attributeScores": {
            "INSULT": {"spanScores": [{"begin": 11, "end": 37, "score": {"value": 1}}]}
        },
        "clientToken": "span-only",
    }
    suggested = google_client(server, key).comments().suggestscore(body=body).execute()
    assert suggested == {"clientToken": "span-only"}
    database = sqlite3.connect(path)
    (kept,) = database.execute(
        "SELECT attribute_scores FROM score_feedback WHERE client_token = 'span-only'"
    ).fetchone()
    assert json.loads(kept) == {
        "INSULT": {"summaryScore": None, "spanScores": [{"begin": 11, "end": 37, "value": 1.0}]}
    }


def test_suggestscore_has_its_own_quota_line(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = create_key(sqlite_url, "one-each", qps=0.01)  # one request per 100 s and method
    server = start_server()
    suggestion = {
        "comment": {"text": "A fine comment."},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}},
    }
    url = f"{server.url}/v1alpha1/comments:suggestscore"
    assert analyze(server, key, request_body("hello", "TOXICITY")).status_code == 200
    assert httpx.post(url, params={"key": key}, json=suggestion).status_code == 200
    again = httpx.post(url, params={"key": key}, json=suggestion)
    detail = google(again, 429, "RESOURCE_EXHAUSTED")["details"][0]
    assert "suggestscore" in detail["metadata"]["quota_metric"]


# Discovery


def test_the_discovery_document_offers_no_batch_endpoint(
    wire: tuple[LiveServer, str, Path],
) -> None:
    server, _, _ = wire
    document = httpx.get(f"{server.url}/$discovery/rest", params={"version": "v1alpha1"}).json()
    assert "batchPath" not in document
    assert httpx.post(f"{server.url}/batch").status_code == 404


def test_the_discovery_root_url_is_the_public_url_setting(
    start_server: Callable[..., LiveServer],
) -> None:
    server = start_server(public_url="https://scores.example.org/parley")
    document = httpx.get(
        f"{server.url}/$discovery/rest",
        params={"version": "v1alpha1"},
        headers={"Host": "internal:8081"},
    ).json()
    assert document["rootUrl"] == "https://scores.example.org/parley/"
    assert document["baseUrl"] == "https://scores.example.org/parley/"


# Keys


def test_parley_apikey_usage_shows_each_keys_requests_and_quota(
    start_server: Callable[..., LiveServer], sqlite_url: str, tmp_path: Path
) -> None:
    key = create_key(sqlite_url, "counted", qps=5)
    create_key(sqlite_url, "idle")
    server = start_server()
    for _ in range(3):
        assert analyze(server, key, request_body("hello", "TOXICITY")).status_code == 200
    server.stop()  # flushes the usage counters
    env = {**os.environ, "PARLEY_DATABASE_URL": sqlite_url}
    command = [sys.executable, "-m", "parley.cli", "apikey", "usage"]
    shown = subprocess.run(
        [*command, "counted"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("counted\tpk_") and "5 qps per method\tactive" in lines[0]
    assert lines[-1] == "  total, 7 day(s)\t3"
    unknown = subprocess.run(
        [*command, "nobody"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert unknown.returncode != 0 and "no key named 'nobody'" in unknown.stderr


# CORS


def test_browser_callers_get_cors_from_the_scoring_origins_setting(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> None:
    key = create_key(sqlite_url, "browser")
    server = start_server(scoring_origins=("https://tool.example",))
    url = f"{server.url}/v1alpha1/comments:analyze"
    preflight = httpx.options(
        url,
        headers={
            "Origin": "https://tool.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "https://tool.example"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    body = request_body("hello", "TOXICITY")
    allowed = httpx.post(
        url, params={"key": key}, json=body, headers={"Origin": "https://tool.example"}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://tool.example"
    # Another origin, even the default site's own, gets no CORS headers on these paths.
    for origin in ("https://elsewhere.example", "http://127.0.0.1:8080"):
        other = httpx.post(url, params={"key": key}, json=body, headers={"Origin": origin})
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
