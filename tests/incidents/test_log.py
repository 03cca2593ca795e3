"""The incident log: concurrent writers lose nothing, append-only, corrections, and refused input stores nothing."""

import threading

import pytest

from tests.conftest import Api, gen_user, run_concurrently

WRITERS = 8
PER_WRITER = 50


@pytest.mark.slow  # concurrent writers, about 3-5 s of CPU
def test_concurrent_log_writers_lose_nothing_and_keep_order(any_app, new_incident, events_of):
    """8 writers × 50 lines through the API at once: 400 lines, each writer's in order, seq without a gap."""
    staff = [gen_user(any_app, "crisis_staff") for _ in range(WRITERS)]
    incident_id = new_incident(Api(any_app.test_client(), staff[0][3]))
    errors: list = []
    start = threading.Barrier(WRITERS)

    def writer(index: int) -> None:
        api = Api(any_app.test_client(), staff[index][3])
        try:
            start.wait()
            for n in range(PER_WRITER):
                response = api.post(
                    f"/api/v1/incidents/{incident_id}/log",
                    json={"text": f"skriver {index} linje {n:03d}", "category": "informasjon"},
                )
                if response.status_code != 201:
                    errors.append((index, n, response.status_code, response.get_data(as_text=True)[:200]))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    run_concurrently(writer, WRITERS)
    assert errors == []

    entries = Api(any_app.test_client(), staff[0][3]).get(f"/api/v1/incidents/{incident_id}/log").json["entries"]
    assert len(entries) == WRITERS * PER_WRITER
    assert [e["number"] for e in entries] == list(range(1, WRITERS * PER_WRITER + 1))
    for index in range(WRITERS):
        mine = [e["text"] for e in entries if e["text"].startswith(f"skriver {index} ")]
        assert mine == [f"skriver {index} linje {n:03d}" for n in range(PER_WRITER)]
        assert {e["author"] for e in entries if e["text"].startswith(f"skriver {index} ")} == {staff[index][1]}

    events = events_of(any_app, f"incident:{incident_id}")
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    logged = [e.data for e in events if e.type == "log.created"]
    assert len(logged) == WRITERS * PER_WRITER
    # The journal tells the board the same story in the same order as the log.
    assert [d["id"] for d in logged] == [e["id"] for e in entries]


def test_log_entry_cannot_be_changed_or_deleted(api_for, new_incident):
    api = api_for("coordinator")
    incident_id = new_incident(api)
    entry = api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "Vannstanden stiger"}).json
    url = f"/api/v1/incidents/{incident_id}/log/{entry['id']}"
    assert api.patch(url, json={"text": "endret"}).status_code == 405
    response = api.delete(url)
    assert response.status_code == 405
    assert "korrigering" in response.json["error"]["message"]
    assert api.client.put(url, json={"text": "endret"}, headers=api._headers()).status_code == 405
    entries = api.get(f"/api/v1/incidents/{incident_id}/log").json["entries"]
    assert [(e["id"], e["text"]) for e in entries] == [(entry["id"], "Vannstanden stiger")]


def test_correction_is_a_new_entry_naming_its_original(api_for, new_incident, app, events_of):
    api = api_for("crisis_staff")
    incident_id = new_incident(api)
    wrong = api.post(
        f"/api/v1/incidents/{incident_id}/log", json={"text": "Evakuering av Grim kl. 15", "category": "beslutning"}
    ).json
    fix = api.post(
        f"/api/v1/incidents/{incident_id}/log",
        json={"text": "Evakuering av Grim kl. 16", "category": "beslutning", "corrects": wrong["id"]},
    )
    assert fix.status_code == 201
    assert fix.json["corrects"] == wrong["id"]
    assert fix.json["number"] == wrong["number"] + 1
    entries = api.get(f"/api/v1/incidents/{incident_id}/log").json["entries"]
    assert [(e["text"], e["corrects"]) for e in entries] == [
        ("Evakuering av Grim kl. 15", None),
        ("Evakuering av Grim kl. 16", wrong["id"]),
    ]
    live = [e.data for e in events_of(app, f"incident:{incident_id}") if e.type == "log.created"]
    assert live[-1]["corrects"] == wrong["id"]


