"""The consent step of the PFIF export in a real browser (issue 16 point 6): without a basis the export is
blocked; the police liaison records a samtykke on the centre page, the export runs and names it; after the
consent is withdrawn the export is blocked again."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def _api(server, role, method, path, body=None):
    return server.call(role, method, path, body)


def test_pfif_export_consent_step(login_as, e2e_server):
    server = e2e_server
    incident = _api(server, "police", "POST", "/api/v1/incidents", {"title": "Brann i Kvadraturen", "kind": "incident"})
    eps = _api(
        server, "police", "POST", f"/api/v1/incidents/{incident['id']}/eps", {"name": "Aquarama", "capacity": 40}
    )
    _api(server, "eps_staff", "POST", f"/api/v1/eps/{eps['id']}/evacuees", {"full_name": "Kari Nordmann"})

    page = login_as("police")
    page.goto(f"{server.url}/eps/{eps['id']}")
    page.locator("#share-bases li", has_text="Ingen registrert").wait_for(timeout=10000)
    assert page.locator("#share-missing").is_visible()
    assert not page.locator("#export-pfif").is_visible()

    page.get_by_label("Samtykke om fritak fra taushetsplikt").check()
    page.get_by_label("Hvem har samtykket").fill("Den registrerte selv")
    page.get_by_label("Formål (hva deles, og hvorfor)").fill("Pårørendearbeid hos politiet")
    page.get_by_label("Gyldig til og med").fill("2099-12-31")
    page.get_by_role("button", name="Registrer grunnlag").click()
    page.locator("#share-bases li", has_text="Gyldig").wait_for(timeout=10000)
    assert page.locator("#export-pfif").is_visible()
    assert "Samtykke om fritak fra taushetsplikt" in page.locator("#share-current").inner_text()
    screenshot(page, "eps_consent", "samtykke-registrert")

    href = page.locator("#export-pfif").get_attribute("href")
    exported = page.request.get(server.url + href)
    assert exported.status == 200 and b"Kari Nordmann" in exported.body()

    page.locator("button[data-withdraw]").click()
    page.locator("#share-bases li", has_text="Trukket tilbake").wait_for(timeout=10000)
    assert page.locator("#share-missing").is_visible()
    blocked = page.request.get(server.url + href)
    assert blocked.status == 409 and "trukket tilbake" in blocked.json()["error"]["message"]
    screenshot(page, "eps_consent", "samtykke-trukket")
