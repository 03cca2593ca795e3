"""Static map images for reports: bydeler, a zone and labelled points as a reportlab Drawing."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from reportlab.graphics.shapes import Circle, Drawing, Group, Path, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_EVEN_ODD

from beredskap.maps.layers import (
    UTM32,
    WGS84,
    attribution_text,
    layer_registry,
    load_layer,
    maps_dir,
    project,
    project_xy,
    read_geojson_file,
    simplify_for_display,
)
from beredskap.reports.page import FONT as REPORT_FONT
from beredskap.reports.page import FONT_BOLD as REPORT_FONT_BOLD
from beredskap.reports.page import register_fonts

# The reports' embedded DejaVu (one registration point for all PDF drawing).
FONT = REPORT_FONT
FONT_BOLD = REPORT_FONT_BOLD
TITLE_SIZE = 10.0
LABEL_SIZE = 6.5
ATTRIBUTION_SIZE = 5.0
MIN_VIEW_M = 1_500.0
DETAIL_VIEW_M = 8_000.0
VIEW_PADDING = 0.15

LAND = colors.HexColor("#f3f1ea")
SEA = colors.HexColor("#e3edf5")
BYDEL_LINE = colors.HexColor("#1f4e79")
BYDEL_LABEL = colors.HexColor("#1f4e79")
ZONE_LINE = colors.HexColor("#b2182b")
ZONE_FILL = colors.Color(0.70, 0.09, 0.17, alpha=0.18)
TEXT = colors.HexColor("#1b1b1b")
ZONE_COLORS = {
    "sperresone": (ZONE_LINE, ZONE_FILL),
    "faresone": (colors.HexColor("#d95f02"), colors.Color(0.99, 0.68, 0.38, alpha=0.25)),
    "evakueringssone": (colors.HexColor("#6a3d9a"), colors.Color(0.79, 0.70, 0.84, alpha=0.3)),
}
WATER = colors.HexColor("#a9cfe0")
ROAD_MAJOR = colors.HexColor("#e9a94f")
ROAD_MINOR = colors.HexColor("#b3ab9b")
ROAD_N1000 = colors.HexColor("#e08a3c")
BASEMAP_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0) · Kartdata N1000, Stedsnavn © Kartverket (CC BY 4.0)"
STREET_VIEW_M = 4_000.0
HALO = colors.Color(1, 1, 1, alpha=0.8)


@dataclass(frozen=True)
class MarkerStyle:
    """How one kind of point is drawn; shape as well as colour, so print in grey still tells them apart."""

    fill: colors.Color
    stroke: colors.Color
    radius: float
    square: bool = False


MARKERS: dict[str, MarkerStyle] = {
    "incident": MarkerStyle(colors.HexColor("#d7191c"), colors.white, 5.0),
    "eps": MarkerStyle(colors.HexColor("#1a9641"), colors.white, 4.5, square=True),
    "tilfluktsrom": MarkerStyle(colors.HexColor("#f28e2b"), colors.HexColor("#7a3e00"), 3.5),
    "default": MarkerStyle(colors.HexColor("#2c7bb6"), colors.white, 3.5),
}


@dataclass(frozen=True)
class _View:
    """Maps EPSG:25832 metres onto drawing points."""

    minx: float
    miny: float
    maxx: float
    maxy: float
    scale: float
    left: float
    bottom: float

    def to_pt(self, x: float, y: float) -> tuple[float, float]:
        return self.left + (x - self.minx) * self.scale, self.bottom + (y - self.miny) * self.scale


def render_map(
    features: Iterable[Mapping[str, Any]] = (),
    *,
    width_pt: float = 480,
    height_pt: float = 320,
    highlight_point: Any = None,
    zone: Mapping[str, Any] | None = None,
    title: str | None = None,
    district_of_delomrade: Mapping[str, str] | None = None,
    zones: Sequence[Mapping[str, Any]] = (),
    basemap: bool = True,
) -> Drawing:
    """Draw bydeler, an optional zone, labelled points and the attribution into a Drawing for a PDF.

    `features` are GeoJSON Features; a point's label is `properties.label` or `name`, its marker
    `properties.marker` or `kind` ("incident", "eps", "tilfluktsrom"). `highlight_point` is the incident
    location as [lon, lat] or a GeoJSON Point.
    """
    register_fonts()
    points = [_point_feature(f) for f in features]
    points = [p for p in points if p is not None]
    if highlight_point is not None:
        lon, lat = _lon_lat(highlight_point)
        points.append((lon, lat, "", "incident"))
    zone_utm = project(shapely.from_geojson(json.dumps(dict(zone))), WGS84, UTM32) if zone else None
    # Incident zones ({"geometry", "kind", "label"}), drawn like the zone and kept in view.
    zones_utm = [
        (z.get("kind"), project(shapely.from_geojson(json.dumps(dict(z["geometry"]))), WGS84, UTM32)) for z in zones
    ]
    focus_zone = (
        shapely.union_all([g for g in [zone_utm, *(g for _, g in zones_utm)] if g is not None])
        if (zone_utm is not None or zones_utm)
        else None
    )

    drawing = Drawing(width_pt, height_pt)
    # Else the renderer starts every drawing with reportlab's default font, Helvetica, which is never embedded.
    drawing.initialFontName = FONT
    title_height = TITLE_SIZE + 6 if title else 0
    frame = (0.5, 0.5, width_pt - 1, height_pt - title_height - 1)
    attribution_line = attribution_text() + (" · " + BASEMAP_ATTRIBUTION if basemap else "")
    attribution = _wrap(attribution_line, frame[2] - 8, ATTRIBUTION_SIZE)
    reserve = (ATTRIBUTION_SIZE + 1.2) * len(attribution) + 6
    view = _fit_view(_focus_bounds(points, focus_zone), frame, reserve)
    # The shipped coastline is generalised to about 100 m: fine for the whole municipality but misleading
    # close up, where the map shows the unclipped bydeler on a neutral background instead.
    detailed = (view.maxx - view.minx) < DETAIL_VIEW_M

    drawing.add(Rect(*frame, fillColor=LAND if detailed else SEA, strokeColor=None))
    if not detailed:
        _draw_polygons(drawing, _layer_geometries("kommune"), view, fill=LAND, stroke=None, width=0)
    if basemap:
        _draw_basemap(drawing, view, detailed)
    bydeler = _bydel_geometries(district_of_delomrade, unclipped=detailed)
    _draw_polygons(drawing, [g for _, g in bydeler], view, fill=None, stroke=BYDEL_LINE, width=0.8)
    if zone_utm is not None:
        _draw_polygons(drawing, [zone_utm], view, fill=ZONE_FILL, stroke=ZONE_LINE, width=1.4)
    for kind, geometry in zones_utm:
        line, fill = ZONE_COLORS.get(kind or "", (ZONE_LINE, ZONE_FILL))
        _draw_polygons(drawing, [geometry], view, fill=fill, stroke=line, width=1.4)
    if basemap and detailed:
        _draw_basemap_labels(drawing, view)
    _draw_bydel_labels(drawing, bydeler, view, points)
    _draw_points(drawing, points, view)
    drawing.add(Rect(*frame, fillColor=None, strokeColor=TEXT, strokeWidth=0.6))
    _draw_scale_bar(drawing, view, frame, reserve)
    _draw_attribution(drawing, frame, attribution)
    if title:
        drawing.add(String(2, height_pt - TITLE_SIZE - 1, title, fontName=FONT_BOLD, fontSize=TITLE_SIZE))
    return drawing


def _point_feature(feature: Mapping[str, Any]) -> tuple[float, float, str, str] | None:
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Point":
        return None
    props = feature.get("properties") or {}
    lon, lat = _lon_lat(geometry)
    label = str(props.get("label") or props.get("name") or "")
    marker = str(props.get("marker") or props.get("kind") or "default")
    return lon, lat, label, marker


def _lon_lat(point: Any) -> tuple[float, float]:
    coordinates = point.get("coordinates") if isinstance(point, Mapping) else point
    return float(coordinates[0]), float(coordinates[1])


def _focus_bounds(points: Sequence[tuple[float, float, str, str]], zone_utm: Any) -> tuple[float, ...]:
    """Bounds in metres of what the map is about: the zone and points, else the whole municipality."""
    parts = []
    if points:
        x, y = project_xy([p[0] for p in points], [p[1] for p in points])
        parts.append(shapely.multipoints(np.column_stack([x, y])))
    if zone_utm is not None:
        parts.append(zone_utm)
    if not parts:
        minx, miny, maxx, maxy = shapely.total_bounds(_layer_geometries("kommune"))
        pad = max(maxx - minx, maxy - miny) * 0.03
        return minx - pad, miny - pad, maxx + pad, maxy + pad
    minx, miny, maxx, maxy = shapely.total_bounds(parts)
    pad = max(maxx - minx, maxy - miny) * VIEW_PADDING
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half = max((maxx - minx) / 2 + pad, (maxy - miny) / 2 + pad, MIN_VIEW_M / 2)
    return cx - half, cy - half, cx + half, cy + half


def _fit_view(bounds: Sequence[float], frame: tuple[float, float, float, float], reserve_bottom: float) -> _View:
    """Fit the bounds above the attribution strip, widened to the frame's aspect so metres stay square."""
    minx, miny, maxx, maxy = bounds
    left, bottom, width, height = frame
    usable = max(height - reserve_bottom, 1.0)
    scale = min(width / max(maxx - minx, 1.0), usable / max(maxy - miny, 1.0))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    view_minx = cx - width / scale / 2
    view_miny = cy - (reserve_bottom + usable / 2) / scale
    return _View(view_minx, view_miny, view_minx + width / scale, view_miny + height / scale, scale, left, bottom)


