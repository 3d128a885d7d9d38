"""Issue 18 standing tests: the OpenAPI description of /api/v1 matches `app.url_map`, and
Schemathesis calls every operation of the live app without a token, with a read token
and with a read-write token: no 5xx, and every answer conforms to the description."""
from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)
from schemathesis.checks import not_a_server_error

from portal.accounts import tokens

from ..factories import sync_articles


def test_the_description_lists_exactly_the_api_routes(app):
    described = app.test_client().get("/api/v1/openapi.json").get_json()
    assert described["openapi"].startswith("3.1")
    documented = {(f"/api/v1{path}", method.upper())
                  for path, operations in described["paths"].items() for method in operations}
    routed = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed


@pytest.fixture
def api_schema(app, sample_articles):
    sync_articles(app)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def bearer_headers(app):
    with app.app_context():
        return [{}] + [{"Authorization": f"Bearer {tokens.create(scope, scope, None)[1]}"}
                       for scope in ("read", "read-write")]


def test_every_operation_conforms_for_every_caller(api_schema, bearer_headers):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} >= {"GET /search", "GET /suggest", "POST /links",
                                                "GET /articles/{slug}"}
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    for operation in operations:
        @given(operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def conforms(case):
            for headers in bearer_headers:
                case.call_and_validate(headers=headers, checks=checks)

        conforms()
