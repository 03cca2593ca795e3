"""Idempotency-Key (CONTRACT §12) on SQLite and PostgreSQL: one record per key, reuse refused, duplicates at once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.idempotency import IdempotencyRecord
from beredskap.incidents.models import LogEntry
from beredskap.realtime.models import Event
from tests.conftest import gen_user, run_concurrently

HOUSEHOLD = {
    "address": "Idemveien 17, 4614 Kristiansand",
    "members": [
        {"full_name": "Torunn Idemsdatter", "birth_date": "1981", "phone": "41 52 63 74"},
        {"full_name": "Halvard Idemsen"},
        {"full_name": "Sunniva Idemsen", "birth_date": "12.06.2016"},
    ],
}


def headers(token: str, key: str | None = None) -> dict:
    result = {"Authorization": f"Bearer {token}"}
    if key is not None:
        result["Idempotency-Key"] = key
    return result


@pytest.fixture
def board(any_app):
    """(app, token, incident id) for a coordinator on either database."""
    token = gen_user(any_app, "coordinator")[3]
    client = any_app.test_client()
    incident = client.post("/api/v1/incidents", json={"title": "Flom i Otra"}, headers=headers(token)).json["id"]
    return any_app, token, incident


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def log_events(app, incident: int) -> int:
    return count(app, Event, Event.channel == f"incident:{incident}", Event.type == "log.created")


def test_same_key_returns_first_response_and_writes_once(board):
    app, token, incident = board
    client = app.test_client()
    path = f"/api/v1/incidents/{incident}/log"
    first = client.post(path, json={"text": "Vannet stiger ved Lundsbroa"}, headers=headers(token, "logg-1"))
    again = client.post(path, json={"text": "Vannet stiger ved Lundsbroa"}, headers=headers(token, "logg-1"))
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 1
    assert log_events(app, incident) == 1
    # The same JSON spelt differently is the same request.
    spaced = client.post(
        path, data='{ "text" :  "Vannet stiger ved Lundsbroa" }', content_type="application/json",
        headers=headers(token, "logg-1"),
    )  # fmt: skip
    assert spaced.status_code == 201 and spaced.json == first.json
    # Without a key, or with another key, the write happens again as it always did.
    assert client.post(path, json={"text": "Vannet stiger ved Lundsbroa"}, headers=headers(token)).status_code == 201
    other = client.post(path, json={"text": "Vannet stiger ved Lundsbroa"}, headers=headers(token, "logg-2"))
    assert other.status_code == 201 and other.json["id"] != first.json["id"]
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 3


def test_reused_key_with_other_body_path_or_method_is_422_and_changes_nothing(board):
    app, token, incident = board
    client = app.test_client()
    path = f"/api/v1/incidents/{incident}/log"
    assert client.post(path, json={"text": "Første"}, headers=headers(token, "k")).status_code == 201
    task = client.post(f"/api/v1/incidents/{incident}/tasks", json={"title": "Sandsekker"}, headers=headers(token))
    attempts = [
        ("post", path, {"text": "Andre"}),
        ("post", f"/api/v1/incidents/{incident}/tasks", {"text": "Første"}),
        ("patch", f"/api/v1/tasks/{task.json['id']}", {"status": "done", "version": task.json["version"]}),
    ]
    for method, url, body in attempts:
        response = getattr(client, method)(url, json=body, headers=headers(token, "k"))
        assert response.status_code == 422, (method, url)
        assert response.json["error"]["code"] == "idempotency_key_reused"
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 1
    tasks = client.get(f"/api/v1/incidents/{incident}/tasks", headers=headers(token)).json
    assert [t["status"] for t in tasks.get("tasks", tasks)] == ["new"]


def test_keys_belong_to_their_user(board):
    app, token, incident = board
    other = gen_user(app, "crisis_staff")[3]
    client = app.test_client()
    path = f"/api/v1/incidents/{incident}/log"
    a = client.post(path, json={"text": "Samme"}, headers=headers(token, "delt"))
    b = client.post(path, json={"text": "Samme"}, headers=headers(other, "delt"))
    assert a.status_code == b.status_code == 201 and a.json["id"] != b.json["id"]
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 2


@pytest.mark.parametrize("key", ["", "x" * 201, "nøkkel", "tab\tinside", "ny\x7flinje"])
def test_malformed_key_is_400_and_changes_nothing(board, key):
    app, token, incident = board
    client = app.test_client()
    response = client.post(
        f"/api/v1/incidents/{incident}/log", json={"text": "Aldri lagret"}, headers=headers(token, key)
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_idempotency_key"
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 0
    assert count(app, IdempotencyRecord) == 0


def test_longest_printable_key_is_accepted(board):
    app, token, incident = board
    key = "".join(chr(c) for c in range(0x20, 0x7F)) * 3
    key = key[:200]
    response = app.test_client().post(
        f"/api/v1/incidents/{incident}/log", json={"text": "Lang nøkkel"}, headers=headers(token, key)
    )
    assert response.status_code == 201


def test_concurrent_duplicates_give_one_record(board):
    app, token, incident = board
    path = f"/api/v1/incidents/{incident}/log"
    answers: list = [None] * 8

    def deliver(i: int) -> None:
        response = app.test_client().post(path, json={"text": "Samtidig levert"}, headers=headers(token, "samtidig"))
        answers[i] = (response.status_code, response.json)

    run_concurrently(deliver, len(answers))
    assert {status for status, _ in answers} == {201}
    assert len({body["id"] for _, body in answers}) == 1
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 1
    assert log_events(app, incident) == 1
    assert count(app, IdempotencyRecord) == 1


def test_concurrent_household_registrations_give_one_household(any_app):
    token = gen_user(any_app, "coordinator")[3]
    client = any_app.test_client()
    incident = client.post("/api/v1/incidents", json={"title": "Evakuering"}, headers=headers(token)).json["id"]
    eps = client.post(
        f"/api/v1/incidents/{incident}/eps", json={"name": "Idrettshallen", "capacity": 50}, headers=headers(token)
    ).json["id"]
    answers: list = [None] * 4

    def deliver(i: int) -> None:
        response = any_app.test_client().post(
            f"/api/v1/eps/{eps}/households", json=HOUSEHOLD, headers=headers(token, "husstand-1")
        )
        answers[i] = (response.status_code, response.json)

    run_concurrently(deliver, len(answers))
    assert {status for status, _ in answers} == {201}
    assert len({body["household_id"] for _, body in answers}) == 1
    people = client.get(f"/api/v1/eps/{eps}/evacuees", headers=headers(token)).json["evacuees"]
    assert sorted(p["full_name"] for p in people) == sorted(m["full_name"] for m in HOUSEHOLD["members"])
    # What is kept of the request is a keyed hash: no name, phone or address in the clear.
    with any_app.app_context():
        stored = " ".join(
            str(value) for row in db.session.execute(select(IdempotencyRecord.__table__)).all() for value in row
        )
    for secret in ("Idemsdatter", "Idemsen", "41 52 63 74", "Idemveien"):
        assert secret not in stored


def test_first_answer_is_kept_also_when_it_was_an_error(board):
    app, token, incident = board
    client = app.test_client()
    task = client.post(f"/api/v1/incidents/{incident}/tasks", json={"title": "Sandsekker"}, headers=headers(token)).json
    stale = {"status": "done", "version": task["version"] + 5}
    first = client.patch(f"/api/v1/tasks/{task['id']}", json=stale, headers=headers(token, "stale"))
    assert first.status_code == 409
    again = client.patch(f"/api/v1/tasks/{task['id']}", json=stale, headers=headers(token, "stale"))
    assert again.status_code == 409 and again.json == first.json and again.headers["Idempotent-Replayed"] == "true"


def test_key_expires_after_24_hours_and_privacy_purge_deletes_old_records(board):
    app, token, incident = board
    client = app.test_client()
    path = f"/api/v1/incidents/{incident}/log"
    assert client.post(path, json={"text": "I går"}, headers=headers(token, "gammel")).status_code == 201
    with app.app_context():
        db.session.execute(update(IdempotencyRecord).values(created_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
    # A day later the key is free again: the write happens anew.
    assert client.post(path, json={"text": "I dag"}, headers=headers(token, "gammel")).status_code == 201
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 2
    assert client.post(path, json={"text": "Enda en"}, headers=headers(token, "ny")).status_code == 201
    with app.app_context():
        db.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == "ny")
            .values(created_at=utcnow() - timedelta(hours=30))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert list(db.session.scalars(select(IdempotencyRecord.key))) == ["gammel"]


def test_claim_left_by_a_crash_before_commit_is_taken_over(board):
    app, token, incident = board
    app.config["IDEMPOTENCY_ABANDONED_SECONDS"] = 5
    client = app.test_client()
    path = f"/api/v1/incidents/{incident}/log"
    assert client.post(path, json={"text": "Før krasj"}, headers=headers(token, "krasj")).status_code == 201
    # As a process killed after its claim but before its change committed leaves it:
    with app.app_context():
        db.session.execute(
            update(IdempotencyRecord).values(
                applied=False, status=None, body=None, claimed_at=utcnow() - timedelta(minutes=1)
            )
        )
        db.session.execute(LogEntry.__table__.delete())
        db.session.commit()
    retry = client.post(path, json={"text": "Før krasj"}, headers=headers(token, "krasj"))
    assert retry.status_code == 201
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 1
    again = client.post(path, json={"text": "Før krasj"}, headers=headers(token, "krasj"))
    assert again.json == retry.json and count(app, LogEntry, LogEntry.incident_id == incident) == 1


def test_claim_left_by_a_crash_after_commit_never_writes_twice(board):
    app, token, incident = board
    app.config["IDEMPOTENCY_ABANDONED_SECONDS"] = 5
    client = app.test_client()
    path = f"/api/v1/incidents/{incident}/log"
    assert client.post(path, json={"text": "Lagret"}, headers=headers(token, "etter")).status_code == 201
    with app.app_context():
        record = db.session.scalars(select(IdempotencyRecord)).one()
        assert record.applied  # marked in the view's own transaction
        # As a process killed after its commit but before storing the answer leaves it:
        record.status, record.body = None, None
        record.claimed_at -= timedelta(minutes=1)
        db.session.commit()
    retry = client.post(path, json={"text": "Lagret"}, headers=headers(token, "etter"))
    assert retry.status_code == 409 and retry.json["error"]["code"] == "idempotency_key_applied"
    assert count(app, LogEntry, LogEntry.incident_id == incident) == 1


def test_read_only_and_unauthenticated_requests_are_not_recorded(board):
    app, token, incident = board
    client = app.test_client()
    assert client.get(f"/api/v1/incidents/{incident}", headers=headers(token, "les")).status_code == 200
    anonymous = client.post(f"/api/v1/incidents/{incident}/log", json={"text": "x"}, headers={"Idempotency-Key": "a"})
    assert anonymous.status_code == 401
    assert count(app, IdempotencyRecord) == 0


def test_openapi_documents_the_header_on_every_unsafe_operation(app, client):
    doc = client.get("/api/v1/openapi.json").json
    unsafe = [(path, op) for path, ops in doc["paths"].items() for method, op in ops.items() if method != "get"]
    assert len(unsafe) > 30
    for path, op in unsafe:
        header = [p for p in op["parameters"] if p["in"] == "header" and p["name"] == "Idempotency-Key"]
        assert len(header) == 1 and header[0]["schema"]["maxLength"] == 200, path
    safe = [op for ops in doc["paths"].values() for method, op in ops.items() if method == "get"]
    assert not any(p["in"] == "header" for op in safe for p in op["parameters"])