@lru_cache(maxsize=2)
def _basemap(directory: str) -> dict[str, tuple[list[dict[str, Any]], np.ndarray, Any]]:
    """Derived base-map files in metres: name → (properties, geometries, STRtree)."""
    from pathlib import Path

    out = {}
    for name in ("water_n1000", "water", "coast_n1000", "coast", "roads_n1000", "roads_major", "roads_minor", "labels"):
        path = Path(directory) / "basemap" / "derived" / f"{name}.json"
        if not path.is_file():
            continue
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        geometries = np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in features], dtype=object)
        geometries = project(geometries, WGS84, UTM32)
        out[name] = ([f["properties"] for f in features], geometries, shapely.STRtree(geometries))
    return out


def _in_view(name: str, view: _View) -> list[tuple[dict[str, Any], Any]]:
    layers = _basemap(str(maps_dir()))
    if name not in layers:
        return []
    props, geometries, tree = layers[name]
    hits = sorted(tree.query(shapely.box(view.minx, view.miny, view.maxx, view.maxy)))
    return [(props[i], geometries[i]) for i in hits]


def _draw_lines(drawing: Drawing, geometries: Iterable[Any], view: _View, color: colors.Color, width: float) -> None:
    path = Path(fillColor=None, strokeColor=color, strokeWidth=width, strokeLineCap=1, strokeLineJoin=1)
    drawn = False
    for geometry in geometries:
        clipped = shapely.clip_by_rect(geometry, view.minx, view.miny, view.maxx, view.maxy)
        for line in shapely.get_parts(clipped):
            if line.geom_type != "LineString" or line.is_empty:
                continue
            coords = [view.to_pt(x, y) for x, y in line.coords]
            path.moveTo(*coords[0])
            for x, y in coords[1:]:
                path.lineTo(x, y)
            drawn = True
    if drawn:
        drawing.add(path)


