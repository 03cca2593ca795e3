"""Issue 13: the security probe's attacks, replayed against the app in-process (one test per finding)."""

import json
import os
import stat
import time
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from flask_socketio import SocketIOTestClient
from sqlalchemy import select

from beredskap import create_app
from beredskap.extensions import db, socketio
from tests.conftest import base_config, gen_user, login
from tests.roster.helpers import ack_path, run_jobs

# ---------------------------------------------------------------- 1. rate limits shared by everyone


def _limited_app(tmp_path, **extra):
    config = {**base_config(tmp_path, f"sqlite:///{tmp_path / 'rl.db'}"), "LOGIN_RATE_LIMIT": "10 per minute"}
    app = create_app({**config, **extra})
    with app.app_context():
        db.create_all()
    return app


def _csrf(client, **kw) -> str:
    page = client.get("/login", **kw).get_data(as_text=True)
    return page.split('<meta name="csrf-token" content="')[1].split('"')[0]


def _login_from(client, username, password, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    token = _csrf(client, headers=headers)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, headers=headers).status_code


def test_ten_wrong_logins_for_one_user_leave_another_users_login_working_from_the_same_address(tmp_path):
    app = _limited_app(tmp_path)
    _, victim, _, _ = gen_user(app, "viewer")
    _, colleague, password, _ = gen_user(app, "coordinator")
    attacker = app.test_client()
    assert [_login_from(attacker, victim, "gjett-passordet-1") for _ in range(10)] == [401] * 10
    assert _login_from(attacker, victim, "gjett-passordet-1") == 429  # the guessing itself is still limited
    # Another user behind the same address (office NAT) logs in.
    assert _login_from(app.test_client(), colleague, password) == 302


def test_behind_a_trusted_proxy_the_limit_follows_the_forwarded_client(tmp_path):
    app = _limited_app(tmp_path, TRUSTED_PROXIES=1)
    _, victim, victim_password, _ = gen_user(app, "viewer")
    _, colleague, password, _ = gen_user(app, "coordinator")
    attacker = app.test_client()
    for _ in range(10):
        assert _login_from(attacker, victim, "gjett-passordet-1", "203.0.113.9") == 401
    assert _login_from(attacker, victim, "gjett-passordet-1", "203.0.113.9") == 429
    # Every request comes from nginx's address; the real clients differ and are not blocked.
    assert _login_from(app.test_client(), colleague, password, "198.51.100.7") == 302
    assert _login_from(app.test_client(), victim, victim_password, "198.51.100.8") == 302


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_reset_the_limit(tmp_path):
    app = _limited_app(tmp_path)
    _, victim, _, _ = gen_user(app, "viewer")
    attacker = app.test_client()
    statuses = [_login_from(attacker, victim, "gjett-passordet-1", f"192.0.2.{i}") for i in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]


def test_one_account_guessed_from_many_clients_backs_off(tmp_path):
    app = _limited_app(tmp_path, TRUSTED_PROXIES=1, LOGIN_USER_RATE_LIMIT="5 per minute")
    _, victim, _, _ = gen_user(app, "viewer")
    statuses = [_login_from(app.test_client(), victim, "gjett-passordet-1", f"192.0.2.{i}") for i in range(7)]
    assert statuses == [401] * 5 + [429, 429]


def _alert_link(app, users):
    from tests.conftest import Api

    app.config["ALERT_DELIVERY_KICK"] = False
    app.config["PUBLIC_BASE_URL"] = "http://beredskap.test"
    with app.app_context():
        from beredskap.roster.services import seed_demo

        seed_demo()
    api = Api(app.test_client(), users["coordinator"][3])
    alert = api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Møt opp."}).json
    run_jobs(app)
    messages = [m for m in api.get("/api/v1/outbox").json["messages"] if m["alert_id"] == alert["id"]]
    return api, alert["id"], ack_path(messages[0]["ack_url"])


