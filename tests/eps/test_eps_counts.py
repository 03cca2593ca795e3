"""Running counts of a centre: exact under concurrent writers, O(1) per registration, backfilled by the migration."""

import threading
from collections import Counter

import pytest
from sqlalchemy import MetaData, Table, create_engine, event, func, insert, select

from beredskap.extensions import db
from tests.conftest import Api, cli, gen_user, prepare_database, run_concurrently
from tests.eps.conftest import PEOPLE, inquiry_for, register

WRITERS = 4
PER_WRITER = 12


def _person(writer: int, n: int) -> dict:
    return {"full_name": f"Testperson {writer}-{n}", "birth_date": "1970-01-01", "phone": f"9{writer:03d}{n:04d}"}


def _table_counts(app, eps_id: int) -> dict:
    """The reference: GROUP BY over the registry, as the counts were computed before the running counters."""
    from beredskap.eps.models import Evacuee, Inquiry

    with app.app_context():
        people = dict(
            db.session.execute(
                select(Evacuee.status, func.count()).where(Evacuee.centre_id == eps_id).group_by(Evacuee.status)
            ).all()
        )
        inquiries = dict(
            db.session.execute(
                select(Inquiry.status, func.count()).where(Inquiry.centre_id == eps_id).group_by(Inquiry.status)
            ).all()
        )
        db.session.remove()
    present, left = people.get("present", 0), people.get("left", 0)
    return {
        "present": present,
        "registered": present + left,
        "left": left,
        "open_inquiries": inquiries.get("open", 0),
        "inquiries": {
            "open": inquiries.get("open", 0),
            "reunited": inquiries.get("reunited", 0),
            "closed": inquiries.get("closed", 0),
            "total": sum(inquiries.values()),
        },
    }


def _api_counts(api, eps_id: int) -> dict:
    body = api.get(f"/api/v1/eps/{eps_id}").json
    return {key: body[key] for key in ("present", "registered", "left", "open_inquiries", "inquiries")}


def _events(app, channel: str) -> list:
    from beredskap.realtime.models import Event

    with app.app_context():
        rows = db.session.scalars(select(Event).where(Event.channel == channel).order_by(Event.seq)).all()
        result = [(e.seq, e.type, e.data) for e in rows]
        db.session.remove()
    return result


def _open_centre(app, capacity: int = 1000) -> tuple[dict, int, int]:
    tokens = {role: gen_user(app, role)[3] for role in ("police", "eps_staff")}
    client = app.test_client()
    police = Api(client, tokens["police"])
    incident = police.post("/api/v1/incidents", json={"title": "Flom", "kind": "incident"}).json
    eps_id = police.post(f"/api/v1/incidents/{incident['id']}/eps", json={"name": "Hall", "capacity": capacity}).json
    return tokens, incident["id"], eps_id["id"]


