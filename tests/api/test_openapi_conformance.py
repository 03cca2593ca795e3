"""Answers the fuzzing rarely reaches (a real delete), checked against the OpenAPI document by schemathesis."""

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.conftest import gen_user
from tests.exercises.conftest import make_scenario

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _conforms(schema, method: str, path: str, headers: dict, **path_parameters) -> int:
    case = schema.find_operation_by_path(method, path).Case(path_parameters=path_parameters)
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)
    return response.status_code


def test_deletes_answer_the_documented_204_and_errors_the_envelope(app):
    headers = {"Authorization": f"Bearer {gen_user(app, 'admin')[3]}"}
    client = app.test_client()
    exercise = client.post("/api/v1/exercises", json=make_scenario(), headers=headers).json
    incident = client.post("/api/v1/incidents", json={"title": "Flom", "kind": "incident"}, headers=headers).json
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    deletes = [
        (path, op)
        for path, ops in schema.raw_schema["paths"].items()
        for method, op in ops.items()
        if method == "delete"
    ]
    assert len([path for path, op in deletes if "204" in op["responses"]]) == 8

    inject = "/api/v1/injects/{inject_id}"
    assert _conforms(schema, "delete", inject, headers, inject_id=exercise["injects"][0]["id"]) == 204
    assert _conforms(schema, "delete", "/api/v1/exercises/{exercise_id}", headers, exercise_id=exercise["id"]) == 204
    assert _conforms(schema, "delete", "/api/v1/exercises/{exercise_id}", headers, exercise_id=exercise["id"]) == 404
    presence = "/api/v1/incidents/{incident_id}/presence"
    assert _conforms(schema, "delete", presence, headers, incident_id=incident["id"]) == 204
