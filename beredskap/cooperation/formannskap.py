"""Formannskap meetings (§3.2): the season's theme, and the politicians' questions recorded with the answers.

The spring meeting is on barne- og ungdomskriminalitet and carries the year's Oversiktsbilde (§3.3); the autumn
meeting gives the general crime picture. The themes come from the årshjul (`cycle`).
"""

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.cycle import GENERAL_CRIME_TOPIC, YOUTH_CRIME_TOPIC
from beredskap.cooperation.meetings import CHANNEL, get_meeting, lock_meeting
from beredskap.cooperation.models import Meeting, MeetingQuestion, OverviewReport
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

QUESTION_FIELDS = ("asked_by", "question", "answer", "answered_by")


def theme(meeting: Meeting) -> dict | None:
    """The formannskap meeting's theme by its årshjul slot; the spring one names the Oversiktsbilde it carries."""
    if meeting.kind != "formannskap":
        return None
    if meeting.cycle_key == "formannskap-var":
        report = db.session.scalar(select(OverviewReport).where(OverviewReport.year == meeting.year))
        return {
            "season": "var",
            "topic": YOUTH_CRIME_TOPIC,
            "oversiktsbilde": {"year": meeting.year, "title": report.title if report else "", "exists": bool(report)},
        }
    if meeting.cycle_key == "formannskap-host":
        return {"season": "host", "topic": GENERAL_CRIME_TOPIC, "oversiktsbilde": None}
    return {"season": None, "topic": "", "oversiktsbilde": None}


def list_questions(meeting_id: int) -> list[MeetingQuestion]:
    return list(
        db.session.scalars(
            select(MeetingQuestion)
            .where(MeetingQuestion.meeting_id == meeting_id)
            .order_by(MeetingQuestion.position, MeetingQuestion.id)
        )
    )


def _formannskap(meeting: Meeting) -> None:
    if meeting.kind != "formannskap":
        raise Invalid(
            "not_formannskap",
            gettext("Spørsmål fra politikerne registreres på møter mellom formannskapet og politiet."),
        )


def _check(data: dict) -> None:
    for key in ("asked_by", "question"):
        if key in data and not (data[key] or "").strip():
            raise Invalid("invalid", gettext("Oppgi hvem som spurte og spørsmålet."), {key: "påkrevd"})


def _event(question: MeetingQuestion) -> dict:
    # Names and text stay out of the channel; clients fetch them over the API.
    return {"id": question.id, "meeting_id": question.meeting_id, "answered": bool(question.answer)}


@transactional
def add_question(meeting_id: int, data: dict, actor: User | None = None) -> MeetingQuestion:
    """Record a politician's question (and, if given already, the answer and who answered)."""
    _check({"asked_by": data.get("asked_by", ""), "question": data.get("question", "")})
    meeting = lock_meeting(meeting_id)
    _formannskap(meeting)
    last = db.session.scalar(select(func.max(MeetingQuestion.position)).where(MeetingQuestion.meeting_id == meeting_id))
    question = MeetingQuestion(
        meeting_id=meeting_id,
        position=(last or 0) + 1,
        created_at=utcnow(),
        **{key: (data.get(key) or "").strip() for key in QUESTION_FIELDS},
    )
    db.session.add(question)
    db.session.flush()
    record_audit("meeting.question_added", "meeting", meeting_id, actor=actor, meta={"question": question.id})
    append_event(CHANNEL, "meeting.question_added", _event(question), actor_id=actor.id if actor else None)
    db.session.commit()
    return question


def _get(question_id: int) -> MeetingQuestion:
    return get_or_not_found(MeetingQuestion, question_id, gettext("Ukjent spørsmål."))


@transactional
def update_question(question_id: int, changes: dict, version: int, actor: User | None = None) -> MeetingQuestion:
    """Record the answer or correct the question; needs the version read."""
    _check(changes)
    question = _get(question_id)
    if question.version != version:
        raise Conflict("version_conflict", gettext("Spørsmålet er endret av noen andre. Last inn på nytt."))
    for key in QUESTION_FIELDS:
        if key in changes:
            setattr(question, key, (changes[key] or "").strip())
    question.updated_at = utcnow()
    db.session.flush()
    record_audit(
        "meeting.question_updated", "meeting", question.meeting_id, actor=actor, meta={"question": question.id}
    )
    append_event(CHANNEL, "meeting.question_updated", _event(question), actor_id=actor.id if actor else None)
    db.session.commit()
    return question


@transactional
def delete_question(question_id: int, actor: User | None = None) -> None:
    question = _get(question_id)
    data = _event(question)
    db.session.delete(question)
    db.session.flush()
    record_audit("meeting.question_deleted", "meeting", data["meeting_id"], actor=actor, meta={"question": data["id"]})
    append_event(CHANNEL, "meeting.question_deleted", data, actor_id=actor.id if actor else None)
    db.session.commit()


def questions_for(meeting_id: int) -> list[dict]:
    get_meeting(meeting_id)
    return [q.to_dict() for q in list_questions(meeting_id)]