@pytest.mark.slow  # 300 requests after a demo seed
def test_300_bogus_acks_leave_a_real_ack_working(app, users):
    api, alert_id, path = _alert_link(app, users)
    client = app.test_client()  # the same client address as the real recipient
    bogus = [client.post(f"/ack/{'B' * 42}{i % 10}", data={"answer": "yes"}).status_code for i in range(300)]
    answer = client.post(path, data={"answer": "yes"})
    assert answer.status_code == 200
    assert "Svaret ditt er registrert" in answer.get_data(as_text=True)
    assert set(bogus) == {404, 429} and bogus[0] == 404  # forged links are counted and limited
    assert api.get(f"/api/v1/alerts/{alert_id}").json["counts"]["acknowledged"] == 1


def test_an_ack_is_recorded_by_post_only(app, users):
    api, alert_id, path = _alert_link(app, users)
    shown = app.test_client().get(path + "?answer=yes")
    assert shown.status_code == 200 and 'id="answer-yes"' in shown.get_data(as_text=True)
    assert api.get(f"/api/v1/alerts/{alert_id}").json["counts"]["acknowledged"] == 0


# ---------------------------------------------------------------- 2. open redirect

REDIRECTS = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a",
    "/%0a",
    "/\\evil.example",
    "/%5Cevil.example",
    "//evil.example",
    "https://evil.example",
    "https:evil.example",
    "%09//evil.example",
    "/%20/evil.example",
]


def _stays_on_site(response) -> bool:
    location = response.headers.get("Location", "")
    # What a browser does: drop tabs and newlines, read backslashes as slashes, then resolve.
    cleaned = "".join(ch for ch in location if ch not in "\t\r\n").replace("\\", "/")
    return response.status_code in (301, 302, 303) and urlsplit(urljoin("http://localhost/", cleaned)).netloc in (
        "localhost",
    )


@pytest.mark.parametrize("target", REDIRECTS)
def test_language_switch_redirect_stays_on_the_site(client, target):
    response = client.get(f"/lang/nb?next={target}")
    assert _stays_on_site(response), response.headers.get("Location")


@pytest.mark.parametrize("target", REDIRECTS)
def test_login_redirect_stays_on_the_site(app, client, target):
    _, username, password, _ = gen_user(app, "viewer")
    page = client.get(f"/login?next={target}").get_data(as_text=True)
    csrf = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
    response = client.post(
        f"/login?next={target}", data={"username": username, "password": password, "csrf_token": csrf}
    )
    assert _stays_on_site(response), response.headers.get("Location")


def test_a_local_next_is_still_followed(client):
    assert client.get("/lang/en?next=/incidents?status=open").headers["Location"] == "/incidents?status=open"


# ---------------------------------------------------------------- 4. large bodies


def test_a_30_mb_body_gets_413_before_parsing_and_healthz_answers(app, users):
    headers = {"Authorization": f"Bearer {users['viewer'][3]}", "Content-Type": "application/json"}
    body = b'{"title": "' + b"x" * (30 * 1024 * 1024) + b'"}'
    client = app.test_client()
    response = client.post("/api/v1/incidents", data=body, headers=headers)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    # A page form gets the same, before the CSRF check would read the form.
    assert client.post("/login", data=body, content_type="application/x-www-form-urlencoded").status_code == 413
    assert client.get("/healthz").status_code == 200


def test_upload_routes_take_more_than_the_body_limit(app, users):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    headers = {"Authorization": f"Bearer {users['exercise_planner'][3]}", "Content-Type": "application/x-yaml"}
    client = app.test_client()
    big = b"# " + b"x" * 5000 + b"\n"
    assert client.post("/api/v1/incidents", data=big, headers=headers).status_code == 413
    # The scenario import reads the body and answers for its content (an empty scenario), not for its size.
    assert client.post("/api/v1/exercises/import", data=big, headers=headers).status_code not in (413, 500)


# ---------------------------------------------------------------- 5. sessions that end


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str) -> int:
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/").status_code


def test_a_cookie_replayed_after_logout_is_refused(app, client):
    _, username, password, _ = gen_user(app, "coordinator")
    login(client, username, password)
    saved = _cookie(client)
    assert _replay(app, saved) == 200
    token = client.get("/").get_data(as_text=True).split('<meta name="csrf-token" content="')[1].split('"')[0]
    client.post("/logout", data={"csrf_token": token})
    assert _replay(app, saved) == 302