def _draw_basemap(drawing: Drawing, view: _View, detailed: bool) -> None:
    """Water, coast and roads under the districts: N1000 everywhere, OSM streets when zoomed in on the centre."""
    water = _in_view("water_n1000", view) + _in_view("water", view)
    _draw_polygons(drawing, [g for _, g in water], view, fill=WATER, stroke=None, width=0)
    coast = _in_view("coast_n1000", view) + _in_view("coast", view)
    _draw_lines(drawing, [g for _, g in coast], view, colors.HexColor("#7fb0c6"), 0.4)
    width_m = view.maxx - view.minx
    if detailed and width_m < STREET_VIEW_M:
        _draw_lines(
            drawing, [g for p, g in _in_view("roads_minor", view) if p.get("c") != "service"], view, ROAD_MINOR, 0.6
        )
    if detailed:
        _draw_lines(drawing, [g for _, g in _in_view("roads_major", view)], view, ROAD_MAJOR, 1.2)
    roads = [g for p, g in _in_view("roads_n1000", view) if not (detailed and p.get("i"))]
    _draw_lines(drawing, roads, view, ROAD_N1000, 1.0 if detailed else 0.7)


def _draw_basemap_labels(drawing: Drawing, view: _View) -> None:
    """Place names (and major street names close up), skipping any that would overlap one already drawn."""
    placed: list[tuple[float, float, float, float]] = []
    candidates: list[tuple[int, str, float, float]] = []
    for props, geometry in _in_view("labels", view):
        candidates.append((int(props.get("r", 5)), props["n"], geometry.x, geometry.y))
    if view.maxx - view.minx < STREET_VIEW_M:
        best: dict[str, Any] = {}
        for props, geometry in _in_view("roads_major", view) + _in_view("roads_minor", view):
            name = props.get("n")
            if name and (name not in best or geometry.length > best[name].length):
                best[name] = geometry
        for name, geometry in best.items():
            middle = geometry.interpolate(0.5, normalized=True)
            candidates.append((9, name, middle.x, middle.y))
    size = LABEL_SIZE - 0.5
    for _, text, x_m, y_m in sorted(candidates):
        if not (view.minx < x_m < view.maxx and view.miny < y_m < view.maxy):
            continue
        x, y = view.to_pt(x_m, y_m)
        half = stringWidth(text, FONT, size) / 2 + 2
        box = (x - half, y - 2, x + half, y + size + 2)
        if any(box[0] < o[2] and box[2] > o[0] and box[1] < o[3] and box[3] > o[1] for o in placed):
            continue
        placed.append(box)
        drawing.add(_halo_string(x, y, text, FONT, size, colors.HexColor("#4a4436"), anchor="middle"))


