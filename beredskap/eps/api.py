"""JSON API of the EPS (CONTRACT §5): centres and departments, the registry, inquiries, exports and privacy."""

from flask import Response, jsonify, request, session
from flask_login import current_user

from beredskap.api import api_blueprint, expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.consent.services import require_basis
from beredskap.csvfile import csv_response
from beredskap.eps import privacy, purposes, registry, services, staffing
from beredskap.eps.schemas import (
    ActionTick,
    CentreIn,
    CentrePatch,
    CheckoutIn,
    DepartmentPatch,
    EvacueeIn,
    ExportQuery,
    HouseholdIn,
    InquiryIn,
    PurgeIn,
    ReadQuery,
    ReasonQuery,
    ReuniteIn,
    StaffIn,
)
from beredskap.validation import use_body, use_query

bp = api_blueprint("eps_api", __name__)


@bp.after_request
def no_store(response: Response) -> Response:
    # Personal data must not linger in browser or proxy caches; counts are cheap to fetch again.
    response.headers["Cache-Control"] = "no-store"
    return response


def _reason(query: ReasonQuery | ReadQuery | ExportQuery, centre_id: int | None) -> str:
    """Why personal data is read: `?purpose=` (+ note in `?reason=`), `?reason=` or the X-Access-Reason header,
    else the purpose this session picked for the centre (`eps.purposes`)."""
    reason = query.reason or request.headers.get("X-Access-Reason")
    return purposes.access_reason(session, centre_id, getattr(query, "purpose", None), reason)


def _basis(eps_id: int, query: ExportQuery):
    """The legal basis of an export to the police (`?basis=<id>`, else the newest valid one); 409 without."""
    services.get_centre(eps_id)
    return require_basis("eps", eps_id, query.basis)


# --- centres ---


@bp.post("/incidents/<int:incident_id>/eps")
@require(Perm.EPS_MANAGE)
@use_body(CentreIn)
def open_centre(incident_id: int, body: CentreIn):
    """Record the decision to open an EPS for the incident."""
    centre = services.open_centre(
        incident_id,
        name=body.name,
        capacity=body.capacity,
        resource_id=body.resource_id,
        location=body.location,
        decided_by=body.decided_by,
        status=body.status,
        actor=current_user,
        confirm_duplicate=body.confirm_duplicate,
    )
    return jsonify(services.centre_summary(centre)), 201


@bp.get("/incidents/<int:incident_id>/eps")
@require(Perm.EPS_READ)
def incident_centres(incident_id: int):
    """The centres of an incident, counts only."""
    return jsonify({"centres": services.incident_eps_summary(incident_id)})


@bp.get("/eps")
@require(Perm.EPS_READ)
def list_centres():
    """Every centre, newest first, counts only."""
    return jsonify({"centres": [services.centre_summary(c) for c in services.list_centres()]})


@bp.get("/eps/venues")
@require(Perm.EPS_READ)
def venues():
    """Pre-designated EPS venues from the resource register."""
    return jsonify({"venues": services.eps_venues()})


@bp.get("/eps/<int:eps_id>")
@require(Perm.EPS_READ)
def get_centre(eps_id: int):
    """One centre: capacity, present, registered, left and inquiry counts. No personal data."""
    return jsonify(services.centre_summary(services.get_centre(eps_id)))


@bp.patch("/eps/<int:eps_id>")
@require(Perm.EPS_MANAGE)
@use_body(CentrePatch)
def patch_centre(eps_id: int, body: CentrePatch):
    """Rename, change capacity or move the status forward; needs the version it read."""
    expect_version(body, services.get_centre(eps_id).version)
    changes = body.given("name", "capacity", "status", "leader_user_id")
    centre = services.update_centre(eps_id, changes, body.version, actor=current_user)
    return jsonify(services.centre_summary(centre))


# --- departments ---


@bp.get("/eps/<int:eps_id>/departments")
@require(Perm.EPS_READ)
def departments(eps_id: int):
    """Departments with staffing and action cards; staff names only for roles that see the organisation."""
    return jsonify({"departments": staffing.list_departments(eps_id, current_user)})


