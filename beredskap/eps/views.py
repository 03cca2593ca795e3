"""EPS pages: the list of centres, a centre with its departments, the registration desk, and the PDFs."""

from flask import Blueprint, Response, redirect, render_template, request, session, url_for
from flask_login import current_user

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.concurrency import render_report
from beredskap.consent.services import HJEMMEL_SUGGESTIONS
from beredskap.eps import privacy, purposes, services, staffing
from beredskap.eps.forms import OpenCentreForm
from beredskap.eps.models import CENTRE_FLOW, CENTRE_STATUS_TITLES, NEED_TITLES
from beredskap.errors import REFUSALS, refusal_status
from beredskap.forms import errors_of
from beredskap.incidents.models import IncidentStatus
from beredskap.realtime.journal import last_seq
from beredskap.reports.eps_status import build_eps_namelist, build_eps_status

bp = Blueprint("eps", __name__)


def _index_context(
    form: dict | None = None, error: str | None = None, duplicate: dict | None = None, errors: dict | None = None
) -> dict:
    centres = services.list_centres()
    incidents = {}
    for centre in centres:
        incidents.setdefault(centre.incident_id, services.get_incident(centre.incident_id))
    from beredskap.incidents.services import list_incidents

    return {
        "centres": [services.centre_summary(centre) for centre in centres],
        "incidents": incidents,
        "open_incidents": list_incidents(IncidentStatus.OPEN),
        "venues": services.eps_venues(),
        "global_seq": last_seq("global"),
        "form": form or {},
        "error": error,
        "errors": errors or {},
        # The open centre at the same venue when the form asked for a second one (409 duplicate_venue).
        "duplicate": duplicate,
    }


@bp.get("/eps")
@require_page(Perm.EPS_READ)
def index_page():
    """Every centre with live occupancy against capacity; the form to open one."""
    return render_template("eps/index.html", **_index_context())


@bp.post("/eps")
@require_page(Perm.EPS_MANAGE)
def open_page():
    """Open an EPS from the form and go to it."""
    form = OpenCentreForm()
    if not form.validate():
        context = _index_context(form.submitted(), form.first_error(), errors=form.field_errors())
        return render_template("eps/index.html", **context), 422
    try:
        centre = services.open_centre(
            form.incident_id.data,
            name=form.name.data or None,
            capacity=form.capacity.data,
            resource_id=form.resource_id.data,
            decided_by=form.decided_by.data or None,
            actor=current_user,
            confirm_duplicate=form.confirm_duplicate.data == "1",
        )
    except REFUSALS as err:
        if refusal_status(err) in (401, 403) or refusal_status(err) >= 500:
            raise
        duplicate = err.existing if err.code == "duplicate_venue" else None
        context = _index_context(form.submitted(), err.message, duplicate, errors_of(err))
        return render_template("eps/index.html", **context), refusal_status(err)
    return redirect(url_for("eps.centre_page", eps_id=centre.id))


@bp.get("/eps/<int:eps_id>")
@require_page(Perm.EPS_READ)
def centre_page(eps_id: int):
    """A centre: occupancy against capacity (counts), status, departments and staffing."""
    centre = services.get_centre(eps_id)
    incident = services.get_incident(centre.incident_id)
    summary = services.centre_summary(centre)
    return render_template(
        "eps/centre.html",
        centre=summary,
        incident=incident,
        departments=staffing.list_departments(eps_id, current_user),
        needs=services.needs_summary(centre),
        need_titles=NEED_TITLES,
        roster=staffing.roster_people() if current_user.can(Perm.ROSTER_CONTACTS) else [],
        flow=[(status, CENTRE_STATUS_TITLES[status]) for status in CENTRE_FLOW],
        since=last_seq(incident.channel),
        exercise_mode=incident.is_exercise,
        hjemmel_suggestions=HJEMMEL_SUGGESTIONS,
        # The EPS-leder (not admin or coordinator standing in) keeps the purposes and reads the centre's audit.
        is_leader=current_user.can(Perm.PERSON_READ) and centre.leader_user_id == current_user.id,
        keeps_purposes=current_user.can(Perm.PERSON_READ) and purposes.is_leader(current_user, centre),
    )


@bp.get("/eps/<int:eps_id>/desk")
@require_page(Perm.PERSON_WRITE)
def desk_page(eps_id: int):
    """The registration desk: check-in by keyboard, people present, check-out, inquiries and reunification."""
    centre = services.get_centre(eps_id)
    incident = services.get_incident(centre.incident_id)
    # The page itself holds no personal data; desk JS fetches it through the audited API.
    return render_template(
        "eps/desk.html",
        centre=services.centre_summary(centre),
        incident=incident,
        need_titles=NEED_TITLES,
        locked=incident.status == IncidentStatus.CLOSED or centre.is_closed,
        since=last_seq(incident.channel),
        exercise_mode=incident.is_exercise,
    )


@bp.get("/eps/<int:eps_id>/status.pdf")
@require_page(Perm.EPS_READ)
def status_pdf(eps_id: int):
    """The EPS status report: occupancy, departments, needs and inquiries as counts; no names."""
    data = services.status_report_data(eps_id)
    pdf = render_report(build_eps_status, data)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="eps-{eps_id}-status.pdf"', "Cache-Control": "no-store"},
    )


@bp.get("/eps/<int:eps_id>/namelist.pdf")
@require_page(Perm.PERSON_READ)
def namelist_pdf(eps_id: int):
    """The confidential named list; every person printed is audited."""
    reason = purposes.access_reason(session, eps_id, request.args.get("purpose"), request.args.get("reason"))
    if reason == purposes.DEFAULT_REASON:
        reason = "utskrift av navneliste"
    data = privacy.namelist_data(eps_id, current_user, reason)
    pdf = render_report(build_eps_namelist, data)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="eps-{eps_id}-navneliste.pdf"',
            "Cache-Control": "no-store",
        },
    )
