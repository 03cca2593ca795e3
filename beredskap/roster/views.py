"""Pages: the live roster board, rota, administration, the public answer link and the varslingsliste PDF."""

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.concurrency import render_report
from beredskap.errors import REFUSALS, refusal_status
from beredskap.extensions import db, limiter
from beredskap.forms import refusal
from beredskap.incidents.models import ActionCard, Incident, IncidentStatus
from beredskap.realtime.journal import last_seq
from beredskap.roster import alerting, board, organisation, reports, rota
from beredskap.roster.forms import (
    AnswerForm,
    BackToWeekForm,
    GroupForm,
    PersonForm,
    PositionEditForm,
    PositionForm,
    ShiftForm,
)
from beredskap.roster.models import TEAM_TITLES, Team
from beredskap.vocabulary import OSLO, SHORT_DATETIME_FORMAT

bp = Blueprint("roster", __name__)

# Lazy: each is read in the language of the request that shows it (the live board's roster.js has the same words).
STATUS_LABELS = {
    "sent": ("○", _l("Sendt – venter på svar")),
    "acknowledged": ("✔", _l("Kommer")),
    "declined": ("✖", _l("Kan ikke")),
    "escalated": ("↗", _l("Eskalert til stedfortreder")),
    "failed": ("⚠", _l("Feilet")),
}
DELIVERY_LABELS = {
    "pending": _l("I kø"),
    "sending": _l("Sendes …"),
    "sent": _l("Levert"),
    "failed": _l("Feilet, prøver igjen"),
    "gave_up": _l("Feilet, ga opp"),
    "none": _l("Ingen kontaktinfo"),
}
CHANNEL_LABELS = {"sms": "SMS", "email": _l("e-post")}


