"""JSON API of the crisis organisation and alerting (CONTRACT §9)."""

from datetime import date, datetime

from flask import Response, current_app, jsonify, request
from flask_login import current_user

from beredskap.api import api_blueprint, expect_version, field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.roster import alerting, board, organisation, outgoing, queue, rota
from beredskap.roster.cap import build_cap
from beredskap.roster.models import Team

bp = api_blueprint("roster_api", __name__)


def contacts_visible() -> bool:
    return current_user.can(Perm.ROSTER_CONTACTS)


def int_list(data: dict, name: str) -> list[int] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ApiError(422, "invalid", f"«{name}» må være en liste av heltall.", {name: "feil type"})
    if len(value) > 200:
        raise ApiError(422, "invalid", f"«{name}» er for lang.", {name: "for lang"})
    return value


def int_arg(name: str, default: int | None = None, lo: int = 1, hi: int = 10**9) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdecimal() or not lo <= int(raw) <= hi:
        raise ApiError(400, "invalid", f"«{name}» må være et heltall fra {lo} til {hi}.", {name: "ugyldig"})
    return int(raw)


def parse_time(data: dict, name: str) -> datetime:
    value = field(data, name, str, required=True, max_length=40)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid", f"«{name}» må være en ISO 8601-tid.", {name: "format"}) from None
    if parsed.tzinfo is None:
        raise ApiError(422, "invalid", f"«{name}» må ha tidssone (f.eks. +01:00).", {name: "tidssone"})
    if not 2000 <= parsed.year <= 2100:
        raise ApiError(422, "invalid", f"«{name}» må ligge mellom år 2000 og 2100.", {name: "utenfor"})
    return parsed


# ---------------------------------------------------------------- organisation


@bp.get("/roster")
@require(Perm.ROSTER_READ)
def get_roster():
    """Positions with holder and deputies, and the alert groups."""
    return jsonify(organisation.roster_dict(contacts_visible()))


@bp.get("/roster/people")
@require(Perm.ROSTER_CONTACTS)
def list_people():
    """The people of the crisis organisation with phone and e-mail."""
    people = organisation.list_people(include_inactive=request.args.get("all") == "1")
    return jsonify({"people": [organisation.person_dict(p, True) for p in people]})


@bp.post("/roster/people")
@require(Perm.ROSTER_WRITE)
def create_person():
    """Add a person."""
    data = json_body()
    person = organisation.create_person(
        name=field(data, "name", str, required=True, max_length=200),
        phone=field(data, "phone", str, default="", max_length=40),
        email=field(data, "email", str, default="", max_length=200),
        actor=current_user,
    )
    return jsonify(organisation.person_dict(person, True)), 201


@bp.patch("/roster/people/<int:person_id>")
@require(Perm.ROSTER_WRITE)
def update_person(person_id: int):
    """Change a person's name, phone, e-mail or active flag (with version)."""
    data = json_body()
    person = organisation.get_person(person_id)
    expect_version(data, person.version)
    changes = {}
    for name, kind, length in (("name", str, 200), ("phone", str, 40), ("email", str, 200), ("active", bool, None)):
        if name in data:
            changes[name] = field(data, name, kind, max_length=length)
    person = organisation.update_person(person_id, changes, data["version"], actor=current_user)
    return jsonify(organisation.person_dict(person, True))


@bp.post("/roster/positions")
@require(Perm.ROSTER_WRITE)
def create_position():
    """Add a function to a team (e.g. a krisestab function)."""
    data = json_body()
    position = organisation.create_position(
        team=field(data, "team", str, required=True, choices=tuple(t.value for t in Team)),
        title=field(data, "title", str, required=True, max_length=200),
        actor=current_user,
    )
    return jsonify(organisation.position_dict(position, True)), 201


@bp.patch("/roster/positions/<int:position_id>")
@require(Perm.ROSTER_WRITE)
def update_position(position_id: int):
    """Change title, order, holder or ordered deputies (with version)."""
    data = json_body()
    position = organisation.get_position(position_id)
    expect_version(data, position.version)
    changes: dict = {}
    if "title" in data:
        changes["title"] = field(data, "title", str, required=True, max_length=200)
    if "sort_order" in data:
        changes["sort_order"] = field(data, "sort_order", int, required=True)
    if "holder_id" in data:
        changes["holder_id"] = field(data, "holder_id", int)
    if "deputy_ids" in data:
        changes["deputy_ids"] = int_list(data, "deputy_ids") or []
    position = organisation.update_position(position_id, changes, data["version"], actor=current_user)
    return jsonify(organisation.position_dict(position, True))


