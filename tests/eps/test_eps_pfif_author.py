"""PFIF's author_name names the centre once, whether or not its name already starts with «EPS»."""

import pytest
from lxml import etree

from tests.eps.conftest import record_hjemmel, register

NS = {"p": "http://zesty.ca/pfif/1.4"}


@pytest.mark.parametrize("name", ["EPS Gimlehallen", "Gimlehallen", " EPS  Gimlehallen "])
def test_pfif_author_name_says_eps_once(api_for, name):
    police = api_for("police")
    incident = police.post("/api/v1/incidents", json={"title": "Flom i Otra", "kind": "incident"}).json
    eps_id = police.post(
        f"/api/v1/incidents/{incident['id']}/eps", json={"name": name, "capacity": 50, "decided_by": "politi"}
    ).json["id"]
    register(api_for("eps_staff"), eps_id, {"full_name": "Kari Nordmann"})
    record_hjemmel(police, eps_id)

    response = police.get(f"/api/v1/eps/{eps_id}/pfif.xml?reason=savnetregister")

    assert response.status_code == 200
    authors = {element.text for element in etree.fromstring(response.data).iterfind(".//p:author_name", NS)}
    assert authors == {"Kristiansand kommune, EPS Gimlehallen"}