def _as_local(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(OSLO)


@bp.app_template_filter("roster_time")
def roster_time(value: datetime | str | None) -> str:
    """HH:MM in Europe/Oslo."""
    local = _as_local(value)
    return local.strftime("%H:%M") if local else ""


@bp.app_template_filter("roster_datetime")
def roster_datetime(value: datetime | str | None) -> str:
    """dd.mm. HH:MM in Europe/Oslo."""
    local = _as_local(value)
    return local.strftime(SHORT_DATETIME_FORMAT) if local else ""


@bp.app_template_filter("roster_end_time")
def roster_end_time(value: datetime | str | None) -> str:
    """Like roster_time, but a period ending at midnight ends at 24:00."""
    local = _as_local(value)
    if local is None:
        return ""
    return "24:00" if (local.hour, local.minute) == (0, 0) else local.strftime("%H:%M")


@bp.app_template_filter("roster_delivery")
def roster_delivery(recipient: dict) -> str:
    """The delivery state of one recipient in words (the live board writes the same in JS)."""
    deliveries = recipient.get("deliveries") or []
    state = recipient.get("delivery", "none")
    sent = [d for d in deliveries if d["state"] == "sent"] or deliveries
    channels = ", ".join(dict.fromkeys(str(CHANNEL_LABELS.get(d["channel"], d["channel"])) for d in sent))
    attempts = max((d["attempts"] for d in deliveries), default=0)
    if state == "sent":
        return gettext("Levert (%(channels)s)", channels=channels)
    if state == "failed":
        retry = min((d["next_attempt_at"] for d in deliveries if d.get("next_attempt_at")), default=None)
        if retry:
            return gettext("Feilet (%(n)s forsøk) – prøver igjen kl. %(time)s", n=attempts, time=roster_time(retry))
        return gettext("Feilet (%(n)s forsøk) – prøver igjen", n=attempts)
    if state == "gave_up":
        return gettext("Feilet – ga opp etter %(n)s forsøk", n=attempts)
    return str(DELIVERY_LABELS.get(state, state))


@bp.app_template_filter("roster_day")
def roster_day(value: date) -> str:
    """«man. 07.01.»: the short weekday in the user's language (CLDR; Norwegian gives man. … søn.), day and month."""
    return format_date(value, "EEE dd.MM.")  # i18n: a CLDR date pattern, not text


def _contacts() -> bool:
    return current_user.can(Perm.ROSTER_CONTACTS)


def _open_incidents() -> list[Incident]:
    stmt = select(Incident).where(Incident.status == IncidentStatus.OPEN).order_by(Incident.id.desc())
    return list(db.session.scalars(stmt))


def _labels() -> dict:
    return {"status_labels": STATUS_LABELS, "delivery_labels": DELIVERY_LABELS, "channel_labels": CHANNEL_LABELS}


def _card_for_alert(card_arg: str, incident_id: int | None, incidents: list[Incident]) -> dict | None:
    """The alerting action card the form was opened from (the board's «Send varsling nå»), with its incident."""
    incident = next((i for i in incidents if i.id == incident_id), None)
    if incident is None or not card_arg.isdecimal() or len(card_arg) > 9:
        return None
    card = db.session.get(ActionCard, int(card_arg))
    if card is None or not card.alert_team:
        return None
    return {"id": card.id, "title": card.title, "incident": incident, "message": f"{incident.title}: {card.title}."}


@bp.get("/roster")
@require_page(Perm.ROSTER_READ)
def roster_page():
    """The live roster board: positions, alert form, and every recent alert with who is coming."""
    contacts = _contacts()
    incident_id = request.args.get("incident_id", "")
    now = utcnow()
    gaps = {team.value: rota.team_gaps(team.value, now, now + timedelta(days=7)) for team in Team}
    positions = organisation.list_positions()
    teams = [
        {
            "key": team.value,
            "title": TEAM_TITLES[team],
            "positions": [p for p in positions if p.team == team],
            "gaps": gaps[team.value],
        }
        for team in Team
    ]
    alerts = [board.alert_dict(a, contacts) for a in board.list_alerts(limit=10)]
    incidents = _open_incidents()
    selected_incident = int(incident_id) if incident_id.isdecimal() and len(incident_id) < 10 else None
    return render_template(
        "roster/index.html",
        teams=teams,
        groups=organisation.list_groups(),
        duty_groups=rota.duty_groups(contacts, now),
        alerts=alerts,
        incidents=incidents,
        selected_incident=selected_incident,
        selected_group=request.args.get("group", ""),
        from_card=_card_for_alert(request.args.get("card", ""), selected_incident, incidents),
        contacts=contacts,
        can_send=current_user.can(Perm.ALERT_SEND),
        can_write=current_user.can(Perm.ROSTER_WRITE),
        last_seq=last_seq("global"),
        **_labels(),
    )


@bp.get("/roster/alerts/<int:alert_id>/card")
@require_page(Perm.ROSTER_READ)
def alert_card(alert_id: int):
    """One alert card (HTML fragment) for the live board to swap in."""
    alert = board.alert_dict(board.get_alert(alert_id), _contacts())
    return render_template(
        "roster/_alert_card.html",
        alert=alert,
        contacts=_contacts(),
        can_send=current_user.can(Perm.ALERT_SEND),
        **_labels(),
    )


# ---------------------------------------------------------------- rota


@bp.get("/roster/vaktliste")
@require_page(Perm.ROSTER_READ)
def schedule_page():
    """The duty rota of every team for a week, gaps in 24/7 cover highlighted."""
    raw = request.args.get("from", "")
    try:
        first = date.fromisoformat(raw) if raw else datetime.now(OSLO).date()
        if not 2000 <= first.year <= 2100:
            raise ValueError(raw)
    except ValueError:
        first = datetime.now(OSLO).date()
    contacts = _contacts()
    can_write = current_user.can(Perm.ROSTER_WRITE)
    return render_template(
        "roster/schedule.html",
        teams=rota.schedule_view(first, 7),
        first=first,
        previous=first - timedelta(days=7),
        following=first + timedelta(days=7),
        contacts=contacts,
        can_write=can_write,
        people=organisation.list_people() if can_write else [],
        team_titles={t.value: TEAM_TITLES[t] for t in Team},
    )


@bp.post("/roster/shifts")
@require_page(Perm.ROSTER_WRITE)
def shift_create():
    """Add a shift from the rota page form."""
    form = ShiftForm()
    try:
        if not form.validate():
            raise refusal(form)
        rota.add_shift(
            team=form.team.data,
            person_id=int(form.person_id.data),
            starts_at=form.starts_at.data,
            ends_at=form.ends_at.data,
            note=form.note.data,
            actor=current_user,
        )
        flash(gettext("Vakten er lagt til."), "success")
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("roster.schedule_page", **form.week()))


