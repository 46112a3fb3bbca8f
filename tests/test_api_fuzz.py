"""Schemathesis generates requests from the OpenAPI document: none may make the server fail.

Every operation is called, the scoring API (Perspective's `comments:analyze` and
`comments:suggestscore`) with a valid key. Those two handlers parse their bodies themselves, to
answer in Google's error format, so the document names no body for them: the test describes
their bodies from the very structs the handlers decode into, so that generated requests reach
the scorer and not only the JSON parser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from parley.services.perspective import ATTRIBUTES, RESPONSE_LANGUAGES
from parley.web.routes.perspective import AnalyzeBody, SuggestBody
from tests.live import LiveServer
from tests.test_perspective import create_key

ENDLESS = {"/api/v1/events"}  # an event stream never ends; tests/test_live_updates.py covers it
SCORING_BODIES: dict[str, type[msgspec.Struct]] = {
    "/v1alpha1/comments:analyze": AnalyzeBody,
    "/v1alpha1/comments:suggestscore": SuggestBody,
}
PREFIX = "Scoring"  # keeps the structs' schema names apart from the document's own


@pytest.fixture
def scoring_server(
    start_server: Callable[..., LiveServer], sqlite_url: str
) -> tuple[LiveServer, str]:
    key = create_key(sqlite_url, "fuzz", qps=1_000_000)  # no 429s: every call is scored
    return start_server(), key


def narrow_to_valid_requests(components: dict[str, Any]) -> None:
    """What the structs leave optional or type loosely as strings, Perspective's contract names
    exactly: a text and the attributes wanted are required; attribute names, languages (at
    least one: random text is rarely detected as English), text types and score types are
    from fixed lists. Valid (positive) requests keep to it, so most reach the scorer; invalid
    (negative) ones still stray from it."""
    attributes = {"propertyNames": {"enum": sorted(ATTRIBUTES)}, "minProperties": 1}
    languages = {"items": {"enum": list(RESPONSE_LANGUAGES)}, "minItems": 1}
    components["AnalyzeBody"]["properties"]["requestedAttributes"].update(attributes)
    components["AnalyzeBody"]["properties"]["languages"].update(languages)
    components["SuggestBody"]["properties"]["attributeScores"].update(attributes)
    components["SuggestBody"]["properties"]["languages"].update(languages)
    components["AnalyzeBody"]["required"].append("requestedAttributes")
    # A suggestion names a score for each attribute (a summary, here; span-only suggestions
    # have their own tests in tests/test_perspective_wire.py).
    components["SuggestAttribute"]["required"].append("summaryScore")
    components["SuggestAttribute"]["properties"]["summaryScore"] = {
        "$ref": components["SuggestAttribute"]["properties"]["summaryScore"]["anyOf"][0]["$ref"]
    }
    components["TextEntry"]["required"].append("text")
    components["TextEntry"]["properties"]["text"]["pattern"] = r"\S"  # not blank
    components["TextEntry"]["properties"]["type"]["enum"] = ["PLAIN_TEXT", "HTML"]
    probability = {"anyOf": [{"enum": ["PROBABILITY"]}, {"type": "null"}]}
    components["AttributeParameters"]["properties"]["scoreType"].update(probability)
    threshold = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}]}
    components["AttributeParameters"]["properties"]["scoreThreshold"].update(threshold)


def with_scoring_bodies(document: dict[str, Any]) -> dict[str, Any]:
    """The document, with a JSON request body declared for each scoring operation."""
    structs = list(SCORING_BODIES.values())
    refs, components = msgspec.json.schema_components(
        structs, ref_template=f"#/components/schemas/{PREFIX}{{name}}"
    )
    narrow_to_valid_requests(components)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update({PREFIX + name: schema for name, schema in components.items()})
    for path, ref in zip(SCORING_BODIES, refs, strict=True):
        operation = document["paths"][path]["post"]
        assert "requestBody" not in operation, f"{path} declares its body now: drop this patch"
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref}},
        }
    return document


def fuzzer(operation: Any, mode: GenerationMode, server: LiveServer, key: str) -> Any:
    """A hypothesis test calling `operation`; it counts the statuses it got in `.statuses`."""
    statuses: Counter[int] = Counter()

    examples = 40 if mode is GenerationMode.POSITIVE else 20  # invalid ones mostly stop early

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        headers = {"x-goog-api-key": key}  # the scoring API's key; other operations ignore it
        response = case.call(base_url=server.url, headers=headers, timeout=10)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=(not_a_server_error,))

    call.statuses = statuses  # type: ignore[attr-defined]
    return call


def modes(operation: Any) -> list[GenerationMode]:
    """Valid requests, and invalid ones where the operation takes anything that can be wrong."""
    raw = operation.definition.raw
    if raw.get("parameters") or "requestBody" in raw:
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def test_no_generated_request_gets_a_server_error(scoring_server: tuple[LiveServer, str]) -> None:
    server, key = scoring_server
    document = httpx.get(f"{server.url}/api/v1/schema/openapi.json").raise_for_status().json()
    schema = schemathesis.openapi.from_dict(with_scoring_bodies(document))
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {operation.path for operation in operations}
    assert set(SCORING_BODIES) <= paths and len(operations) >= 8
    scored: Counter[str] = Counter()
    for operation in operations:
        if operation.path in ENDLESS:
            continue
        for mode in modes(operation):
            call = fuzzer(operation, mode, server, key)
            try:
                call()
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:
                    raise
                continue  # nothing in this request can be made invalid (a header of any string)
            except Exception as error:  # name the operation that failed
                pytest.fail(f"{operation.method.upper()} {operation.path} ({mode.value}): {error}")
            if operation.path in SCORING_BODIES:
                scored[operation.path] += call.statuses[200]
    # The key worked: generated requests were scored, not all refused.
    assert all(scored[path] > 0 for path in SCORING_BODIES), scored
