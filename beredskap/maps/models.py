"""Resources on the map, imported map layers and the coordinator's delområde → bydel grouping."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


class Resource(db.Model):
    """A place or facility the crisis staff can use: shelter, school, sports hall, health building …"""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    capacity: Mapped[int | None] = mapped_column()
    contact: Mapped[str] = mapped_column(String(300), default="")
    eps_suitable: Mapped[bool] = mapped_column(default=False)
    lon: Mapped[float] = mapped_column()
    lat: Mapped[float] = mapped_column()
    # Derived from the location and the current grouping; kept in step when the coordinator regroups.
    bydel: Mapped[str | None] = mapped_column(String(80), index=True)
    delomrade: Mapped[str | None] = mapped_column(String(12), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    building_type: Mapped[str] = mapped_column(String(120), default="")
    # Where a seeded resource came from ("tilfluktsrom:1688", "bygg:bygg-00012"); None for hand-made ones.
    source_ref: Mapped[str | None] = mapped_column(String(80), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def location(self) -> dict:
        return {"type": "Point", "coordinates": [self.lon, self.lat]}

    def to_dict(self, delomrade_name: str | None = None) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "capacity": self.capacity,
            "contact": self.contact,
            "eps_suitable": self.eps_suitable,
            "location": self.location,
            "bydel": self.bydel,
            "delomrade": self.delomrade,
            "delomrade_name": delomrade_name,
            "address": self.address,
            "building_type": self.building_type,
            "source_ref": self.source_ref,
            "notes": self.notes,
            "version": self.version,
            "updated_at": isoformat(self.updated_at),
        }


class ImportedLayer(db.Model):
    """A layer imported with `flask maps import`: a FeatureCollection in EPSG:4326, served as it is."""

    __tablename__ = "imported_layers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict] = mapped_column(JSON)
    feature_count: Mapped[int] = mapped_column(default=0)
    source_name: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DistrictGrouping(db.Model):
    """One delområde: its display name and the bydel it belongs to (the shipped grouping is partly assumed)."""

    __tablename__ = "district_groupings"

    delomrade: Mapped[str] = mapped_column(String(12), primary_key=True)
    delomrade_name: Mapped[str] = mapped_column(String(120))
    bydel: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_district_groupings_bydel", "bydel"),)

    def to_dict(self) -> dict:
        return {
            "number": self.delomrade,
            "name": self.delomrade_name,
            "bydel": self.bydel,
            "version": self.version,
            "updated_at": isoformat(self.updated_at),
        }
