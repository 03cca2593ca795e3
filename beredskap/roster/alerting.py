"""Alerting: call out a group, personal answer links, escalation to deputies, CAP data."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select, update

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid, Malformed, NotFound
from beredskap.extensions import db
from beredskap.incidents.models import Incident, IncidentStatus
from beredskap.roster.board import alert_event_data, publish_alert_event, publish_recipient
from beredskap.roster.delivery import active_backends
from beredskap.roster.messages import compose_message, mark_exercise
from beredskap.roster.models import (
    OPEN_STATUSES,
    Alert,
    AlertRecipient,
    Delivery,
    DeliveryState,
    Position,
    RecipientStatus,
)
from beredskap.roster.organisation import (
    Group,
    Target,
    check_text,
    find_group,
    next_deputy,
    positions_group,
    valid_id,
)
from beredskap.roster.queue import BATCH, kick_delivery
from beredskap.roster.rota import DUTY_PREFIX, duty_group
from beredskap.transaction import transactional

MAX_MESSAGE = 1000
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")
ANSWERS = {
    "yes": RecipientStatus.ACKNOWLEDGED,
    "ja": RecipientStatus.ACKNOWLEDGED,
    "no": RecipientStatus.DECLINED,
    "nei": RecipientStatus.DECLINED,
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _config(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


# ---------------------------------------------------------------- sending


def _add_recipient(
    alert: Alert, target: Target, now: datetime, escalated_from: AlertRecipient | None = None
) -> AlertRecipient:
    """Create the recipient, its personal link and its queued deliveries (in the current transaction)."""
    token = secrets.token_urlsafe(32)
    recipient = AlertRecipient(
        person_id=target.person.id,
        position_id=target.position.id if target.position else None,
        rank=target.rank,
        status=RecipientStatus.SENT,
        token_hash=hash_token(token),
        token_expires_at=now + timedelta(hours=_config("ALERT_TOKEN_HOURS", 24)),
        created_at=now,
        escalation_due_at=now + timedelta(minutes=alert.escalation_minutes),
        escalated_from_id=escalated_from.id if escalated_from else None,
    )
    alert.recipients.append(recipient)
    db.session.flush()
    ack_url = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + f"/ack/{token}"
    queued = 0
    for backend in active_backends(current_app.config):
        route = backend.route(target.person.phone, target.person.email)
        if route is None:
            continue
        channel, address = route
        text = compose_message(
            alert.message,
            alert.group_title,
            target.position.title if target.position else None,
            ack_url,
            alert.exercise,
            channel,
        )
        db.session.add(
            Delivery(
                recipient_id=recipient.id,
                backend=backend.name,
                channel=channel,
                address=address,
                subject=text.subject,
                body=text.body,
                ack_url=ack_url,
                state=DeliveryState.PENDING,
                next_attempt_at=now,
                created_at=now,
            )
        )
        queued += 1
    if not queued:
        # Nobody to send to is a failure the coordinator must see, not a silent skip.
        recipient.status = RecipientStatus.FAILED
    db.session.flush()
    return recipient


def _incident_for_alert(incident_id: int | None) -> Incident | None:
    if incident_id is None:
        return None
    incident = db.session.get(Incident, incident_id) if valid_id(incident_id) else None
    if incident is None:
        raise Invalid("invalid", gettext("Ukjent hendelse."), {"incident_id": "ukjent"})
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("closed", gettext("Hendelsen er avsluttet."))
    return incident


@transactional
def send_alert(
    *,
    message: str,
    group: str | None = None,
    position_ids: list[int] | None = None,
    incident_id: int | None = None,
    escalation_minutes: int | None = None,
    action_card_id: int | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> Alert:
    """Call out a group: one recipient and one personal link per person, deliveries queued, live event.

    Sent from an alerting action card (`action_card_id`, with the incident), the card's task on the board is
    marked done in the same transaction.
    """
    now = now or utcnow()
    message = check_text((message or "").strip(), "message")
    if not message:
        raise Invalid("invalid", gettext("Skriv en melding."), {"message": "påkrevd"})
    if len(message) > MAX_MESSAGE:
        raise Invalid(
            "invalid", gettext("Meldingen er for lang (maks %(max)s tegn).", max=MAX_MESSAGE), {"message": "for lang"}
        )
    if isinstance(group, str) and group.startswith(DUTY_PREFIX):
        target_group: Group = duty_group(group, now)
    elif group:
        target_group = find_group(group)
    elif position_ids:
        target_group = positions_group(position_ids)
    else:
        raise Invalid("invalid", gettext("Velg en gruppe."), {"group": "påkrevd"})
    targets = target_group.targets()
    if not targets:
        raise Invalid(
            "invalid", gettext("Gruppen har ingen å varsle (ingen innehavere eller stedfortredere)."), {"group": "tom"}
        )
    incident = _incident_for_alert(incident_id)
    if action_card_id is not None:
        if incident is None:
            raise Invalid("invalid", gettext("Velg hendelsen tiltakskortet hører til."), {"incident_id": "påkrevd"})
        from beredskap.incidents.actioncards import complete_card_by_alert

        complete_card_by_alert(incident.id, action_card_id, actor)
    exercise = bool(incident and incident.is_exercise)
    minutes = escalation_minutes or _config("ALERT_ESCALATION_MINUTES", 10)
    alert = Alert(
        group_key=target_group.key[:400],
        group_title=target_group.title[:200],
        message=mark_exercise(message, exercise),
        incident_id=incident.id if incident else None,
        exercise=exercise,
        escalation_minutes=minutes,
        created_by=actor.id if actor else None,
        created_at=now,
    )
    db.session.add(alert)
    db.session.flush()
    for target in targets:
        _add_recipient(alert, target, now)
    actor_id = actor.id if actor else None
    publish_alert_event(alert, "alert.created", alert_event_data(alert), actor_id)
    record_audit(
        "alert.sent",
        "alert",
        alert.id,
        actor=actor,
        meta={"recipients": len(targets), "group": alert.group_key[:60], "incident_id": alert.incident_id},
    )
    db.session.commit()
    kick_delivery()
    return alert


# ---------------------------------------------------------------- answering by link


class LinkRefused(Exception):
    """A forged (404) or expired (410) answer link."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def recipient_for_token(token: str, now: datetime | None = None) -> AlertRecipient:
    """The recipient behind a link, or LinkRefused(404 forged / 410 expired)."""
    now = now or utcnow()
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        raise LinkRefused(404, gettext("Lenken er ugyldig."))
    recipient = db.session.scalar(select(AlertRecipient).where(AlertRecipient.token_hash == hash_token(token)))
    if recipient is None:
        raise LinkRefused(404, gettext("Lenken er ugyldig."))
    if recipient.token_expires_at <= now:
        raise LinkRefused(410, gettext("Lenken er utløpt. Ring beredskapskoordinatoren hvis du fortsatt skal svare."))
    return recipient