@bp.patch("/eps/departments/<int:department_id>")
@require(Perm.EPS_MANAGE)
@use_body(DepartmentPatch)
def patch_department(department_id: int, body: DepartmentPatch):
    """Set leader, deputy and staff needed of a department."""
    expect_version(body, staffing.get_department(department_id).version)
    keys = ("leader_name", "leader_person_id", "deputy_name", "deputy_person_id", "staff_needed")
    department = staffing.update_department(department_id, body.given(*keys), body.version, actor=current_user)
    return jsonify({"id": department.id, "version": department.version})


@bp.post("/eps/departments/<int:department_id>/actions/<int:index>")
@require(Perm.EPS_MANAGE)
@use_body(ActionTick)
def tick_action(department_id: int, index: int, body: ActionTick):
    """Tick or untick an item of the department's action card."""
    expect_version(body, staffing.get_department(department_id).version)
    department = staffing.set_action_done(department_id, index, body.done, body.version, actor=current_user)
    return jsonify({"id": department.id, "actions": department.actions, "version": department.version})


@bp.post("/eps/departments/<int:department_id>/staff")
@require(Perm.EPS_MANAGE)
@use_body(StaffIn)
def add_staff(department_id: int, body: StaffIn):
    """Add a staff member (roster person or name) to a department."""
    member = staffing.add_staff(
        department_id, name=body.name, person_id=body.person_id, role=body.role, actor=current_user
    )
    return jsonify(member.to_dict(True)), 201


@bp.delete("/eps/staff/<int:staff_id>")
@require(Perm.EPS_MANAGE)
def remove_staff(staff_id: int):
    """Take a staff member off a department."""
    staffing.remove_staff(staff_id, actor=current_user)
    return jsonify({"deleted": staff_id})


# --- the registry ---


@bp.post("/eps/<int:eps_id>/evacuees")
@require(Perm.PERSON_WRITE)
@use_body(EvacueeIn)
def register_evacuee(eps_id: int, body: EvacueeIn):
    """Check a person in."""
    evacuee = registry.register_evacuee(eps_id, body.sent(), actor=current_user)
    return jsonify({**_registered(evacuee), "household_id": evacuee.household_id, "exercise": evacuee.exercise}), 201


@bp.post("/eps/<int:eps_id>/households")
@require(Perm.PERSON_WRITE)
@use_body(HouseholdIn)
def register_household(eps_id: int, body: HouseholdIn):
    """Check a household in together."""
    evacuees = registry.register_household(eps_id, body.sent(), actor=current_user)
    return jsonify(
        {
            "household_id": evacuees[0].household_id,
            "exercise": evacuees[0].exercise,
            "evacuees": [_registered(e) for e in evacuees],
        }
    ), 201


def _registered(evacuee) -> dict:
    # The birth date as understood (the desk accepts 010280, 01.02.1980 …), so the registrar can check it.
    return {
        "id": evacuee.id,
        "status": evacuee.status,
        "birth_date": evacuee.birth_date.isoformat() if evacuee.birth_date else None,
        "birth_year": evacuee.birth_year,
    }


@bp.get("/eps/<int:eps_id>/evacuees")
@require(Perm.PERSON_READ)
@use_query(ReadQuery)
def list_evacuees(eps_id: int, query: ReadQuery):
    """People registered at the centre (`?status=present|left`); one audit record per person listed."""
    people = privacy.read_evacuees(eps_id, current_user, _reason(query, eps_id), query.status)
    return jsonify({"evacuees": people, "count": len(people)})


@bp.get("/evacuees/<int:evacuee_id>")
@require(Perm.PERSON_READ)
@use_query(ReasonQuery)
def get_evacuee(evacuee_id: int, query: ReasonQuery):
    """One registration with its status history; audited."""
    reason = _reason(query, purposes.centre_of("evacuee", evacuee_id))
    return jsonify(privacy.read_evacuee(evacuee_id, current_user, reason))


@bp.post("/evacuees/<int:evacuee_id>/checkout")
@require(Perm.PERSON_WRITE)
@use_body(CheckoutIn)
def checkout(evacuee_id: int, body: CheckoutIn):
    """Check a person out with a destination."""
    evacuee = registry.check_out(evacuee_id, body.destination, actor=current_user)
    return jsonify({"id": evacuee.id, "status": evacuee.status})


