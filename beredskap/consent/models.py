"""A recorded basis for sharing personal data: a hjemmel in law, or a consent with its purpose and end date."""

from datetime import date, datetime

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db
from beredskap.vocabulary import DATE_FORMAT

BASIS_KINDS: dict[str, str] = {
    "hjemmel": "Hjemmel i lov",
    "samtykke": "Samtykke om fritak fra taushetsplikt",
}
BASIS_STATUSES: dict[str, str] = {"gyldig": "Gyldig", "trukket": "Trukket tilbake", "utlopt": "Utløpt"}
# What a basis is recorded for: the exports of one EPS, or one meeting held at a bydel's treffpunkt.
SCOPES: dict[str, str] = {"eps": "EPS", "treffpunkt_meeting": "Møte i fast treffpunkt"}
RECIPIENTS: dict[str, str] = {"politi": "Politiet", "kommune": "Kommunen"}


class ShareBasis(db.Model):
    """Why personal data may be shared with the other party: who recorded it, and until when it counts.

    A withdrawn or expired basis stays as a record (the audit log points at it) but no longer counts."""

    __tablename__ = "share_bases"
    __table_args__ = (Index("ix_share_bases_scope", "scope", "scope_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(30))
    scope_id: Mapped[int]
    recipient: Mapped[str] = mapped_column(String(20), default="politi")
    kind: Mapped[str] = mapped_column(String(20))
    legal_basis: Mapped[str] = mapped_column(String(300), default="")  # the hjemmel, as the user states it
    consent_by: Mapped[str] = mapped_column(String(200), default="")  # who consented (may be personal data)
    purpose: Mapped[str] = mapped_column(String(500), default="")  # for what
    valid_until: Mapped[date | None] = mapped_column(Date)  # last day it counts (Europe/Oslo)
    recorded_by: Mapped[str] = mapped_column(String(80), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(80), default="")
    withdrawal_reason: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def status(self, today: date) -> str:
        if self.withdrawn_at is not None:
            return "trukket"
        if self.valid_until is not None and self.valid_until < today:
            return "utlopt"
        return "gyldig"

    @property
    def label(self) -> str:
        """What the audit log and the export page name it by: the hjemmel, or «Samtykke … (til dd.mm.åååå)»."""
        if self.kind == "hjemmel":
            return f"Hjemmel: {self.legal_basis}"
        until = f" til {self.valid_until.strftime(DATE_FORMAT)}" if self.valid_until else ""
        return f"{BASIS_KINDS['samtykke']} (#{self.id}{until})"

    def to_dict(self, today: date, *, with_person: bool) -> dict:
        status = self.status(today)
        data = {
            "id": self.id,
            "scope": self.scope,
            "scope_id": self.scope_id,
            "recipient": self.recipient,
            "kind": self.kind,
            "kind_title": BASIS_KINDS.get(self.kind, self.kind),
            "legal_basis": self.legal_basis,
            "purpose": self.purpose,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "label": self.label,
            "status": status,
            "status_title": BASIS_STATUSES[status],
            "valid": status == "gyldig",
            "recorded_by": self.recorded_by,
            "recorded_at": isoformat(self.recorded_at),
            "withdrawn_at": isoformat(self.withdrawn_at),
            "withdrawn_by": self.withdrawn_by,
            "withdrawal_reason": self.withdrawal_reason,
            "version": self.version,
        }
        if with_person:
            data["consent_by"] = self.consent_by
        return data
