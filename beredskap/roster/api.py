"""JSON API of the crisis organisation and alerting (CONTRACT §9)."""

from datetime import date

from flask import Response, current_app, jsonify
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import api_blueprint, expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.roster import alerting, board, organisation, outgoing, people, queue, rota
from beredskap.roster.cap import build_cap
from beredskap.roster.schemas import (
    AlertIn,
    AlertsQuery,
    DeliveriesQuery,
    GroupIn,
    OutboxQuery,
    PeopleQuery,
    PersonIn,
    PersonPatch,
    PositionIn,
    PositionPatch,
    ScheduleQuery,
    ShiftIn,
)
from beredskap.validation import use_body, use_query

bp = api_blueprint("roster_api", __name__)


def contacts_visible() -> bool:
    return current_user.can(Perm.ROSTER_CONTACTS)


# ---------------------------------------------------------------- organisation


@bp.get("/roster")
@require(Perm.ROSTER_READ)
def get_roster():
    """Positions with holder and deputies, and the alert groups."""
    return jsonify(organisation.roster_dict(contacts_visible()))


@bp.get("/roster/people")
@require(Perm.ROSTER_CONTACTS)
@use_query(PeopleQuery)
def list_people(query: PeopleQuery):
    """The people of the crisis organisation with phone and e-mail."""
    people = organisation.list_people(include_inactive=query.all == "1")
    return jsonify({"people": [organisation.person_dict(p, True) for p in people]})


@bp.post("/roster/people")
@require(Perm.ROSTER_WRITE)
@use_body(PersonIn)
def create_person(body: PersonIn):
    """Add a person."""
    person = organisation.create_person(name=body.name, phone=body.phone, email=body.email, actor=current_user)
    return jsonify(organisation.person_dict(person, True)), 201


@bp.patch("/roster/people/<int:person_id>")
@require(Perm.ROSTER_WRITE)
@use_body(PersonPatch)
def update_person(person_id: int, body: PersonPatch):
    """Change a person's name, phone, e-mail, active flag, functions or groups (with version); audited."""
    person = organisation.get_person(person_id)
    expect_version(body, person.version)
    changes = body.given("name", "phone", "email", "active", "groups")
    if body.positions is not None:
        changes["positions"] = {m.position_id: m.role for m in body.positions}
    person = people.edit_person(person_id, changes, body.version, actor=current_user)
    return jsonify(people.person_detail(person))


@bp.get("/roster/people/<int:person_id>")
@require(Perm.ROSTER_CONTACTS)
def get_person(person_id: int):
    """One person with contact details, functions (holder or deputy), groups and upcoming shifts."""
    return jsonify(people.person_detail(organisation.get_person(person_id)))


@bp.post("/roster/positions")
@require(Perm.ROSTER_WRITE)
@use_body(PositionIn)
def create_position(body: PositionIn):
    """Add a function to a team (e.g. a krisestab function)."""
    position = organisation.create_position(team=body.team.value, title=body.title, actor=current_user)
    return jsonify(organisation.position_dict(position, True)), 201


@bp.patch("/roster/positions/<int:position_id>")
@require(Perm.ROSTER_WRITE)
@use_body(PositionPatch)
def update_position(position_id: int, body: PositionPatch):
    """Change title, order, holder or ordered deputies (with version)."""
    position = organisation.get_position(position_id)
    expect_version(body, position.version)
    changes = body.given("title", "sort_order", "holder_id")
    if "deputy_ids" in body.model_fields_set:
        changes["deputy_ids"] = body.deputy_ids or []
    position = organisation.update_position(position_id, changes, body.version, actor=current_user)
    return jsonify(organisation.position_dict(position, True))


@bp.delete("/roster/positions/<int:position_id>")
@require(Perm.ROSTER_WRITE)
def delete_position(position_id: int):
    """Remove a function."""
    organisation.delete_position(position_id, actor=current_user)
    return "", 204


@bp.post("/roster/groups")
@require(Perm.ROSTER_WRITE)
@use_body(GroupIn)
def create_group(body: GroupIn):
    """Save a named alert list of positions and people."""
    group = organisation.create_group(
        title=body.title,
        key=body.key,
        position_ids=body.position_ids or [],
        person_ids=body.person_ids or [],
        actor=current_user,
    )
    return jsonify(organisation.group_dict(organisation.find_group(group.key), contacts_visible())), 201


@bp.delete("/roster/groups/<key>")
@require(Perm.ROSTER_WRITE)
def delete_group(key: str):
    """Delete a saved group."""
    organisation.delete_group(key, actor=current_user)
    return "", 204


@bp.get("/roster/schedule")
@require(Perm.ROSTER_READ)
@use_query(ScheduleQuery)
def get_schedule(query: ScheduleQuery):
    """The duty rota of every team with its gaps, from ?from=YYYY-MM-DD for ?days=N (default 7)."""
    return jsonify(rota.schedule_dict(query.from_ or date.today(), query.days, contacts_visible()))


