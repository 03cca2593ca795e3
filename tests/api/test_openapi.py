"""The OpenAPI document covers every /api/v1 route and method, and fuzzing it never yields a 5xx (R6)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from beredskap.openapi import REQUEST_SCHEMAS, openapi_path
from tests.conftest import _make_app, gen_user

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


def test_document_matches_routes(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    routed = {
        (m, openapi_path(r.rule))
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed
    for key in REQUEST_SCHEMAS:
        if key in routed:
            method, path = key
            assert (
                doc["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]["schema"]
                == REQUEST_SCHEMAS[key]
            )
    # Every request body is described: its fields, or the file type it takes; routes without a body have none.
    bodies = {
        (m, p): op["requestBody"]["content"]
        for p, ops in doc["paths"].items()
        for m, op in ops.items()
        if "requestBody" in op
    }
    bare = [key for key, content in bodies.items() if any(c["schema"] == {"type": "object"} for c in content.values())]
    assert bare == []
    assert ("post", "/api/v1/alerts/{alert_id}/recipients/{recipient_id}/checkin") not in bodies
    assert "text/csv" in bodies[("put", "/api/v1/exercises/{exercise_id}/dreiebok.csv")]
    # Every operation names its permission, except the document itself.
    unguarded = [(m, p) for p, ops in doc["paths"].items() for m, op in ops.items() if "x-permission" not in op]
    assert unguarded == [("get", "/api/v1/openapi.json")]


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    app = _make_app(tmp, f"sqlite:///{tmp / 'fuzz.db'}")
    _, _, _, token = gen_user(app, "admin")
    from beredskap.demo import seed_demo

    with app.app_context():
        seed_demo(str(tmp / "creds.txt"))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    # Something for the ids to hit: an incident with a log line and a task.
    incident = client.post("/api/v1/incidents", json={"title": "Fuzz", "kind": "exercise"}, headers=headers).json
    client.post(f"/api/v1/incidents/{incident['id']}/log", json={"text": "x"}, headers=headers)
    return app, headers


@pytest.mark.slow  # fuzzes every operation
def test_fuzz_every_route_never_5xx(fuzz_target):
    """Schema-based fuzzing of every operation of the OpenAPI document, authenticated as admin: never a 5xx,
    only documented status codes, and every answer (the error envelope on 4xx) matching its schema."""
    app, headers = fuzz_target
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=checks)
            except Exception as exc:  # schemathesis groups what failed in one exception
                first = str(exc).strip().splitlines()[0:3]
                failures.append(f"{case.method} {case.formatted_path} → {response.status_code}: {' '.join(first)}")

        run()
    assert operations >= 30
    assert failures == []
