"""Consent and legal basis for the EPS exports to the police (issue 16 point 6), on SQLite and PostgreSQL.

The PFIF export and the CSV name list refuse to run (409 with the reason) without a recorded hjemmel or a
«samtykke om fritak fra taushetsplikt»; with one they run and the audit names it; a withdrawn or expired
consent no longer counts."""

from datetime import timedelta

import pytest
from lxml import etree
from sqlalchemy import update

from beredskap.consent.models import ShareBasis
from beredskap.consent.services import oslo_today
from beredskap.extensions import db
from tests.conftest import Api, gen_user
from tests.eps.conftest import PEOPLE, all_audit_rows, all_events_text, leaks, secrets_of

PFIF = "{http://zesty.ca/pfif/1.4}"
CONSENT_BY = "Verge Torunn Ellefsen-Haugland"


@pytest.fixture
def env(any_app):
    client = any_app.test_client()
    apis = {role: Api(client, gen_user(any_app, role)[3]) for role in ("police", "eps_staff", "admin", "viewer")}
    police = apis["police"]
    incident = police.post("/api/v1/incidents", json={"title": "Brann i Kvadraturen", "kind": "incident"}).json
    eps = police.post(
        f"/api/v1/incidents/{incident['id']}/eps", json={"name": "Aquarama", "capacity": 80, "decided_by": "politi"}
    ).json
    for person in PEOPLE:
        assert apis["eps_staff"].post(f"/api/v1/eps/{eps['id']}/evacuees", json=person).status_code == 201
    return any_app, apis, eps["id"]


def _consent(until_days: int = 7) -> dict:
    return {
        "kind": "samtykke",
        "consent_by": CONSENT_BY,
        "purpose": "Utlevering av EPS-registreringene til politiets pårørendearbeid",
        "valid_until": (oslo_today() + timedelta(days=until_days)).isoformat(),
    }


def test_pfif_export_needs_consent_and_stops_after_withdrawal_and_expiry(env):
    app, apis, eps_id = env
    police = apis["police"]
    before = len(all_audit_rows(app))

    refused = police.get(f"/api/v1/eps/{eps_id}/pfif.xml?reason=savnetregister")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "legal_basis_required"
    assert "samtykke" in refused.json["error"]["message"] and "hjemmel" in refused.json["error"]["message"]
    assert len(all_audit_rows(app)) == before  # nothing exported, nothing audited as shared

    recorded = police.post(f"/api/v1/eps/{eps_id}/share-bases", json=_consent())
    assert recorded.status_code == 201, recorded.json
    basis = recorded.json
    assert basis["kind"] == "samtykke" and basis["valid"] and basis["consent_by"] == CONSENT_BY

    allowed = police.get(f"/api/v1/eps/{eps_id}/pfif.xml?reason=savnetregister")
    assert allowed.status_code == 200
    assert len(etree.fromstring(allowed.data).findall(f"{PFIF}person")) == len(PEOPLE)
    exports = [r for r in all_audit_rows(app) if r["action"] == "export"]
    assert len(exports) == len(PEOPLE)
    assert {r["meta"]["basis_id"] for r in exports} == {basis["id"]}
    assert {r["meta"]["basis_kind"] for r in exports} == {"samtykke"}
    assert all("Samtykke om fritak fra taushetsplikt" in r["meta"]["basis"] for r in exports)
    trail = apis["admin"].get(f"/api/v1/audit?subject=share_basis:{basis['id']}").json["records"]
    assert {r["action"] for r in trail} >= {"share_basis.record", "share_basis.used"}

    withdrawn = police.post(
        f"/api/v1/eps/{eps_id}/share-bases/{basis['id']}/withdraw", json={"reason": "trukket av verge"}
    )
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "trukket" and not withdrawn.json["valid"]
    again = police.get(f"/api/v1/eps/{eps_id}/pfif.xml")
    assert again.status_code == 409 and again.json["error"]["code"] == "legal_basis_required"
    named = police.get(f"/api/v1/eps/{eps_id}/pfif.xml?basis={basis['id']}")
    assert named.status_code == 409 and named.json["error"]["code"] == "legal_basis_withdrawn"
    trail = apis["admin"].get(f"/api/v1/audit?subject=share_basis:{basis['id']}").json["records"]
    assert "share_basis.withdraw" in {r["action"] for r in trail}

    # A new consent that then runs out: the day after its last day it no longer counts.
    second = police.post(f"/api/v1/eps/{eps_id}/share-bases", json=_consent(0)).json
    assert police.get(f"/api/v1/eps/{eps_id}/pfif.xml").status_code == 200
    with app.app_context():
        db.session.execute(
            update(ShareBasis).where(ShareBasis.id == second["id"]).values(valid_until=oslo_today() - timedelta(days=1))
        )
        db.session.commit()
    expired = police.get(f"/api/v1/eps/{eps_id}/pfif.xml?basis={second['id']}")
    assert expired.status_code == 409 and expired.json["error"]["code"] == "legal_basis_expired"
    assert police.get(f"/api/v1/eps/{eps_id}/pfif.xml").status_code == 409
    listed = police.get(f"/api/v1/eps/{eps_id}/share-bases").json
    assert not listed["valid"] and [b["status"] for b in listed["bases"]] == ["utlopt", "trukket"]

    # Who consented is personal data: never in events, and the audit rows carry ids and kinds only.
    secrets = [*secrets_of(PEOPLE), CONSENT_BY]
    assert leaks(all_events_text(app), secrets) == []
    assert leaks(str(all_audit_rows(app)), secrets) == []