def test_a_cookie_replayed_after_deactivation_and_after_reactivation_is_refused(app, users):
    user_id, username, password, _ = gen_user(app, "coordinator")
    client = app.test_client()
    login(client, username, password)
    saved = _cookie(client)
    admin = app.test_client()
    login(admin, users["admin"][1], users["admin"][2])

    def set_active(active: str) -> None:
        page = admin.get("/admin/users").get_data(as_text=True)
        csrf = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
        admin.post(f"/admin/users/{user_id}/active", data={"active": active, "csrf_token": csrf})

    # A value the form does not offer changes nothing (before, anything but "1" deactivated the user).
    set_active("nei")
    assert _replay(app, saved) == 200
    set_active("0")
    assert _replay(app, saved) == 302
    set_active("1")
    assert _replay(app, saved) == 302
    # A fresh login works again.
    assert login(app.test_client(), username, password).status_code == 302


def test_role_change_and_password_change_end_sessions(app, users):
    from beredskap.auth.models import User
    from beredskap.auth.services import set_password
    from tests.conftest import Api

    user_id, username, password, _ = gen_user(app, "coordinator")
    client = app.test_client()
    login(client, username, password)
    saved = _cookie(client)
    admin = Api(app.test_client(), users["admin"][3])
    assert admin.patch(f"/api/v1/users/{user_id}", json={"role": "viewer"}).status_code == 200
    assert _replay(app, saved) == 302
    login(client, username, password)
    saved = _cookie(client)
    with app.app_context():
        set_password(db.session.get(User, user_id), "et-nytt-og-langt-passord-77")
    assert _replay(app, saved) == 302


def test_sessions_have_an_idle_timeout_and_an_absolute_lifetime(app, client):
    _, username, password, _ = gen_user(app, "viewer")
    login(client, username, password)
    assert client.get("/").status_code == 200
    now = int(time.time())
    with client.session_transaction() as sess:
        sess["seen"] = now - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    assert client.get("/").status_code == 302
    login(client, username, password)
    with client.session_transaction() as sess:
        sess["started"] = now - app.config["SESSION_MAX_HOURS"] * 3600 - 5
        sess["seen"] = now
    assert client.get("/").status_code == 302


# ---------------------------------------------------------------- 7. CSRF skipped for any Bearer header


def test_bearer_header_plus_cookie_without_csrf_is_refused(app, users):
    from beredskap.auth.models import User

    client = app.test_client()
    login(client, users["admin"][1], users["admin"][2])
    response = client.post(
        "/api/v1/users", json={"username": "innbrudd", "role": "admin"}, headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "innbrudd")) is None


# ---------------------------------------------------------------- 8. 500s


def test_lone_surrogates_are_refused_with_422_naming_the_field(any_app):
    _, _, _, token = gen_user(any_app, "admin")
    client = any_app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    incident = client.post("/api/v1/incidents", json={"title": "Ekte"}, headers=headers).json["id"]
    writes = [
        ("/api/v1/incidents", '{"title": "\\ud800"}', "title"),
        (f"/api/v1/incidents/{incident}/log", '{"text": "a\\udfffb"}', "text"),
        (f"/api/v1/incidents/{incident}/tasks", '{"title": "\\ud83d"}', "title"),
        ("/api/v1/users", '{"username": "ny", "role": "viewer", "display_name": "\\ud800"}', "display_name"),
    ]
    for path, body, name in writes:
        response = client.post(path, data=body, headers=headers)
        assert response.status_code == 422, (path, response.status_code)
        assert name in response.json["error"]["fields"], response.json


