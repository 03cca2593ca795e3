"""Action cards (tiltakskort): the library per incident type, and turning cards into tasks on a board."""

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.incidents.models import ActionCard, IncidentStatus, IncidentType, Task, TaskStatus
from beredskap.incidents.services import actor_name, add_task_from_card, get_incident, lock_incident
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional
from beredskap.vocabulary import TEAM_TITLES

MAX_DUE_MINUTES = 7 * 24 * 60
CARD_FIELDS = ("type", "title", "description", "assignee", "due_minutes", "position", "alert_team")


def list_action_cards(type_: str | None = None) -> list[ActionCard]:
    """The library, by type and position."""
    stmt = select(ActionCard).order_by(ActionCard.type, ActionCard.position, ActionCard.id)
    if type_:
        stmt = stmt.where(ActionCard.type == type_)
    return list(db.session.scalars(stmt))


def get_action_card(card_id: int) -> ActionCard:
    return get_or_not_found(ActionCard, card_id, gettext("Ukjent tiltakskort."))


def validate_card(values: dict) -> dict:
    """Check the fields of a card; 422 with a Norwegian message on the first wrong one."""
    if "type" in values and values["type"] not in tuple(IncidentType):
        raise Invalid("invalid", gettext("Ukjent hendelsestype."), {"type": "ugyldig"})
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title:
            raise Invalid("invalid", gettext("Tiltakskortet må ha en tittel."), {"title": "påkrevd"})
        if len(title) > 300:
            raise Invalid("invalid", gettext("Tittelen er for lang (maks 300 tegn)."), {"title": "for lang"})
        values["title"] = title
    if "description" in values:
        values["description"] = (values["description"] or "").strip()
        if len(values["description"]) > 4000:
            raise Invalid("invalid", gettext("Beskrivelsen er for lang (maks 4000 tegn)."), {"description": "for lang"})
    if "assignee" in values:
        values["assignee"] = (values["assignee"] or "").strip()
        if len(values["assignee"]) > 200:
            raise Invalid("invalid", gettext("Ansvarlig er for langt (maks 200 tegn)."), {"assignee": "for lang"})
    minutes = values.get("due_minutes")
    if minutes is not None and (
        not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= MAX_DUE_MINUTES
    ):
        raise Invalid(
            "invalid", gettext("Fristen må være et helt antall minutter (1–10080)."), {"due_minutes": "ugyldig"}
        )
    position = values.get("position")
    if position is not None and (not isinstance(position, int) or isinstance(position, bool)):
        raise Invalid("invalid", gettext("Rekkefølgen må være et heltall."), {"position": "ugyldig"})
    if "alert_team" in values:
        team = values["alert_team"]
        if team is not None and not isinstance(team, str):
            raise Invalid(
                "invalid",
                gettext("%(label)s må være et team eller tomt.", label=label("alert_team")),
                {"alert_team": "ugyldig"},
            )
        team = (team or "").strip() or None
        if team is not None and team not in alert_teams():
            raise Invalid(
                "invalid",
                gettext("Ukjent team å varsle; velg et av: %(teams)s.", teams=", ".join(alert_teams())),
                {"alert_team": "ukjent"},
            )
        values["alert_team"] = team
    return values


def alert_teams() -> dict[str, str]:
    """The roster's teams an alerting card may call out (key → title); empty when the roster is not installed."""
    return {str(team): title for team, title in TEAM_TITLES.items()}


def _card_event(card: ActionCard) -> dict:
    return {"id": card.id, "type": card.type, "title": card.title, "version": card.version}


@transactional
def create_action_card(values: dict, actor: User | None = None) -> ActionCard:
    """Add a card to the library of its incident type."""
    values = validate_card({key: values.get(key) for key in CARD_FIELDS if key in values})
    if "type" not in values or "title" not in values:
        raise Invalid(
            "invalid", gettext("Tiltakskortet må ha type og tittel."), {"type": "påkrevd", "title": "påkrevd"}
        )
    if values.get("position") is None:
        last = db.session.scalar(
            select(ActionCard.position)
            .where(ActionCard.type == values["type"])
            .order_by(ActionCard.position.desc())
            .limit(1)
        )
        values["position"] = (last or 0) + 10
    now = utcnow()
    card = ActionCard(**{k: v for k, v in values.items() if v is not None}, created_at=now, updated_at=now)
    db.session.add(card)
    db.session.flush()
    append_event("global", "actioncard.created", _card_event(card), actor_id=actor.id if actor else None)
    db.session.commit()
    return card


