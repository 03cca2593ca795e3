"""Accounts, login, CSRF, rate limiting, tokens and security headers."""

import re

import pytest

from beredskap import create_app
from beredskap.extensions import db
from tests.conftest import base_config, gen_user, login


def csrf_from(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_login_form_carries_csrf_token_and_post_without_it_is_refused(app, client):
    _, username, password, _ = gen_user(app, "viewer")
    page = client.get("/login")
    assert page.status_code == 200
    assert csrf_from(page.get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 400
    assert client.get("/", follow_redirects=False).status_code == 302  # still not logged in


def test_login_logout_and_wrong_password(app, client):
    _, username, password, _ = gen_user(app, "coordinator")
    bad = login(client, username, "feil-passord-123")
    assert bad.status_code == 401
    assert "Feil brukernavn eller passord" in bad.get_data(as_text=True)
    ok = login(client, username, password)
    assert ok.status_code == 302
    start = client.get("/")
    assert start.status_code == 200
    assert "Oversikt" in start.get_data(as_text=True)
    token = csrf_from(start.get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/").status_code == 302


def test_session_is_renewed_at_login(app, client):
    _, username, password, _ = gen_user(app, "viewer")
    with client.session_transaction() as sess:
        sess["planted"] = "fixation"
    login(client, username, password)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("_user_id")


def test_login_is_rate_limited(tmp_path):
    app = create_app({**base_config(tmp_path, f"sqlite:///{tmp_path / 'rl.db'}"), "LOGIN_RATE_LIMIT": "3 per minute"})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    statuses = []
    for _ in range(5):
        page = client.get("/login")
        statuses.append(
            client.post(
                "/login", data={"username": "x", "password": "y", "csrf_token": csrf_from(page.get_data(as_text=True))}
            ).status_code
        )
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_and_hsts_behind_tls(tmp_path):
    app = create_app(
        {**base_config(tmp_path, f"sqlite:///{tmp_path / 'tls.db'}"), "BEHIND_TLS": True, "SESSION_COOKIE_SECURE": True}
    )
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/login")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_unauthenticated_api_gets_401_envelope(client):
    response = client.get("/api/v1/incidents")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.json["error"]["message"]


def test_bad_token_is_401_and_revoked_token_stops_working(app, client):
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer brd_forged"}).status_code == 401
    _, username, _, token = gen_user(app, "police")
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json["role"] == "police"
    from sqlalchemy import select

    from beredskap.auth.models import ApiToken, User
    from beredskap.auth.services import revoke_tokens

    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).all()
        assert all(token not in (t.token_hash, t.prefix) and len(t.token_hash) == 64 for t in stored)
        revoke_tokens(db.session.scalar(select(User).where(User.username == username)))
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_cookie_api_request_needs_csrf_but_token_request_does_not(app, client):
    _, username, password, token = gen_user(app, "coordinator")
    login(client, username, password)
    no_csrf = client.post("/api/v1/incidents", json={"title": "Uten CSRF"})
    assert no_csrf.status_code == 400
    assert no_csrf.json["error"]["code"] == "csrf_failed"
    csrf = csrf_from(client.get("/").get_data(as_text=True))
    with_csrf = client.post("/api/v1/incidents", json={"title": "Med CSRF"}, headers={"X-CSRFToken": csrf})
    assert with_csrf.status_code == 201
    other = app.test_client()
    by_token = other.post(
        "/api/v1/incidents", json={"title": "Med token"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert by_token.status_code == 201


def test_wrong_role_gets_403(api_for):
    response = api_for("viewer").post("/api/v1/incidents", json={"title": "Ikke lov"})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_deactivated_user_cannot_use_token(app, api_for, users):
    from beredskap.auth.models import User
    from beredskap.auth.services import set_user_active

    with app.app_context():
        admin = db.session.get(User, users["admin"][0])
        set_user_active(users["police"][0], False, admin)
    assert api_for("police").get("/api/v1/me").status_code == 401


def test_admin_user_page_is_admin_only(app, client, users):
    login(client, users["coordinator"][1], users["coordinator"][2])
    assert client.get("/admin/users").status_code == 403
    admin_client = app.test_client()
    login(admin_client, users["admin"][1], users["admin"][2])
    police = users["police"][1]  # made before the page is asked for (users are made lazily)
    page = admin_client.get("/admin/users")
    assert page.status_code == 200 and police in page.get_data(as_text=True)


def test_passwords_are_scrypt_hashed(app, users):
    from beredskap.auth.models import User

    with app.app_context():
        user = db.session.get(User, users["viewer"][0])
        assert user.password_hash.startswith("scrypt:")
        assert users["viewer"][2] not in user.password_hash


@pytest.mark.parametrize("path", ["/healthz"])
def test_healthz_without_login(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json == {"status": "ok", "db": "ok", "redis": "off"}


def test_english_is_selectable(app, client, users):
    login(client, users["viewer"][1], users["viewer"][2])
    client.get("/lang/en")
    html = client.get("/").get_data(as_text=True)
    assert "Open incidents" in html and 'lang="en"' in html
    client.get("/lang/nb")
    assert "Åpne hendelser" in client.get("/").get_data(as_text=True)


def test_admin_creating_a_user_is_audited(api_for):
    admin = api_for("admin")
    created = admin.post("/api/v1/users", json={"username": "ny.bruker", "role": "eps_staff"})
    assert created.status_code == 201 and len(created.json["password"]) >= 12
    records = admin.get(f"/api/v1/audit?subject=user:{created.json['id']}").json["records"]
    assert [r["action"] for r in records] == ["user.created"]
    assert records[0]["actor"].startswith("admin.")
    assert api_for("coordinator").post("/api/v1/users", json={"username": "x", "role": "viewer"}).status_code == 403