@bp.post("/roster/shifts")
@require(Perm.ROSTER_WRITE)
@use_body(ShiftIn)
def create_shift(body: ShiftIn):
    """Put someone on duty for a team."""
    shift = rota.add_shift(
        team=body.team.value,
        person_id=body.person_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        note=body.note,
        actor=current_user,
    )
    return jsonify(rota.shift_dict(shift, True)), 201


@bp.delete("/roster/shifts/<int:shift_id>")
@require(Perm.ROSTER_WRITE)
def delete_shift(shift_id: int):
    """Remove a shift."""
    rota.delete_shift(shift_id, actor=current_user)
    return "", 204


# ---------------------------------------------------------------- alerts


@bp.post("/alerts")
@require(Perm.ALERT_SEND)
@use_body(AlertIn)
def create_alert(body: AlertIn):
    """Send an alert to a group; each member gets a personal answer link."""
    alert = alerting.send_alert(
        message=body.message,
        group=body.group,
        position_ids=body.positions,
        incident_id=body.incident_id,
        escalation_minutes=body.escalation_minutes,
        action_card_id=body.action_card_id,
        actor=current_user,
    )
    return jsonify(board.alert_dict(alert, contacts_visible())), 201


@bp.get("/alerts")
@require(Perm.ROSTER_READ)
@use_query(AlertsQuery)
def list_alerts(query: AlertsQuery):
    """Recent alerts, newest first (?incident_id=, ?limit=)."""
    alerts = board.list_alerts(query.incident_id, query.limit)
    return jsonify({"alerts": [board.alert_dict(a, contacts_visible()) for a in alerts]})


@bp.get("/alerts/<int:alert_id>")
@require(Perm.ROSTER_READ)
def get_alert(alert_id: int):
    """One alert with the status of every recipient."""
    return jsonify(board.alert_dict(board.get_alert(alert_id), contacts_visible()))


@bp.post("/alerts/<int:alert_id>/recipients/<int:recipient_id>/checkin")
@require(Perm.ALERT_SEND)
def check_in(alert_id: int, recipient_id: int):
    """Register that a recipient has arrived in the crisis room."""
    result = alerting.check_in_recipient(alert_id, recipient_id, actor=current_user)
    if not result.recorded:
        raise ApiError(
            409, "already_checked_in", gettext("Mottakeren er allerede registrert på plass. Ingenting er endret.")
        )
    return jsonify({**board.recipient_dict(result.recipient, contacts_visible()), "recorded": True})


@bp.get("/alerts/<int:alert_id>/cap.xml")
@require(Perm.ROSTER_READ)
def alert_cap(alert_id: int):
    """The alert as CAP 1.2 XML (status Exercise in an exercise)."""
    alert = board.get_alert(alert_id)
    return Response(
        build_cap(alerting.cap_data(alert, current_app.config.get("PUBLIC_BASE_URL", ""))),
        mimetype="application/xml",
        headers={"Content-Disposition": f'inline; filename="varsling-{alert.id}.cap.xml"'},
    )


@bp.get("/outbox")
@require(Perm.OUTBOX_READ)
@use_query(OutboxQuery)
def outbox(query: OutboxQuery):
    """Messages stored by the outbox backend, newest first."""
    return jsonify({"messages": queue.list_outbox(query.limit, query.alert_id)})


# ---------------------------------------------------------------- outgoing messages («Utsendinger»)


@bp.get("/deliveries")
@require(Perm.OUTBOX_READ)
@use_query(DeliveriesQuery)
def list_deliveries(query: DeliveriesQuery):
    """Every alert message in the delivery queue, newest first: recipient, channel, state, attempts, last error."""
    return jsonify({"deliveries": outgoing.list_deliveries(query.limit, query.state, query.alert_id)})


@bp.post("/deliveries/<int:delivery_id>/retry")
@require(Perm.ROSTER_WRITE)
def retry_delivery(delivery_id: int):
    """Send a failed, given-up or cancelled message again now."""
    delivery = outgoing.retry_delivery(delivery_id, current_user)
    return jsonify({"id": delivery.id, "state": delivery.state, "attempts": delivery.attempts})


@bp.post("/deliveries/<int:delivery_id>/cancel")
@require(Perm.ROSTER_WRITE)
def cancel_delivery(delivery_id: int):
    """Stop a message that has not been sent yet."""
    delivery = outgoing.cancel_delivery(delivery_id, current_user)
    return jsonify({"id": delivery.id, "state": delivery.state, "attempts": delivery.attempts})


@bp.get("/roster/duty")
@require(Perm.ROSTER_READ)
def duty_groups():
    """«Vakthavende» per team: whom an alert to `vakt:<team>` calls now, from the vaktliste."""
    return jsonify({"groups": rota.duty_groups(contacts_visible())})