def test_correction_must_name_an_entry_of_the_same_log(api_for, new_incident):
    api = api_for("crisis_staff")
    first = new_incident(api)
    other = new_incident(api, title="Brann på Kjevik")
    foreign = api.post(f"/api/v1/incidents/{other}/log", json={"text": "Røyk over E18"}).json
    for corrects in (foreign["id"], 987654, "1", True):
        response = api.post(f"/api/v1/incidents/{first}/log", json={"text": "Korrigering", "corrects": corrects})
        assert response.status_code == 422, corrects
        assert response.json["error"]["message"]
    assert api.get(f"/api/v1/incidents/{first}/log").json["entries"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "    \n  "},
        {},
        {"text": None},
        {"text": 42},
        {"text": "x" * 4001},
        {"text": "gyldig", "category": "sladder"},
        {"text": "gyldig", "source": "k" * 81},
    ],
    ids=["empty", "blank", "missing", "null", "number", "oversized", "bad-category", "long-source"],
)
def test_bad_log_input_is_refused_with_a_message_and_nothing_stored(api_for, new_incident, app, events_of, body):
    api = api_for("crisis_staff")
    incident_id = new_incident(api)
    before = len(events_of(app, f"incident:{incident_id}"))
    response = api.post(f"/api/v1/incidents/{incident_id}/log", json=body)
    assert response.status_code in (400, 422)
    assert response.json["error"]["message"]
    assert api.get(f"/api/v1/incidents/{incident_id}/log").json["entries"] == []
    assert len(events_of(app, f"incident:{incident_id}")) == before


def test_malformed_body_is_a_400_not_a_500(api_for, new_incident):
    api = api_for("crisis_staff")
    incident_id = new_incident(api)
    response = api.client.post(
        f"/api/v1/incidents/{incident_id}/log",
        data="{ikke json",
        content_type="application/json",
        headers=api._headers(),
    )
    assert response.status_code == 400
    response = api.client.post(f"/api/v1/incidents/{incident_id}/log", json=["tekst"], headers=api._headers())
    assert response.status_code == 400


def test_text_at_the_limit_is_kept_whole(api_for, new_incident):
    api = api_for("crisis_staff")
    incident_id = new_incident(api)
    text = "æøå " * 1000
    response = api.post(
        f"/api/v1/incidents/{incident_id}/log", json={"text": text, "important": True, "source": "110 brann"}
    )
    assert response.status_code == 201
    entry = api.get(f"/api/v1/incidents/{incident_id}/log").json["entries"][0]
    assert entry["text"] == text.strip() and entry["important"] is True and entry["source"] == "110 brann"


def test_log_of_a_closed_incident_is_locked(api_for, new_incident):
    api = api_for("coordinator")
    incident_id = new_incident(api)
    version = api.get(f"/api/v1/incidents/{incident_id}").json["version"]
    assert (
        api.patch(f"/api/v1/incidents/{incident_id}", json={"status": "closed", "version": version}).status_code == 200
    )
    response = api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "for sent"})
    assert response.status_code == 409
    assert "avsluttet" in response.json["error"]["message"]


def test_viewer_reads_the_log_but_cannot_write(api_for, new_incident):
    incident_id = new_incident(api_for("coordinator"))
    viewer = api_for("viewer")
    assert viewer.get(f"/api/v1/incidents/{incident_id}/log").status_code == 200
    assert viewer.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "hei"}).status_code == 403


def test_incident_patch_with_null_fields_is_refused_not_a_500(api_for, new_incident):
    api = api_for("coordinator")
    incident_id = new_incident(api)
    for field in ("severity", "phase", "type", "title"):
        version = api.get(f"/api/v1/incidents/{incident_id}").json["version"]
        response = api.patch(f"/api/v1/incidents/{incident_id}", json={field: None, "version": version})
        assert response.status_code == 422, field
