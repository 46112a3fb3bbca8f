"""Schemathesis generates requests from the OpenAPI document: none may make the server fail."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.live import LiveServer

ENDLESS = {"/api/v1/events"}  # an event stream never ends; tests/test_live_updates.py covers it


def test_no_generated_request_gets_a_server_error(server: LiveServer) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/schema/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:
        if operation.path in ENDLESS:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        def call(case: Any) -> None:
            response = case.call(base_url=server.url, timeout=10)
            case.validate_response(response, checks=(not_a_server_error,))

        try:
            call()
        except Exception as error:  # name the operation that failed
            pytest.fail(f"{operation.method.upper()} {operation.path}: {error}")
