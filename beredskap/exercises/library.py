"""The scenario library shipped in exercises/: list it, load one, seed the demo, load a file from the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.domain_errors import DomainError, NotFound
from beredskap.exercises.models import Exercise
from beredskap.exercises.planning import create_exercise, import_scenario_yaml
from beredskap.exercises.scenario import ScenarioError, parse_scenario_yaml
from beredskap.extensions import db

LIBRARY = Path(__file__).resolve().parents[2] / "exercises"


def load_scenario_file(path: str | Path) -> Exercise:
    """Import a scenario YAML file (the CLI `exercises load`); raises ScenarioError or OSError when it cannot."""
    text = Path(path).read_text(encoding="utf-8")
    scenario = parse_scenario_yaml(text)
    try:
        return create_exercise(scenario)
    except DomainError as err:
        raise ValueError(err.message) from None


def seed_demo() -> list[str]:
    """Load the scenarios shipped in exercises/ as planned exercises, once each (matched by title)."""
    loaded = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        scenario = parse_scenario_yaml(path.read_text(encoding="utf-8"))
        exists_already = db.session.scalar(
            select(func.count()).select_from(Exercise).where(Exercise.title == scenario["title"])
        )
        if exists_already:
            continue
        create_exercise(scenario)
        loaded.append(scenario["title"])
    if not loaded:
        return ["Øvelsesscenarioene finnes allerede."]
    return [f"Øvelser lastet fra scenariobiblioteket: {', '.join(loaded)}"]


def library_scenarios() -> list[dict[str, Any]]:
    """The scenarios shipped in exercises/: file name, title, form, counts of objectives and injects."""
    result = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        try:
            scenario = parse_scenario_yaml(path.read_text(encoding="utf-8"))
        except (ScenarioError, OSError):
            continue
        result.append(
            {
                "file": path.name,
                "title": scenario["title"],
                "form": scenario["form"],
                "objectives": len(scenario["objectives"]),
                "injects": len(scenario["injects"]),
                "duration": scenario["duration"],
            }
        )
    return result


def load_library_scenario(file_name: str, *, actor: User | None = None) -> Exercise:
    """Create a planned exercise from one of the scenarios shipped in exercises/ (by file name)."""
    known = {path.name: path for path in LIBRARY.glob("*.yaml")}
    path = known.get(file_name)
    if path is None:
        raise NotFound(gettext("Ukjent scenario i biblioteket."))
    return import_scenario_yaml(path.read_text(encoding="utf-8"), actor=actor)
