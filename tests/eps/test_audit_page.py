"""The audit page: filter the log, see who read a person's record (when and why), export CSV; reading the log
is itself logged, and only the admin may do it."""

import csv
import io

from sqlalchemy import select

from beredskap.auth.models import AuditRecord
from beredskap.extensions import db
from tests.conftest import login
from tests.eps.conftest import PEOPLE, register


def logged_in(app, users, role: str):
    client = app.test_client()
    _, username, password, _ = users[role]
    assert login(client, username, password).status_code == 302
    return client


def audit_actions(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(r.action, r.subject_type, r.subject_id) for r in db.session.scalars(select(AuditRecord))]


def test_who_read_a_persons_record_when_and_why(app, api_for, users, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    ase = register(staff, eps_id, PEOPLE[0])
    per = register(staff, eps_id, PEOPLE[1])
    assert staff.get(f"/api/v1/evacuees/{ase}?reason=gjenforening").status_code == 200
    assert api_for("police").get(f"/api/v1/evacuees/{per}?reason=kontroll").status_code == 200

    admin = logged_in(app, users, "admin")
    response = admin.get("/admin/audit?person=Åse Marie")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Åse Marie Ødegård" in html  # the match, so the auditor knows whom the rows are about
    rows = html.split('id="audit-records"')[1]
    assert f'data-subject="evacuee:{ase}"' in rows and "gjenforening" in rows
    assert users["eps_staff"][1] in rows
    assert f'data-subject="evacuee:{per}"' not in rows and "kontroll" not in rows
    # The lookup is a read of Åse's record, audited on it; the search text is never stored.
    actions = audit_actions(app)
    assert ("audit.person_lookup", "evacuee", str(ase)) in actions
    assert ("audit.read", "audit", "page") in actions
    with app.app_context():
        metas = [r.meta for r in db.session.scalars(select(AuditRecord).where(AuditRecord.action == "audit.read"))]
    assert metas and all("Åse" not in str(m) for m in metas)


def test_filters_and_csv_export(app, api_for, users, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    ase = register(staff, eps_id, PEOPLE[0])
    staff.get(f"/api/v1/evacuees/{ase}?reason=gjenforening")
    admin = logged_in(app, users, "admin")
    html = admin.get(f"/admin/audit?action=read&subject_type=evacuee&actor={users['eps_staff'][1]}").get_data(
        as_text=True
    )
    rows = html.split('id="audit-records"')[1]
    assert rows.count("<tr data-action=") == 1 and 'data-action="read"' in rows
    assert admin.get("/admin/audit?action=read&to=2000-01-01").get_data(as_text=True).count("<tr data-action=") == 0

    exported = admin.get("/admin/audit.csv?action=read")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True).lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == ["Tid", "Bruker", "Handling", "Type", "Id", "Begrunnelse"]
    assert [row[2:6] for row in table[1:]] == [["read", "evacuee", str(ase), "gjenforening"]]
    assert ("audit.read", "audit", "csv") in audit_actions(app)


def test_bad_dates_are_a_clear_400_and_only_the_admin_may_read_the_log(app, users):
    admin = logged_in(app, users, "admin")
    bad = admin.get("/admin/audit?from=i-går")
    assert bad.status_code == 400 and "«Fra» må være en dato" in bad.get_data(as_text=True)
    assert admin.get("/admin/audit.csv?to=31.12.2026").status_code == 400
    for role in ("coordinator", "eps_staff", "police", "viewer"):
        client = logged_in(app, users, role)
        assert client.get("/admin/audit").status_code == 403
        assert client.get("/admin/audit.csv").status_code == 403
    assert app.test_client().get("/admin/audit").status_code == 302  # to the login page
