"""No input to a cooperation route produces a 500: wrong types, NUL characters, huge numbers, unknown ids."""

import re

import pytest

from beredskap.cooperation import hooks
from tests.conftest import Api, gen_user

BODIES = [
    {},
    {"version": 1},
    {"version": "1", "title": 5, "kind": [], "date": {}, "due": 7, "status": None},
    {
        "version": 2**70,
        "position": 2**70,
        "agenda_item_id": 2**70,
        "unit_id": 2**70,
        "meeting_id": 2**70,
        "year": 2**70,
    },
    {"version": 1, "title": "A\x00B", "text": "x\x00", "owner": "y", "name": "\x00", "by": "kommune"},
    {"version": 1, "dates": {"politirad-var": "2026-13-40T99:99", "trusselvurdering": "i morgen", "ukjent": 1}},
    {"version": 1, "dates": ["politirad-var"], "members": "alle", "present": [{"name": 3}], "value": float("inf")},
    {"version": 1, "title": "x" * 50000, "note": "y" * 50000, "summary": "z" * 50000, "conclusions": [1, 2]},
    {
        "by": "politi",
        "kind": "politirad",
        "year": 2026,
        "bydel": "Grim",
        "source": "ungdata",
        "name": "X",
        "value": float("nan"),
        "function": "omradekontakt",
        "text": "T",
        "owner": "O",
        "summary": "S",
    },
]
IDS = ["1", "2147483647", "99999999999"]
YEARS = ["2026", "2024", "99999999999"]


def concrete_paths(rule: str) -> list[str]:
    paths = [rule]
    for pattern, values in (
        (r"<int:year>", YEARS),
        (r"<int:\w+>", IDS),
        (r"<int:\w+>", IDS[:1]),  # a second id in the path (a meeting's basis)
        (r"<key>", ["trusselvurdering", "politirad-var"]),
        (r"<target>", ["innsatsomrade", "samarbeidsomrade", "ukjent"]),
    ):
        expanded = []
        for path in paths:
            if re.search(pattern, path):
                expanded += [re.sub(pattern, value, path, count=1) for value in values]
            else:
                expanded.append(path)
        paths = expanded
    return paths


@pytest.fixture
def admin_api(any_app):
    with any_app.app_context():
        hooks.seed_demo()
    return Api(any_app.test_client(), gen_user(any_app, "admin")[3])


@pytest.mark.slow  # every cooperation route with odd input
def test_no_cooperation_route_answers_500(any_app, admin_api):
    rules = [rule for rule in any_app.url_map.iter_rules() if rule.rule.startswith("/api/v1/cooperation")]
    assert len(rules) >= 25
    failures = []
    for rule in rules:
        for path in concrete_paths(rule.rule):
            assert "<" not in path, path
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for body in BODIES if method != "GET" else [None]:
                    response = admin_api.client.open(
                        path, method=method, json=body, headers={"Authorization": f"Bearer {admin_api.token}"}
                    )
                    if response.status_code >= 500:
                        failures.append((method, path, body and list(body)[:3], response.status_code))
                    elif response.status_code >= 400:
                        assert response.json["error"]["message"], (method, path)
    assert failures == []


def test_huge_ids_in_page_urls_are_404(any_app):
    from tests.conftest import login

    _, username, password, _ = gen_user(any_app, "viewer")
    client = any_app.test_client()
    login(client, username, password)
    for path in (
        "/cooperation/meetings/2147483647",
        "/cooperation/meetings/99999999999/agenda.pdf",
        "/cooperation/oversiktsbilde/99999999999",
        "/cooperation/annual-cycle/99999999999.ics",
    ):
        assert client.get(path).status_code == 404, path