# --- inquiries and reunification ---


@bp.post("/eps/<int:eps_id>/inquiries")
@require(Perm.PERSON_WRITE)
@use_body(InquiryIn)
def create_inquiry(eps_id: int, body: InquiryIn):
    """Take a next-of-kin inquiry; answers with candidate ids and scores, best first."""
    inquiry = registry.create_inquiry(eps_id, body.sent(), actor=current_user)
    return jsonify({"id": inquiry.id, "status": inquiry.status, "candidates": list(inquiry.candidates or [])}), 201


@bp.get("/eps/<int:eps_id>/inquiries")
@require(Perm.PERSON_READ)
@use_query(ReadQuery)
def list_inquiries(eps_id: int, query: ReadQuery):
    """Inquiries taken at the centre (`?status=open|reunited|closed`); audited per inquiry."""
    inquiries = privacy.read_inquiries(eps_id, current_user, _reason(query, eps_id), query.status)
    return jsonify({"inquiries": inquiries, "count": len(inquiries)})


@bp.get("/inquiries/<int:inquiry_id>")
@require(Perm.PERSON_READ)
@use_query(ReasonQuery)
def get_inquiry(inquiry_id: int, query: ReasonQuery):
    """An inquiry with its ranked candidates; the inquiry and every candidate shown are audited."""
    reason = _reason(query, purposes.centre_of("inquiry", inquiry_id))
    return jsonify(privacy.read_inquiry(inquiry_id, current_user, reason))


@bp.post("/inquiries/<int:inquiry_id>/reunite")
@require(Perm.PERSON_WRITE)
@use_body(ReuniteIn)
def reunite(inquiry_id: int, body: ReuniteIn):
    """A person confirms the reunification with one registered evacuee."""
    inquiry = registry.confirm_reunification(inquiry_id, body.evacuee_id, actor=current_user)
    return jsonify({"id": inquiry.id, "status": inquiry.status, "evacuee_id": inquiry.reunited_evacuee_id})


@bp.post("/inquiries/<int:inquiry_id>/close")
@require(Perm.PERSON_WRITE)
def close_inquiry(inquiry_id: int):
    """Close an inquiry without a reunification."""
    inquiry = registry.close_inquiry(inquiry_id, actor=current_user)
    return jsonify({"id": inquiry.id, "status": inquiry.status})


# --- exports ---


@bp.get("/eps/<int:eps_id>/pfif.xml")
@require(Perm.PERSON_EXPORT)
@use_query(ExportQuery)
def pfif(eps_id: int, query: ExportQuery):
    """PFIF 1.4 export for the police; needs a recorded hjemmel or consent (409 without); audited with it."""
    document = privacy.export_pfif(eps_id, current_user, _reason(query, eps_id), _basis(eps_id, query))
    return Response(
        document,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="eps-{eps_id}-pfif.xml"'},
    )


@bp.get("/eps/<int:eps_id>/evacuees.csv")
@require(Perm.PERSON_EXPORT)
@use_query(ExportQuery)
def evacuees_csv(eps_id: int, query: ExportQuery):
    """CSV export of the registry (the EPS list to the police); needs a basis like PFIF; audited with it."""
    text = privacy.export_csv(eps_id, current_user, _reason(query, eps_id), _basis(eps_id, query))
    return csv_response(text, f"eps-{eps_id}-registrerte.csv")


# --- privacy administration ---


@bp.post("/privacy/purge")
@require(Perm.PRIVACY_ADMIN)
@use_body(PurgeIn)
def purge(body: PurgeIn):
    """Run the retention purge now (`{"dry_run": true}` to count only)."""
    return jsonify(services.purge_expired_personal_data(dry_run=body.dry_run))


@bp.delete("/incidents/<int:incident_id>/eps-data")
@require(Perm.PRIVACY_ADMIN)
def delete_exercise_data(incident_id: int):
    """Delete all EPS data of an exercise incident in one action."""
    counts = services.delete_exercise_personal_data(incident_id, actor=current_user)
    return jsonify({"incident_id": incident_id, "deleted": counts})
