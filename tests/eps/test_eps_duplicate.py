"""A second open EPS at the same venue for the same incident needs an explicit confirmation (issue 21, point 1)."""

from sqlalchemy import func, select

from beredskap.eps.models import EvacuationCentre
from beredskap.extensions import db
from tests.conftest import Api, gen_user, login


def _centre_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EvacuationCentre))


def _hall(app) -> int:
    from beredskap.maps.models import Resource

    with app.app_context():
        hall = Resource(name="Gimlehallen", kind="idrettshall", capacity=300, eps_suitable=True, lon=8.0, lat=58.16)
        db.session.add(hall)
        db.session.commit()
        return hall.id


def test_second_centre_at_the_same_venue_is_409_until_confirmed(any_app):
    police = Api(any_app.test_client(), gen_user(any_app, "police")[3])
    hall = _hall(any_app)
    incident = police.post("/api/v1/incidents", json={"title": "Flom i Otra"}).json["id"]
    other_incident = police.post("/api/v1/incidents", json={"title": "Brann Lund"}).json["id"]
    first = police.post(f"/api/v1/incidents/{incident}/eps", json={"resource_id": hall})
    assert first.status_code == 201

    again = police.post(f"/api/v1/incidents/{incident}/eps", json={"resource_id": hall})
    assert again.status_code == 409
    error = again.json["error"]
    assert error["code"] == "duplicate_venue" and "Gimlehallen" in error["message"]
    assert error["fields"] == {"resource_id": "duplikat"}
    assert error["existing"] == {"id": first.json["id"], "name": "Gimlehallen", "status": "besluttet"}
    # The same hall typed by name instead of chosen from the register is the same venue.
    by_name = police.post(f"/api/v1/incidents/{incident}/eps", json={"name": " gimlehallen ", "capacity": 50})
    assert by_name.status_code == 409 and by_name.json["error"]["existing"]["id"] == first.json["id"]
    # A non-boolean confirmation is refused, not taken as a yes.
    sloppy = police.post(f"/api/v1/incidents/{incident}/eps", json={"resource_id": hall, "confirm_duplicate": "ja"})
    assert sloppy.status_code == 422 and sloppy.json["error"]["fields"] == {"confirm_duplicate": "boolsk"}
    assert _centre_count(any_app) == 1

    # Another incident at the same hall, and another hall for this incident, need no confirmation.
    assert police.post(f"/api/v1/incidents/{other_incident}/eps", json={"resource_id": hall}).status_code == 201
    assert (
        police.post(f"/api/v1/incidents/{incident}/eps", json={"name": "Aquarama", "capacity": 80}).status_code == 201
    )

    confirmed = police.post(f"/api/v1/incidents/{incident}/eps", json={"resource_id": hall, "confirm_duplicate": True})
    assert confirmed.status_code == 201 and confirmed.json["id"] != first.json["id"]
    assert _centre_count(any_app) == 4


def test_a_closed_centre_does_not_count_as_open(any_app):
    coordinator = Api(any_app.test_client(), gen_user(any_app, "coordinator")[3])
    incident = coordinator.post("/api/v1/incidents", json={"title": "Gasslekkasje Tangen"}).json["id"]
    first = coordinator.post(f"/api/v1/incidents/{incident}/eps", json={"name": "Hall A", "capacity": 40}).json
    closed = coordinator.patch(f"/api/v1/eps/{first['id']}", json={"status": "avviklet", "version": first["version"]})
    assert closed.status_code == 200, closed.json
    again = coordinator.post(f"/api/v1/incidents/{incident}/eps", json={"name": "Hall A", "capacity": 40})
    assert again.status_code == 201


def test_the_form_shows_the_open_centre_with_a_link_and_opens_a_second_only_when_confirmed(app, users, api_for):
    incident = api_for("police").post("/api/v1/incidents", json={"title": "Storm Sørlandet"}).json["id"]
    first = api_for("police").post(f"/api/v1/incidents/{incident}/eps", json={"name": "Hall A", "capacity": 40}).json
    client = app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    page = client.get("/eps").get_data(as_text=True)
    token = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
    form = {"csrf_token": token, "incident_id": incident, "name": "Hall A", "capacity": "40", "decided_by": "kommune"}

    refused = client.post("/eps", data=form)
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "allerede en åpen EPS på dette lokalet" in html
    assert f'href="/eps/{first["id"]}" id="duplicate-link">Hall A</a>' in html
    assert 'name="confirm_duplicate" value="1"' in html
    assert 'value="40"' in html  # what was typed is kept for the confirmation
    assert _centre_count(app) == 1

    confirmed = client.post("/eps", data={**form, "confirm_duplicate": "1"})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] != f"/eps/{first['id']}"
    assert _centre_count(app) == 2
