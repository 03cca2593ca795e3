"""EPS pages rendered by the server: opening a centre from the form, the centre page, and a desk page that
carries no personal data itself (the desk script fetches it through the audited API)."""

from tests.conftest import login
from tests.eps.conftest import PEOPLE, leaks, register, secrets_of


def _csrf(page_html: str) -> str:
    return page_html.split('<meta name="csrf-token" content="')[1].split('"')[0]


def test_open_centre_from_the_form(app, users, api_for):
    incident = api_for("police").post("/api/v1/incidents", json={"title": "Storm Sørlandet"}).json
    client = app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    page = client.get("/eps").get_data(as_text=True)
    assert "Storm Sørlandet" in page and 'name="capacity"' in page
    token = _csrf(page)
    missing = client.post("/eps", data={"csrf_token": token, "incident_id": incident["id"], "name": "Hall A"})
    assert missing.status_code == 422 and "Kapasitet mangler" in missing.get_data(as_text=True)
    opened = client.post(
        "/eps",
        data={
            "csrf_token": token,
            "incident_id": incident["id"],
            "name": "Hall A",
            "capacity": "40",
            "decided_by": "kommune",
        },
    )
    assert opened.status_code == 302
    centre_url = opened.headers["Location"]
    centre = client.get(centre_url).get_data(as_text=True)
    assert "EPS Hall A" in centre and "Besluttet av kommunen" in centre and "0 av 40 til stede" in centre
    assert "Mottak og registrering" in centre  # the departments snapshot for the page script
    listing = client.get("/eps").get_data(as_text=True)
    assert "Hall A" in listing and "0 av 40" in listing
    viewer = app.test_client()
    login(viewer, users["viewer"][1], users["viewer"][2])
    assert 'action="/eps"' not in viewer.get("/eps").get_data(as_text=True)
    assert (
        viewer.post(
            "/eps",
            data={
                "csrf_token": _csrf(viewer.get("/eps").get_data(as_text=True)),
                "incident_id": incident["id"],
                "capacity": "5",
            },
        ).status_code
        == 403
    )


def test_desk_and_centre_pages_hold_no_personal_data(app, users, api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    for person in PEOPLE:
        register(staff, eps_id, person)
    client = app.test_client()
    login(client, users["eps_staff"][1], users["eps_staff"][2])
    desk = client.get(f"/eps/{eps_id}/desk")
    assert desk.status_code == 200
    html = desk.get_data(as_text=True)
    assert 'id="reg-form"' in html and "Legg til husstandsmedlem" in html and "3 av 120 til stede" in html
    assert 'for="m0-name"' in html and "autofocus" in html
    assert leaks(html, secrets_of(PEOPLE)) == []
    assert leaks(client.get(f"/eps/{eps_id}").get_data(as_text=True), secrets_of(PEOPLE)) == []


def test_open_centre_form_refuses_bad_input_next_to_the_field_and_opens_nothing(app, users, api_for):
    incident = api_for("police").post("/api/v1/incidents", json={"title": "Storm Sørlandet"}).json
    client = app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    token = _csrf(client.get("/eps").get_data(as_text=True))
    for data, field, words in (
        (
            {"incident_id": incident["id"], "name": "Hall A", "capacity": "førti"},
            "capacity",
            "Kapasitet må være et heltall.",
        ),
        ({"name": "Hall A", "capacity": "40"}, "incident_id", "Velg hendelsen EPS-en åpnes for."),
        ({"incident_id": "x1", "name": "Hall A", "capacity": "40"}, "incident_id", "Hendelse må være et heltall."),
    ):
        refused = client.post("/eps", data={"csrf_token": token, "decided_by": "kommune", **data})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422, data
        assert f'<span class="field-error" id="{field}-error">{words}</span>' in page
        assert 'aria-invalid="true"' in page
        # What the user typed is kept.
        assert 'value="Hall A"' in page
    assert api_for("coordinator").get(f"/api/v1/incidents/{incident['id']}/eps").json["centres"] == []
