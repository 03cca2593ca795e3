"""Exercise and map errors reach an English session in English, and a Norwegian one unchanged (issue 17 §7–8).

Through the real routes: the API's error envelope (an unknown exercise, a zone refused by the analysis, whose
message is made lazily because the analysis may run in gevent's thread pool) and an error page (the replay of an
exercise that has not started).
"""

from tests.conftest import login

NOT_STARTED = {
    "nb": "Øvelsen er ikke startet, så det finnes ingen tavle å spille av.",
    "en": "The exercise has not started, so there is no board to replay.",
}
UNKNOWN_EXERCISE = {"nb": "Ukjent øvelse.", "en": "Unknown exercise."}
ZERO_RADIUS = {"nb": "Radius må være større enn 0 meter.", "en": "The radius must be greater than 0 metres."}


def _scenario() -> dict:
    return {
        "title": "Språkprøve",
        "form": "diskusjonsøvelse",
        "objectives": [{"id": "M1", "text": "Varsle kriseledelsen"}],
        "injects": [{"no": 1, "at": "00:05", "text": "Melding om flom"}],
    }


def test_exercise_and_map_errors_follow_the_language(client, users, api_for):
    exercise_id = api_for("exercise_planner").post("/api/v1/exercises", json=_scenario()).json["id"]
    _id, username, password, _token = users["coordinator"]
    assert login(client, username, password).status_code == 302

    for lang in ("nb", "en"):
        client.get(f"/lang/{lang}?next=/")

        unknown = client.get("/api/v1/exercises/999999")
        assert unknown.status_code == 404
        assert unknown.json["error"]["message"] == UNKNOWN_EXERCISE[lang]

        token = client.get("/").get_data(as_text=True).split('<meta name="csrf-token" content="')[1].split('"')[0]
        zone = client.post(
            "/api/v1/maps/zone-analysis",
            json={"center": [7.99, 58.15], "radius_m": 0},
            headers={"X-CSRFToken": token},
        )
        assert zone.status_code in (400, 422), zone.get_data(as_text=True)
        assert zone.json["error"]["code"] == "bad_radius"
        assert zone.json["error"]["message"] == ZERO_RADIUS[lang]

        page = client.get(f"/exercises/{exercise_id}/replay")
        assert page.status_code == 409
        html = page.get_data(as_text=True)
        assert NOT_STARTED[lang] in html
        other = "en" if lang == "nb" else "nb"
        assert NOT_STARTED[other] not in html