@bp.post("/roster/shifts/<int:shift_id>/delete")
@require_page(Perm.ROSTER_WRITE)
def shift_delete(shift_id: int):
    """Remove a shift."""
    try:
        rota.delete_shift(shift_id, actor=current_user)
        flash(gettext("Vakten er fjernet."), "success")
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("roster.schedule_page", **BackToWeekForm().week()))


# ---------------------------------------------------------------- administration


@bp.get("/roster/admin")
@require_page(Perm.ROSTER_WRITE)
def manage_page():
    """People, functions and saved groups."""
    return render_template(
        "roster/manage.html",
        people=organisation.list_people(include_inactive=True),
        positions=organisation.list_positions(),
        groups=organisation.list_groups(),
        team_titles={t.value: TEAM_TITLES[t] for t in Team},
    )


@bp.post("/roster/people")
@require_page(Perm.ROSTER_WRITE)
def person_create():
    """Add a person from the form."""
    form = PersonForm()
    try:
        organisation.create_person(
            name=form.name.data, phone=form.phone.data, email=form.email.data, actor=current_user
        )
        flash(gettext("Personen er lagt til."), "success")
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("roster.manage_page"))


@bp.post("/roster/positions")
@require_page(Perm.ROSTER_WRITE)
def position_create():
    """Add a function to a team from the form."""
    form = PositionForm()
    try:
        position = organisation.create_position(team=form.team.data, title=form.title.data, actor=current_user)
        flash(gettext("Funksjonen «%(title)s» er lagt til.", title=position.title), "success")
        return redirect(url_for("roster.position_edit", position_id=position.id))
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("roster.manage_page"))


@bp.route("/roster/positions/<int:position_id>/edit", methods=["GET", "POST"])
@require_page(Perm.ROSTER_WRITE)
def position_edit(position_id: int):
    """Title, holder and ordered deputies of one function."""
    position = organisation.get_position(position_id)
    if request.method == "POST":
        form = PositionEditForm()
        try:
            if not form.validate():
                raise refusal(form)
            organisation.update_position(position_id, form.changes(), int(form.version.data), actor=current_user)
            flash(gettext("Funksjonen er oppdatert."), "success")
            return redirect(url_for("roster.roster_page") + f"#position-{position_id}")
        except REFUSALS as err:
            db.session.rollback()
            flash(err.message, "error")
            return redirect(url_for("roster.position_edit", position_id=position_id))
    return render_template(
        "roster/position_edit.html",
        position=position,
        # A deactivated holder or deputy stays selectable here, so saving the form does not drop them silently.
        people=[
            p
            for p in organisation.list_people(include_inactive=True)
            if p.active or p.id == position.holder_id or any(d.person_id == p.id for d in position.deputies)
        ],
        team_title=TEAM_TITLES.get(position.team, position.team),
        deputy_slots=organisation.MAX_DEPUTIES,
    )


@bp.post("/roster/positions/<int:position_id>/delete")
@require_page(Perm.ROSTER_WRITE)
def position_delete(position_id: int):
    """Remove a function."""
    try:
        organisation.delete_position(position_id, actor=current_user)
        flash(gettext("Funksjonen er slettet."), "success")
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("roster.manage_page"))


@bp.post("/roster/groups")
@require_page(Perm.ROSTER_WRITE)
def group_create():
    """Save a group from the form."""
    form = GroupForm()
    try:
        organisation.create_group(title=form.title.data, position_ids=form.position_id.data, actor=current_user)
        flash(gettext("Gruppen er lagret."), "success")
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("roster.manage_page"))


