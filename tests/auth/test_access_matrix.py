"""R7: the role × endpoint matrix, generated from auth/permissions.py and the routes' declared permissions."""

import re

import pytest

from beredskap.api import REQUIRED_ATTR
from beredskap.auth.permissions import Role, has_permission
from tests.conftest import login

SAMPLE = {"int": "999999", "default": "x", "path": "x"}
PUBLIC_API = {"/api/v1/openapi.json"}


def concrete(rule) -> str:
    def replace(match: re.Match) -> str:
        converter = match.group(1) or "default"
        name = match.group(2)
        if name == "channel":
            return "global"
        return SAMPLE.get(converter, "x")

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", replace, rule.rule)


def guarded_routes(app, prefix_api: bool):
    routes = []
    for rule in app.url_map.iter_rules():
        is_api = rule.rule.startswith("/api/")
        if is_api != prefix_api or rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        perm = getattr(view, REQUIRED_ATTR, None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if not prefix_api and method != "GET":
                continue
            routes.append((method, concrete(rule), perm, rule.rule))
    return routes


def test_every_api_route_declares_a_permission(app):
    missing = [(m, r) for m, _path, perm, r in guarded_routes(app, True) if perm is None and r not in PUBLIC_API]
    assert missing == []


@pytest.mark.slow  # every role against every endpoint
def test_api_matrix_every_role_every_endpoint(app, api_for):
    routes = [r for r in guarded_routes(app, True) if r[2] is not None]
    assert len(routes) >= 10
    failures = []
    anonymous = app.test_client()
    for method, path, perm, _rule in routes:
        response = anonymous.open(path, method=method, json={})
        if response.status_code != 401:
            failures.append((method, path, "anonymous", response.status_code))
        for role in Role:
            response = api_for(role.value).client.open(
                path, method=method, json={}, headers={"Authorization": f"Bearer {api_for(role.value).token}"}
            )
            allowed = has_permission(role, perm)
            status = response.status_code
            if status >= 500 or (allowed and status in (401, 403)) or (not allowed and status != 403):
                failures.append((method, path, role.value, status))
            if status >= 400:
                assert "error" in response.json and response.json["error"]["message"], (method, path)
    assert failures == []


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_page_matrix(app, users, role):
    routes = [r for r in guarded_routes(app, False) if r[2] is not None]
    client = app.test_client()
    login(client, users[role][1], users[role][2])
    failures = []
    for _method, path, perm, _rule in routes:
        status = client.get(path).status_code
        allowed = has_permission(role, perm)
        if status >= 500 or (allowed and status == 403) or (not allowed and status != 403):
            failures.append((path, status))
    assert failures == []


def test_pages_redirect_anonymous_to_login(app):
    client = app.test_client()
    for _method, path, _perm, _rule in [r for r in guarded_routes(app, False) if r[2] is not None]:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
