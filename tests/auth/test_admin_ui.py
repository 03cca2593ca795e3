"""User administration in the browser: role change, one-time password, API tokens issued and revoked, and
«Mitt passord» with the strength check — every change audited, secrets shown once."""

import re

from sqlalchemy import select

from beredskap.auth.models import AuditRecord, User
from beredskap.extensions import db
from tests.conftest import login


def session_for(app, username: str, password: str):
    client = app.test_client()
    assert login(client, username, password).status_code == 302
    return client


def csrf(client, path: str = "/admin/users") -> str:
    return client.get(path).get_data(as_text=True).split('<meta name="csrf-token" content="')[1].split('"')[0]


def actions(app, user_id: int) -> list[str]:
    with app.app_context():
        stmt = select(AuditRecord.action).where(
            AuditRecord.subject_type == "user", AuditRecord.subject_id == str(user_id)
        )
        return list(db.session.scalars(stmt))


def shown_once(html: str, label: str) -> str:
    match = re.search(label + r" \(vises bare nå\): ([A-Za-z0-9_\-]+)", html)
    assert match, html[:2000]
    return match.group(1)


def test_role_change_and_one_time_password(app, users):
    admin = session_for(app, *users["admin"][1:3])
    viewer_id, viewer_name, viewer_password, _ = users["viewer"]
    viewer = session_for(app, viewer_name, viewer_password)
    token = csrf(admin)
    changed = admin.post(
        f"/admin/users/{viewer_id}/role", data={"role": "observer", "csrf_token": token}, follow_redirects=True
    )
    assert "har nå rollen observer" in changed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, viewer_id).role == "observer"
    assert viewer.get("/").status_code == 302  # the old session ended with the role change

    reset = admin.post(f"/admin/users/{viewer_id}/password", data={"csrf_token": token}, follow_redirects=True)
    new_password = shown_once(reset.get_data(as_text=True), "Nytt engangspassord for «" + viewer_name + "»")
    assert new_password not in admin.get("/admin/users").get_data(as_text=True)  # shown once
    assert login(app.test_client(), viewer_name, viewer_password).status_code == 401
    assert login(app.test_client(), viewer_name, new_password).status_code == 302
    assert {"user.role", "user.password_reset"} <= set(actions(app, viewer_id))
    # A role that does not exist changes nothing.
    bad = admin.post(
        f"/admin/users/{viewer_id}/role", data={"role": "sjef", "csrf_token": token}, follow_redirects=True
    )
    assert "Velg en gyldig rolle." in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, viewer_id).role == "observer"


def test_api_token_issued_once_and_revoked(app, users):
    admin = session_for(app, *users["admin"][1:3])
    police_id, police_name = users["police"][:2]
    token = csrf(admin)
    issued = admin.post(
        f"/admin/users/{police_id}/tokens", data={"days": "30", "csrf_token": token}, follow_redirects=True
    )
    api_token = shown_once(issued.get_data(as_text=True), "Ny API-nøkkel for «" + police_name + "»")
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {api_token}"})
    assert me.status_code == 200 and me.json["username"] == police_name
    revoked = admin.post(f"/admin/users/{police_id}/tokens/revoke", data={"csrf_token": token}, follow_redirects=True)
    assert "API-nøkler for «" + police_name + "» er trukket tilbake" in revoked.get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {api_token}"}).status_code == 401
    assert {"token.issued", "token.revoked"} <= set(actions(app, police_id))


def test_only_the_admin_administers_users(app, users):
    target = users["viewer"][0]
    for role in ("coordinator", "police", "viewer"):
        client = session_for(app, *users[role][1:3])
        token = csrf(client, "/")
        for path, data in (
            (f"/admin/users/{target}/role", {"role": "admin"}),
            (f"/admin/users/{target}/password", {}),
            (f"/admin/users/{target}/tokens", {"days": "0"}),
            (f"/admin/users/{target}/tokens/revoke", {}),
        ):
            assert client.post(path, data={**data, "csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(User, target).role == "viewer"


def test_changing_ones_own_password(app, users):
    user_id, username, password, _ = users["eps_staff"]
    me = session_for(app, username, password)
    elsewhere = session_for(app, username, password)
    token = csrf(me, "/account/password")
    strong = "Tre fjellgeiter danset på Odderøya i regnet"

    def change(current, new, repeat):
        data = {"current": current, "new": new, "repeat": repeat, "csrf_token": token}
        return me.post("/account/password", data=data)

    wrong = change("feil-passord", strong, strong)
    assert wrong.status_code == 422 and "Nåværende passord er feil." in wrong.get_data(as_text=True)
    weak = change(password, "passord12345", "passord12345")
    assert weak.status_code == 422 and "for lett å gjette" in weak.get_data(as_text=True)
    mismatch = change(password, strong, strong + "!")
    assert mismatch.status_code == 422 and "ikke like" in mismatch.get_data(as_text=True)
    assert login(app.test_client(), username, password).status_code == 302  # nothing changed yet

    done = change(password, strong, strong)
    assert done.status_code == 302
    assert me.get("/").status_code == 200  # this browser stays logged in
    assert elsewhere.get("/").status_code == 302  # every other session ended
    assert login(app.test_client(), username, password).status_code == 401
    assert login(app.test_client(), username, strong).status_code == 302
    assert actions(app, user_id).count("user.password_changed") == 1
