"""The cooperation package's errors and answers are in the user's language (issue 17 §7–8).

Provoked through the real routes with a logged-in session: Norwegian by default, English after the language switch.
"""

from tests.conftest import login


def _csrf(client) -> str:
    page = client.get("/cooperation").get_data(as_text=True)
    return page.split('<meta name="csrf-token" content="')[1].split('"')[0]


def _answers(client) -> dict:
    """The cooperation messages this test provokes, as the current session's language says them."""
    uncovered = client.get("/api/v1/cooperation/annual-cycle/2029")
    assert uncovered.status_code == 200 and uncovered.json["covered"] is False
    missing = client.get("/api/v1/cooperation/meetings/999999")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    stale = client.patch(
        "/api/v1/cooperation/annual-cycle/2026/items/trusselvurdering",
        json={"status": "under_arbeid", "version": 7},
        headers={"X-CSRFToken": _csrf(client)},
    )
    assert stale.status_code == 409 and stale.json["error"]["code"] == "version_conflict"
    page = client.get("/cooperation?year=2029")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = html.split('id="uncovered-message">')[1].split("</p>")[0]
    return {
        "uncovered": uncovered.json["message"],
        "missing": missing.json["error"]["message"],
        "stale": stale.json["error"]["message"],
        "page": shown,
    }


def test_cooperation_errors_are_norwegian_by_default_and_english_after_the_switch(client, users):
    _id, username, password, _token = users["prevention_coordinator"]
    login(client, username, password)

    norwegian = _answers(client)
    assert norwegian["uncovered"] == (
        "Ingen registrert samarbeidsavtale gjelder for 2029. Registrerte avtaleperioder: 2025–2028. "
        "En koordinator kan registrere neste avtale på siden Samarbeidsavtalen."
    )
    assert norwegian["page"] == norwegian["uncovered"]
    assert norwegian["missing"] == "Ukjent møte."
    assert norwegian["stale"] == "Punktet er endret av noen andre. Last inn på nytt."

    client.get("/lang/en?next=/cooperation")
    english = _answers(client)
    assert english["uncovered"] == (
        "No registered cooperation agreement covers 2029. Registered agreement periods: 2025–2028. "
        "A coordinator can register the next agreement on the Cooperation agreement page."
    )
    assert english["page"] == english["uncovered"]
    assert english["missing"] == "Unknown meeting."
    assert english["stale"] == "The item was changed by someone else. Reload."
