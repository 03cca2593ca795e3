"""Delivery backends behind one interface: the outbox (stored), SMTP e-mail and an HTTP SMS gateway."""

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

import requests

from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.roster.messages import render_gateway_body
from beredskap.roster.models import OutboxMessage

NETWORK_TIMEOUT = 10.0


@dataclass(frozen=True)
class OutgoingMessage:
    delivery_id: int
    channel: str  # sms | email
    to: str
    subject: str
    body: str
    ack_url: str


class DeliveryError(Exception):
    """A failed send; `code` is short and free of personal data (it is stored and shown)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code[:200]


class Backend(Protocol):
    name: str
    # True when sending is a database write that must happen in the caller's transaction.
    in_database: bool

    def route(self, phone: str, email: str) -> tuple[str, str] | None:
        """(channel, address) this backend would use for a person, or None when it cannot reach them."""

    def send(self, message: OutgoingMessage) -> None:
        """Send or raise DeliveryError."""


class OutboxBackend:
    """Stores the message for GET /api/v1/outbox instead of sending it: the safe default and the demo mode."""

    name = "outbox"
    in_database = True

    def route(self, phone: str, email: str) -> tuple[str, str] | None:
        if phone:
            return "sms", phone
        if email:
            return "email", email
        return None

    def send(self, message: OutgoingMessage) -> None:
        db.session.add(
            OutboxMessage(
                delivery_id=message.delivery_id,
                to=message.to,
                channel=message.channel,
                subject=message.subject,
                body=message.body,
                ack_url=message.ack_url,
                created_at=utcnow(),
            )
        )


class SmtpBackend:
    """Plain SMTP to the municipality's relay (SMTP_HOST:SMTP_PORT)."""

    name = "smtp"
    in_database = False

    def __init__(self, host: str, port: int, sender: str, timeout: float = NETWORK_TIMEOUT):
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def route(self, phone: str, email: str) -> tuple[str, str] | None:
        return ("email", email) if email else None

    def send(self, message: OutgoingMessage) -> None:
        self.send_email(message.to, message.subject, message.body)

    def send_email(self, to: str, subject: str, body: str, attachments: tuple = ()) -> None:
        """An e-mail with attachments `(filename, "type/subtype", data[, params])`, e.g. a PDF and an invitation."""
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = to
        mail["Subject"] = subject
        mail["Message-ID"] = make_msgid(domain="beredskap.local")
        mail.set_content(body)
        for filename, mimetype, data, *params in attachments:
            maintype, subtype = mimetype.split("/", 1)
            mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename, params=dict(*params))
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError("smtp_recipient_refused") from None
        except smtplib.SMTPException as err:
            raise DeliveryError(f"smtp_{type(err).__name__}") from None
        except OSError as err:
            raise DeliveryError(f"smtp_connection_{type(err).__name__}") from None


class SmsGatewayBackend:
    """HTTP POST of SMS_BODY_TEMPLATE (placeholders {to}, {text}, {url}) to SMS_GATEWAY_URL."""

    name = "sms"
    in_database = False

    def __init__(self, url: str, template: str, timeout: float = NETWORK_TIMEOUT):
        self.url, self.template, self.timeout = url, template, timeout

    def route(self, phone: str, email: str) -> tuple[str, str] | None:
        return ("sms", phone) if phone else None

    def send(self, message: OutgoingMessage) -> None:
        if not self.url:
            raise DeliveryError("sms_gateway_not_configured")
        body, content_type = render_gateway_body(self.template, to=message.to, text=message.body, url=message.ack_url)
        try:
            response = requests.post(
                self.url, data=body.encode("utf-8"), timeout=self.timeout, headers={"Content-Type": content_type}
            )
        except requests.RequestException as err:
            raise DeliveryError(f"sms_connection_{type(err).__name__}") from None
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"sms_http_{response.status_code}")


def all_backends(config: dict) -> dict[str, Backend]:
    """Every backend, configured; queued deliveries keep the backend they were queued for."""
    return {
        "outbox": OutboxBackend(),
        "smtp": SmtpBackend(
            config.get("SMTP_HOST", "127.0.0.1"),
            int(config.get("SMTP_PORT", 25)),
            config.get("SMTP_FROM", "beredskap@localhost"),
        ),
        "sms": SmsGatewayBackend(config.get("SMS_GATEWAY_URL", ""), config.get("SMS_BODY_TEMPLATE", "")),
    }


def active_backends(config: dict) -> list[Backend]:
    """The backends named in ALERT_BACKEND (comma-separated: outbox, smtp, sms); the outbox when none is valid."""
    available = all_backends(config)
    names = [n.strip().lower() for n in str(config.get("ALERT_BACKEND") or "outbox").split(",")]
    chosen = [available[n] for n in dict.fromkeys(names) if n in available]
    return chosen or [available["outbox"]]
