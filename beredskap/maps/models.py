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


class IncidentZone(db.Model):
    """A faresone, sperresone or evakueringssone on an incident, with its last zone analysis (CONTRACT §11).

    Removing a zone marks it removed; every version is kept in `incident_zone_changes`.
    """

    __tablename__ = "incident_zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(120))
    geometry: Mapped[dict] = mapped_column(JSON)
    # How it was drawn: {"center": [lon, lat], "radius_m": n}, {"layer": name, "feature": i} or {} (polygon).
    source: Mapped[dict] = mapped_column(JSON, default=dict)
    analysis: Mapped[dict | None] = mapped_column(JSON)
    # Fingerprint of the inputs (resources, EPS occupancy, grouping) the analysis was computed from.
    analysis_inputs: Mapped[str] = mapped_column(String(64), default="")
    analysed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "kind": self.kind,
            "label": self.label,
            "geometry": self.geometry,
            "source": self.source or {},
            "version": self.version,
            "analysis": self.analysis,
            "analysed_at": isoformat(self.analysed_at) if self.analysed_at else None,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "removed": self.removed_at is not None,
        }


class IncidentZoneChange(db.Model):
    """One version of a zone as it was saved: the zone's history."""

    __tablename__ = "incident_zone_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("incident_zones.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(120))
    geometry: Mapped[dict] = mapped_column(JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "action": self.action,
            "kind": self.kind,
            "label": self.label,
            "geometry": self.geometry,
            "changed_at": isoformat(self.changed_at),
            "changed_by": self.changed_by,
        }
