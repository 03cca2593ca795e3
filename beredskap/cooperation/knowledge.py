"""Knowledge base services: the agreement as data (periods, routines, innsatsområder, evaluations).

The Oversiktsbilde is in `overview`."""

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.cooperation import periods
from beredskap.cooperation.agreement import ROUTINE_STATUSES
from beredskap.cooperation.annual import set_cycle_status
from beredskap.cooperation.meetings import CHANNEL
from beredskap.cooperation.models import (
    Agreement,
    AgreementEvaluation,
    AgreementSection,
    CooperationArea,
    FocusArea,
    Meeting,
    Routine,
    SteeringDocument,
)
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional


def current_agreement() -> Agreement:
    return periods.current_agreement()


def _ordered(model, agreement_id: int) -> list:
    return list(
        db.session.scalars(select(model).where(model.agreement_id == agreement_id).order_by(model.position, model.id))
    )


def agreement_summary(agreement: Agreement) -> dict:
    return {"id": agreement.id, "title": agreement.title, "period": agreement.period_dict()}


def agreement_data(agreement_id: int | None = None) -> dict:
    """The agreement (the current one unless `agreement_id` is given) with its parties and signatories, goals,
    sections, steering documents, innsatsområder, cooperation areas with routines and evaluations; and the list
    of registered agreements."""
    if agreement_id is None:
        agreement = current_agreement()
    else:
        periods.ensure_signed_agreement()
        agreement = db.session.get(Agreement, agreement_id)
        if agreement is None:
            raise NotFound(gettext("Ukjent samarbeidsavtale."))
    areas = _ordered(CooperationArea, agreement.id)
    routines = (
        list(db.session.scalars(select(Routine).where(Routine.area_id.in_([a.id for a in areas])).order_by(Routine.id)))
        if areas
        else []
    )
    evaluations = db.session.scalars(
        select(AgreementEvaluation)
        .where(AgreementEvaluation.agreement_id == agreement.id)
        .order_by(AgreementEvaluation.year)
    )
    return {
        "id": agreement.id,
        "title": agreement.title,
        "period": agreement.period_dict(),
        "parties": agreement.parties or [],
        "signatories": agreement.signatories or [],
        "goals": agreement.goals or [],
        "mandates": agreement.mandates or {},
        "outside_note": agreement.outside_note,
        "summary": agreement.summary,
        "sections": [s.to_dict() for s in _ordered(AgreementSection, agreement.id)],
        "steering_documents": [d.to_dict() for d in _ordered(SteeringDocument, agreement.id)],
        "focus_areas": [f.to_dict() for f in _ordered(FocusArea, agreement.id)],
        "focus_areas_note": agreement.focus_areas_note,
        "cooperation_areas": [
            {**area.to_dict(), "routines": [r.to_dict() for r in routines if r.area_id == area.id]} for area in areas
        ],
        "evaluations": [e.to_dict() for e in evaluations],
        "agreements": [agreement_summary(a) for a in periods.list_agreements()],
        "version": agreement.version,
    }


@transactional
def register_agreement(data: dict, actor: User | None = None) -> Agreement:
    """Register a samarbeidsavtale for a new period (e.g. 2029–2032); the årshjul follows it.

    `copy_lists` copies the goals, steering documents, innsatsområder and cooperation areas of the agreement
    before it, for the users to adjust; otherwise they are entered afterwards. Periods may not overlap."""
    valid_from, valid_to = data["valid_from"], data["valid_to"]
    if valid_to <= valid_from:
        raise Invalid("invalid", gettext("Sluttdatoen må være etter startdatoen."), {"valid_to": "før start"})
    if valid_to.year - valid_from.year > 8:
        raise Invalid(
            "invalid", gettext("En avtaleperiode kan ikke være lengre enn åtte år."), {"valid_to": "for lang"}
        )
    existing = periods.list_agreements()
    for other in existing:
        if other.period_start <= valid_to.year and valid_from.year <= other.period_end:
            raise Conflict(
                "overlap",
                gettext(
                    "Perioden %(start)s–%(end)s overlapper avtalen %(other_start)s–%(other_end)s.",
                    start=valid_from.year,
                    end=valid_to.year,
                    other_start=other.period_start,
                    other_end=other.period_end,
                ),
                {"valid_from": "overlapper"},
            )
    agreement = Agreement(
        title=data.get("title") or existing[-1].title,
        period_start=valid_from.year,
        period_end=valid_to.year,
        valid_from=valid_from,
        valid_to=valid_to,
        period_basis=data.get("period_basis") or "",
        parties=list(data.get("parties") or existing[-1].parties or []),
        signatories=list(data.get("signatories") or []),
        goals=[],
        mandates={},
        outside_note=data.get("outside_note") or "",
        summary=data.get("summary") or "",
        focus_areas_note="",
    )
    db.session.add(agreement)
    db.session.flush()
    previous = [a for a in existing if a.period_end < agreement.period_start]
    if data.get("copy_lists") and previous:
        source = previous[-1]
        agreement.goals = list(source.goals or [])
        agreement.mandates = dict(source.mandates or {})
        agreement.focus_areas_note = source.focus_areas_note
        for model in (SteeringDocument, FocusArea, CooperationArea):
            for row in _ordered(model, source.id):
                copy = {"agreement_id": agreement.id, "title": row.title, "position": row.position}
                if model is SteeringDocument:
                    copy.update(owner=row.owner, url=row.url)
                if model is FocusArea:
                    copy["description"] = row.description
                db.session.add(model(**copy))
    db.session.flush()
    append_event(
        CHANNEL,
        "agreement.registered",
        {"id": agreement.id, "start": agreement.period_start, "end": agreement.period_end},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return agreement


def focus_areas_for_year(year: int) -> list[dict]:
    """The innsatsområder of the agreement covering `year` (empty when none does)."""
    agreement = periods.agreement_for_year(year)
    return [f.to_dict() for f in _ordered(FocusArea, agreement.id)] if agreement else []


def _validate_routine(data: dict) -> None:
    if "title" in data and not (data["title"] or "").strip():
        raise Invalid("invalid", gettext("Rutinen må ha en tittel."), {"title": "påkrevd"})
    if "status" in data and data["status"] not in ROUTINE_STATUSES:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være «under_arbeid» eller «formalisert».", label=label("status")),
            {"status": "ugyldig"},
        )
    url = data.get("document_url")
    if url and not (url.startswith("https://") or url.startswith("http://") or url.startswith("/")):
        raise Invalid(
            "invalid", gettext("Dokumentlenken må begynne med https://, http:// eller /."), {"document_url": "ugyldig"}
        )


