"""Sending a meeting's saksliste (with an iCalendar invitation) or referat to its members by e-mail.

The mail goes through the app's delivery backends (ALERT_BACKEND): SMTP sends it, the outbox keeps a record of
it instead. Sending happens after the meeting's status is committed, so a retried transaction never mails twice;
every recipient's copy is recorded in coop_dispatches with its outcome.
"""

from datetime import UTC

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.concurrency import render_report
from beredskap.cooperation.attachments import list_attachments
from beredskap.cooperation.calendar import DEFAULT_DURATION
from beredskap.cooperation.meetings import CHANNEL, OSLO, agenda_items, get_meeting
from beredskap.cooperation.models import Dispatch, Meeting, Person
from beredskap.cooperation.regional import regional_address
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.reports.cooperation import build_agenda, build_minutes
from beredskap.roster.delivery import DeliveryError, active_backends
from beredskap.vocabulary import DATETIME_FORMAT

DOCUMENTS = {"agenda": "Saksliste", "minutes": "Referat"}


def recipients(meeting: Meeting) -> list[dict]:
    """Members and invited guests with the e-mail address the directory holds for them (by entry, else name)."""
    people = list(db.session.scalars(select(Person).where(Person.active.is_(True))))
    by_id = {p.id: p for p in people}
    by_name = {p.name: p for p in people}
    out, seen = [], set()
    for entry in [*(meeting.members or []), *(meeting.invited or [])]:
        name = (entry.get("name") or "").strip()
        person = by_id.get(entry.get("person_id")) or by_name.get(name)
        address = person.email if person else ""
        if not person and isinstance(entry.get("regional"), int):
            address = regional_address(entry["regional"])
        key = address or name
        if not name or key in seen:
            continue
        seen.add(key)
        out.append({"name": name, "address": address})
    return out


def invitation_ics(meeting: Meeting, people: list[dict]) -> bytes | None:
    """An iCalendar invitation (METHOD:REQUEST) to the meeting; None for a meeting without a date."""
    if meeting.starts_at is None:
        return None
    sender = current_app.config.get("SMTP_FROM", "beredskap@localhost")
    calendar = Calendar()
    calendar.add("prodid", "-//Beredskap//Samarbeid kommune og politi//NO")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"coop-meeting-{meeting.id}@beredskap")
    event.add("dtstamp", utcnow().astimezone(UTC))
    start = meeting.starts_at.astimezone(OSLO)
    event.add("dtstart", start)
    event.add("dtend", start + DEFAULT_DURATION)
    event.add("summary", meeting.title)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("sequence", meeting.version)
    event.add("status", "CONFIRMED")
    organizer = vCalAddress(f"mailto:{sender}")
    organizer.params["cn"] = vText(meeting.secretary or "Sekretariatet")
    event.add("organizer", organizer)
    for person in people:
        if not person["address"]:
            continue
        attendee = vCalAddress(f"mailto:{person['address']}")
        attendee.params["cn"] = vText(person["name"])
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def _body(meeting: Meeting, document: str) -> str:
    when = meeting.starts_at.astimezone(OSLO).strftime(DATETIME_FORMAT) if meeting.starts_at else "dato ikke satt"
    lines = [f"{DOCUMENTS[document]} for {meeting.title}", f"Tid: {when}"]
    if meeting.location:
        lines.append(f"Sted: {meeting.location}")  # i18n: e-mail text sent to recipients
    if document == "agenda":
        lines += ["", "Saker:"] + [f"{item.number} {item.title}" for item in agenda_items(meeting.id)]
        lines += ["", "Sakslisten med saksnotater ligger vedlagt som PDF; invitasjonen kan legges i kalenderen."]
    else:
        lines += ["", "Referatet ligger vedlagt som PDF."]
    lines += ["", f"Sekretær: {meeting.secretary}" if meeting.secretary else "", "Sendt fra Beredskap."]
    return "\n".join(lines)


def send_meeting_mail(meeting_id: int, document: str, actor: User | None = None) -> dict:
    """Mail the saksliste (PDF + invitation) or the referat (PDF) to every member and guest; returns a summary."""
    from beredskap.cooperation import decisions

    meeting = get_meeting(meeting_id)
    people = recipients(meeting)
    if document == "agenda":
        pdf = render_report(build_agenda, decisions.agenda_report_data(meeting_id))
        pdf_name = f"saksliste-{meeting_id}.pdf"
    else:
        pdf = render_report(build_minutes, decisions.minutes_report_data(meeting_id))
        pdf_name = f"referat-{meeting_id}.pdf"
    attachments: list[tuple] = [(pdf_name, "application/pdf", pdf)]
    if document == "agenda":
        # Saksfremlegg and saksnotater go with the saksliste.
        for extra in list_attachments(meeting_id):
            attachments.append((extra.filename, extra.content_type, extra.data))
    ics = invitation_ics(meeting, people) if document == "agenda" else None
    if ics is not None:
        attachments.append(("innkalling.ics", "text/calendar", ics, {"method": "REQUEST"}))
    names = [a[0] for a in attachments]
    subject = f"{DOCUMENTS[document]}: {meeting.title}"
    body = _body(meeting, document)
    backends = [b for b in active_backends(current_app.config) if b.name in ("smtp", "outbox")]
    rows = []
    for person in people:
        if not person["address"]:
            rows.append(Dispatch(recipient=person["name"], status="no_address"))
            continue
        for backend in backends:
            row = Dispatch(recipient=person["name"], address=person["address"], backend=backend.name)
            if backend.name == "outbox":
                row.status = "outbox"
            else:
                try:
                    backend.send_email(person["address"], subject, body, tuple(attachments))
                    row.status = "sent"
                except DeliveryError as err:
                    row.status, row.error = "failed", err.code
            rows.append(row)
    now = utcnow()
    for row in rows:
        row.meeting_id, row.document, row.subject, row.attachments, row.created_at = (
            meeting_id,
            document,
            subject,
            names,
            now,
        )
        db.session.add(row)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    db.session.flush()
    record_audit(f"meeting.{document}_mailed", "meeting", meeting_id, actor=actor, meta=counts)
    append_event(CHANNEL, "meeting.mailed", {"id": meeting_id, "document": document, "counts": counts})
    db.session.commit()
    return {"document": document, "attachments": names, "counts": counts}


def list_dispatches(meeting_id: int) -> list[Dispatch]:
    return list(db.session.scalars(select(Dispatch).where(Dispatch.meeting_id == meeting_id).order_by(Dispatch.id)))