def test_counts_stay_exact_with_concurrent_registrations_and_checkouts(any_app):
    """Writers register and check out at once: every 201 is stored, counts in events and API match the registry,
    the counts in evacuee.registered follow commit (seq) order, and seq stays gap-free on both channels."""
    tokens, incident_id, eps_id = _open_centre(any_app)
    created: list[int] = []
    checked_out: list[int] = []
    errors: list[str] = []
    start = threading.Barrier(WRITERS)

    def writer(index: int) -> None:
        api = Api(any_app.test_client(), tokens["eps_staff"])
        try:
            start.wait()
            for n in range(PER_WRITER):
                response = api.post(f"/api/v1/eps/{eps_id}/evacuees", json=_person(index, n))
                if response.status_code != 201:
                    errors.append(f"{response.status_code}: {response.json}")
                    continue
                created.append(response.json["id"])
                if n % 3 == 0:
                    out = api.post(f"/api/v1/evacuees/{response.json['id']}/checkout", json={"destination": "Hjem"})
                    if out.status_code == 200:
                        checked_out.append(response.json["id"])
                    else:
                        errors.append(f"checkout {out.status_code}: {out.json}")
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(repr(err))

    run_concurrently(writer, WRITERS)
    assert errors == []
    total = WRITERS * PER_WRITER
    assert len(created) == total and len(set(created)) == total
    reference = _table_counts(any_app, eps_id)
    assert reference["registered"] == total and reference["left"] == len(checked_out)
    staff = Api(any_app.test_client(), tokens["eps_staff"])
    assert _api_counts(staff, eps_id) == reference

    events = _events(any_app, f"incident:{incident_id}")
    assert [seq for seq, _, _ in events] == list(range(1, len(events) + 1))
    registered = [data for _, kind, data in events if kind == "evacuee.registered"]
    assert sorted(d["evacuee_id"] for d in registered) == sorted(created)
    # One registration at a time under the centre's lock: 1, 2, 3 … in commit order, none repeated or skipped.
    assert [d["counts"]["registered"] for d in registered] == list(range(1, total + 1))
    occupancy = [data for _, kind, data in events if kind == "eps.occupancy"]
    assert [d["registered"] for d in occupancy] == sorted(d["registered"] for d in occupancy)
    assert [d["left"] for d in occupancy] == sorted(d["left"] for d in occupancy)
    assert all(d["present"] == d["registered"] - d["left"] for d in occupancy)
    last = occupancy[-1]
    assert (last["present"], last["registered"], last["left"]) == (
        reference["present"],
        reference["registered"],
        reference["left"],
    )
    checkouts = [data for _, kind, data in events if kind == "evacuee.checked_out"]
    assert sorted(d["counts"]["left"] for d in checkouts) == list(range(1, len(checked_out) + 1))
    global_events = _events(any_app, "global")
    assert [seq for seq, _, _ in global_events] == list(range(1, len(global_events) + 1))
    assert Counter(kind for _, kind, _ in global_events)["eps.occupancy"] == total + len(checked_out)


def test_counts_follow_every_change_of_people_and_inquiries(any_app):
    """Every path that changes a status keeps the running counters equal to the registry."""
    tokens, _incident_id, eps_id = _open_centre(any_app)
    staff = Api(any_app.test_client(), tokens["eps_staff"])

    def check() -> None:
        assert _api_counts(staff, eps_id) == _table_counts(any_app, eps_id)

    first = register(staff, eps_id, PEOPLE[0])
    check()
    household = staff.post(f"/api/v1/eps/{eps_id}/households", json={"members": [PEOPLE[1], PEOPLE[2]]})
    assert household.status_code == 201
    check()
    assert staff.post(f"/api/v1/evacuees/{first}/checkout", json={"destination": "Hjem"}).status_code == 200
    check()
    assert staff.post(f"/api/v1/evacuees/{first}/checkout", json={"destination": "Hjem"}).status_code == 409
    check()
    one = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("aase marie odegaard")).json
    two = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("Ola Nordmann")).json
    three = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("Kari Nordmann")).json
    check()
    assert staff.post(f"/api/v1/inquiries/{one['id']}/reunite", json={"evacuee_id": first}).status_code == 200
    assert staff.post(f"/api/v1/inquiries/{two['id']}/close").status_code == 200
    assert staff.post(f"/api/v1/inquiries/{two['id']}/close").status_code == 409
    check()
    # A registration that matches an open inquiry still counts once.
    register(staff, eps_id, {"full_name": "Kari Nordmann", "birth_date": "1990-03-03"})
    check()
    counts = _api_counts(staff, eps_id)
    assert counts["inquiries"] == {"open": 1, "reunited": 1, "closed": 1, "total": 3}
    assert (counts["present"], counts["registered"], counts["left"]) == (3, 4, 1)
    assert three["id"]


def test_closing_needs_an_empty_centre_and_refuses_later_registrations(any_app):
    tokens, _incident_id, eps_id = _open_centre(any_app)
    coordinator = Api(any_app.test_client(), gen_user(any_app, "coordinator")[3])
    staff = Api(any_app.test_client(), tokens["eps_staff"])
    person = register(staff, eps_id, PEOPLE[1])
    version = coordinator.get(f"/api/v1/eps/{eps_id}").json["version"]
    refused = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "avviklet", "version": version})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "people_present"
    assert staff.post(f"/api/v1/evacuees/{person}/checkout", json={"destination": "Hjem"}).status_code == 200
    closed = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "avviklet", "version": version})
    assert closed.status_code == 200 and closed.json["present"] == 0 and closed.json["left"] == 1
    late = staff.post(f"/api/v1/eps/{eps_id}/evacuees", json=PEOPLE[2])
    assert late.status_code == 409
    assert _api_counts(staff, eps_id) == _table_counts(any_app, eps_id)


