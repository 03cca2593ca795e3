"""What the roster board shows: alerts and recipients as data, and their live events (ids and statuses only)."""

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select

from beredskap.clock import isoformat
from beredskap.extensions import db
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.roster.models import Alert, AlertRecipient, Delivery, DeliveryState, RecipientStatus


def get_alert(alert_id: int) -> Alert:
    return get_or_not_found(Alert, alert_id, gettext("Ukjent varsling."))


def list_alerts(incident_id: int | None = None, limit: int = 20) -> list[Alert]:
    stmt = select(Alert).order_by(Alert.id.desc()).limit(max(1, min(limit, 200)))
    if incident_id is not None:
        stmt = stmt.where(Alert.incident_id == incident_id)
    return list(db.session.scalars(stmt))


def status_counts(alert: Alert) -> dict[str, int]:
    counts = {status.value: 0 for status in RecipientStatus}
    for recipient in alert.recipients:
        counts[recipient.status] = counts.get(recipient.status, 0) + 1
    counts["checked_in"] = sum(1 for r in alert.recipients if r.checked_in_at is not None)
    counts["total"] = len(alert.recipients)
    return counts


def deliveries_of(recipient_id: int) -> list[Delivery]:
    return list(db.session.scalars(select(Delivery).where(Delivery.recipient_id == recipient_id).order_by(Delivery.id)))


def delivery_summary(deliveries: list[Delivery]) -> str:
    """One state for the board: sent when any got through, else failed/gave_up/pending."""
    states = {d.state for d in deliveries}
    for state in (
        DeliveryState.SENT,
        DeliveryState.SENDING,
        DeliveryState.PENDING,
        DeliveryState.FAILED,
        DeliveryState.GAVE_UP,
        DeliveryState.CANCELLED,
    ):
        if state in states:
            return state
    return "none"


def recipient_dict(recipient: AlertRecipient, contacts: bool) -> dict:
    deliveries = deliveries_of(recipient.id)
    return {
        "id": recipient.id,
        "person_id": recipient.person_id,
        "name": recipient.person.name if contacts and recipient.person else None,
        "phone": recipient.person.phone if contacts and recipient.person else None,
        "position_id": recipient.position_id,
        "position": recipient.position.title if recipient.position else None,
        "team": recipient.position.team if recipient.position else None,
        "rank": recipient.rank,
        "status": recipient.status,
        "sent_at": isoformat(recipient.created_at),
        "answered_at": isoformat(recipient.answered_at),
        "eta_minutes": recipient.eta_minutes,
        "eta_at": isoformat(eta_at(recipient)),
        "checked_in_at": isoformat(recipient.checked_in_at),
        "escalation_due_at": isoformat(recipient.escalation_due_at),
        "escalated_at": isoformat(recipient.escalated_at),
        "escalated_to": recipient.escalated_to_id,
        "escalated_from": recipient.escalated_from_id,
        "delivery": delivery_summary(deliveries),
        "deliveries": [
            {
                "id": d.id,
                "backend": d.backend,
                "channel": d.channel,
                "to": d.address if contacts else None,
                "state": d.state,
                "attempts": d.attempts,
                "next_attempt_at": isoformat(d.next_attempt_at) if d.state == DeliveryState.FAILED else None,
                "sent_at": isoformat(d.sent_at),
                "last_error": d.last_error or None,
            }
            for d in deliveries
        ],
    }


def eta_at(recipient: AlertRecipient):
    """When a «kommer» said the person arrives; None without an answer or a time."""
    if recipient.eta_minutes is None or recipient.answered_at is None:
        return None
    return recipient.answered_at + timedelta(minutes=recipient.eta_minutes)


def alert_dict(alert: Alert, contacts: bool) -> dict:
    return {
        "id": alert.id,
        "group": alert.group_key,
        "group_title": alert.group_title,
        "message": alert.message,
        "incident_id": alert.incident_id,
        "exercise": alert.exercise,
        "escalation_minutes": alert.escalation_minutes,
        "created_at": isoformat(alert.created_at),
        "counts": status_counts(alert),
        "recipients": [recipient_dict(r, contacts) for r in alert.recipients],
    }


# ---------------------------------------------------------------- events


def publish_alert_event(alert: Alert, type_: str, data: dict, actor_id: int | None = None) -> None:
    """Roster board on `global`; the incident's board too when the alert belongs to one. No names."""
    append_event("global", type_, data, actor_id=actor_id)
    if alert.incident_id is not None:
        append_event(f"incident:{alert.incident_id}", type_, data, actor_id=actor_id)


def alert_event_data(alert: Alert) -> dict:
    return {
        "id": alert.id,
        "alert_id": alert.id,
        "group": alert.group_key,
        "group_title": alert.group_title,
        "incident_id": alert.incident_id,
        "exercise": alert.exercise,
        "counts": status_counts(alert),
    }


def publish_recipient(recipient: AlertRecipient, actor_id: int | None = None) -> None:
    alert = recipient.alert
    deliveries = deliveries_of(recipient.id)
    failed = [d for d in deliveries if d.state in (DeliveryState.FAILED, DeliveryState.GAVE_UP)]
    data = {
        "alert_id": alert.id,
        "recipient_id": recipient.id,
        "person_id": recipient.person_id,
        "position_id": recipient.position_id,
        "status": recipient.status,
        "checked_in": recipient.checked_in_at is not None,
        "eta_at": isoformat(eta_at(recipient)),
        "escalated_to": recipient.escalated_to_id,
        "escalated_from": recipient.escalated_from_id,
        "delivery": delivery_summary(deliveries),
        "channels": sorted({d.channel for d in deliveries if d.state == DeliveryState.SENT}),
        "attempts": max((d.attempts for d in deliveries), default=0),
        "next_attempt_at": isoformat(
            min((d.next_attempt_at for d in failed if d.state == DeliveryState.FAILED), default=None)
        ),
        "counts": status_counts(alert),
        "incident_id": alert.incident_id,
    }
    publish_alert_event(alert, "alert.recipient", data, actor_id)
