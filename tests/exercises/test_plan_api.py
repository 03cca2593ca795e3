"""The plan: scenario JSON in, YAML/CSV import and export with line-named errors and nothing half-imported,
the dreiebok editor, versions, the CLI loader and the demo seed."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from beredskap.exercises import library, queries
from beredskap.exercises.models import Exercise, Inject, Objective
from beredskap.exercises.scenario import parse_scenario_yaml
from beredskap.extensions import db

LIBRARY = Path(__file__).resolve().parents[2] / "exercises"

GOOD_YAML = """\
title: Kvikkleireskred på Lund
form: diskusjonsøvelse
purpose: Øve beslutninger.
objectives:
  - {id: M1, text: Beslutte evakuering}
injects:
  - {no: 1, at: "00:05", to: kriseledelse, text: Sprekker i grunnen ved Lund, objective: M1}
  - {no: 2, at: "00:15", to: kriseledelse, text: Politiet ber om avklaring}
"""


def post_raw(api, path: str, body, content_type: str):
    """POST a file body as it is (the Api helper always sends JSON)."""
    if isinstance(body, str):
        body = body.encode()
    return api.client.post(path, data=body, content_type=content_type, headers=api._headers())


def row_counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model)) for model in (Exercise, Objective, Inject)
        )


def test_post_scenario_json_gives_201_with_id_and_the_same_structure_back(app, api_for, scenario):
    response = api_for("exercise_planner").post("/api/v1/exercises", json=scenario())

    assert response.status_code == 201
    exercise = api_for("exercise_planner").get(f"/api/v1/exercises/{response.json['id']}").json
    assert exercise["title"] == "Testøvelse flom" and exercise["status"] == "planned"
    assert [o["id"] for o in exercise["objectives"]] == ["M1", "M2"]
    assert [(i["no"], i["at"], i["to"]) for i in exercise["injects"]] == [
        (1, "00:00:10", "kriseledelse"),
        (2, "00:00:20", "politi"),
        (3, "00:00:30", "kriseledelse"),
    ]
    assert exercise["organisers"] is None and exercise["version"] >= 1


def test_invalid_scenario_json_is_refused_and_nothing_stored(app, api_for, scenario):
    bad = scenario()
    bad["injects"][2]["objective"] = "M9"

    response = api_for("exercise_planner").post("/api/v1/exercises", json=bad)

    assert response.status_code == 422
    assert "M9" in response.json["error"]["message"]
    assert row_counts(app) == (0, 0, 0)


def test_only_planners_may_create(api_for, scenario):
    assert api_for("crisis_staff").post("/api/v1/exercises", json=scenario()).status_code == 403
    assert post_raw(api_for("observer"), "/api/v1/exercises/import", GOOD_YAML, "application/yaml").status_code == 403


def test_yaml_import_creates_the_exercise(app, api_for):
    response = post_raw(api_for("exercise_planner"), "/api/v1/exercises/import", GOOD_YAML, "application/yaml")

    assert response.status_code == 201
    assert response.json["title"] == "Kvikkleireskred på Lund"
    assert row_counts(app) == (1, 1, 2)


@pytest.mark.parametrize(
    ("broken", "line", "fragment"),
    [
        # An unclosed flow mapping on line 6 is noticed on the next line.
        (GOOD_YAML.replace("text: Beslutte evakuering}", "text: Beslutte evakuering"), 6, "ugyldig YAML"),
        (GOOD_YAML.replace('at: "00:15"', 'at: "00:75"'), 8, "00:75"),
        (GOOD_YAML.replace("objective: M1}", "objective: M7}"), 7, "M7"),
        (GOOD_YAML.replace("form: diskusjonsøvelse", "form: kaffeøvelse"), 2, "kaffeøvelse"),
    ],
)
def test_broken_yaml_is_refused_naming_the_line_and_nothing_is_half_imported(app, api_for, broken, line, fragment):
    post_raw(api_for("exercise_planner"), "/api/v1/exercises/import", GOOD_YAML, "application/yaml")
    before = row_counts(app)

    response = post_raw(api_for("exercise_planner"), "/api/v1/exercises/import", broken.encode(), "application/yaml")

    assert response.status_code in (400, 422)
    message = response.json["error"]["message"]
    assert message.startswith(f"Linje {line}: "), message
    assert fragment in message
    assert row_counts(app) == before


def test_yaml_that_is_not_utf8_is_refused_with_its_line(app, api_for):
    body = GOOD_YAML.encode().replace(b"Lund\n", b"Lund \xff\n", 1)

    response = post_raw(api_for("exercise_planner"), "/api/v1/exercises/import", body, "application/yaml")

    assert response.status_code == 400
    assert response.json["error"]["message"].startswith("Linje 1: ")
    assert row_counts(app) == (0, 0, 0)


def test_csv_import_replaces_the_dreiebok(app, api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    csv_text = "nr;tid;til;tekst;mål\n1;00:01;politi;Første;M1\n2;00:02;kriseledelse;Andre;M2\n"

    response = post_raw(planner, f"/api/v1/exercises/{exercise_id}/dreiebok.csv", csv_text.encode("cp1252"), "text/csv")

    assert response.status_code == 200, response.json
    assert [(i["no"], i["text"], i["objective"]) for i in response.json["injects"]] == [
        (1, "Første", "M1"),
        (2, "Andre", "M2"),
    ]
    assert row_counts(app) == (1, 2, 2)


@pytest.mark.parametrize(
    ("csv_text", "line", "fragment"),
    [
        ("no,at,text\n1,00:01,Første\n2,00:61,Andre\n", 3, "00:61"),
        ("no,at,text,objective\n1,00:01,Første,M1\n2,00:02,Andre,M5\n", 3, "M5"),
        ('no,at,text\n1,00:01,Første\n2,00:02,"Uten slutt\n3,00:03,Tredje\n', 3, "anførselstegn"),
        ("no,at,tekst,farge\n1,00:01,Første,rød\n", 1, "farge"),
        ("no,at,text\n1,00:01,Første\n1,00:02,Andre\n", 3, "brukt før"),
    ],
)
def test_broken_csv_is_refused_naming_the_line_and_the_dreiebok_is_unchanged(
    app, api_for, scenario, csv_text, line, fragment
):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    before = planner.get(f"/api/v1/exercises/{exercise_id}/injects").json["injects"]
    counts = row_counts(app)

    response = post_raw(planner, f"/api/v1/exercises/import?exercise={exercise_id}", csv_text.encode(), "text/csv")

    assert response.status_code in (400, 422)
    message = response.json["error"]["message"]
    assert message.startswith(f"Linje {line}: "), message
    assert fragment in message
    assert planner.get(f"/api/v1/exercises/{exercise_id}/injects").json["injects"] == before
    assert row_counts(app) == counts


def test_csv_import_names_its_exercise_by_a_valid_id(app, api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    counts = row_counts(app)
    csv_text = "no,at,text\n1,00:01,Første\n"
    for query, detail in (("", "påkrevd"), ("?exercise=tre", "feil type"), ("?exercise=-1", "utenfor")):
        response = post_raw(planner, f"/api/v1/exercises/import{query}", csv_text, "text/csv")
        assert response.status_code == 422, query
        assert response.json["error"]["fields"] == {"exercise": detail}, response.json
    assert row_counts(app) == counts
    assert (
        post_raw(planner, f"/api/v1/exercises/import?exercise={exercise_id}", csv_text, "text/csv").status_code == 200
    )


def test_csv_and_yaml_export_read_back_to_the_same_plan(app, api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]

    yaml_text = planner.get(f"/api/v1/exercises/{exercise_id}/scenario.yaml").get_data(as_text=True)
    csv_response = planner.get(f"/api/v1/exercises/{exercise_id}/dreiebok.csv")
    copy = post_raw(planner, "/api/v1/exercises/import", yaml_text.encode(), "application/yaml")
    reimported = post_raw(planner, f"/api/v1/exercises/{copy.json['id']}/dreiebok.csv", csv_response.data, "text/csv")

    assert csv_response.mimetype == "text/csv"
    original = parse_scenario_yaml(yaml_text)
    assert original["injects"] == [
        {k: v for k, v in i.items() if k not in ("id", "state", "delivered_at", "delivered_early", "version")}
        for i in reimported.json["injects"]
    ]
    assert copy.json["title"] == original["title"] == "Testøvelse flom"
    # Players cannot read the dreiebok ahead of time.
    assert api_for("crisis_staff").get(f"/api/v1/exercises/{exercise_id}/dreiebok.csv").status_code == 403
    assert api_for("crisis_staff").get(f"/api/v1/exercises/{exercise_id}").json["injects"] == []


def test_dreiebok_editor_adds_edits_and_deletes_while_planned(api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]

    added = planner.post(
        f"/api/v1/exercises/{exercise_id}/injects",
        json={"at": "00:01:00", "to": "politi", "text": "Nytt innspill", "objective": "M2"},
    )
    assert added.status_code == 201 and added.json["no"] == 4
    backwards = planner.post(
        f"/api/v1/exercises/{exercise_id}/injects", json={"no": 5, "at": "00:00:01", "text": "For tidlig"}
    )
    assert backwards.status_code == 422 and "før innspill nr. 4" in backwards.json["error"]["message"]
    edited = planner.patch(
        f"/api/v1/injects/{added.json['id']}", json={"text": "Endret tekst", "version": added.json["version"]}
    )
    assert edited.status_code == 200 and edited.json["text"] == "Endret tekst"
    stale = planner.patch(f"/api/v1/injects/{added.json['id']}", json={"text": "x", "version": added.json["version"]})
    assert stale.status_code == 409
    unknown_goal = planner.patch(
        f"/api/v1/injects/{added.json['id']}", json={"objective": "M8", "version": edited.json["version"]}
    )
    assert unknown_goal.status_code == 422
    assert planner.delete(f"/api/v1/injects/{added.json['id']}").status_code == 204
    injects = planner.get(f"/api/v1/exercises/{exercise_id}/injects").json["injects"]
    assert [i["no"] for i in injects] == [1, 2, 3]

    planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": 1})
    late = planner.post(f"/api/v1/exercises/{exercise_id}/injects", json={"at": "01:00", "text": "For sent"})
    assert late.status_code == 409
    assert planner.delete(f"/api/v1/injects/{injects[0]['id']}").status_code == 409


def test_patch_needs_the_current_version(api_for, scenario):
    planner = api_for("exercise_planner")
    created = planner.post("/api/v1/exercises", json=scenario()).json

    first = planner.patch(
        f"/api/v1/exercises/{created['id']}", json={"title": "Ny tittel", "version": created["version"]}
    )
    second = planner.patch(f"/api/v1/exercises/{created['id']}", json={"title": "Annen", "version": created["version"]})
    missing = planner.patch(f"/api/v1/exercises/{created['id']}", json={"title": "Uten versjon"})

    assert first.status_code == 200 and first.json["title"] == "Ny tittel"
    assert second.status_code == 409
    assert missing.status_code == 422


def test_draft_plan_may_start_empty_but_cannot_start_until_complete(api_for):
    planner = api_for("exercise_planner")
    draft = planner.post("/api/v1/exercises", json={"title": "Utkast", "form": "stabsøvelse", "draft": True})
    assert draft.status_code == 201 and draft.json["injects"] == []

    assert planner.post(f"/api/v1/exercises/{draft.json['id']}/start", json={}).status_code == 409
    goals = planner.patch(
        f"/api/v1/exercises/{draft.json['id']}",
        json={"objectives": [{"id": "M1", "text": "Mål"}], "version": draft.json["version"]},
    )
    assert goals.status_code == 200
    planner.post(f"/api/v1/exercises/{draft.json['id']}/injects", json={"at": "00:00:01", "text": "Start"})
    assert planner.post(f"/api/v1/exercises/{draft.json['id']}/start", json={}).status_code == 201


def test_cli_loads_a_scenario_file_and_prints_the_id_last(app, runner, tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(GOOD_YAML, encoding="utf-8")

    result = runner.invoke(args=["exercises", "load", str(path)])

    assert result.exit_code == 0, result.output
    exercise_id = int(result.output.strip().splitlines()[-1])
    with app.app_context():
        assert queries.get_exercise(exercise_id).title == "Kvikkleireskred på Lund"


def test_cli_refuses_a_broken_file_in_one_line_naming_the_line(app, runner, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD_YAML.replace('at: "00:15"', "at: 99"), encoding="utf-8")

    result = runner.invoke(args=["exercises", "load", str(path)])

    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1 and "Linje 8" in result.output
    assert row_counts(app) == (0, 0, 0)


def test_seed_loads_the_three_shipped_scenarios_once(app):
    with app.app_context():
        library.seed_demo()
        library.seed_demo()
        titles = sorted(db.session.scalars(select(Exercise.title)))
    shipped = sorted(parse_scenario_yaml(p.read_text(encoding="utf-8"))["title"] for p in LIBRARY.glob("*.yaml"))
    assert titles == shipped and len(titles) >= 3


def test_library_scenario_can_be_taken_into_use(api_for):
    planner = api_for("exercise_planner")
    library = planner.get("/api/v1/exercises/library").json["scenarios"]

    created = planner.post(f"/api/v1/exercises/library/{library[0]['file']}")

    assert created.status_code == 201 and len(created.json["injects"]) == library[0]["injects"]
    assert planner.post("/api/v1/exercises/library/..%2Fpasswd").status_code == 404
