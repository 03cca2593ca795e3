"""Errors name the field in words, in the browser (issue 17 §8): the EPS desk shows «Fullt navn mangler.» under the
name field, never «full_name»; a page form shows its message next to the field; English sessions read English."""

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import run_axe, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def centre(e2e_server):
    headers = {"Authorization": f"Bearer {e2e_server.token('police')}"}
    incident = requests.post(
        e2e_server.url + "/api/v1/incidents",
        json={"title": "Øvelse feilmeldinger", "kind": "exercise"},
        headers=headers,
        timeout=30,
    ).json()
    made = requests.post(
        e2e_server.url + f"/api/v1/incidents/{incident['id']}/eps",
        json={"name": "Feilmeldingshallen", "capacity": 20},
        headers=headers,
        timeout=30,
    )
    assert made.status_code == 201, made.text
    return incident, made.json()


def _register(page, name: str, birth_date: str = "", expected: str = "") -> str:
    """Type a person and press Enter; wait until the desk shows `expected` under the form; return what it shows."""
    page.fill("#m0-name", name)
    if birth_date:
        page.fill("#m0-birth", birth_date)
    page.locator("#m0-name").press("Enter")
    expect(page.locator("#reg-error")).to_have_text(expected, timeout=10000)
    return page.locator("#reg-error").inner_text()


def test_the_desk_names_the_missing_field_in_words(login_as, e2e_server, centre):
    _, eps = centre
    page = login_as("eps_staff")
    page.goto(f"{e2e_server.url}/eps/{eps['id']}/desk")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)

    # Blanks pass the browser's `required` but are no name: the server says so in words.
    shown = _register(page, "   ", expected="Fullt navn mangler.")
    screenshot(page, "messages_in_words", "desk-name-missing")
    assert shown == "Fullt navn mangler."
    assert "full_name" not in page.locator("#reg-form").inner_text()
    assert page.locator("#m0-name").get_attribute("aria-invalid") == "true"

    shown = _register(page, "Åse Testperson", "31.02.1949", "Fødselsdato er ikke en gyldig dato.")
    assert shown == "Fødselsdato er ikke en gyldig dato."
    # The value typed is never echoed in the message.
    assert "31.02" not in shown
    assert run_axe(page, e2e_server) == []


def test_an_english_session_reads_the_field_in_english(login_as, e2e_server, centre):
    _, eps = centre
    page = login_as("eps_staff")
    page.goto(f"{e2e_server.url}/lang/en?next=/eps/{eps['id']}/desk")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    shown = _register(page, "   ", expected="Full name is missing.")
    screenshot(page, "messages_in_words", "desk-name-missing-en")
    assert shown == "Full name is missing."


def test_the_open_centre_form_shows_the_message_next_to_the_field(login_as, e2e_server, centre):
    incident, _ = centre
    page = login_as("coordinator")
    page.goto(f"{e2e_server.url}/eps")
    page.select_option("#eps-incident", str(incident["id"]))
    page.fill("#eps-name", "Reservehallen")
    page.fill("#eps-capacity", "førti")
    page.locator("#eps-capacity").press("Enter")
    page.locator("#capacity-error").wait_for(timeout=10000)
    screenshot(page, "messages_in_words", "eps-open-capacity")
    assert page.locator("#capacity-error").inner_text() == "Kapasitet må være et heltall."
    assert page.locator("#eps-capacity").get_attribute("aria-invalid") == "true"
    assert page.locator("#eps-name").input_value() == "Reservehallen"
    assert run_axe(page, e2e_server) == []
