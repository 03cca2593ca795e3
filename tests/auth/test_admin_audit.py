"""Every administrative change of users and API tokens — in the browser and through the API — leaves an audit
record naming the admin, with no password or token in it."""

from sqlalchemy import select

from beredskap.auth.models import AuditRecord, User
from beredskap.extensions import db
from tests.auth.test_admin_ui import csrf, session_for


def records_for(app, user_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        stmt = (
            select(AuditRecord.action, AuditRecord.actor_name, AuditRecord.meta)
            .where(AuditRecord.subject_type == "user", AuditRecord.subject_id == str(user_id))
            .order_by(AuditRecord.id)
        )
        return [(action, actor, str(meta)) for action, actor, meta in db.session.execute(stmt)]


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def test_user_changes_in_the_browser_are_audited(app, users):
    admin_name = users["admin"][1]
    admin = session_for(app, admin_name, users["admin"][2])
    token = csrf(admin)
    created = admin.post(
        "/admin/users",
        data={"username": "ny.stab", "display_name": "Ny Stab", "role": "crisis_staff", "csrf_token": token},
        follow_redirects=True,
    )
    html = created.get_data(as_text=True)
    assert "Engangspassord" in html
    password = html.split("Engangspassord: ")[1].split("<")[0].strip()
    new_id = user_id(app, "ny.stab")
    for active in ("0", "1"):
        admin.post(f"/admin/users/{new_id}/active", data={"active": active, "csrf_token": token})
    issued = admin.post(
        f"/admin/users/{new_id}/tokens", data={"days": "30", "csrf_token": token}, follow_redirects=True
    )
    api_token = issued.get_data(as_text=True).split("(vises bare nå): ")[1].split("<")[0].strip()
    admin.post(f"/admin/users/{new_id}/tokens/revoke", data={"csrf_token": token})

    records = records_for(app, new_id)
    assert [r[0] for r in records] == [
        "user.created",
        "user.deactivated",
        "user.active",
        "token.issued",
        "token.revoked",
    ]
    assert {r[1] for r in records} == {admin_name}
    assert not any(password in meta or api_token in meta for _, _, meta in records)


def test_user_changes_through_the_api_are_audited(app, users, api_for):
    api = api_for("admin")
    created = api.post("/api/v1/users", json={"username": "api.bruker", "role": "viewer"})
    assert created.status_code == 201
    new_id = created.json["id"]
    assert api.patch(f"/api/v1/users/{new_id}", json={"role": "observer"}).status_code == 200
    assert api.patch(f"/api/v1/users/{new_id}", json={"active": False}).status_code == 200
    assert api.patch(f"/api/v1/users/{new_id}", json={"active": True}).status_code == 200
    issued = api.post(f"/api/v1/users/{new_id}/tokens", json={"days": 7})
    assert issued.status_code == 201
    records = records_for(app, new_id)
    assert [r[0] for r in records] == ["user.created", "user.role", "user.deactivated", "user.active", "token.issued"]
    assert {r[1] for r in records} == {users["admin"][1]}
    assert not any(issued.json["token"] in meta or created.json["password"] in meta for _, _, meta in records)
    # A refused change (unknown role) writes nothing.
    assert api.patch(f"/api/v1/users/{new_id}", json={"role": "sjef"}).status_code == 422
    assert len(records_for(app, new_id)) == 5