@transactional
def update_action_card(card_id: int, changes: dict, version: int, actor: User | None = None) -> ActionCard:
    """Edit a card; a stale version is a 409."""
    card = get_action_card(card_id)
    if card.version != version:
        raise Conflict(
            "version_conflict",
            gettext("Tiltakskortet er endret av noen andre i mellomtiden. Last inn på nytt og prøv igjen."),
        )
    changes = validate_card({key: changes[key] for key in CARD_FIELDS if key in changes})
    for key, value in changes.items():
        if key in ("type", "title") and value is None:
            continue
        setattr(card, key, value)
    card.updated_at = utcnow()
    db.session.flush()
    append_event("global", "actioncard.updated", _card_event(card), actor_id=actor.id if actor else None)
    db.session.commit()
    return card


@transactional
def delete_action_card(card_id: int, actor: User | None = None) -> None:
    """Remove a card from the library; tasks made from it stay."""
    card = get_action_card(card_id)
    data = _card_event(card)
    db.session.delete(card)
    db.session.flush()
    append_event("global", "actioncard.deleted", data, actor_id=actor.id if actor else None)
    db.session.commit()


def incident_action_cards(incident_id: int) -> list[dict]:
    """The cards of the incident's type, each with the id of the task made from it (or None)."""
    incident = get_incident(incident_id)
    adopted = {
        card_id: task_id
        for task_id, card_id in db.session.execute(
            select(Task.id, Task.action_card_id).where(
                Task.incident_id == incident_id, Task.action_card_id.is_not(None)
            )
        )
    }
    return [{**card.to_dict(), "task_id": adopted.get(card.id)} for card in list_action_cards(incident.type)]


@transactional
def adopt_action_cards(incident_id: int, card_ids: list[int] | None = None, actor: User | None = None) -> list[Task]:
    """Make tasks of the given cards (default: every card of the type not yet on the board).

    A card already made into a task on this board is skipped, so a double click creates no duplicate.
    """
    incident = get_incident(incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("closed", gettext("Hendelsen er avsluttet."))
    lock_incident(incident_id)
    cards = list_action_cards(incident.type if card_ids is None else None)
    if card_ids is not None:
        wanted = set(card_ids)
        cards = [card for card in cards if card.id in wanted]
        if len(cards) != len(wanted):
            raise Invalid("invalid", gettext("Ett eller flere tiltakskort finnes ikke."), {"card_ids": "ukjent"})
    done = set(
        db.session.scalars(
            select(Task.action_card_id).where(Task.incident_id == incident_id, Task.action_card_id.is_not(None))
        )
    )
    tasks = [add_task_from_card(incident, card, actor) for card in cards if card.id not in done]
    db.session.commit()
    return tasks


def complete_card_by_alert(incident_id: int, card_id: int, actor: User | None = None) -> Task:
    """The alert of an alerting card is being sent: its task on the board is done (made now if missing).

    Part of the sending transaction, so the alert and the done task are committed together or not at all.
    """
    incident = get_incident(incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("closed", gettext("Hendelsen er avsluttet."))
    card = db.session.get(ActionCard, card_id)
    if card is None:
        raise Invalid("invalid", gettext("Tiltakskortet finnes ikke."), {"action_card_id": "ukjent"})
    if not card.alert_team:
        raise Invalid("invalid", gettext("Tiltakskortet er ikke en varsling."), {"action_card_id": "ikke varsling"})
    lock_incident(incident_id)
    task = db.session.scalar(
        select(Task).where(Task.incident_id == incident_id, Task.action_card_id == card_id).order_by(Task.id).limit(1)
    )
    if task is None:
        task = add_task_from_card(incident, card, actor)
    if task.status != TaskStatus.DONE:
        task.status = TaskStatus.DONE
        task.updated_at = utcnow()
        task.updated_by = actor_name(actor)
        db.session.flush()
        append_event(incident.channel, "task.updated", task.to_dict(), actor_id=actor.id if actor else None)
    return task