def _layer_geometries(name: str, *, unclipped: bool = False) -> list[Any]:
    return list(_layer_geometries_cached(str(maps_dir()), name, unclipped))


@lru_cache(maxsize=8)
def _layer_geometries_cached(directory: str, name: str, unclipped: bool) -> tuple[Any, ...]:
    """Layer geometries in metres: the display layer, or the unclipped file simplified the same way."""
    if unclipped:
        features = read_geojson_file(layer_registry()[name].file)["features"]
        lonlat = np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in features], dtype=object)
        return tuple(project(simplify_for_display(lonlat), WGS84, UTM32))
    features = load_layer(name)["features"]
    return tuple(project(shapely.from_geojson(json.dumps(f["geometry"])), WGS84, UTM32) for f in features)


def _bydel_geometries(district_of_delomrade: Mapping[str, str] | None, *, unclipped: bool) -> list[tuple[str, Any]]:
    """Bydel outlines in metres; regrouped from delområder when the app has its own grouping."""
    if not district_of_delomrade:
        names = [f["properties"]["bydel"] for f in load_layer("bydeler")["features"]]
        return list(zip(names, _layer_geometries("bydeler", unclipped=unclipped), strict=True))
    features = load_layer("delomrader")["features"]
    groups: dict[str, list[Any]] = {}
    for feature, geometry in zip(features, _layer_geometries("delomrader", unclipped=unclipped), strict=True):
        props = feature["properties"]
        bydel = district_of_delomrade.get(str(props["delomradenummer"])) or props["bydel"]
        groups.setdefault(bydel, []).append(geometry)
    return [(name, shapely.union_all(parts)) for name, parts in groups.items()]


def _draw_polygons(
    drawing: Drawing,
    geometries: Iterable[Any],
    view: _View,
    *,
    fill: colors.Color | None,
    stroke: colors.Color | None,
    width: float,
) -> None:
    for geometry in geometries:
        clipped = shapely.clip_by_rect(geometry, view.minx, view.miny, view.maxx, view.maxy)
        if clipped.is_empty:
            continue
        path = Path(fillColor=fill, strokeColor=stroke, strokeWidth=width, fillMode=FILL_EVEN_ODD)
        for polygon in shapely.get_parts(clipped):
            if polygon.geom_type != "Polygon":
                continue
            for ring in [polygon.exterior, *polygon.interiors]:
                coords = [view.to_pt(x, y) for x, y in ring.coords]
                path.moveTo(*coords[0])
                for x, y in coords[1:]:
                    path.lineTo(x, y)
                path.closePath()
        drawing.add(path)