def _routine_event(routine: Routine) -> dict:
    return {
        "id": routine.id,
        "area_id": routine.area_id,
        "title": routine.title,
        "status": routine.status,
        "version": routine.version,
    }


@transactional
def add_routine(area_id: int, data: dict, actor: User | None = None) -> Routine:
    """Add a samarbeidsrutine to a cooperation area (status «under arbeid» until formalised)."""
    _validate_routine({"title": data.get("title", ""), **data})
    if db.session.get(CooperationArea, area_id) is None:
        raise NotFound(gettext("Ukjent samarbeidsområde."))
    routine = Routine(
        area_id=area_id,
        title=data["title"],
        owner=data.get("owner") or "",
        status=data.get("status") or "under_arbeid",
        document_url=data.get("document_url") or "",
        updated_at=utcnow(),
    )
    db.session.add(routine)
    db.session.flush()
    append_event(CHANNEL, "agreement.routine_created", _routine_event(routine), actor_id=actor.id if actor else None)
    db.session.commit()
    return routine


@transactional
def update_routine(routine_id: int, changes: dict, version: int, actor: User | None = None) -> Routine:
    """Change a routine's title, owner, status or document link."""
    _validate_routine(changes)
    routine = db.session.get(Routine, routine_id)
    if routine is None:
        raise NotFound(gettext("Ukjent rutine."))
    if routine.version != version:
        raise Conflict("version_conflict", gettext("Rutinen er endret av noen andre. Last inn på nytt."))
    for key in ("title", "owner", "status", "document_url"):
        if key in changes:
            setattr(routine, key, changes[key] or "")
    routine.updated_at = utcnow()
    db.session.flush()
    append_event(CHANNEL, "agreement.routine_updated", _routine_event(routine), actor_id=actor.id if actor else None)
    db.session.commit()
    return routine


@transactional
def update_focus_area(focus_area_id: int, changes: dict, version: int, actor: User | None = None) -> FocusArea:
    """Rename or describe an innsatsområde (the list follows the municipal plan, which may be revised)."""
    area = db.session.get(FocusArea, focus_area_id)
    if area is None:
        raise NotFound(gettext("Ukjent innsatsområde."))
    if area.version != version:
        raise Conflict("version_conflict", gettext("Innsatsområdet er endret av noen andre. Last inn på nytt."))
    if "title" in changes:
        if not (changes["title"] or "").strip():
            raise Invalid("invalid", gettext("Innsatsområdet må ha et navn."), {"title": "påkrevd"})
        area.title = changes["title"]
    if "description" in changes:
        area.description = changes["description"] or ""
    db.session.flush()
    append_event(
        CHANNEL,
        "agreement.focus_area_updated",
        {"id": area.id, "title": area.title, "version": area.version},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return area


@transactional
def record_evaluation(
    year: int, summary: str, meeting_id: int | None = None, actor: User | None = None
) -> AgreementEvaluation:
    """Record the yearly evaluation of the agreement; marks the årshjul item of that year as done."""
    agreement = periods.check_year(year)
    if not (summary or "").strip():
        raise Invalid("invalid", gettext("Skriv en oppsummering av evalueringen."), {"summary": "påkrevd"})
    if meeting_id is not None and db.session.get(Meeting, meeting_id) is None:
        raise Invalid("invalid", gettext("Ukjent møte."), {"meeting_id": "ukjent"})
    existing = db.session.scalar(
        select(AgreementEvaluation).where(
            AgreementEvaluation.agreement_id == agreement.id, AgreementEvaluation.year == year
        )
    )
    if existing is not None:
        raise Conflict("exists", gettext("Evalueringen for %(year)s er allerede registrert.", year=year))
    evaluation = AgreementEvaluation(
        agreement_id=agreement.id, year=year, meeting_id=meeting_id, summary=summary, created_at=utcnow()
    )
    db.session.add(evaluation)
    set_cycle_status(year, "avtaleevaluering", "ferdig")
    db.session.flush()
    append_event(
        CHANNEL, "agreement.evaluated", {"id": evaluation.id, "year": year}, actor_id=actor.id if actor else None
    )
    db.session.commit()
    return evaluation
