"""Read an uploaded GeoJSON, GeoPackage or Shapefile (also zipped) in any CRS into GeoJSON in EPSG:4326."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from flask_babel import gettext, lazy_gettext

GEOJSON_SUFFIXES = frozenset({".geojson", ".json"})
SUPPORTED_SUFFIXES = frozenset({".geojson", ".json", ".gpkg", ".shp", ".zip"})


class GeoImportError(ValueError):
    """A file that cannot be imported; the message is Norwegian and tells the user what to fix."""


def read_geodata(path: str | Path, *, layer: str | None = None, strict: bool = False) -> dict[str, Any]:
    """Return the features of a geodata file as a GeoJSON FeatureCollection in EPSG:4326 (lon/lat).

    `strict` (the import page) refuses the whole file when one feature has no geometry or an invalid one, naming
    the feature, instead of leaving it out: an import is all of the file or nothing.
    """
    import geopandas as gpd  # heavy; imported only when a file is actually imported
    import shapely

    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise GeoImportError(
            gettext(
                "Filtypen %(suffix)s støttes ikke. Bruk GeoJSON, GeoPackage (.gpkg) eller Shapefile "
                "(.shp eller en .zip med .shp, .shx, .dbf og .prj).",
                suffix=suffix or gettext("(ingen)"),
            )
        )
    if not source.is_file():
        raise GeoImportError(gettext("Finner ikke filen %(name)s.", name=source.name))
    target = _zip_target(source) if suffix == ".zip" else str(source)
    if suffix == ".gpkg" and layer is None:
        layer = _first_layer(source)

    try:
        frame = gpd.read_file(target, layer=layer) if layer else gpd.read_file(target)
    except Exception as exc:  # pyogrio raises several types for unreadable data; all mean the same to the user
        raise GeoImportError(
            gettext("Kunne ikke lese %(name)s: filen er skadet eller ikke en geodatafil.", name=source.name)
        ) from exc

    if "geometry" not in frame or frame.geometry.isna().all() or frame.geometry.is_empty.all():
        raise GeoImportError(gettext("%(name)s inneholder ingen geometrier.", name=source.name))
    if strict:
        _check_every_geometry(frame, source.name)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.crs is None:
        if suffix not in GEOJSON_SUFFIXES:
            raise GeoImportError(
                gettext(
                    "%(name)s mangler koordinatsystem (CRS). For Shapefile må .prj-filen være med; "
                    "for GeoPackage må laget ha et definert koordinatsystem.",
                    name=source.name,
                )
            )
        # RFC 7946: GeoJSON without a crs member is WGS 84 lon/lat.
        frame = frame.set_crs("EPSG:4326")
    frame = frame.to_crs("EPSG:4326")
    # Shapefiles wind exterior rings clockwise; GeoJSON (RFC 7946) wants them counterclockwise.
    frame = frame.set_geometry(
        gpd.GeoSeries(shapely.orient_polygons(frame.geometry.array), index=frame.index, crs=frame.crs)
    )
    bounds = frame.total_bounds
    if abs(bounds[0]) > 180 or abs(bounds[2]) > 180 or abs(bounds[1]) > 90 or abs(bounds[3]) > 90:
        raise GeoImportError(
            gettext(
                "%(name)s har koordinater utenfor lengde- og breddegrad: oppgitt koordinatsystem stemmer "
                "ikke med tallene i filen.",
                name=source.name,
            )
        )
    collection = json.loads(frame.to_json(na="null", drop_id=True))
    collection.pop("bbox", None)
    return {"type": "FeatureCollection", "features": collection["features"]}


def _zip_target(source: Path) -> str:
    try:
        with zipfile.ZipFile(source) as archive:
            names = [n for n in archive.namelist() if not n.startswith("__MACOSX/")]
    except zipfile.BadZipFile as exc:
        raise GeoImportError(gettext("%(name)s er ikke en gyldig zip-fil.", name=source.name)) from exc
    shapefiles = sorted(n for n in names if n.lower().endswith(".shp"))
    if not shapefiles:
        raise GeoImportError(gettext("%(name)s inneholder ingen Shapefile (.shp).", name=source.name))
    if len(shapefiles) > 1:
        raise GeoImportError(
            gettext(
                "%(name)s inneholder flere Shapefiler (%(files)s). Last opp én om gangen.",
                name=source.name,
                files=", ".join(shapefiles),
            )
        )
    # GDAL reads straight from the archive, so nothing is extracted to disk.
    return f"/vsizip/{source.resolve()}/{shapefiles[0]}"


def _first_layer(source: Path) -> str | None:
    import pyogrio

    try:
        layers = pyogrio.list_layers(source)
    except Exception as exc:  # not a GeoPackage at all
        raise GeoImportError(
            gettext("Kunne ikke lese %(name)s: filen er skadet eller ikke en GeoPackage.", name=source.name)
        ) from exc
    spatial = [name for name, geometry_type in layers if geometry_type]
    if not spatial:
        raise GeoImportError(gettext("%(name)s inneholder ingen kartlag med geometri.", name=source.name))
    return str(spatial[0])


# shapely's reasons, in words a GIS user recognises (translated when shown); the position in the reason is left out.
_REASONS = (
    ("Ring Self-intersection", lazy_gettext("en ring krysser seg selv")),
    ("Self-intersection", lazy_gettext("linjer som krysser hverandre")),
    ("Too few points", lazy_gettext("for få punkter")),
    ("Hole lies outside shell", lazy_gettext("et hull ligger utenfor ytterringen")),
    ("Nested shells", lazy_gettext("flater ligger inni hverandre")),
    ("Interior is disconnected", lazy_gettext("et hull deler flaten i to")),
    ("Invalid Coordinate", lazy_gettext("ugyldige koordinater")),
)


def _check_every_geometry(frame: Any, name: str) -> None:
    import shapely

    missing = (frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    if missing.any():
        number = int(missing.argmax()) + 1
        raise GeoImportError(
            gettext("Objekt nr. %(n)s i %(name)s mangler geometri. Ingenting er importert.", n=number, name=name)
        )
    valid = shapely.is_valid(frame.geometry.array)
    if not valid.all():
        index = int((~valid).argmax())
        reason = shapely.is_valid_reason(frame.geometry.array[index])
        words = next((str(text) for key, text in _REASONS if reason.startswith(key)), gettext("ugyldig form"))
        raise GeoImportError(
            gettext(
                "Objekt nr. %(n)s i %(name)s har ugyldig geometri (%(reason)s). Rett den i GIS-programmet og last "
                "opp på nytt. Ingenting er importert.",
                n=index + 1,
                name=name,
                reason=words,
            )
        )