@bp.post("/roster/groups/<key>/delete")
@require_page(Perm.ROSTER_WRITE)
def group_delete(key: str):
    """Delete a saved group."""
    try:
        organisation.delete_group(key, actor=current_user)
        flash(gettext("Gruppen er slettet."), "success")
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("roster.manage_page"))


# ---------------------------------------------------------------- PDF


def _pdf_response(data: dict, filename: str) -> Response:
    from beredskap.reports.roster import build_alert_list

    pdf = render_report(build_alert_list, data)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.get("/roster/varslingsliste.pdf")
@require_page(Perm.ROSTER_CONTACTS)
def alert_list_pdf():
    """Printable varslingsliste: every function with holder, deputies and phone numbers."""
    return _pdf_response(reports.alert_list_data(current_user), "varslingsliste.pdf")


@bp.get("/roster/alerts/<int:alert_id>/varslingsliste.pdf")
@require_page(Perm.ROSTER_CONTACTS)
def alert_status_pdf(alert_id: int):
    """Varslingsliste with the answers of one alert."""
    return _pdf_response(reports.alert_status_data(alert_id, current_user), f"varsling-{alert_id}.pdf")


# ---------------------------------------------------------------- the personal answer link (no login)


def _ack_render(recipient, status: int = 200, message: str | None = None, recorded: bool = False):
    alert = recipient.alert
    return render_template(
        "roster/ack.html",
        recipient=recipient,
        alert=alert,
        token=request.view_args["token"],
        message=message,
        recorded=recorded,
        exercise_mode=alert.exercise,
        status_labels=STATUS_LABELS,
        eta_choices=alerting.ETA_CHOICES,
    ), status


def _ack_limit() -> str:
    return current_app.config["ACK_FAILURE_RATE_LIMIT"]


def _ack_link_valid() -> bool:
    """A live answer link is never rate-limited: whoever holds it must always get through."""
    try:
        alerting.recipient_for_token((request.view_args or {}).get("token", ""))
    except alerting.LinkRefused:
        return False
    finally:
        db.session.rollback()
    return True


def _ack_failed(response) -> bool:
    """Only forged (404) and expired (410) links count against the client."""
    return response.status_code in (404, 410)


@bp.route("/ack/<token>", methods=["GET", "POST"])
@limiter.limit(_ack_limit, exempt_when=_ack_link_valid, deduct_when=_ack_failed, scope="ack")
def ack_page(token: str):
    """The personal link: GET shows the alert and its form; only a POST records «kommer»/«kan ikke» once."""
    form = AnswerForm()
    answer = form.answer.data if request.method == "POST" else None
    action = form.action.data if request.method == "POST" else None
    try:
        if action == "checkin":
            result = alerting.check_in_by_token(token)
            if result.recorded:
                text = gettext("Du er registrert på plass i kriserommet.")
            else:
                text = gettext("Du er allerede registrert.")
            return _ack_render(result.recipient, 200 if result.recorded else 409, text, result.recorded)
        if answer:
            result = alerting.answer_alert(token, answer, eta_minutes=alerting.parse_eta(form.eta.data))
            if not result.recorded:
                label = STATUS_LABELS.get(result.recipient.status, ("", result.recipient.status))[1]
                text = gettext("Du har allerede svart: «%(answer)s». Svaret er ikke endret.", answer=label)
                return _ack_render(result.recipient, 409, text)
            return _ack_render(result.recipient, 200, gettext("Takk! Svaret ditt er registrert."), True)
        return _ack_render(alerting.recipient_for_token(token))
    except REFUSALS as err:
        # A wrong answer value or a check-in before «kommer»: show the alert again with the reason.
        db.session.rollback()
        try:
            return _ack_render(alerting.recipient_for_token(token), refusal_status(err), err.message)
        except alerting.LinkRefused as refused:
            return _ack_refused(refused)
    except alerting.LinkRefused as err:
        return _ack_refused(err)


def _ack_refused(err: "alerting.LinkRefused"):
    title = gettext("Lenken er utløpt") if err.status == 410 else gettext("Ugyldig lenke")
    return render_template("roster/ack_refused.html", title=title, message=err.message), err.status
