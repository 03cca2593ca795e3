"""The registry CSV as a spreadsheet reads it: `;`, BOM, local times, Norwegian (or English) headers."""

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from beredskap.csvfile import unescape_cell
from tests.eps.conftest import register

OSLO = ZoneInfo("Europe/Oslo")


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_registry_csv_round_trips_with_local_times_and_escaped_formulas(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    evil = '=HYPERLINK("http://x","Åpne")'
    person = register(staff, eps_id, {"full_name": evil, "phone": "+47 400 00 000", "birth_date": "1950-03-09"})
    registered = staff.get(f"/api/v1/evacuees/{person}").json["registered_at"]

    (row,) = _rows(api_for("coordinator").get(f"/api/v1/eps/{eps_id}/evacuees.csv"))

    assert list(row)[:4] == ["Id", "Øvelse", "Navn", "Fødselsdato"]
    assert row["Navn"] == "'" + evil and unescape_cell(row["Navn"]) == evil
    assert row["Telefon"] == "+47 400 00 000"
    assert row["Fødselsdato"] == "09.03.1950"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", row["Registrert"])
    local = datetime.fromisoformat(registered.replace("Z", "+00:00")).astimezone(OSLO)
    assert row["Registrert"] == local.strftime("%d.%m.%Y %H:%M")


def test_registry_csv_headers_are_english_in_the_english_locale(api_for, centre):
    _, eps_id = centre
    register(api_for("eps_staff"), eps_id, {"full_name": "Kari Nordmann"})
    coordinator = api_for("coordinator")
    with coordinator.client.session_transaction() as session:
        session["lang"] = "en"

    (row,) = _rows(coordinator.get(f"/api/v1/eps/{eps_id}/evacuees.csv"))

    assert list(row) == [
        "Id",
        "Exercise",
        "Name",
        "Date of birth",
        "Phone",
        "Address",
        "Status",
        "Registered",
        "Checked out",
        "Destination",
        "Household",
        "Needs",
        "Note on needs",
    ]
