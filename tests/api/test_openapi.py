"""The OpenAPI document covers every /api/v1 route and method, and fuzzing it never yields a 5xx (R6)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from beredskap.openapi import REQUEST_SCHEMAS, openapi_path
from tests.conftest import _make_app, gen_user

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


def test_document_matches_routes(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    routed = {(m, openapi_path(r.rule)) for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")
              for m in r.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    for key in REQUEST_SCHEMAS:
        if key in routed:
            method, path = key
            assert doc["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]["schema"] \
                == REQUEST_SCHEMAS[key]
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


schema = schemathesis.pytest.from_fixture("fuzz_schema")


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_target):
    app, _headers = fuzz_target
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_fuzz_every_route_never_5xx(case, fuzz_target):
    _app, headers = fuzz_target
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error])
