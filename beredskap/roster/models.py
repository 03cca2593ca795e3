"""Crisis organisation: people, positions with holder and deputies, saved groups, duty rota, alerts."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beredskap.clock import utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db
from beredskap.vocabulary import TEAM_LEADERS, TEAM_TITLES, Team  # noqa: F401 - the teams and labels live in the vocabulary


class RecipientStatus(StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    DECLINED = "declined"
    ESCALATED = "escalated"
    FAILED = "failed"


# Statuses that still wait for an answer: the link may answer and the clock may escalate.
OPEN_STATUSES = (RecipientStatus.SENT, RecipientStatus.FAILED, RecipientStatus.ESCALATED)


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # will be retried at next_attempt_at
    GAVE_UP = "gave_up"  # attempts exhausted
    CANCELLED = "cancelled"  # stopped by a coordinator on «Utsendinger»; may be sent again from there


class Person(db.Model):
    """A member of the crisis organisation; contact details are personal data."""

    __tablename__ = "roster_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Position(db.Model):
    """A function in a team (e.g. «Kommuneoverlege» in kriseledelse), held by one person with ordered deputies."""

    __tablename__ = "roster_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    team: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(default=0)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("roster_people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    holder: Mapped[Person | None] = relationship(lazy="joined")
    deputies: Mapped[list["PositionDeputy"]] = relationship(
        order_by="PositionDeputy.rank", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}


class PositionDeputy(db.Model):
    """Deputy number `rank` (1 = first) of a position."""

    __tablename__ = "roster_position_deputies"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("roster_positions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("roster_people.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column()

    person: Mapped[Person] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("position_id", "rank", name="uq_roster_position_deputies_rank"),
        UniqueConstraint("position_id", "person_id", name="uq_roster_position_deputies_person"),
    )


class SavedGroup(db.Model):
    """A named alert list of positions and/or individual people."""

    __tablename__ = "roster_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    members: Mapped[list["SavedGroupMember"]] = relationship(
        order_by="SavedGroupMember.id", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}


class SavedGroupMember(db.Model):
    __tablename__ = "roster_group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("roster_groups.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("roster_positions.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("roster_people.id", ondelete="CASCADE"))


class DutyShift(db.Model):
    """One shift of a team's rota (vaktliste); gaps between shifts show where 24/7 cover is missing."""

    __tablename__ = "roster_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    team: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int] = mapped_column(ForeignKey("roster_people.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")

    __table_args__ = (Index("ix_roster_shifts_team_start", "team", "starts_at"),)


class Alert(db.Model):
    """A call-out of a group; `message` already carries the ØVELSE prefix in an exercise."""

    __tablename__ = "roster_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_key: Mapped[str] = mapped_column(String(400))
    group_title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    exercise: Mapped[bool] = mapped_column(default=False)
    escalation_minutes: Mapped[int] = mapped_column(default=10)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recipients: Mapped[list["AlertRecipient"]] = relationship(
        order_by="AlertRecipient.id", cascade="all, delete-orphan", lazy="selectin", back_populates="alert"
    )


class AlertRecipient(db.Model):
    """One person called by an alert, with a personal answer link (only its SHA-256 is stored)."""

    __tablename__ = "roster_alert_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("roster_alerts.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("roster_people.id", ondelete="SET NULL"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("roster_positions.id", ondelete="SET NULL"))
    # 0 = holder, n = deputy n, None = called as a person, not for a position.
    rank: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=RecipientStatus.SENT)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    escalation_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_from_id: Mapped[int | None] = mapped_column(ForeignKey("roster_alert_recipients.id", ondelete="SET NULL"))
    escalated_to_id: Mapped[int | None] = mapped_column(ForeignKey("roster_alert_recipients.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # «Kommer» may say when: minutes from the answer, as the person gave it on the answer page.
    eta_minutes: Mapped[int | None] = mapped_column()
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    alert: Mapped[Alert] = relationship(back_populates="recipients")
    person: Mapped[Person | None] = relationship(lazy="joined")
    position: Mapped[Position | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_roster_recipients_due", "status", "escalation_due_at"),)


class Delivery(db.Model):
    """The delivery queue: one message to one recipient through one backend, sent off the request path."""

    __tablename__ = "roster_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("roster_alert_recipients.id", ondelete="CASCADE"), index=True)
    backend: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))  # sms | email
    address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300), default="")
    # Body and link carry the clear answer token: they are blanked once a network backend has sent them.
    body: Mapped[str] = mapped_column(Text, default="")
    ack_url: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[str] = mapped_column(String(20), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recipient: Mapped[AlertRecipient] = relationship()

    __table_args__ = (Index("ix_roster_deliveries_due", "state", "next_attempt_at"),)


class OutboxMessage(db.Model):
    """A message 'sent' by the outbox backend: stored for the coordinator instead of leaving the building."""

    __tablename__ = "roster_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("roster_deliveries.id", ondelete="CASCADE"), unique=True)
    to: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    ack_url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
