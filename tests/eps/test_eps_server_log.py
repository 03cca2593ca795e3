"""R9 against a real server process: a scripted EPS scenario (validation errors included) leaves no personal
data in the server log (access log switched on), in any event on any channel, or in the CLI's output."""

import secrets

import pytest
import requests

from tests.conftest import cli, cli_user
from tests.eps.conftest import HJEMMEL, INQUIRER, PEOPLE, leaks, secrets_of

pytestmark = pytest.mark.slow  # a real server process


def _token(server, role: str) -> str:
    name = f"logtest.{role}"
    cli_user(server.database_url, server.instance, name, role, secrets.token_urlsafe(16))
    issued = cli(server.database_url, server.instance, "users", "token", name)
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip().splitlines()[-1]


def test_scripted_scenario_leaves_no_personal_data_in_server_log_or_events(server_factory):
    server = server_factory(env={"BEREDSKAP_ACCESS_LOG": "1"})
    tokens = {role: _token(server, role) for role in ("police", "eps_staff", "admin")}

    def call(role, method, path, body=None, expect=None):
        response = requests.request(
            method, server.url + path, json=body, timeout=30, headers={"Authorization": f"Bearer {tokens[role]}"}
        )
        if expect is not None:
            assert response.status_code == expect, (path, response.status_code, response.text[:200])
        return response

    incident = call("police", "POST", "/api/v1/incidents", {"title": "Øvelse EPS", "kind": "exercise"}, 201).json()
    eps_id = call(
        "police", "POST", f"/api/v1/incidents/{incident['id']}/eps", {"name": "Gimlehallen", "capacity": 100}, 201
    ).json()["id"]
    ids = [call("eps_staff", "POST", f"/api/v1/eps/{eps_id}/evacuees", PEOPLE[0], 201).json()["id"]]
    household = call(
        "eps_staff",
        "POST",
        f"/api/v1/eps/{eps_id}/households",
        {"address": PEOPLE[1]["address"], "members": [PEOPLE[1], PEOPLE[2]]},
        201,
    ).json()
    ids += [e["id"] for e in household["evacuees"]]
    # Validation errors carrying personal data must not bring it into the log.
    call("eps_staff", "POST", f"/api/v1/eps/{eps_id}/evacuees", {**PEOPLE[0], "full_name": None}, 422)
    call("eps_staff", "POST", f"/api/v1/eps/{eps_id}/evacuees", {**PEOPLE[1], "birth_date": "31.02.1961"}, 422)
    call("eps_staff", "POST", f"/api/v1/eps/{eps_id}/evacuees", {**PEOPLE[2], "phone": PEOPLE[2]["address"]}, 422)
    call("eps_staff", "POST", f"/api/v1/eps/{eps_id}/inquiries", {**INQUIRER, "relation": None}, 422)
    inquiry = call("eps_staff", "POST", f"/api/v1/eps/{eps_id}/inquiries", INQUIRER, 201).json()
    assert inquiry["candidates"][0]["evacuee_id"] == ids[0]
    call("eps_staff", "GET", f"/api/v1/eps/{eps_id}/evacuees?reason=skranke", expect=200)
    call("eps_staff", "GET", f"/api/v1/inquiries/{inquiry['id']}", expect=200)
    call("eps_staff", "POST", f"/api/v1/inquiries/{inquiry['id']}/reunite", {"evacuee_id": ids[0]}, 200)
    call("eps_staff", "POST", f"/api/v1/evacuees/{ids[1]}/checkout", {"destination": "Hos søster i Lillesand"}, 200)
    call("police", "POST", f"/api/v1/eps/{eps_id}/share-bases", HJEMMEL, 201)
    call("police", "GET", f"/api/v1/eps/{eps_id}/pfif.xml", expect=200)
    call("admin", "GET", f"/api/v1/eps/{eps_id}/evacuees.csv", expect=200)
    call("eps_staff", "GET", "/api/v1/evacuees/999999", expect=404)

    values = [*secrets_of(PEOPLE, [INQUIRER]), "Hos søster i Lillesand"]
    events = ""
    for channel in ("global", f"incident:{incident['id']}"):
        body = call("admin", "GET", f"/api/v1/channels/{channel}/events?since=0", expect=200).json()
        events += repr(body["events"])
    assert "evacuee.registered" in events and "inquiry.reunited" in events
    assert leaks(events, values) == []

    deleted = call("admin", "DELETE", f"/api/v1/incidents/{incident['id']}/eps-data", expect=200).json()
    assert deleted["deleted"]["evacuees"] == 3
    log = server.log_text()
    assert f"/api/v1/eps/{eps_id}/evacuees" in log, "the access log is on, so the scan sees every request"
    assert leaks(log, values) == []