def test_csv_name_list_to_police_runs_on_a_hjemmel(env):
    app, apis, eps_id = env
    police = apis["police"]
    assert police.get(f"/api/v1/eps/{eps_id}/evacuees.csv").status_code == 409
    hjemmel = {
        "kind": "hjemmel",
        "legal_basis": "Forvaltningsloven § 13 b første ledd nr. 6",
        "purpose": "Navneliste til politiets innsatsleder",
    }
    basis = police.post(f"/api/v1/eps/{eps_id}/share-bases", json=hjemmel).json
    response = police.get(f"/api/v1/eps/{eps_id}/evacuees.csv?basis={basis['id']}")
    assert response.status_code == 200 and "Kari Nordmann" in response.get_data(as_text=True)
    exports = [r for r in all_audit_rows(app) if r["action"] == "export"]
    assert {r["meta"]["basis"] for r in exports} == {"Hjemmel: Forvaltningsloven § 13 b første ledd nr. 6"}
    assert {r["meta"]["format"] for r in exports} == {"csv"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "samtykke", "purpose": "x", "valid_until": "2099-01-01"}, "consent_by"),
        ({"kind": "samtykke", "purpose": "x", "consent_by": "Den registrerte"}, "valid_until"),
        (
            {"kind": "samtykke", "purpose": "x", "consent_by": "Den registrerte", "valid_until": "2001-01-01"},
            "valid_until",
        ),
        (
            {"kind": "samtykke", "purpose": "x", "consent_by": "Den registrerte", "valid_until": "i morgen"},
            "valid_until",
        ),
        ({"kind": "hjemmel", "purpose": "x"}, "legal_basis"),
        ({"kind": "muntlig", "purpose": "x"}, "kind"),
        ({"kind": "hjemmel", "legal_basis": "fvl. § 13 b"}, "purpose"),
    ],
)
def test_bad_basis_is_refused_and_changes_nothing(env, body, field):
    app, apis, eps_id = env
    response = apis["police"].post(f"/api/v1/eps/{eps_id}/share-bases", json=body)
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert apis["police"].get(f"/api/v1/eps/{eps_id}/share-bases").json["bases"] == []


def test_only_exporting_roles_handle_bases(env):
    app, apis, eps_id = env
    for role in ("eps_staff", "viewer"):
        assert apis[role].get(f"/api/v1/eps/{eps_id}/share-bases").status_code == 403
        assert apis[role].post(f"/api/v1/eps/{eps_id}/share-bases", json=_consent()).status_code == 403
    assert apis["police"].get("/api/v1/eps/999999/share-bases").status_code == 404
    assert apis["police"].get("/api/v1/eps/999999/pfif.xml").status_code == 404
