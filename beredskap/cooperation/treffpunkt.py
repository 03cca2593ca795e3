"""§4's faste treffpunkter: områdekontakter and police contacts per bydel, following the map's bydel grouping
(not a fixed list), their recurring meetings and a short record of each meeting held.

A meeting where a case with personal information was discussed must name its legal basis or consent
(`beredskap.consent`); the record, its events and audit rows never carry the names from it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.consent import services as consent
from beredskap.consent.models import ShareBasis
from beredskap.cooperation.models import Person
from beredskap.cooperation.services import check_bydel, may_see_contacts
from beredskap.cooperation.treffpunkt_models import Treffpunkt, TreffpunktMeeting
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.lookup import get_or_not_found
from beredskap.maps.districts import current_grouping
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

CHANNEL = "cooperation"
SCOPE = "treffpunkt_meeting"
CONTACT_FUNCTIONS = ("omradekontakt", "bydelskontakt_politi")
RECENT_MEETINGS = 10


def _basis_summary(basis: ShareBasis | None, today: date) -> dict | None:
    # Who consented stays out: the list is readable by every cooperation role; the basis itself is read audited.
    if basis is None:
        return None
    data = basis.to_dict(today, with_person=False)
    return {k: data[k] for k in ("id", "kind", "kind_title", "label", "status", "status_title", "valid", "valid_until")}


def _meetings_by_treffpunkt(ids: list[int]) -> dict[int, list[TreffpunktMeeting]]:
    result: dict[int, list[TreffpunktMeeting]] = {i: [] for i in ids}
    if ids:
        stmt = select(TreffpunktMeeting).where(TreffpunktMeeting.treffpunkt_id.in_(ids))
        for meeting in db.session.scalars(stmt.order_by(TreffpunktMeeting.held_on.desc(), TreffpunktMeeting.id.desc())):
            result[meeting.treffpunkt_id].append(meeting)
    return result


def meeting_dict(meeting: TreffpunktMeeting, bases: dict[int, ShareBasis], today: date) -> dict:
    return {**meeting.to_dict(), "basis": _basis_summary(bases.get(meeting.share_basis_id or 0), today)}


def _treffpunkt_rows(treffpunkter: list[Treffpunkt], today: date) -> list[dict]:
    meetings = _meetings_by_treffpunkt([t.id for t in treffpunkter])
    basis_ids = [m.share_basis_id for ms in meetings.values() for m in ms if m.share_basis_id]
    bases = {b.id: b for b in db.session.scalars(select(ShareBasis).where(ShareBasis.id.in_(basis_ids)))}
    return [
        {
            **t.to_dict(),
            "meetings_count": len(meetings[t.id]),
            "last_held_on": meetings[t.id][0].held_on.isoformat() if meetings[t.id] else None,
            "meetings": [meeting_dict(m, bases, today) for m in meetings[t.id][:RECENT_MEETINGS]],
        }
        for t in treffpunkter
    ]


def bydeler_data(user: User | None) -> dict:
    """Per bydel of the current grouping: its delområder, områdekontakter, police contacts and treffpunkter.

    People and treffpunkter whose bydel the grouping no longer has (renamed or merged) are listed apart, so
    nothing disappears when the coordinator regroups the map."""
    contacts = may_see_contacts(user)
    today = consent.oslo_today()
    grouping = current_grouping()
    names = sorted({bydel for _, _, bydel in grouping})
    people = list(
        db.session.scalars(
            select(Person)
            .where(Person.active.is_(True), Person.function.in_(CONTACT_FUNCTIONS))
            .order_by(Person.name, Person.id)
        )
    )
    treffpunkter = _treffpunkt_rows(
        list(db.session.scalars(select(Treffpunkt).order_by(Treffpunkt.bydel, Treffpunkt.title, Treffpunkt.id))),
        today,
    )

    def group(bydel_filter) -> dict:
        local = [p for p in people if bydel_filter(p.bydel)]
        return {
            "omradekontakter": [p.to_dict(contacts=contacts) for p in local if p.function == "omradekontakt"],
            "police_contacts": [p.to_dict(contacts=contacts) for p in local if p.function == "bydelskontakt_politi"],
            "treffpunkter": [t for t in treffpunkter if bydel_filter(t["bydel"])],
        }

    return {
        "bydeler": [
            {
                "name": name,
                "delomrader": [delomrade for _, delomrade, bydel in grouping if bydel == name],
                **group(lambda value, name=name: value == name),
            }
            for name in names
        ],
        "outside_grouping": group(lambda value: value is not None and value not in names),
        "contacts_visible": contacts,
    }


def get_treffpunkt(treffpunkt_id: int) -> Treffpunkt:
    return get_or_not_found(Treffpunkt, treffpunkt_id, gettext("Ukjent treffpunkt."))


def treffpunkt_data(treffpunkt_id: int) -> dict:
    """One treffpunkt with every meeting held, newest first."""
    treffpunkt = get_treffpunkt(treffpunkt_id)
    today = consent.oslo_today()
    row = _treffpunkt_rows([treffpunkt], today)[0]
    meetings = _meetings_by_treffpunkt([treffpunkt.id])[treffpunkt.id]
    basis_ids = [m.share_basis_id for m in meetings if m.share_basis_id]
    bases = {b.id: b for b in db.session.scalars(select(ShareBasis).where(ShareBasis.id.in_(basis_ids)))}
    row["meetings"] = [meeting_dict(m, bases, today) for m in meetings]
    return row


def _event(kind: str, data: dict, actor: User | None) -> None:
    append_event(CHANNEL, kind, data, actor_id=actor.id if actor else None)


@transactional
def create_treffpunkt(fields: dict, actor: User | None = None) -> Treffpunkt:
    """Set up a recurring treffpunkt in a bydel of the current grouping."""
    check_bydel(fields["bydel"])
    treffpunkt = Treffpunkt(created_at=utcnow(), **fields)
    db.session.add(treffpunkt)
    db.session.flush()
    _event("treffpunkt.created", {"id": treffpunkt.id, "bydel": treffpunkt.bydel}, actor)
    db.session.commit()
    return treffpunkt


@transactional
def update_treffpunkt(treffpunkt_id: int, fields: dict, version: int, actor: User | None = None) -> Treffpunkt:
    """Change place, schedule, bydel or title, or end a treffpunkt (active: false)."""
    treffpunkt = get_treffpunkt(treffpunkt_id)
    if treffpunkt.version != version:
        raise Conflict("version_conflict", gettext("Treffpunktet er endret av noen andre. Last inn på nytt."))
    if "bydel" in fields:
        check_bydel(fields["bydel"])
    for key, value in fields.items():
        setattr(treffpunkt, key, value)
    db.session.flush()
    _event(
        "treffpunkt.updated",
        {"id": treffpunkt.id, "bydel": treffpunkt.bydel, "active": treffpunkt.active, "version": treffpunkt.version},
        actor,
    )
    db.session.commit()
    return treffpunkt


def _meeting_fields(fields: dict, today: date) -> dict:
    """A meeting's validated fields (`schemas_knowledge.TreffpunktMeetingIn`): held by today, and a personal case
    with its basis (hjemmel or samtykke, by the rules of its kind)."""
    if fields["held_on"] > today:
        raise Invalid("invalid", gettext("Et møte kan ikke registreres før det er holdt."), {"held_on": "fram i tid"})
    basis = None
    if fields["personal_case"]:
        if fields.get("basis") is None:
            raise Invalid(
                "legal_basis_required",
                gettext(
                    "Når en sak med personopplysninger er drøftet, må hjemmel eller samtykke om fritak fra "
                    "taushetsplikt registreres."
                ),
                {"basis": "påkrevd"},
            )
        basis = consent.basis_fields(fields["basis"], today)
    return {
        "held_on": fields["held_on"],
        "participants": fields["participants"],
        "summary": fields["summary"],
        "personal_case": fields["personal_case"],
        "basis": basis,
    }


@transactional
def record_meeting(treffpunkt_id: int, fields: dict, actor: User | None = None) -> TreffpunktMeeting:
    """Record a meeting held: date, participants, short summary, and the basis when personal data was shared."""
    treffpunkt = get_treffpunkt(treffpunkt_id)
    fields = _meeting_fields(fields, consent.oslo_today())
    basis_fields = fields.pop("basis")
    meeting = TreffpunktMeeting(
        treffpunkt_id=treffpunkt.id,
        recorded_by=actor.username if actor else "system",
        created_at=utcnow(),
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    if basis_fields is not None:
        meeting.share_basis_id = consent.add_basis(SCOPE, meeting.id, basis_fields, actor).id
    _event(
        "treffpunkt.meeting_recorded",
        {
            "id": meeting.id,
            "treffpunkt_id": treffpunkt.id,
            "held_on": meeting.held_on.isoformat(),
            "personal_case": meeting.personal_case,
        },
        actor,
    )
    db.session.commit()
    return meeting


def get_meeting(meeting_id: int) -> TreffpunktMeeting:
    return get_or_not_found(TreffpunktMeeting, meeting_id, gettext("Ukjent møte."))


@transactional
def add_meeting_basis(meeting_id: int, fields: dict, actor: User | None = None) -> ShareBasis:
    """Record a (new) basis for a meeting, e.g. after a consent was withdrawn and given again."""
    meeting = get_meeting(meeting_id)
    basis = consent.add_basis(SCOPE, meeting.id, consent.basis_fields(fields, consent.oslo_today()), actor)
    meeting.personal_case = True
    meeting.share_basis_id = basis.id
    db.session.commit()
    return basis


def meeting_response(meeting: TreffpunktMeeting) -> dict:
    basis = db.session.get(ShareBasis, meeting.share_basis_id) if meeting.share_basis_id else None
    return {**meeting.to_dict(), "basis": _basis_summary(basis, consent.oslo_today())}
