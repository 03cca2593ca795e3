"""Parties and units, the directory of people, and the bydeler with their meeting points."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import utcnow
from beredskap.cooperation.agreement import (
    FUNCTIONS,
)
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


class Party(db.Model):
    """Kristiansand kommune, Agder politidistrikt, and their units (politistasjoner, etater)."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # kommune | politi
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))

    def to_dict(self) -> dict:
        return {"id": self.id, "key": self.key, "name": self.name, "kind": self.kind, "parent_id": self.parent_id}


class Person(db.Model):
    """Someone in the cooperation: a function holder, an områdekontakt, a police contact (fictitious in the demo)."""

    __tablename__ = "coop_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(40))  # key of agreement.FUNCTIONS
    title: Mapped[str] = mapped_column(String(200), default="")  # as written on the agenda
    unit_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    bydel: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # A deputy (stedfortreder) stands in for the holder of a function: every function can have deputies (§4).
    deputy_of_id: Mapped[int | None] = mapped_column(ForeignKey("coop_people.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def function_title(self) -> str:
        return FUNCTIONS.get(self.function, ("", self.function))[1]

    def to_dict(self, *, contacts: bool) -> dict:
        data = {
            "id": self.id,
            "name": self.name,
            "function": self.function,
            "function_title": self.function_title,
            "title": self.title,
            "unit_id": self.unit_id,
            "bydel": self.bydel,
            "active": self.active,
            "deputy_of_id": self.deputy_of_id,
            "version": self.version,
        }
        # Phone and e-mail only for roles that work with the contacts, not for read-only roles.
        if contacts:
            data.update({"email": self.email, "phone": self.phone})
        return data


class District(db.Model):
    """A bydel with its regular meeting point between områdekontakter and the police."""

    __tablename__ = "coop_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    police_unit_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    meeting_point: Mapped[str] = mapped_column(String(300), default="")
    meeting_schedule: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "police_unit_id": self.police_unit_id,
            "meeting_point": self.meeting_point,
            "meeting_schedule": self.meeting_schedule,
            "version": self.version,
        }


class MemberList(db.Model):
    """A named list of members kept apart from the directory, e.g. the regional politiråd's (§3.1)."""

    __tablename__ = "coop_member_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    members: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "organisation", "function", "email"}]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
