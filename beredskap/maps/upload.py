"""GIS import in the browser: an uploaded file checked, kept in a temp folder between preview and confirm, previewed.

A zipped Shapefile is unpacked here, not by GDAL: entries with absolute paths or `..` are refused, and so is an
archive that unpacks to more than GIS_MAX_UNZIPPED_BYTES or compresses better than MAX_ZIP_RATIO (a zip bomb) —
counted on the bytes actually read, since the sizes in a zip's headers can lie.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from flask import current_app
from flask_babel import gettext
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from beredskap.maps import layers as layer_files
from beredskap.maps.importer import GeoImportError, read_geodata

UPLOAD_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
SHAPEFILE_PARTS = frozenset({".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml"})
MAX_ZIP_ENTRIES = 50
MAX_ZIP_RATIO = 100  # uncompressed / compressed of the whole archive; real Shapefiles are far below this
DEFAULT_MAX_UNZIPPED = 200 * 1024 * 1024
UPLOAD_TTL_SECONDS = 3600
OUTSIDE_MARGIN_DEG = 0.02  # ~1–2 km around the kommune: features in the fjord or on the border still count
PREVIEW_ROWS = 5
PREVIEW_COLUMNS = 8
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


@dataclass(frozen=True)
class StoredUpload:
    token: str
    path: Path  # the file the importer reads (the .shp of an unpacked zip)
    source_name: str  # the file name the user chose, made safe


def upload_root() -> Path:
    return Path(current_app.instance_path) / "gis-uploads"


def _folder(token: str) -> Path | None:
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    folder = upload_root() / token
    return folder if folder.is_dir() else None


def store_upload(file: FileStorage | None) -> StoredUpload:
    """Save the upload in a new temp folder (unpacking a zip safely); GeoImportError names what is wrong."""
    if file is None or not file.filename:
        raise GeoImportError(gettext("Velg en fil å laste opp."))
    source_name = secure_filename(file.filename) or "opplasting"
    suffix = Path(source_name).suffix.lower()
    if suffix == ".shp":
        raise GeoImportError(
            gettext(
                "En Shapefile består av flere filer (.shp, .shx, .dbf og .prj). Pakk dem i én .zip og last opp den."
            )
        )
    if suffix not in UPLOAD_SUFFIXES:
        raise GeoImportError(
            gettext(
                "Filtypen %(suffix)s støttes ikke. Last opp GeoJSON (.geojson/.json), GeoPackage (.gpkg) "
                "eller en zippet Shapefile (.zip).",
                suffix=suffix or gettext("(ingen)"),
            )
        )
    discard_stale()
    token = secrets.token_urlsafe(24)
    folder = upload_root() / token
    folder.mkdir(parents=True)
    try:
        saved = folder / source_name
        file.save(saved)
        if saved.stat().st_size == 0:
            raise GeoImportError(gettext("%(name)s er tom.", name=source_name))
        path = _unpack_zip(saved, folder / "innhold") if suffix == ".zip" else saved
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    (folder / "kilde.txt").write_text(f"{source_name}\n{path.relative_to(folder)}", encoding="utf-8")
    return StoredUpload(token, path, source_name)


def stored_upload(token: str) -> StoredUpload | None:
    """The upload kept under this token, or None when it is unknown, cleaned away or expired."""
    folder = _folder(token)
    if folder is None or time.time() - folder.stat().st_mtime > UPLOAD_TTL_SECONDS:
        return None
    try:
        source_name, relative = (folder / "kilde.txt").read_text(encoding="utf-8").split("\n", 1)
    except (OSError, ValueError):
        return None
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    return StoredUpload(token, path, source_name)


def discard(token: str | None) -> None:
    folder = _folder(token) if token else None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def discard_stale(now: float | None = None) -> int:
    """Remove uploads older than UPLOAD_TTL_SECONDS that were never confirmed or cancelled."""
    root = upload_root()
    if not root.is_dir():
        return 0
    now = now or time.time()
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and now - folder.stat().st_mtime > UPLOAD_TTL_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


# ---------------------------------------------------------------- zip


def _unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return True
    return ".." in PurePosixPath(name).parts


def _unpack_zip(archive_path: Path, target: Path) -> Path:
    """Unpack the Shapefile parts of a zip into `target` (flat) and return the path of its one .shp."""
    name = archive_path.name
    limit = int(current_app.config.get("GIS_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED))
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GeoImportError(gettext("%(name)s er ikke en gyldig zip-fil.", name=name)) from exc
    with archive:
        entries = [i for i in archive.infolist() if not i.is_dir()]
        unsafe = next((i.filename for i in entries if _unsafe_name(i.filename)), None)
        if unsafe is not None:
            raise GeoImportError(
                gettext(
                    "%(name)s inneholder en fil med ulovlig sti (%(path)s): stier med «..» eller som begynner "
                    "med / er ikke tillatt. Ingenting er pakket ut.",
                    name=name,
                    path=unsafe[:80],
                )
            )
        if len(entries) > MAX_ZIP_ENTRIES:
            raise GeoImportError(
                gettext(
                    "%(name)s inneholder %(n)s filer; høyst %(max)s er tillatt.",
                    name=name,
                    n=len(entries),
                    max=MAX_ZIP_ENTRIES,
                )
            )
        parts = [
            i
            for i in entries
            if not i.filename.startswith("__MACOSX/") and PurePosixPath(i.filename).suffix.lower() in SHAPEFILE_PARTS
        ]
        shapefiles = [i.filename for i in parts if i.filename.lower().endswith(".shp")]
        if not shapefiles:
            raise GeoImportError(gettext("%(name)s inneholder ingen Shapefile (.shp).", name=name))
        if len(shapefiles) > 1:
            raise GeoImportError(
                gettext(
                    "%(name)s inneholder flere Shapefiler (%(files)s). Last opp én om gangen.",
                    name=name,
                    files=", ".join(shapefiles[:5]),
                )
            )
        declared = sum(i.file_size for i in entries)
        if declared > limit:
            raise GeoImportError(_bomb_message(name, limit))
        target.mkdir()
        written = 0
        compressed = max(1, archive_path.stat().st_size)
        for info in parts:
            out = target / PurePosixPath(info.filename).name
            if out.exists():
                raise GeoImportError(
                    gettext("%(name)s inneholder to filer med navnet %(file)s.", name=name, file=out.name)
                )
            with archive.open(info) as src, open(out, "wb") as dst:
                while chunk := src.read(1024 * 1024):
                    written += len(chunk)
                    if written > limit or written > compressed * MAX_ZIP_RATIO:
                        raise GeoImportError(_bomb_message(name, limit))
                    dst.write(chunk)
    return target / PurePosixPath(shapefiles[0]).name


def _bomb_message(name: str, limit: int) -> str:
    return gettext(
        "%(name)s pakker seg ut til mer enn tillatt (høyst %(mb)s MB, og høyst %(ratio)s ganger zip-filens "
        "størrelse). Filen er avvist som mulig zip-bombe.",
        name=name,
        mb=limit // (1024 * 1024),
        ratio=MAX_ZIP_RATIO,
    )


# ---------------------------------------------------------------- preview and checks


@lru_cache(maxsize=2)
def _municipality(directory: str) -> Any:
    import shapely

    features = layer_files.read_geojson_file(layer_files.MUNICIPALITY_EXTENT_FILE)["features"]
    extent = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in features]).buffer(OUTSIDE_MARGIN_DEG)
    shapely.prepare(extent)
    return extent


def check_inside_kristiansand(collection: dict[str, Any]) -> None:
    """Every feature must touch Kristiansand kommune (with a small margin); a wrong CRS usually shows here."""
    import shapely

    features = collection["features"]
    if not features:
        raise GeoImportError(gettext("Filen inneholder ingen objekter med geometri."))
    geometries = [shapely.geometry.shape(f["geometry"]) for f in features]
    inside = shapely.intersects(_municipality(str(layer_files.maps_dir())), geometries)
    if not inside.all():
        outside = int((~inside).sum())
        first = int((~inside).argmax()) + 1
        raise GeoImportError(
            gettext(
                "%(outside)s av %(n)s objekter ligger utenfor Kristiansand kommune (det første er nr. %(first)s). "
                "Stemmer koordinatsystemet (.prj / CRS)? Ingenting er importert.",
                outside=outside,
                n=len(features),
                first=first,
            )
        )


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def preview(upload: StoredUpload) -> dict[str, Any]:
    """What the user confirms: count, geometry types, bounding box (lon/lat) and the first attribute rows."""
    import shapely

    collection = read_geodata(upload.path, strict=True)
    check_inside_kristiansand(collection)
    features = collection["features"]
    bounds = shapely.total_bounds([shapely.geometry.shape(f["geometry"]) for f in features])
    columns: list[str] = []
    for feature in features[:50]:
        for key in feature.get("properties") or {}:
            if key not in columns and len(columns) < PREVIEW_COLUMNS:
                columns.append(key)
    rows = [[_cell((f.get("properties") or {}).get(c)) for c in columns] for f in features[:PREVIEW_ROWS]]
    return {
        "source_name": upload.source_name,
        "feature_count": len(features),
        "geometry_types": sorted({f["geometry"]["type"] for f in features}),
        "bbox": [round(float(v), 5) for v in bounds],
        "columns": columns,
        "rows": rows,
    }


def suggested_name(source_name: str) -> str:
    stem = Path(source_name).stem.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-_")[:60] or "importert-lag"