@bp.delete("/roster/positions/<int:position_id>")
@require(Perm.ROSTER_WRITE)
def delete_position(position_id: int):
    """Remove a function."""
    organisation.delete_position(position_id, actor=current_user)
    return "", 204


@bp.post("/roster/groups")
@require(Perm.ROSTER_WRITE)
def create_group():
    """Save a named alert list of positions and people."""
    data = json_body()
    group = organisation.create_group(
        title=field(data, "title", str, required=True, max_length=200),
        key=field(data, "key", str, max_length=60),
        position_ids=int_list(data, "position_ids") or [],
        person_ids=int_list(data, "person_ids") or [],
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
def get_schedule():
    """The duty rota of every team with its gaps, from ?from=YYYY-MM-DD for ?days=N (default 7)."""
    raw = request.args.get("from")
    try:
        first = date.fromisoformat(raw) if raw else date.today()
        if not 2000 <= first.year <= 2100:
            raise ValueError(raw)
    except ValueError:
        raise ApiError(400, "invalid", "«from» må være en dato (ÅÅÅÅ-MM-DD).", {"from": "format"}) from None
    days = int_arg("days", 7, 1, 62)
    return jsonify(rota.schedule_dict(first, days, contacts_visible()))


@bp.post("/roster/shifts")
@require(Perm.ROSTER_WRITE)
def create_shift():
    """Put someone on duty for a team."""
    data = json_body()
    shift = rota.add_shift(
        team=field(data, "team", str, required=True, choices=tuple(t.value for t in Team)),
        person_id=field(data, "person_id", int, required=True),
        starts_at=parse_time(data, "starts_at"),
        ends_at=parse_time(data, "ends_at"),
        note=field(data, "note", str, default="", max_length=200),
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


def minutes_field(data: dict) -> int | None:
    minutes = field(data, "escalation_minutes", int)
    if minutes is not None and not 1 <= minutes <= 1440:
        raise ApiError(422, "invalid", "«escalation_minutes» må være 1–1440.", {"escalation_minutes": "1–1440"})
    return minutes


@bp.post("/alerts")
@require(Perm.ALERT_SEND)
def create_alert():
    """Send an alert to a group; each member gets a personal answer link."""
    data = json_body()
    alert = alerting.send_alert(
        message=field(data, "message", str, required=True, max_length=alerting.MAX_MESSAGE),
        group=field(data, "group", str, max_length=400),
        position_ids=int_list(data, "positions"),
        incident_id=field(data, "incident_id", int),
        escalation_minutes=minutes_field(data),
        action_card_id=field(data, "action_card_id", int),
        actor=current_user,
    )
    return jsonify(board.alert_dict(alert, contacts_visible())), 201


@bp.get("/alerts")
@require(Perm.ROSTER_READ)
def list_alerts():
    """Recent alerts, newest first (?incident_id=, ?limit=)."""
    alerts = board.list_alerts(int_arg("incident_id"), int_arg("limit", 20, 1, 200))
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
        raise ApiError(409, "already_checked_in", "Mottakeren er allerede registrert på plass. Ingenting er endret.")
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
def outbox():
    """Messages stored by the outbox backend, newest first."""
    return jsonify({"messages": queue.list_outbox(int_arg("limit", 200, 1, 1000), int_arg("alert_id"))})


# ---------------------------------------------------------------- outgoing messages («Utsendinger»)

@bp.get("/deliveries")
@require(Perm.OUTBOX_READ)
def list_deliveries():
    """Every alert message in the delivery queue, newest first: recipient, channel, state, attempts, last error."""
    state = request.args.get("state") or None
    if state is not None and state not in outgoing.DELIVERY_STATES:
        choices = ", ".join(outgoing.DELIVERY_STATES)
        raise ApiError(400, "invalid", f"«state» må være en av {choices}.", {"state": "ugyldig"})
    rows = outgoing.list_deliveries(int_arg("limit", 200, 1, 1000), state, int_arg("alert_id"))
    return jsonify({"deliveries": rows})


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
