"""The roster pages' forms: each refuses bad input with a message in words and changes nothing."""

from sqlalchemy import func, select

from beredskap.extensions import db
from beredskap.roster.models import DutyShift
from tests.conftest import login


def _client(app, users):
    client = app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    html = client.get("/roster/admin").get_data(as_text=True)
    return client, html.split('name="csrf-token" content="')[1].split('"')[0]


def _shifts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(DutyShift))


def test_a_shift_with_a_bad_time_or_no_person_is_refused_in_words(roster_app, users, api_for):
    client, token = _client(roster_app, users)
    person = api_for("coordinator").get("/api/v1/roster/people").json["people"][0]
    before = _shifts(roster_app)
    good = {"team": "krisestab", "person_id": str(person["id"]), "starts_at": "2030-01-07T08:00"}
    for data, words in (
        ({**good, "ends_at": "i morgen"}, "Slutter er ikke et gyldig tidspunkt."),
        ({**good, "ends_at": "1999-01-07T20:00"}, "Tidspunktet må ligge mellom år 2000 og 2100."),
        ({**good, "person_id": "", "ends_at": "2030-01-07T20:00"}, "Velg en person."),
    ):
        response = client.post(
            "/roster/shifts", data={"csrf_token": token, "from": "2030-01-07", **data}, follow_redirects=False
        )
        assert response.status_code == 302 and response.headers["Location"].endswith(
            "/roster/vaktliste?from=2030-01-07"
        )
        assert words in client.get(response.headers["Location"]).get_data(as_text=True), data
    assert _shifts(roster_app) == before
    added = client.post(
        "/roster/shifts", data={"csrf_token": token, **good, "ends_at": "2030-01-07T20:00", "note": " Natt "}
    )
    assert added.status_code == 302 and added.headers["Location"].endswith("/roster/vaktliste")
    assert _shifts(roster_app) == before + 1


def test_a_function_saved_without_its_version_is_refused_and_unchanged(roster_app, users, api_for):
    client, token = _client(roster_app, users)
    position = api_for("coordinator").get("/api/v1/roster").json["positions"][0]
    path = f"/roster/positions/{position['id']}/edit"
    refused = client.post(
        path,
        data={"csrf_token": token, "title": "Omdøpt", "version": "x", "deputy": ["", "abc"]},
        follow_redirects=True,
    )
    assert "Skjemaet mangler versjon. Last siden på nytt." in refused.get_data(as_text=True)
    again = next(p for p in api_for("coordinator").get("/api/v1/roster").json["positions"] if p["id"] == position["id"])
    assert again["title"] == position["title"] and again["version"] == position["version"]
    saved = client.post(
        path,
        data={
            "csrf_token": token,
            "title": "Omdøpt",
            "version": str(position["version"]),
            "holder_id": "",
            "deputy": [""],
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#position-{position['id']}")


def test_people_functions_and_groups_from_the_admin_forms(roster_app, users, api_for):
    client, token = _client(roster_app, users)
    api = api_for("coordinator")
    # A person without a name, a function of an unknown team, a group without functions: refused, nothing added.
    people = len(api.get("/api/v1/roster/people?all=1").json["people"])
    for path, data in (
        ("/roster/people", {"name": "   ", "phone": "12345678"}),
        ("/roster/positions", {"team": "ukjent", "title": "X"}),
        ("/roster/groups", {"title": "Tom gruppe", "position_id": ["x", ""]}),
    ):
        response = client.post(path, data={"csrf_token": token, **data}, follow_redirects=True)
        assert 'class="flash flash-error"' in response.get_data(as_text=True), path
    assert len(api.get("/api/v1/roster/people?all=1").json["people"]) == people
    assert "tom-gruppe" not in {g["key"] for g in api.get("/api/v1/roster").json["groups"]}
    positions = [str(p["id"]) for p in api.get("/api/v1/roster").json["positions"][:2]]
    made = client.post("/roster/groups", data={"csrf_token": token, "title": "To funksjoner", "position_id": positions})
    assert made.status_code == 302
    assert "to-funksjoner" in {g["key"] for g in api.get("/api/v1/roster").json["groups"]}
