"""The dreiebok CSV as Norwegian Excel reads it, and back into the app."""

import csv
import io

from tests.exercises.test_plan_api import post_raw

EVIL = '=HYPERLINK("http://evil.example","Klikk her")'


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


def test_dreiebok_csv_uses_semicolons_norwegian_headers_and_escapes_formulas(api_for, scenario):
    planner = api_for("exercise_planner")
    plan = scenario()
    plan["injects"][0]["text"] = EVIL
    plan["injects"][1]["expected"] = "-varsle politiet; deretter «kriseledelsen»"
    exercise_id = planner.post("/api/v1/exercises", json=plan).json["id"]

    response = planner.get(f"/api/v1/exercises/{exercise_id}/dreiebok.csv")
    rows = _rows(response)

    assert rows[0] == ["Nr", "Tid", "Fra", "Til", "Kanal", "Tekst", "Forventet handling", "Øvingsmål", "Merknad"]
    assert rows[1][5] == "'" + EVIL
    assert rows[2][6] == "'-varsle politiet; deretter «kriseledelsen»"
    assert [len(row) for row in rows] == [9] * 4

    copy = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    reimported = post_raw(planner, f"/api/v1/exercises/{copy}/dreiebok.csv", response.data, "text/csv")
    assert reimported.status_code == 200, reimported.json
    assert reimported.json["injects"][0]["text"] == EVIL
    assert reimported.json["injects"][1]["expected"] == "-varsle politiet; deretter «kriseledelsen»"


def test_dreiebok_csv_headers_are_english_in_the_english_locale_and_read_back(api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    with planner.client.session_transaction() as session:
        session["lang"] = "en"

    response = planner.get(f"/api/v1/exercises/{exercise_id}/dreiebok.csv")

    assert _rows(response)[0] == [
        "No.",
        "Time",
        "From",
        "To",
        "Channel",
        "Text",
        "Expected action",
        "Objective",
        "Notes",
    ]
    copy = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    assert post_raw(planner, f"/api/v1/exercises/{copy}/dreiebok.csv", response.data, "text/csv").status_code == 200
