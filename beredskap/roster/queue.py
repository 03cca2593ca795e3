"""The delivery queue: messages leave off the request path, are retried with back-off, and fail visibly."""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from beredskap.clock import isoformat, utcnow
from beredskap.extensions import db, socketio
from beredskap.roster.board import deliveries_of, publish_recipient
from beredskap.roster.delivery import DeliveryError, OutgoingMessage, all_backends
from beredskap.roster.models import AlertRecipient, Delivery, DeliveryState, OutboxMessage, RecipientStatus
from beredskap.transaction import transactional

log = logging.getLogger(__name__)

BATCH = 50
# A claim older than this belonged to a process that died mid-send; the delivery is tried again.
STALE_CLAIM = timedelta(minutes=5)


def _config(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _due_condition(now: datetime):
    return or_(
        and_(
            Delivery.state.in_([DeliveryState.PENDING.value, DeliveryState.FAILED.value]),
            Delivery.next_attempt_at <= now,
        ),
        and_(Delivery.state == DeliveryState.SENDING.value, Delivery.claimed_at < now - STALE_CLAIM),
    )


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 30 s, 1 min, 2 min … capped at 10 minutes."""
    base = _config("ALERT_RETRY_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 600))


def process_delivery_queue(now: datetime, limit: int = BATCH) -> int:
    """Send every due delivery once; returns how many this process claimed."""
    due = list(db.session.scalars(select(Delivery.id).where(_due_condition(now)).order_by(Delivery.id).limit(limit)))
    db.session.rollback()
    backends = all_backends(current_app.config)
    done = 0
    for delivery_id in due:
        if not _claim_delivery(delivery_id, now):
            continue
        done += 1
        delivery = db.session.get(Delivery, delivery_id, populate_existing=True)
        backend = backends.get(delivery.backend)
        message = OutgoingMessage(
            delivery_id=delivery.id,
            channel=delivery.channel,
            to=delivery.address,
            subject=delivery.subject,
            body=delivery.body,
            ack_url=delivery.ack_url,
        )
        db.session.rollback()
        if backend is None:
            _finish_delivery(delivery_id, now, "unknown_backend")
        elif backend.in_database:
            _finish_delivery(delivery_id, now, None, store=backend, message=message)
        else:
            try:
                backend.send(message)
                error = None
            except DeliveryError as err:
                error = err.code
            except Exception as err:  # noqa: BLE001 - a backend bug must fail this delivery, not the whole queue
                error = f"unexpected_{type(err).__name__}"
            _finish_delivery(delivery_id, now, error)
    return done


@transactional
def _claim_delivery(delivery_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, _due_condition(now))
        .values(state=DeliveryState.SENDING.value, claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


@transactional
def _finish_delivery(
    delivery_id: int, now: datetime, error: str | None, store=None, message: OutgoingMessage | None = None
) -> None:
    delivery = db.session.get(Delivery, delivery_id, populate_existing=True)
    recipient = db.session.get(AlertRecipient, delivery.recipient_id, populate_existing=True)
    if store is not None and message is not None:
        store.send(message)
    if error is None:
        delivery.state = DeliveryState.SENT
        delivery.sent_at = now
        delivery.last_error = ""
        if delivery.backend != "outbox":
            # The clear link must not linger in the queue once it has left the building.
            delivery.body = ""
            delivery.ack_url = ""
        if recipient.status == RecipientStatus.FAILED:
            recipient.status = RecipientStatus.SENT
    else:
        max_attempts = _config("ALERT_MAX_ATTEMPTS", 10)
        delivery.state = DeliveryState.GAVE_UP if delivery.attempts >= max_attempts else DeliveryState.FAILED
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.last_error = error
        others_sent = any(d.state == DeliveryState.SENT for d in deliveries_of(recipient.id) if d.id != delivery.id)
        if recipient.status == RecipientStatus.SENT and not others_sent:
            recipient.status = RecipientStatus.FAILED
    db.session.flush()
    publish_recipient(recipient)
    db.session.commit()


def kick_delivery() -> None:
    """Start sending right after commit, in the background, instead of waiting for the scheduler tick."""
    if not current_app.config.get("ALERT_DELIVERY_KICK", True):
        return
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                process_delivery_queue(utcnow())
            except Exception as err:  # noqa: BLE001 - the scheduler retries whatever the kick missed
                db.session.rollback()
                log.warning("alert delivery kick failed: %s", type(err).__name__)
            finally:
                db.session.remove()

    socketio.start_background_task(run)


def list_outbox(limit: int = 200, alert_id: int | None = None) -> list[dict]:
    """GET /api/v1/outbox: stored messages, newest first."""
    stmt = (
        select(OutboxMessage, Delivery.recipient_id, AlertRecipient.alert_id)
        .join(Delivery, Delivery.id == OutboxMessage.delivery_id)
        .join(AlertRecipient, AlertRecipient.id == Delivery.recipient_id)
        .order_by(OutboxMessage.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if alert_id is not None:
        stmt = stmt.where(AlertRecipient.alert_id == alert_id)
    return [
        {
            "id": message.id,
            "to": message.to,
            "channel": message.channel,
            "subject": message.subject,
            "body": message.body,
            "ack_url": message.ack_url,
            "created_at": isoformat(message.created_at),
            "alert_id": alert,
            "recipient_id": recipient,
        }
        for message, recipient, alert in db.session.execute(stmt)
    ]
