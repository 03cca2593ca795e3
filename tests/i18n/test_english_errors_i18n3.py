"""Errors of the incident board, the roster and the live journal speak the user's language (issue 17 §7–8).

Through the real routes: API error envelopes (the log, an unknown incident, an unknown channel), a page form
(a rota shift that ends before it starts) and the personal answer page (a forged link), once in Norwegian and
once with the English switch.
"""

import pytest

from tests.conftest import login
from tests.factories import gen_incident, gen_log_entry

TEXTS = {
    "nb": {
        "append_only": "Loggen kan ikke endres eller slettes. Skriv en korrigering i stedet.",
        "unknown_incident": "Ukjent hendelse.",
        "unknown_channel": "Ukjent kanal.",
        "shift_order": "Vakten må slutte etter at den begynner.",
        "forged_link": "Lenken er ugyldig.",
    },
    "en": {
        "append_only": "The log cannot be changed or deleted. Write a correction instead.",
        "unknown_incident": "Unknown incident.",
        "unknown_channel": "Unknown channel.",
        "shift_order": "The shift must end after it begins.",
        "forged_link": "The link is invalid.",
    },
}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_incident_roster_and_channel_errors_follow_the_language(app, users, api_for, lang):
    with app.app_context():
        from beredskap.roster.services import seed_demo

        seed_demo()
    texts = TEXTS[lang]
    api = api_for("coordinator")
    incident_id = gen_incident(api)
    entry = gen_log_entry(api, incident_id)
    person = api.get("/api/v1/roster/people").json["people"][0]

    client = app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    client.get(f"/lang/{lang}")
    html = client.get("/roster/admin").get_data(as_text=True)
    token = html.split('name="csrf-token" content="')[1].split('"')[0]
    headers = {"X-CSRFToken": token}

    # API error envelopes: the route's own error, a service's NotFound, the catch-up API's channel check.
    changed = client.delete(f"/api/v1/incidents/{incident_id}/log/{entry['id']}", headers=headers)
    assert changed.status_code == 405, changed.json
    assert changed.json["error"]["message"] == texts["append_only"]
    unknown = client.get("/api/v1/incidents/999999/log")
    assert unknown.status_code == 404
    assert unknown.json["error"]["message"] == texts["unknown_incident"]
    channel = client.get("/api/v1/channels/nowhere/events")
    assert channel.status_code == 404
    assert channel.json["error"]["message"] == texts["unknown_channel"]

    # A page form: the rota's service refuses the shift and the page shows why.
    shift = {
        "csrf_token": token,
        "team": "krisestab",
        "person_id": str(person["id"]),
        "starts_at": "2030-01-07T20:00",
        "ends_at": "2030-01-07T08:00",
    }
    refused = client.post("/roster/shifts", data=shift, follow_redirects=True)
    assert texts["shift_order"] in refused.get_data(as_text=True)

    # The personal answer page, for whoever holds the link (no login): a forged link.
    forged = client.get("/ack/" + "B" * 43)
    assert forged.status_code == 404
    assert texts["forged_link"] in forged.get_data(as_text=True)
