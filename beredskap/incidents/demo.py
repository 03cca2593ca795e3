"""Demo data: a realistic action-card library per incident type and one exercise board to look at.

The data is in demo/incidents.yaml; this module stores it.
"""

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.extensions import db
from beredskap.incidents import actioncards, services, sitreps
from beredskap.incidents.models import ActionCard, Incident, IncidentKind, IncidentType, LogCategory

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "incidents.yaml"
_DATA = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))

# Cards per type ({title, description, assignee, due_minutes}), in the order the cards are worked.
ACTION_CARDS: dict[str, list[dict[str, Any]]] = {
    IncidentType(type_): cards for type_, cards in _DATA["action_cards"].items()
}
_BOARD = _DATA["exercise_board"]
DEMO_TITLE: str = _BOARD["title"]
DEMO_LOCATION: dict[str, Any] = _BOARD["location"]

# Cards whose measure is calling out a roster team (by title prefix); migration b8e41f0c2d17 marks them too.
ALERT_CARD_TEAMS = tuple((item["title_prefix"], item["team"]) for item in _DATA["alert_card_teams"])


def alert_team_of(title: str) -> str | None:
    return next((team for prefix, team in ALERT_CARD_TEAMS if title.startswith(prefix)), None)


def seed_action_cards() -> int:
    """Add the library's cards that are not there yet (by type and title); returns how many were added."""
    existing = {(c.type, c.title) for c in db.session.scalars(select(ActionCard))}
    added = 0
    for type_, cards in ACTION_CARDS.items():
        for position, card in enumerate(cards, start=1):
            if (type_, card["title"]) in existing:
                continue
            actioncards.create_action_card(
                {
                    "type": type_,
                    "title": card["title"],
                    "description": card["description"],
                    "assignee": card["assignee"],
                    "due_minutes": card["due_minutes"],
                    "position": position * 10,
                    "alert_team": alert_team_of(card["title"]),
                }
            )
            added += 1
    return added


def seed_exercise_board() -> bool:
    """One exercise board with log lines, tasks from the flood cards and a draft sitrep."""
    if db.session.scalar(select(Incident.id).where(Incident.title == DEMO_TITLE)):
        return False
    actor = db.session.scalar(select(User).where(User.username == "demo.coordinator"))
    incident = services.open_incident(
        title=DEMO_TITLE,
        kind=IncidentKind.EXERCISE,
        type_=IncidentType.FLOM,
        description=_BOARD["description"],
        severity=_BOARD["severity"],
        location=DEMO_LOCATION,
        actor=actor,
    )
    incident_id = incident.id
    for line in _BOARD["log"]:
        services.append_log_entry(
            incident_id,
            text=line["text"],
            category=LogCategory(line["category"]),
            source=line["source"],
            important=line["important"],
            actor=actor,
        )
    cards = actioncards.list_action_cards(IncidentType.FLOM)[: _BOARD["adopt_cards"]]
    actioncards.adopt_action_cards(incident_id, [c.id for c in cards], actor=actor)
    sitreps.create_sitrep(incident_id, prefill=True, actor=actor)
    return True


def seed_demo() -> list[str]:
    """Idempotent: a second run adds nothing."""
    lines = []
    added = seed_action_cards()
    lines.append(f"Tiltakskort: {added} lagt til." if added else "Tiltakskortene finnes allerede.")  # i18n: CLI output
    if seed_exercise_board():
        lines.append(f"Øvelsestavle opprettet: «{DEMO_TITLE}».")  # i18n: CLI output
    return lines
