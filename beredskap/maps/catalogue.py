"""Map layers: the shipped ones grouped as now, the imported ones, their JSON bodies and ETags, imports."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import NotFound
from beredskap.extensions import db
from beredskap.maps import layers as layer_files
from beredskap.maps.districts import current_grouping
from beredskap.maps.importer import GeoImportError, read_geodata
from beredskap.maps.models import ImportedLayer
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

LAYER_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


MAX_IMPORT_FEATURES = 200_000


def list_layers() -> list[dict[str, Any]]:
    """Return name, title and feature count of the shipped layers, then of the imported ones."""
    grouping = current_grouping()
    layers = [
        {
            "name": layer.name,
            "title": str(layer.title),
            "feature_count": len(layer_files.grouped_layer(layer.name, grouping)["features"]),
            "kind": "shipped",
            "geometry": layer.geometry,
            "attribution": layer.attribution,
            "style": layer.style,
        }
        for layer in layer_files.layer_registry().values()
    ]
    rows = db.session.execute(
        select(ImportedLayer.name, ImportedLayer.title, ImportedLayer.feature_count).order_by(ImportedLayer.name)
    )
    layers += [
        {"name": name, "title": title, "feature_count": count, "kind": "imported"} for name, title, count in rows
    ]
    return layers


def layer_payload(name: str) -> tuple[bytes, str]:
    """Return a layer's FeatureCollection as JSON bytes and its (unquoted) ETag; 404 for an unknown layer."""
    if name in layer_files.layer_registry():
        return _shipped_payload(name, current_grouping())
    row = db.session.execute(
        select(ImportedLayer.id, ImportedLayer.created_at).where(ImportedLayer.name == name)
    ).first()
    if row is None:
        raise NotFound(gettext("Ukjent kartlag «%(name)s».", name=name))
    key = (name, row.id, row.created_at.isoformat())
    cached = _imported_cache.get(key)
    if cached is None:
        layer = db.session.get(ImportedLayer, row.id)
        collection = {"type": "FeatureCollection", "name": layer.name, "title": layer.title, **layer.data}
        cached = _encode(collection)
        _imported_cache.clear()  # keep one imported layer body at a time: they can be large
        _imported_cache[key] = cached
    return cached


_imported_cache: dict[tuple, tuple[bytes, str]] = {}


@lru_cache(maxsize=32)
def _shipped_payload(name: str, grouping: layer_files.Grouping) -> tuple[bytes, str]:
    return _encode(layer_files.grouped_layer(name, grouping))


def _encode(collection: Mapping[str, Any]) -> tuple[bytes, str]:
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:32]


def check_layer_name(name: str) -> str:
    """A valid name for an imported layer, not one of the shipped layers; ValueError with the reason otherwise."""
    name = (name or "").strip()
    if not LAYER_NAME_PATTERN.match(name):
        raise ValueError(
            gettext(
                "Ugyldig lagnavn «%(name)s»: bruk små bokstaver a–z, sifre, - og _ (høyst 60 tegn), "
                "f.eks. «flomsone-otra».",
                name=name[:60],
            )
        )
    if name in layer_files.layer_registry():
        raise ValueError(
            gettext("Lagnavnet «%(name)s» er brukt av et innebygd kartlag. Velg et annet navn.", name=name)
        )
    return name


def imported_layers() -> list[ImportedLayer]:
    return list(db.session.scalars(select(ImportedLayer).order_by(ImportedLayer.name)))


@transactional
def import_layer(
    path: str | Path,
    name: str,
    title: str | None = None,
    *,
    actor: Any = None,
    check: Callable[[dict[str, Any]], None] | None = None,
    source_name: str | None = None,
) -> dict[str, Any]:
    """Import GeoJSON, GeoPackage or Shapefile in any CRS as a named layer in EPSG:4326 (replaces same name).

    With `check` (the import page) every feature must have a valid geometry and pass the check, or nothing is
    imported. The layer, its event and the audit record are written in one transaction.
    """
    name = check_layer_name(name)
    collection = read_geodata(path, strict=check is not None)
    if check is not None:
        check(collection)
    features = collection["features"]
    if not features:
        raise GeoImportError(gettext("%(name)s inneholder ingen objekter med geometri.", name=Path(path).name))
    if len(features) > MAX_IMPORT_FEATURES:
        raise GeoImportError(
            gettext(
                "%(name)s har %(count)s objekter; grensen er %(max)s.",
                name=Path(path).name,
                count=len(features),
                max=MAX_IMPORT_FEATURES,
            )
        )
    layer = db.session.scalar(select(ImportedLayer).where(ImportedLayer.name == name))
    replaced = layer is not None
    if layer is None:
        layer = ImportedLayer(name=name)
        db.session.add(layer)
    layer.title = (title or "").strip()[:200] or name
    layer.data = {"features": features}
    layer.feature_count = len(features)
    layer.source_name = (source_name or Path(path).name)[:300]
    layer.created_at = utcnow()
    db.session.flush()
    geometry_types = sorted({(f.get("geometry") or {}).get("type") or "" for f in features} - {""})
    append_event("global", "layer.imported", {"name": name, "feature_count": len(features)})
    record_audit(
        "maps.layer_imported",
        "map_layer",
        name,
        actor=actor,
        meta={"feature_count": len(features), "replaced": replaced, "geometry_types": geometry_types},
    )
    db.session.commit()
    return {"name": name, "feature_count": len(features), "replaced": replaced, "geometry_types": geometry_types}