def _draw_bydel_labels(
    drawing: Drawing,
    bydeler: Sequence[tuple[str, Any]],
    view: _View,
    points: Sequence[tuple[float, float, str, str]],
) -> None:
    """Name each bydel in view, moving the name off any marker it would cover."""
    if points:
        xs, ys = project_xy([p[0] for p in points], [p[1] for p in points])
        markers = [view.to_pt(x, y) for x, y in zip(xs, ys, strict=True)]
    else:
        markers = []
    size = LABEL_SIZE + 0.5
    for name, geometry in bydeler:
        clipped = shapely.clip_by_rect(geometry, view.minx, view.miny, view.maxx, view.maxy)
        # Too small a sliver of a bydel in view would put its name on top of its neighbour's.
        if clipped.is_empty or clipped.area * view.scale**2 < 150:
            continue
        anchor = clipped.point_on_surface()
        x, y = view.to_pt(anchor.x, anchor.y)
        half = stringWidth(name, FONT_BOLD, size) / 2 + 8
        for dy in (0.0, 16.0, -16.0, 32.0, -32.0):
            if not any(abs(mx - x) < half and -10 < my - (y + dy) < size + 10 for mx, my in markers):
                drawing.add(_halo_string(x, y + dy, name, FONT_BOLD, size, BYDEL_LABEL, anchor="middle"))
                break


def _draw_points(drawing: Drawing, points: Sequence[tuple[float, float, str, str]], view: _View) -> None:
    if not points:
        return
    xs, ys = project_xy([p[0] for p in points], [p[1] for p in points])
    # The incident goes on top so nothing hides it.
    order = sorted(range(len(points)), key=lambda i: points[i][3] == "incident")
    for i in order:
        if not (view.minx <= xs[i] <= view.maxx and view.miny <= ys[i] <= view.maxy):
            continue
        x, y = view.to_pt(xs[i], ys[i])
        _, _, label, marker = points[i]
        style = MARKERS.get(marker, MARKERS["default"])
        if marker == "incident":
            drawing.add(Circle(x, y, style.radius + 3, fillColor=None, strokeColor=style.fill, strokeWidth=1.2))
        if style.square:
            r = style.radius
            drawing.add(Rect(x - r, y - r, 2 * r, 2 * r, fillColor=style.fill, strokeColor=style.stroke))
        else:
            drawing.add(Circle(x, y, style.radius, fillColor=style.fill, strokeColor=style.stroke, strokeWidth=0.8))
        if label:
            drawing.add(_halo_string(x + style.radius + 2, y - LABEL_SIZE / 3, label, FONT, LABEL_SIZE, TEXT))


def _halo_string(
    x: float, y: float, text: str, font: str, size: float, color: colors.Color, anchor: str = "start"
) -> Group:
    """Text on a pale box so it stays readable over lines and fills."""
    width = stringWidth(text, font, size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    group = Group()
    group.add(Rect(left - 1, y - size * 0.25, width + 2, size * 1.1, fillColor=HALO, strokeColor=None))
    group.add(String(x, y, text, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor))
    return group


def _draw_scale_bar(drawing: Drawing, view: _View, frame: tuple[float, float, float, float], above: float) -> None:
    left, bottom, width, _ = frame
    target_m = width / view.scale / 5
    length_m = max((v for v in (50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000) if v <= target_m), default=50)
    length_pt = length_m * view.scale
    x, y = left + 6, bottom + above + 2
    drawing.add(Rect(x - 2, y - 3, length_pt + 30, 12, fillColor=colors.Color(1, 1, 1, alpha=0.75), strokeColor=None))
    drawing.add(Rect(x, y, length_pt, 2.5, fillColor=TEXT, strokeColor=None))
    text = f"{length_m // 1000} km" if length_m >= 1000 else f"{length_m} m"
    drawing.add(String(x + length_pt + 3, y, text, fontName=FONT, fontSize=LABEL_SIZE, fillColor=TEXT))


def _draw_attribution(drawing: Drawing, frame: tuple[float, float, float, float], lines: list[str]) -> None:
    left, bottom, width, _ = frame
    line_height = ATTRIBUTION_SIZE + 1.2
    box_height = line_height * len(lines) + 3
    box_width = max(stringWidth(line, FONT, ATTRIBUTION_SIZE) for line in lines) + 6
    box_left = left + width - box_width
    drawing.add(Rect(box_left, bottom, box_width, box_height, fillColor=HALO, strokeColor=None))
    for n, line in enumerate(reversed(lines)):
        y = bottom + 2 + n * line_height
        drawing.add(
            String(
                left + width - 3,
                y,
                line,
                fontName=FONT,
                fontSize=ATTRIBUTION_SIZE,
                fillColor=TEXT,
                textAnchor="end",
            )
        )


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines at ' · ' and spaces so each fits the width."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, FONT, size) > width:
            lines.append(current.rstrip(" ·"))
            current = word if word != "·" else ""
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines
