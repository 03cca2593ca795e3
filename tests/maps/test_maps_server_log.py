"""A refused zone analysis is the user's mistake, not a fault: one log line each, never a traceback."""

import pytest
import requests

from tests.conftest import make_user

pytestmark = pytest.mark.slow  # a real server process

REFUSED = [
    ({"zone": {"type": "Polygon", "coordinates": [[[7.99, 58.14], [8.0, 58.15], [8.0, 58.14], [7.99, 58.15]]]}}, 422),
    ({"zone": {"type": "Polygon", "coordinates": [[[20, 70], [21, 70], [21, 71], [20, 70]]]}}, 422),
    ({"center": [7.99, 58.14], "radius_m": -5}, 422),
    ({"zone": {"type": "Polygon", "coordinates": "ikke en liste"}}, 400),
]


def test_refused_zone_analyses_log_one_line_each_without_a_traceback(server_factory):
    server = server_factory()
    headers = make_user(server.database_url, server.instance, "viewer")
    before = server.log_text()

    for body, status in REFUSED:
        response = requests.post(f"{server.url}/api/v1/maps/zone-analysis", json=body, headers=headers, timeout=30)
        assert response.status_code == status, response.text
        assert set(response.json()) == {"error"}

    log = server.log_text()[len(before) :]
    assert "Traceback" not in log
    refusals = [line for line in log.splitlines() if "zone analysis refused" in line]
    assert len(refusals) == len(REFUSED), log
    assert all("7.99" not in line and "58.1" not in line for line in refusals), "no coordinates (where people are)"
