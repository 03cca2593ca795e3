"""Two-party approval, shared by the saksliste (`agenda`) and the referat (`minutes`): who may, and the record."""

from flask_babel import gettext

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.agreement import PARTY_BODIES, POLICE_STATIONS, approval_body
from beredskap.cooperation.meetings import CHANNEL, actor_name, approver_parties
from beredskap.cooperation.models import Meeting
from beredskap.domain_errors import Forbidden, Invalid
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.realtime.journal import append_event


def check_party(party: str, station: str, actor: User) -> None:
    """`party` is «kommune» or «politi», `station` a police station (police only), and the actor may speak for it."""
    if party not in PARTY_BODIES:
        raise Invalid(
            "invalid", gettext("%(label)s må være «kommune» eller «politi».", label=label("by")), {"by": "ugyldig"}
        )
    if station and (party != "politi" or station not in POLICE_STATIONS):
        raise Invalid(
            "invalid",
            gettext(
                "%(label)s må være en av: %(v0)s (bare for politiets godkjenning).",
                label=label("station"),
                v0=", ".join(POLICE_STATIONS),
            ),
            {"station": "ugyldig"},
        )
    if party not in approver_parties(actor):
        raise Forbidden(
            gettext("Rollen din kan ikke registrere godkjenning fra %(party)s.", party=PARTY_BODIES[party].lower()),
            code="wrong_party",
        )


def record_approval(meeting: Meeting, party: str, station: str, actor: User, *, prefix: str, event: str) -> None:
    """Set `<prefix>approved_<party>_at/_by` (and the police station), audit it and announce `event`; commits."""
    setattr(meeting, f"{prefix}approved_{party}_at", utcnow())
    setattr(meeting, f"{prefix}approved_{party}_by", actor_name(actor))
    if party == "politi":
        setattr(meeting, f"{prefix}approved_politi_station", station)
    db.session.flush()
    record_audit(
        event,
        "meeting",
        meeting.id,
        actor=actor,
        reason=approval_body(party, station),
        meta={"by": party, "station": station or None},
    )
    append_event(CHANNEL, event, {**meeting.event_data(), "by": party}, actor_id=actor.id)
    db.session.commit()