@dataclass(frozen=True)
class AnswerResult:
    recipient: AlertRecipient
    recorded: bool  # False: an answer was already given, nothing changed


# The arrival times the answer page offers, in minutes.
ETA_CHOICES = (15, 30, 45, 60, 90, 120)


def parse_eta(value: object) -> int | None:
    """The optional «kommer om» from the answer page: empty, or one of ETA_CHOICES."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdecimal() or int(text) not in ETA_CHOICES:
        choices = ", ".join(str(c) for c in ETA_CHOICES)
        raise Malformed("invalid_eta", gettext("Ankomsttid må være en av %(choices)s minutter.", choices=choices))
    return int(text)


@transactional
def answer_alert(token: str, answer: str, now: datetime | None = None, eta_minutes: int | None = None) -> AnswerResult:
    """Record «kommer» (yes, optionally with when) or «kan ikke» (no) once; a «no» calls the next deputy at once."""
    now = now or utcnow()
    status = ANSWERS.get((answer or "").strip().lower())
    if status is None:
        raise Malformed("invalid_answer", gettext("Svaret må være «yes» eller «no»."))
    if status != RecipientStatus.ACKNOWLEDGED:
        eta_minutes = None
    recipient = recipient_for_token(token, now)
    # The conditional UPDATE is the once-only guarantee, also with two clicks racing in two processes.
    claimed = db.session.execute(
        update(AlertRecipient)
        .where(
            AlertRecipient.id == recipient.id,
            AlertRecipient.answered_at.is_(None),
            AlertRecipient.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .values(status=status.value, answered_at=now, eta_minutes=eta_minutes)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return AnswerResult(recipient_for_token(token, now), False)
    db.session.refresh(recipient)
    called = None
    if status == RecipientStatus.DECLINED and recipient.escalated_to_id is None:
        called = _call_next_deputy(recipient, now)
        if recipient.escalated_at is None:
            recipient.escalated_at = now
    publish_recipient(recipient)
    if called is not None:
        publish_recipient(called)
    db.session.commit()
    if called is not None:
        kick_delivery()
    return AnswerResult(recipient, True)


@transactional
def check_in_by_token(token: str, now: datetime | None = None) -> AnswerResult:
    """The person reports arrival in the crisis room through their link (after answering «kommer»)."""
    now = now or utcnow()
    recipient = recipient_for_token(token, now)
    if recipient.status != RecipientStatus.ACKNOWLEDGED:
        raise Conflict("not_acknowledged", gettext("Svar «kommer» før du melder deg på plass."))
    return _check_in(recipient, now, None)


@transactional
def check_in_recipient(
    alert_id: int, recipient_id: int, actor: User | None = None, now: datetime | None = None
) -> AnswerResult:
    """The coordinator registers someone as arrived in the crisis room."""
    now = now or utcnow()
    recipient = db.session.get(AlertRecipient, recipient_id)
    if recipient is None or recipient.alert_id != alert_id:
        raise NotFound(gettext("Ukjent mottaker."))
    return _check_in(recipient, now, actor)


def _check_in(recipient: AlertRecipient, now: datetime, actor: User | None) -> AnswerResult:
    claimed = db.session.execute(
        update(AlertRecipient)
        .where(AlertRecipient.id == recipient.id, AlertRecipient.checked_in_at.is_(None))
        .values(checked_in_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return AnswerResult(db.session.get(AlertRecipient, recipient.id), False)
    db.session.refresh(recipient)
    if recipient.status != RecipientStatus.ACKNOWLEDGED:
        # Whoever is in the room is coming, whatever they answered before.
        recipient.status = RecipientStatus.ACKNOWLEDGED
        recipient.answered_at = recipient.answered_at or now
    publish_recipient(recipient, actor.id if actor else None)
    if actor is not None:
        record_audit("alert.checked_in", "alert_recipient", recipient.id, actor=actor)
    db.session.commit()
    return AnswerResult(recipient, True)


# ---------------------------------------------------------------- escalation


def _call_next_deputy(recipient: AlertRecipient, now: datetime) -> AlertRecipient | None:
    """Call the position's next deputy who is not already called in this alert."""
    if recipient.position_id is None:
        return None
    position = db.session.get(Position, recipient.position_id)
    if position is None:
        return None
    alert = recipient.alert
    called = {r.person_id for r in alert.recipients if r.person_id is not None}
    target = next_deputy(position, recipient.rank or 0, called)
    if target is None:
        return None
    new = _add_recipient(alert, target, now, escalated_from=recipient)
    recipient.escalated_to_id = new.id
    return new


