"""The referat: approved by both ledergrupper like the saksliste, withdrawn when it changes, then distributed.

The referat is the meeting's attendance (present, absent), its general notes, what each sak's `minutes` says and
the decisions. It can be approved once the meeting is marked held; a change to any of it after an approval
withdraws both approvals (`meetings.withdraw_minutes_approvals`), so what is sent is what both approved.
"""

from flask_babel import gettext

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.agreement import PARTY_BODIES
from beredskap.cooperation.approvals import check_party, record_approval
from beredskap.cooperation.meetings import CHANNEL, lock_meeting
from beredskap.cooperation.models import Meeting
from beredskap.domain_errors import Conflict
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional


@transactional
def approve_minutes(meeting_id: int, party: str, actor: User, station: str = "") -> Meeting:
    """Record that the party's ledergruppe has approved the referat (audited, announced)."""
    check_party(party, station, actor)
    meeting = lock_meeting(meeting_id)
    if meeting.status != "held":
        raise Conflict("not_held", gettext("Referatet kan godkjennes når møtet er merket som avholdt."))
    if meeting.minutes_sent_at is not None:
        raise Conflict("already_sent", gettext("Referatet er allerede sendt."))
    if getattr(meeting, f"minutes_approved_{party}_at") is not None:
        raise Conflict(
            "already_approved", gettext("%(party)s har allerede godkjent referatet.", party=PARTY_BODIES[party])
        )
    record_approval(meeting, party, station, actor, prefix="minutes_", event="meeting.minutes_approved")
    return meeting


@transactional
def mark_minutes_sent(meeting_id: int, actor: User) -> Meeting:
    """Mark the referat as distributed; refused (409) until the meeting is held and both ledergrupper approved it."""
    meeting = lock_meeting(meeting_id)
    if meeting.status != "held":
        raise Conflict("not_held", gettext("Referatet kan sendes når møtet er merket som avholdt."))
    if meeting.minutes_sent_at is not None:
        raise Conflict("already_sent", gettext("Referatet er allerede sendt."))
    missing = [PARTY_BODIES[p].lower() for p in PARTY_BODIES if getattr(meeting, f"minutes_approved_{p}_at") is None]
    if missing:
        raise Conflict(
            "not_approved",
            gettext(
                "Referatet kan ikke sendes før det er godkjent av både kommunedirektørens ledergruppe og "
                "politistasjonens ledergruppe. Mangler godkjenning fra %(missing)s.",
                missing=f" {gettext('og')} ".join(missing),
            ),
        )
    meeting.minutes_sent_at = utcnow()
    db.session.flush()
    record_audit("meeting.minutes_sent", "meeting", meeting.id, actor=actor)
    append_event(CHANNEL, "meeting.minutes_sent", meeting.event_data(), actor_id=actor.id)
    db.session.commit()
    return meeting
