"""Pages: the incident list with the open form, the live board, sitrep forms and PDF, the action-card library."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.concurrency import render_report
from beredskap.errors import REFUSALS, ApiError, refusal_status
from beredskap.forms import errors_of, refusal
from beredskap.geo import parse_point
from beredskap.incidents import actioncards, services, sitreps
from beredskap.incidents.board import LOG_SOURCES, POSITIONS, board_snapshot
from beredskap.incidents.forms import ActionCardForm, OpenIncidentForm, SitrepForm, VersionForm
from beredskap.incidents.models import (
    INCIDENT_TYPE_TITLES,
    KIND_TITLES,
    SEVERITY_TITLES,
    SITREP_SECTIONS,
    SITREP_STATUS_TITLES,
    STATUS_TITLES,
    IncidentKind,
    IncidentType,
    SitrepStatus,
)
from beredskap.incidents.report import render_sitrep_pdf
from beredskap.realtime.journal import last_seq
from beredskap.routing import is_digits

bp = Blueprint("incidents", __name__)


def _titles() -> dict:
    from beredskap.i18n import translated

    return {
        "type_titles": translated(INCIDENT_TYPE_TITLES),
        "kind_titles": translated(KIND_TITLES),
        "severity_titles": translated(SEVERITY_TITLES),
        "status_titles": translated(STATUS_TITLES),
        "sitrep_status_titles": translated(SITREP_STATUS_TITLES),
    }


def _list_context(form: dict | None = None, error: str | None = None, errors: dict | None = None) -> dict:
    incidents = services.list_incidents()
    return {
        "open_incidents": [i for i in incidents if i.status == "open"],
        "closed_incidents": [i for i in incidents if i.status == "closed"],
        "global_seq": last_seq("global"),
        "incident_types": list(IncidentType),
        "form": form or {},
        "error": error,
        "errors": errors or {},
        **_titles(),
    }


@bp.get("/incidents")
@require_page(Perm.INCIDENT_READ)
def list_page():
    """Open and closed incidents, and the form to open one."""
    return render_template("incidents/list.html", **_list_context())


@bp.post("/incidents")
@require_page(Perm.INCIDENT_WRITE)
def open_page():
    """Open an incident from the form and go to its board."""
    form = OpenIncidentForm()
    if not form.validate():
        context = _list_context(form.submitted(), form.first_error(), form.field_errors())
        return render_template("incidents/list.html", **context), 422
    try:
        coordinates = form.coordinates()
        incident = services.open_incident(
            title=form.title.data,
            kind=form.kind.data or IncidentKind.INCIDENT,
            type_=form.type.data or IncidentType.ANNET,
            description=form.description.data,
            severity=form.severity.data,
            location=parse_point({"type": "Point", "coordinates": coordinates}) if coordinates else None,
            adopt_action_cards=form.adopt_action_cards.data == "on",
            actor=current_user,
        )
    except REFUSALS as err:
        if refusal_status(err) >= 500 or refusal_status(err) in (401, 403):
            raise
        errors = errors_of(err)
        if "location" in errors:
            errors["lat"] = errors.pop("location")
        context = _list_context(form.submitted(), err.message, errors)
        return render_template("incidents/list.html", **context), refusal_status(err)
    return redirect(url_for("incidents.board_page", incident_id=incident.id))


@bp.get("/incidents/<int:incident_id>")
@require_page(Perm.INCIDENT_READ)
def board_page(incident_id: int):
    """The live board: log, tasks, action cards, situation reports and who is here."""
    state = board_snapshot(incident_id, current_user)
    incident = services.get_incident(incident_id)
    return render_template(
        "incidents/board.html",
        incident=incident,
        state=state,
        exercise_mode=incident.is_exercise,
        sources=LOG_SOURCES,
        positions=POSITIONS,
        **_titles(),
    )


@bp.get("/incidents/<int:incident_id>/sitrep.pdf")
@require_page(Perm.INCIDENT_READ)
def sitrep_pdf(incident_id: int):
    """The latest issued situation report (or the newest draft, marked UTKAST) as PDF; `?sitrep=<id>` for one."""
    raw = request.args.get("sitrep")
    if raw is not None and (not is_digits(raw) or len(raw) > 12):
        raise ApiError(400, "invalid", gettext("sitrep må være et rapport-id."))
    data = sitreps.sitrep_report_data(incident_id, int(raw) if raw else None)
    pdf = render_report(render_sitrep_pdf, data)
    number = data["number"] or "utkast"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="situasjonsrapport-{incident_id}-{number}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/incidents/<int:incident_id>/sitreps")
@require_page(Perm.SITREP_WRITE)
def new_sitrep_page(incident_id: int):
    """Start the next situation report, drafted from the board."""
    sitrep = sitreps.create_sitrep(incident_id, prefill=True, actor=current_user)
    return redirect(url_for("incidents.sitrep_page", incident_id=incident_id, sitrep_id=sitrep.id))


def _render_sitrep(
    incident_id: int,
    sitrep_id: int,
    sections: dict | None = None,
    error: str | None = None,
    status: int = 200,
    errors: dict | None = None,
):
    incident = services.get_incident(incident_id)
    sitrep = sitreps.get_sitrep(sitrep_id, incident_id)
    shown = dict(sitrep.sections or {})
    if sections is not None:
        shown.update(sections)
    return render_template(
        "incidents/sitrep.html",
        incident=incident,
        sitrep=sitrep,
        sections=SITREP_SECTIONS,
        shown=shown,
        error=error,
        errors=errors or {},
        exercise_mode=incident.is_exercise,
        editable=sitrep.status == SitrepStatus.DRAFT and current_user.can(Perm.SITREP_WRITE),
        **_titles(),
    ), status


@bp.get("/incidents/<int:incident_id>/sitreps/<int:sitrep_id>")
@require_page(Perm.INCIDENT_READ)
def sitrep_page(incident_id: int, sitrep_id: int):
    """A situation report: the form while it is a draft, else read-only with its approval."""
    return _render_sitrep(incident_id, sitrep_id)


@bp.post("/incidents/<int:incident_id>/sitreps/<int:sitrep_id>/save")
@require_page(Perm.SITREP_WRITE)
def save_sitrep_page(incident_id: int, sitrep_id: int):
    """Save the draft; a stale version keeps what the user wrote and says so."""
    form = SitrepForm()
    sections = {key: form[key].data for key, _ in SITREP_SECTIONS}
    if not form.validate():
        sitreps.get_sitrep(sitrep_id, incident_id)
        return _render_sitrep(incident_id, sitrep_id, sections, form.first_error(), 422, form.field_errors())
    try:
        sitreps.get_sitrep(sitrep_id, incident_id)
        sitreps.update_sitrep(sitrep_id, sections, form.version.data, actor=current_user)
    except REFUSALS as err:
        if refusal_status(err) not in (409, 422):
            raise
        message = err.message
        if err.code == "version_conflict":
            message = gettext(
                "Noen andre har lagret rapporten mens du skrev. Teksten i skjemaet er din; den lagrede "
                "versjonen er lastet inn i bakgrunnen. Se over og lagre igjen for å overskrive."
            )
        return _render_sitrep(incident_id, sitrep_id, sections, message, refusal_status(err), errors_of(err))
    flash(gettext("Utkastet er lagret."), "success")
    return redirect(url_for("incidents.sitrep_page", incident_id=incident_id, sitrep_id=sitrep_id))


def _transition(incident_id: int, sitrep_id: int, action, done_message: str):
    form = VersionForm()
    try:
        sitreps.get_sitrep(sitrep_id, incident_id)
        if not form.validate():
            raise refusal(form)
        action(sitrep_id, form.version.data, actor=current_user)
    except REFUSALS as err:
        if refusal_status(err) not in (409, 422):
            raise
        flash(err.message, "error")
    else:
        flash(done_message, "success")
    return redirect(url_for("incidents.sitrep_page", incident_id=incident_id, sitrep_id=sitrep_id))


@bp.post("/incidents/<int:incident_id>/sitreps/<int:sitrep_id>/approve")
@require_page(Perm.SITREP_APPROVE)
def approve_sitrep_page(incident_id: int, sitrep_id: int):
    """Approve the draft (coordinator)."""
    return _transition(incident_id, sitrep_id, sitreps.approve_sitrep, gettext("Rapporten er godkjent."))


@bp.post("/incidents/<int:incident_id>/sitreps/<int:sitrep_id>/issue")
@require_page(Perm.SITREP_WRITE)
def issue_sitrep_page(incident_id: int, sitrep_id: int):
    """Issue the approved report."""
    return _transition(incident_id, sitrep_id, sitreps.issue_sitrep, gettext("Rapporten er sendt ut."))


# --- action-card library ----------------------------------------------------------------------------------


@bp.get("/incidents/tiltakskort")
@require_page(Perm.INCIDENT_READ)
def actioncards_page():
    """The library of action cards per incident type."""
    cards = actioncards.list_action_cards()
    by_type = {t: [c for c in cards if c.type == t] for t in IncidentType}
    return render_template(
        "incidents/actioncards.html",
        by_type=by_type,
        positions=POSITIONS,
        can_edit=current_user.can(Perm.ACTIONCARD_WRITE),
        alert_teams=actioncards.alert_teams(),
        **_titles(),
    )


def _back_to_library(type_: str | None):
    anchor = f"type-{type_}" if type_ in tuple(IncidentType) else None
    return redirect(url_for("incidents.actioncards_page", _anchor=anchor))


@bp.post("/incidents/tiltakskort")
@require_page(Perm.ACTIONCARD_WRITE)
def create_actioncard_page():
    """Add a card from the library form."""
    form = ActionCardForm()
    try:
        if not form.validate():
            raise refusal(form)
        card = actioncards.create_action_card(form.values(), actor=current_user)
    except REFUSALS as err:
        if refusal_status(err) != 422:
            raise
        flash(err.message, "error")
        return _back_to_library(form.type.data)
    flash(gettext("Tiltakskortet «%(title)s» er lagt til.", title=card.title), "success")
    return _back_to_library(card.type)


@bp.post("/incidents/tiltakskort/<int:card_id>")
@require_page(Perm.ACTIONCARD_WRITE)
def update_actioncard_page(card_id: int):
    """Save or delete a card from the library form."""
    form = ActionCardForm()
    try:
        if form.action.data == "delete":
            card = actioncards.get_action_card(card_id)
            type_, title = card.type, card.title
            actioncards.delete_action_card(card_id, actor=current_user)
            flash(gettext("Tiltakskortet «%(title)s» er slettet.", title=title), "success")
            return _back_to_library(type_)
        if not form.validate():
            raise refusal(form)
        card = actioncards.update_action_card(card_id, form.values(), form.version.data, actor=current_user)
    except REFUSALS as err:
        if refusal_status(err) not in (409, 422):
            raise
        flash(err.message, "error")
        return _back_to_library(form.type.data)
    flash(gettext("Tiltakskortet «%(title)s» er lagret.", title=card.title), "success")
    return _back_to_library(card.type)
