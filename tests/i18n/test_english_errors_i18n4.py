"""Errors raised from Python (API envelope, generic status messages, a page form) follow the user's language.

Issue 17 §7–8: the Norwegian text stays as it was; with the English switch the same error says it in English.
"""

import pytest

from tests.conftest import login

MESSAGES = {
    # A domain error from the EPS services, answered in the API envelope.
    "unknown_eps": {"nb": "Ukjent EPS.", "en": "Unknown EPS."},
    # The generic message of a status (errors._MESSAGES), for a route that does not exist.
    "not_found": {"nb": "Fant ikke det du ba om.", "en": "What you asked for was not found."},
    # A refusal shown beside the form of «Mitt passord».
    "wrong_password": {"nb": "Nåværende passord er feil.", "en": "The current password is wrong."},
}


def _csrf(page: str) -> str:
    return page.split('<meta name="csrf-token" content="')[1].split('"')[0]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_api_and_page_errors_are_in_the_chosen_language(client, users, lang):
    _id, username, password, _token = users["coordinator"]
    login(client, username, password)
    client.get(f"/lang/{lang}?next=/")

    unknown = client.get("/api/v1/eps/999999")
    assert unknown.status_code == 404
    assert unknown.get_json()["error"] == {"code": "not_found", "message": MESSAGES["unknown_eps"][lang]}

    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == {"code": "not_found", "message": MESSAGES["not_found"][lang]}

    form = client.get("/account/password").get_data(as_text=True)
    new = "Tre blå hester danser sakte i regnet"
    answer = client.post(
        "/account/password",
        data={"current": "not-the-password", "new": new, "repeat": new, "csrf_token": _csrf(form)},
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert MESSAGES["wrong_password"][lang] in page
    other = "en" if lang == "nb" else "nb"
    assert MESSAGES["wrong_password"][other] not in page