def escalate_overdue_alerts(now: datetime) -> int:
    """Escalate every unanswered recipient whose time is up to the next deputy; returns how many were handled.

    Several processes may run this at once: each recipient is claimed with a conditional UPDATE, so exactly
    one process calls the deputy.
    """
    due = list(
        db.session.scalars(
            select(AlertRecipient.id)
            .where(
                AlertRecipient.status.in_([RecipientStatus.SENT.value, RecipientStatus.FAILED.value]),
                AlertRecipient.answered_at.is_(None),
                AlertRecipient.escalated_at.is_(None),
                AlertRecipient.escalation_due_at <= now,
            )
            .order_by(AlertRecipient.id)
            .limit(BATCH)
        )
    )
    db.session.rollback()
    handled = 0
    for recipient_id in due:
        if _escalate_one(recipient_id, now):
            handled += 1
    return handled


@transactional
def _escalate_one(recipient_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(AlertRecipient)
        .where(
            AlertRecipient.id == recipient_id,
            AlertRecipient.status.in_([RecipientStatus.SENT.value, RecipientStatus.FAILED.value]),
            AlertRecipient.answered_at.is_(None),
            AlertRecipient.escalated_at.is_(None),
            AlertRecipient.escalation_due_at <= now,
        )
        .values(escalated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    recipient = db.session.get(AlertRecipient, recipient_id, populate_existing=True)
    called = _call_next_deputy(recipient, now)
    if called is not None:
        recipient.status = RecipientStatus.ESCALATED
        publish_recipient(recipient)
        publish_recipient(called)
    else:
        # No deputy left: the recipient keeps its status; the board shows that nobody else was called.
        publish_recipient(recipient)
    db.session.commit()
    return True


# ---------------------------------------------------------------- CAP export


def cap_data(alert: Alert, base_url: str) -> dict:
    """The plain data beredskap.roster.cap.build_cap turns into CAP 1.2; addresses are positions, not people."""
    incident = db.session.get(Incident, alert.incident_id) if alert.incident_id else None
    addresses = [r.position.key if r.position else f"person-{r.person_id}" for r in alert.recipients]
    expires = max((r.token_expires_at for r in alert.recipients), default=None)
    prefix = "ØVELSE – " if alert.exercise else ""  # i18n: CAP document
    return {
        "identifier": f"beredskap-kristiansand-varsling-{alert.id}",
        "sender": current_app.config.get("CAP_SENDER", "beredskap@kristiansand.kommune.no"),
        "sent": alert.created_at,
        "exercise": alert.exercise,
        "addresses": list(dict.fromkeys(addresses)),
        "incidents": f"hendelse-{incident.id}" if incident else None,
        "note": "ØVELSE – dette er en øvelse." if alert.exercise else None,  # i18n: CAP document
        "event": "Varsling av kriseorganisasjonen",  # i18n: CAP document
        "headline": f"{prefix}Varsling: {alert.group_title}",  # i18n: CAP document
        "description": alert.message,
        "sender_name": "Kristiansand kommune – beredskap",  # i18n: CAP document
        "severity_level": incident.severity if incident else None,
        "audience": f"Kriseorganisasjonen: {alert.group_title}",  # i18n: CAP document
        "instruction": (  # i18n: CAP document
            "Svar med den personlige lenken i meldingen om du kommer eller ikke kan komme."
        ),
        "expires": expires,
        "web": (base_url.rstrip("/") + "/roster") if base_url.startswith(("http://", "https://")) else None,
    }