def test_a_registration_reads_no_row_of_the_registry(any_app):
    """The cost of a registration does not grow with the registry: no query reads eps_evacuees."""
    tokens, _incident_id, eps_id = _open_centre(any_app)
    staff = Api(any_app.test_client(), tokens["eps_staff"])
    for n in range(3):
        register(staff, eps_id, _person(0, n))
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        statements.append(" ".join(statement.split()).lower())

    with any_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        register(staff, eps_id, _person(0, 99))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    reads = [s for s in statements if s.startswith("select") and "eps_evacuees" in s]
    assert reads == []
    assert not any("count(" in s for s in statements)
    # One counter update per channel, not one per event.
    assert sum(1 for s in statements if s.startswith("update channels")) == 2


def test_journal_takes_seqs_without_flushing_pending_objects(any_app):
    """append_event runs in the caller's transaction but leaves pending ORM objects to the caller's flush."""
    from beredskap.auth.models import AuditRecord
    from beredskap.realtime.journal import append_event, append_events, last_seq
    from beredskap.realtime.models import Event

    with any_app.app_context():
        pending = AuditRecord(actor_name="system", action="test", subject_type="test", subject_id="1", meta={})
        db.session.add(pending)
        first = append_event("incident:5", "test.one", {"n": 1})
        assert pending in db.session.new
        batch = append_events([("incident:5", "test.two", {"n": 2}), ("global", "test.g", {}), ("incident:5", "t", {})])
        assert pending in db.session.new
        assert [first.seq, *(e.seq for e in batch)] == [1, 2, 1, 3]
        assert last_seq("incident:5") == 3
        db.session.rollback()
        # Rolled back together: no event, no counter.
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0
        assert last_seq("incident:5") == 0
        append_event("incident:5", "test.one", {"n": 1})
        db.session.commit()
        assert last_seq("incident:5") == 1
        db.session.remove()


@pytest.mark.slow  # migrations in CLI processes
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_starts_the_counters_from_the_registry(kind, tmp_path, request):
    """Centres that exist before the upgrade get counters equal to their registry."""
    from beredskap.eps.models import Evacuee, Inquiry
    from beredskap.incidents.models import Incident

    if kind == "postgresql":
        url = request.getfixturevalue("pg_schema").url
    else:
        url = f"sqlite:///{tmp_path / 'mig.db'}"
    instance = tmp_path / "instance"
    done = cli(url, instance, "db", "upgrade", "e0a2fc84faa4")
    assert done.returncode == 0, done.stderr
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            centres = Table("eps_centres", MetaData(), autoload_with=conn)
            assert "present_count" not in centres.c
            incident_id = conn.execute(
                insert(Incident.__table__).values(title="Flom", kind="incident").returning(Incident.__table__.c.id)
            ).scalar_one()
            ids = []
            for name in ("A", "B"):
                ids.append(
                    conn.execute(
                        insert(centres)
                        .values(
                            incident_id=incident_id,
                            name=name,
                            capacity=50,
                            status="i_drift",
                            decided_by="kommune",
                            decided_at=func.now(),
                            created_at=func.now(),
                            version=1,
                        )
                        .returning(centres.c.id)
                    ).scalar_one()
                )
            people = [("present", ids[0])] * 3 + [("left", ids[0])] * 2 + [("present", ids[1])]
            for status, centre_id in people:
                conn.execute(
                    insert(Evacuee.__table__).values(
                        centre_id=centre_id, incident_id=incident_id, full_name="X", status=status
                    )
                )
            for status in ("open", "open", "reunited", "closed"):
                conn.execute(
                    insert(Inquiry.__table__).values(
                        centre_id=ids[0], incident_id=incident_id, status=status, candidates=[]
                    )
                )
        prepare_database(url, instance, migrations=True)
        with engine.connect() as conn:
            centres = Table("eps_centres", MetaData(), autoload_with=conn)
            rows = conn.execute(
                select(
                    centres.c.name,
                    centres.c.present_count,
                    centres.c.left_count,
                    centres.c.open_inquiry_count,
                    centres.c.reunited_inquiry_count,
                    centres.c.closed_inquiry_count,
                ).order_by(centres.c.name)
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("A", 3, 2, 2, 1, 1), ("B", 1, 0, 0, 0, 0)]
