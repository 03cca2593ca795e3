"""The OpenAPI document covers every /api/v1 route and method, and fuzzing it never yields a 5xx (R6)."""

import inspect
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate as validate_spec
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from beredskap.openapi import openapi_path
from beredskap.validation import BODY_ATTR, FILE_ATTR, FORM_ATTR, QUERY_ATTR
from tests.conftest import _make_app, gen_user

# At least 25 generated cases per operation; SCHEMATHESIS_EXAMPLES=200 (or more) for a deeper run.
FUZZ_EXAMPLES = max(25, int(os.environ.get("SCHEMATHESIS_EXAMPLES", os.environ.get("FUZZ_EXAMPLES", "25"))))


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


def _views_by_operation(app) -> dict:
    return {
        (m, openapi_path(r.rule)): app.view_functions[r.endpoint]
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }


def test_document_is_valid_openapi_and_bodies_come_from_the_models(app, client):
    doc = client.get("/api/v1/openapi.json").json
    validate_spec(doc)  # openapi-spec-validator: a valid OpenAPI 3.1 document, every $ref resolvable
    views = _views_by_operation(app)
    # Nothing is written twice: every body an operation documents is the one its view declares.
    for (method, path), view in views.items():
        body = doc["paths"][path][method.lower()].get("requestBody")
        declared = any(hasattr(view, attr) for attr in (BODY_ATTR, FORM_ATTR, FILE_ATTR))
        assert (body is not None) == (declared and method in ("POST", "PATCH", "PUT")), (method, path)
    # The upload of an attachment is a multipart form with its file.
    upload = doc["paths"]["/api/v1/cooperation/meetings/{meeting_id}/attachments"]["post"]["requestBody"]
    form = upload["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["file"]["format"] == "binary" and form["required"] == ["file"]
    create = doc["paths"]["/api/v1/incidents"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"title", "kind", "type", "severity", "location", "adopt_action_cards"} <= set(create["properties"])
    assert create["required"] == ["title"]
    incident_type = create["properties"]["type"]
    assert "brann" in doc["components"]["schemas"][incident_type["$ref"].rsplit("/", 1)[1]]["enum"]
    # Query parameters come from the query models.
    cards = doc["paths"]["/api/v1/actioncards"]["get"]["parameters"]
    assert [p["name"] for p in cards if p["in"] == "query"] == ["type"]
    assert hasattr(views[("GET", "/api/v1/actioncards")], QUERY_ATTR)


def test_no_api_view_parses_its_request_by_hand(app):
    """Every /api/v1 view reads its body, query string and form through the models (docs/VALIDATION.md)."""
    by_hand = re.compile(
        r"request\.(get_json|json\b|form|args|files|values)|\bfield\(|fromisoformat|int_arg\(|is_?digit"
    )
    found = [
        (method, path)
        for (method, path), view in _views_by_operation(app).items()
        if by_hand.search(inspect.getsource(inspect.unwrap(view)))
    ]
    assert found == []


def test_model_errors_answer_the_envelope_in_norwegian(app, client):
    headers = {"Authorization": f"Bearer {gen_user(app, 'coordinator')[3]}"}
    cases = [
        ({"kind": "incident"}, {"title": "påkrevd"}, "Tittel mangler."),
        ({"title": "   "}, {"title": "påkrevd"}, "Tittel må fylles ut."),
        ({"title": "x" * 201}, {"title": "for langt"}, "Tittel kan ha høyst 200 tegn."),
        ({"title": "x", "severity": True}, {"severity": "ugyldig verdi"}, "må være en av: 1, 2, 3"),
        ({"title": "x", "type": "tsunami"}, {"type": "ugyldig verdi"}, "må være en av:"),
        ({"title": 5}, {"title": "feil type"}, "Tittel har feil type."),
        ({"title": "x", "adopt_action_cards": "ja"}, {"adopt_action_cards": "feil type"}, "feil type"),
    ]
    for body, fields, words in cases:
        response = client.post("/api/v1/incidents", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json["error"]["code"] == "invalid"
        assert response.json["error"]["fields"] == fields, body
        assert words in response.json["error"]["message"], response.json
    # null means the default where there is one; nothing was created by the refusals above.
    assert client.get("/api/v1/incidents", headers=headers).json["incidents"] == []
    made = client.post("/api/v1/incidents", json={"title": "x", "severity": None, "type": None}, headers=headers)
    assert made.status_code == 201 and (made.json["severity"], made.json["type"]) == (2, "annet")
    # A bad query parameter is a 400 in the same envelope.
    bad = client.get("/api/v1/actioncards?type=tsunami", headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["fields"] == {"type": "ugyldig verdi"}
    assert client.get("/api/v1/actioncards?type=", headers=headers).status_code == 200


def test_field_errors_follow_the_users_language(app):
    from flask_babel import force_locale

    from beredskap.errors import ApiError
    from beredskap.incidents.schemas import IncidentIn
    from beredskap.validation import parse

    with app.test_request_context():
        for locale, words in (("nb", "Tittel mangler."), ("en", "Title is missing.")):
            with force_locale(locale), pytest.raises(ApiError) as refused:
                parse(IncidentIn, {"kind": "incident"})
            assert (refused.value.status, refused.value.message, refused.value.fields) == (
                422,
                words,
                {"title": "påkrevd"},
            )


def test_one_datetime_rule():
    from datetime import UTC, datetime

    from pydantic_core import PydanticCustomError

    from beredskap.validation import parse_moment

    assert parse_moment("2026-07-01T12:00") == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)  # Oslo summer time
    assert parse_moment("2026-01-01T12:00:00+00:00") == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_moment("2026-01-01T12:00 01:00") == datetime(2026, 1, 1, 11, 0, tzinfo=UTC)  # "+" lost in a URL
    for bad in ("2026-01-01", "i morgen", 12, "0001-01-01T00:00+01:00", "2026-02-30T10:00"):
        with pytest.raises(PydanticCustomError):
            parse_moment(bad)


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
@pytest.mark.timeout(1800)
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
