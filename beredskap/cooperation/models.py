"""Parties of the cooperation agreement and their units."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

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
