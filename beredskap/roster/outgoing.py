"""Every message an alert has queued, as the «Utsendinger» page shows it, and the two things a coordinator does
to one: send it again now, or stop it. Both are audited; neither touches the recipient's answer."""

from flask_babel import gettext
from sqlalchemy import select, update

from beredskap.auth.services import record_audit
from beredskap.clock import isoformat, utcnow
from beredskap.domain_errors import Conflict, NotFound
from beredskap.extensions import db
from beredskap.roster.board import publish_recipient
from beredskap.roster.models import Alert, AlertRecipient, Delivery, DeliveryState, OutboxMessage, Person, Position
from beredskap.roster.queue import kick_delivery

DELIVERY_STATES = tuple(state.value for state in DeliveryState)
RETRYABLE = (DeliveryState.FAILED, DeliveryState.GAVE_UP, DeliveryState.CANCELLED)
CANCELLABLE = (DeliveryState.PENDING, DeliveryState.FAILED)


def list_deliveries(limit: int = 200, state: str | None = None, alert_id: int | None = None) -> list[dict]:
    """Alert deliveries, newest first, with the answer link where the outbox backend kept the message."""
    stmt = (
        select(Delivery, AlertRecipient, Alert, Person.name, Position.title, OutboxMessage.ack_url)
        .join(AlertRecipient, AlertRecipient.id == Delivery.recipient_id)
        .join(Alert, Alert.id == AlertRecipient.alert_id)
        .outerjoin(Person, Person.id == AlertRecipient.person_id)
        .outerjoin(Position, Position.id == AlertRecipient.position_id)
        .outerjoin(OutboxMessage, OutboxMessage.delivery_id == Delivery.id)
        .order_by(Delivery.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if state:
        stmt = stmt.where(Delivery.state == state)
    if alert_id is not None:
        stmt = stmt.where(Alert.id == alert_id)
    return [
        {
            "id": delivery.id,
            "kind": "alert",
            "alert_id": alert.id,
            "incident_id": alert.incident_id,
            "exercise": alert.exercise,
            "subject": delivery.subject or alert.group_title,
            "group_title": alert.group_title,
            "recipient_id": recipient.id,
            "recipient": name or "",
            "position": title,
            "answer": recipient.status,
            "backend": delivery.backend,
            "channel": delivery.channel,
            "to": delivery.address,
            "state": delivery.state,
            "attempts": delivery.attempts,
            "last_error": delivery.last_error or None,
            "created_at": isoformat(delivery.created_at),
            "sent_at": isoformat(delivery.sent_at),
            "ack_url": ack_url or None,
            "can_retry": delivery.state in RETRYABLE,
            "can_cancel": delivery.state in CANCELLABLE,
        }
        for delivery, recipient, alert, name, title, ack_url in db.session.execute(stmt)
    ]


def _change(delivery_id: int, allowed: tuple[DeliveryState, ...], values: dict, action: str, actor) -> Delivery:
    """Move one delivery from an allowed state; a concurrent change in between is a 409, not a lost update."""
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(gettext("Ukjent utsending."))
    before = delivery.state
    if before not in allowed:
        db.session.rollback()
        raise Conflict(
            "conflict", gettext("Utsendingen har status «%(status)s» og kan ikke endres slik.", status=before)
        )
    changed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.state == before)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise Conflict("conflict", gettext("Utsendingen ble endret samtidig. Last siden på nytt."))
    record_audit(action, "delivery", delivery_id, actor=actor, meta={"from": before, "alert_id": _alert_id(delivery)})
    db.session.refresh(delivery)
    publish_recipient(delivery.recipient, actor.id if actor else None)
    db.session.commit()
    return delivery


def _alert_id(delivery: Delivery) -> int:
    return db.session.get(AlertRecipient, delivery.recipient_id).alert_id


def retry_delivery(delivery_id: int, actor) -> Delivery:
    """Send a failed, given-up or cancelled message again now, with a fresh count of attempts."""
    values = {"state": DeliveryState.PENDING.value, "next_attempt_at": utcnow(), "attempts": 0, "last_error": ""}
    delivery = _change(delivery_id, RETRYABLE, values, "delivery.retry", actor)
    kick_delivery()
    return delivery


def cancel_delivery(delivery_id: int, actor) -> Delivery:
    """Stop a message that has not left yet; the queue never picks a cancelled one."""
    return _change(delivery_id, CANCELLABLE, {"state": DeliveryState.CANCELLED.value}, "delivery.cancel", actor)