def test_json_nested_50k_deep_is_a_400(any_app):
    _, _, _, token = gen_user(any_app, "admin")
    client = any_app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    deep = "[" * 50_000 + "]" * 50_000
    for path in ("/api/v1/incidents", "/api/v1/users", "/api/v1/cooperation/meetings"):
        for body in (deep, '{"title": ' + deep + "}"):
            response = client.post(path, data=body, headers=headers)
            assert response.status_code == 400, (path, response.status_code)
            assert response.json["error"]["code"] == "invalid_json"
    # Brackets inside strings are text, not nesting.
    ok = client.post("/api/v1/incidents", data=json.dumps({"title": "[" * 100}), headers=headers)
    assert ok.status_code == 201


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/channels/incident:²/events",
        "/api/v1/channels/incident:9223372036854775808/events",
        "/api/v1/channels/incident:%D9%A2/events",
        "/api/v1/channels/global/events?since=²",
        "/api/v1/channels/global/events?since=%D9%A2",
        "/api/v1/cooperation/meetings?year=²",
        "/api/v1/incidents/%D9%A2",
        "/cooperation?year=²",
        "/lang/nb?next=/%0a",
    ],
)
def test_odd_digits_and_newlines_give_4xx_not_500(app, users, path):
    client = app.test_client()
    from tests.conftest import login as form_login

    form_login(client, users["admin"][1], users["admin"][2])
    response = client.get(path, headers={"Authorization": f"Bearer {users['admin'][3]}"})
    assert response.status_code < 500


def test_one_canonical_channel_spelling_and_odd_names_ack_in_a_socket(app, users):
    from tests.conftest import Api

    api = Api(app.test_client(), users["coordinator"][3])
    for _ in range(2):
        api.post("/api/v1/incidents", json={"title": "Kanal"})
    assert api.get("/api/v1/channels/incident:2/events").status_code == 200
    sio = SocketIOTestClient(app, socketio, auth={"token": users["coordinator"][3]})
    assert sio.emit("subscribe", {"channel": "incident:2"}, callback=True)["ok"] is True
    for name in ("incident:02", "incident:٢", "incident:２", "incident:²", "incident:9223372036854775808"):
        assert sio.emit("subscribe", {"channel": name}, callback=True) == {"ok": False, "error": "unknown_channel"}
        assert api.get(f"/api/v1/channels/{name}/events").status_code == 404
    sio.disconnect()


# ---------------------------------------------------------------- 10. the info items


def test_common_passwords_are_refused(app, users):
    from beredskap.auth.services import create_user
    from beredskap.domain_errors import DomainError

    with app.app_context():
        for weak in ("Password1234", "passord12345", "qwertyuiop12", "aaaaaaaaaaaa"):
            with pytest.raises(DomainError) as refused:
                create_user("svak." + weak[:4].lower(), "viewer", weak)
            assert refused.value.code == "weak_password"
        assert create_user("sterk", "viewer", "et-langt-passord-123")[0].id


def test_pages_with_contact_data_are_not_cached(app, users):
    client = app.test_client()
    login(client, users["admin"][1], users["admin"][2])
    for path in ("/roster", "/admin/users", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_csp_connects_to_self_only(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "connect-src 'self';" in csp
    assert "ws:" not in csp and "wss:" not in csp


def test_sqlite_database_and_wal_are_owner_only(app, tmp_path):
    with app.app_context():
        db.session.execute(select(1))
    files = [tmp_path / "test.db", tmp_path / "test.db-wal"]
    assert all(f.exists() for f in files)
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_api_tokens_expire_and_admins_choose_the_expiry(app, users, runner):
    from beredskap.auth.models import ApiToken
    from beredskap.clock import utcnow
    from tests.conftest import Api

    admin = Api(app.test_client(), users["admin"][3])
    viewer_id = users["viewer"][0]
    issued = admin.post(f"/api/v1/users/{viewer_id}/tokens", json={"days": 2})
    assert issued.status_code == 201
    assert (
        1
        < (__import__("datetime").datetime.fromisoformat(issued.json["expires_at"]) - utcnow()).total_seconds() / 86400
        <= 2
    )
    assert admin.post(f"/api/v1/users/{viewer_id}/tokens", json={"days": -1}).status_code == 422
    token = issued.json["token"]
    assert Api(app.test_client(), token).get("/api/v1/me").status_code == 200
    with app.app_context():
        row = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert Api(app.test_client(), token).get("/api/v1/me").status_code == 401
    # The CLI sets the same expiry.
    result = runner.invoke(args=["users", "token", users["viewer"][1], "--days", "30"])
    assert result.exit_code == 0
    with app.app_context():
        newest = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
        assert timedelta(days=29) < newest.expires_at - utcnow() <= timedelta(days=30)
