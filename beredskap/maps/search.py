"""Place and address search (geocoder) and reverse lookup over the shipped geodata (CONTRACT §11).

The static part of the index (addresses, streets, places, grunnkretser) is built once per maps folder; district
names follow the coordinator's grouping and are indexed per grouping; resources and EPS come from the database at
query time. Text is folded the way the EPS matching folds names (case, accents, å/aa, ø/o/oe, æ/ae), so
"Kvadraturen", "kvadraturen" and "KVADRATUREN" meet, as do "Lokkeveien" and "Løkkeveien".
"""

from __future__ import annotations

import bisect
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from flask_babel import gettext
from shapely import STRtree

from beredskap.eps.matching import normalise_name
from beredskap.field_labels import label
from beredskap.maps.layers import UTM32, WGS84, Grouping, maps_dir, project_xy

BASEMAP_DIR = "basemap"
ADDRESS_FILES = ("basemap/osm_sentrum_adresser.geojson", "adresser_4625_4637_delvis.geojson")
STREET_FILE = "basemap/osm_sentrum_veger.geojson"
OSM_PLACE_FILE = "basemap/osm_sentrum_steder.geojson"
SSR_PLACE_FILE = "basemap/ssr_stedsnavn_bebyggelse_4204.geojson"
N1000_PLACE_FILE = "basemap/n1000_stedsnavn_4204.geojson"
GRUNNKRETSER_FILE = "grunnkretser_4204.geojson"
DELOMRADER_FILE = "delomrader_4204.geojson"

KINDS = ("address", "street", "place", "grunnkrets", "delomrade", "bydel", "resource", "eps")
# Among equally good matches: areas first, then named things, addresses last (there are thousands).
KIND_ORDER = {"bydel": 0, "delomrade": 1, "street": 2, "place": 3, "eps": 4, "resource": 5, "grunnkrets": 6}
KIND_ORDER["address"] = 7
MAX_QUERY_LENGTH = 200
MAX_LIMIT = 50
DEFAULT_LIMIT = 10
# Reverse lookup: an address within this distance wins; else the nearest place name within the next.
REVERSE_ADDRESS_M = 150.0
REVERSE_PLACE_M = 2_000.0
# The same name from two sources (OSM and SSR) this close is one place.
SAME_PLACE_M = 600.0
SAME_ADDRESS_M = 60.0

PLACE_TYPES = {
    "city": "by",
    "town": "tettsted",
    "village": "bygd",
    "suburb": "bydel/strøk",
    "quarter": "strøk",
    "neighbourhood": "nabolag",
    "hamlet": "grend",
    "isolated_dwelling": "enkeltbolig",
    "farm": "gård",
    "locality": "sted",
    "island": "øy",
    "islet": "holme",
    "square": "plass",
}
KIND_LABELS = {
    "address": "Adresse",
    "street": "Gate/vei",
    "place": "Stedsnavn",
    "grunnkrets": "Grunnkrets",
    "delomrade": "Delområde",
    "bydel": "Bydel",
    "resource": "Ressurs",
    "eps": "EPS",
}

_SPLIT = re.compile(r"[^\w]+")
_HAS_DIGIT = re.compile(r"\d")


class SearchError(ValueError):
    """A query the search cannot take; `code` is stable, the message is Norwegian for the user."""

    def __init__(self, code: str, message: str, field: str = "q") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Entry:
    label: str
    kind: str
    lon: float
    lat: float
    bbox: tuple[float, float, float, float] | None = None
    detail: str = ""
    ref: int | None = None  # resource or EPS id

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "kind": self.kind,
            "lon": round(self.lon, 6),
            "lat": round(self.lat, 6),
        }
        if self.bbox is not None:
            out["bbox"] = [round(v, 6) for v in self.bbox]
        if self.detail:
            out["detail"] = self.detail
        if self.ref is not None:
            out["id"] = self.ref
        return out


# --- text folding ---


@lru_cache(maxsize=65_536)
def fold_token(token: str) -> str:
    """Fold one word: the EPS name folding for letters; a house number ("10A") keeps its digits."""
    if _HAS_DIGIT.search(token):
        return "".join(ch for ch in unicodedata.normalize("NFKD", token.casefold()) if not unicodedata.combining(ch))
    return normalise_name(token).replace(" ", "")


def tokens_of(text: str) -> tuple[str, ...]:
    """Return the folded words of a text, in order, empty ones dropped."""
    words = _SPLIT.split(unicodedata.normalize("NFKC", text).casefold().replace("_", " "))
    return tuple(t for t in (fold_token(w) for w in words if w) if t)


def index_tokens(tokens: Sequence[str]) -> tuple[str, ...]:
    """Words plus adjacent pairs written together, so "Markensgate" finds "Markens gate"."""
    joined = ["".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)]
    return tuple(dict.fromkeys([*tokens, *joined, "".join(tokens)]))


def validate_query(q: Any) -> tuple[str, ...]:
    """Return the query's folded words, or raise SearchError (422) for empty, too long or control characters."""
    if not isinstance(q, str) or not q.strip():
        raise SearchError("empty_query", gettext("Skriv noe å søke etter."))
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchError("query_too_long", gettext("Søket kan ha høyst %(max)s tegn.", max=MAX_QUERY_LENGTH))
    if any(unicodedata.category(ch)[0] == "C" for ch in q):
        raise SearchError("invalid_characters", gettext("Søket inneholder kontrolltegn eller ugyldige tegn."))
    return tokens_of(q)


def parse_limit(value: Any) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(
            "bad_limit",
            gettext("%(label)s må være et heltall fra 1 til %(v0)s.", label=label("limit"), v0=MAX_LIMIT),
            "limit",
        )
    return limit


# --- the index ---


class TokenIndex:
    """Entries with a sorted (word, entry) list: a prefix is a bisected range, not a scan."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        self.tokens = [tokens_of(e.label) for e in self.entries]
        self.keys = [" ".join(t) for t in self.tokens]
        self.joined = ["".join(t) for t in self.tokens]
        self.numbers = [_house_number(e) for e in self.entries]
        pairs = sorted((word, i) for i, toks in enumerate(self.tokens) for word in index_tokens(toks))
        self._words = [w for w, _ in pairs]
        self._ids = np.array([i for _, i in pairs], dtype=np.int64)

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        return bisect.bisect_left(self._words, prefix), bisect.bisect_left(self._words, prefix + "\U0010ffff")

    def matches(self, query: Sequence[str]) -> Iterable[int]:
        """Entries where every query word is a prefix of one of the entry's words (or of two written together)."""
        if not query:
            return ()
        ranges = sorted((self._prefix_range(word) for word in query), key=lambda r: r[1] - r[0])
        lo, hi = ranges[0]
        candidates = set(self._ids[lo:hi].tolist())
        for lo, hi in ranges[1:]:
            if not candidates:
                break
            candidates &= set(self._ids[lo:hi].tolist())
        return candidates

    def scored(self, query: Sequence[str]) -> list[tuple[tuple, Entry]]:
        return [(score(query, self, i), self.entries[i]) for i in self.matches(query)]


def score(query: Sequence[str], index: TokenIndex, i: int) -> tuple:
    """Sort key, smaller is better: exact label, label prefix, words in order, words anywhere; then kind."""
    key, joined, tokens = index.keys[i], index.joined[i], index.tokens[i]
    qkey, qjoined = " ".join(query), "".join(query)
    if key == qkey or joined == qjoined:
        tier = 0
    elif key.startswith(qkey) or joined.startswith(qjoined):
        tier = 1
    elif tokens and tokens[0].startswith(query[0]):
        tier = 2
    else:
        tier = 3
    entry = index.entries[i]
    return (tier, KIND_ORDER.get(entry.kind, 9), index.numbers[i], len(tokens), entry.label)


def linear_matches(query: Sequence[str], index: TokenIndex) -> list[int]:
    """The same matching as `TokenIndex.matches` by scanning every entry: the bench's baseline."""
    found = []
    for i, toks in enumerate(index.tokens):
        words = index_tokens(toks)
        if all(any(w.startswith(q) for w in words) for q in query):
            found.append(i)
    return found


def _house_number(entry: Entry) -> int:
    if entry.kind != "address":
        return 0
    match = re.search(r"(\d+)\s*\w?$", entry.label)
    return int(match.group(1)) if match else 0


@dataclass
class StaticIndex:
    text: TokenIndex
    # Reverse lookup: address points and place points in UTM, each with its entry.
    address_entries: list[Entry]
    address_tree: STRtree
    place_entries: list[Entry]
    place_tree: STRtree


def static_index() -> StaticIndex:
    """Return the process-wide index of the configured maps folder, built on first use (about a second)."""
    return _static_index(str(maps_dir()))


@lru_cache(maxsize=4)
def _static_index(directory: str) -> StaticIndex:
    base = Path(directory)
    addresses = _addresses(base)
    places = _places(base)
    entries = [*addresses, *_streets(base), *places, *_grunnkretser(base)]
    return StaticIndex(
        text=TokenIndex(entries),
        address_entries=addresses,
        address_tree=_point_tree(addresses),
        place_entries=places,
        place_tree=_point_tree(places),
    )


@lru_cache(maxsize=16)
def district_index(directory: str, grouping: Grouping) -> TokenIndex:
    """Delområder and bydeler under one grouping (names and membership change with it)."""
    features = _read(Path(directory) / DELOMRADER_FILE)
    by_number = {
        str(f["properties"]["delomradenummer"]): shapely.from_geojson(json.dumps(f["geometry"])) for f in features
    }
    entries = []
    members: dict[str, list[Any]] = {}
    for number, name, bydel in grouping:
        geometry = by_number.get(number)
        if geometry is None:
            continue
        entries.append(_area_entry(name, "delomrade", geometry, detail=f"{number}, {bydel}"))
        members.setdefault(bydel, []).append(geometry)
    for bydel, parts in members.items():
        entries.append(_area_entry(bydel, "bydel", shapely.union_all(parts)))
    return TokenIndex(entries)


def _area_entry(label: str, kind: str, geometry: Any, detail: str = "") -> Entry:
    point = shapely.point_on_surface(geometry)
    minx, miny, maxx, maxy = geometry.bounds
    return Entry(label, kind, point.x, point.y, (minx, miny, maxx, maxy), detail)


def _read(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _point_tree(entries: Sequence[Entry]) -> STRtree:
    x, y = project_xy([e.lon for e in entries], [e.lat for e in entries], WGS84, UTM32)
    return STRtree(shapely.points(x, y))


def _near_duplicate(seen: dict[str, list], key: str, lon: float, lat: float, metres: float) -> bool:
    for other_lon, other_lat in seen.get(key, ()):
        if _distance_m(lon, lat, other_lon, other_lat) < metres:
            return True
    seen.setdefault(key, []).append((lon, lat))
    return False


def _distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Equirectangular distance; exact enough within a kommune."""
    mean_lat = math.radians((lat1 + lat2) / 2)
    dx = math.radians(lon2 - lon1) * math.cos(mean_lat)
    dy = math.radians(lat2 - lat1)
    return 6_371_000.0 * math.hypot(dx, dy)


def _addresses(base: Path) -> list[Entry]:
    entries: list[Entry] = []
    seen: dict[str, list[tuple[float, float]]] = {}
    for filename in ADDRESS_FILES:
        path = base / filename
        if not path.exists():
            continue
        for feature in _read(path):
            props = feature["properties"]
            if feature["geometry"]["type"] != "Point":
                continue
            lon, lat = feature["geometry"]["coordinates"][:2]
            if "adressetekst" in props:
                label = str(props["adressetekst"] or "").strip()
                detail = str(props.get("omrade") or "")
            else:
                street, number = str(props.get("street") or "").strip(), str(props.get("housenumber") or "").strip()
                label = f"{street} {number}".strip() if street else ""
                detail = " ".join(str(props.get(k) or "") for k in ("postcode", "city")).strip()
            if not label or _near_duplicate(seen, " ".join(tokens_of(label)), lon, lat, SAME_ADDRESS_M):
                continue
            entries.append(Entry(label, "address", float(lon), float(lat), None, detail))
    return entries


def _streets(base: Path) -> list[Entry]:
    parts: dict[str, list[Any]] = {}
    for feature in _read(base / STREET_FILE):
        name = str(feature["properties"].get("name") or "").strip()
        if name and feature["geometry"]["type"] in ("LineString", "MultiLineString"):
            parts.setdefault(name, []).append(shapely.from_geojson(json.dumps(feature["geometry"])))
    entries = []
    for name, lines in parts.items():
        longest = max(lines, key=lambda g: g.length)
        if longest.geom_type == "MultiLineString":
            longest = max(longest.geoms, key=lambda g: g.length)
        middle = longest.interpolate(0.5, normalized=True)
        minx, miny, maxx, maxy = shapely.GeometryCollection(lines).bounds
        entries.append(Entry(name, "street", middle.x, middle.y, (minx, miny, maxx, maxy)))
    return entries


def _places(base: Path) -> list[Entry]:
    entries: list[Entry] = []
    seen: dict[str, list[tuple[float, float]]] = {}
    sources = ((OSM_PLACE_FILE, "name", "place", "OpenStreetMap"), (SSR_PLACE_FILE, "name", "type", "SSR"))
    for filename, name_key, type_key, source in sources:
        for feature in _read(base / filename):
            props = feature["properties"]
            name = str(props.get(name_key) or "").strip()
            if not name or feature["geometry"]["type"] != "Point":
                continue
            lon, lat = (float(v) for v in feature["geometry"]["coordinates"][:2])
            if _near_duplicate(seen, " ".join(tokens_of(name)), lon, lat, SAME_PLACE_M):
                continue
            kind_text = PLACE_TYPES.get(str(props.get(type_key) or ""), "sted")
            entries.append(Entry(name, "place", lon, lat, None, f"{kind_text} ({source})"))
    for feature in _read(base / N1000_PLACE_FILE):
        props = feature["properties"]
        name = str(props.get("fulltekst") or "").strip()
        if not name:
            continue
        centre = shapely.centroid(shapely.from_geojson(json.dumps(feature["geometry"])))
        if _near_duplicate(seen, " ".join(tokens_of(name)), centre.x, centre.y, SAME_PLACE_M * 3):
            continue
        kind_text = str(props.get("navneobjekttype") or "sted")
        entries.append(Entry(name, "place", centre.x, centre.y, None, f"{kind_text} (N1000)"))
    return entries


def _grunnkretser(base: Path) -> list[Entry]:
    entries = []
    for feature in _read(base / GRUNNKRETSER_FILE):
        props = feature["properties"]
        name = str(props.get("grunnkretsnavn") or "").strip()
        if name:
            geometry = shapely.from_geojson(json.dumps(feature["geometry"]))
            entries.append(_area_entry(name, "grunnkrets", geometry, detail=str(props.get("grunnkretsnummer") or "")))
    return entries


# --- search ---


def search(
    q: Any,
    limit: Any = None,
    *,
    grouping: Grouping,
    resources: Iterable[Mapping[str, Any]] = (),
    eps: Iterable[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Return the best `limit` results for `q`, best first; raises SearchError for a query it cannot take."""
    query = validate_query(q)
    count = parse_limit(limit)
    if not query:
        return []
    scored = static_index().text.scored(query)
    scored += district_index(str(maps_dir()), grouping).scored(query)
    scored += TokenIndex(_dynamic_entries(resources, eps)).scored(query)
    scored.sort(key=lambda pair: pair[0])
    results, seen = [], set()
    for _, entry in scored:
        identity = (entry.kind, entry.label, round(entry.lon, 4), round(entry.lat, 4))
        if identity in seen:
            continue
        seen.add(identity)
        results.append(entry.result())
        if len(results) == count:
            break
    return results


def _dynamic_entries(resources: Iterable[Mapping[str, Any]], eps: Iterable[Mapping[str, Any]]) -> list[Entry]:
    entries = []
    for kind, items in (("resource", resources), ("eps", eps)):
        for item in items:
            entries.append(
                Entry(item["name"], kind, item["lon"], item["lat"], None, item.get("detail", ""), item["id"])
            )
    return [e for e in entries if e.label and _finite(e.lon) and _finite(e.lat)]


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


# --- reverse lookup ---


def parse_point(lon: Any, lat: Any) -> tuple[float, float]:
    """Parse query-string coordinates; raise SearchError naming the bad one."""
    values = []
    for name, value, bound in (("lon", lon, 180.0), ("lat", lat, 90.0)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise SearchError(
                "bad_coordinates", gettext("«%(name)s» mangler eller er ikke et tall.", name=name), name
            ) from None
        if not math.isfinite(number) or abs(number) > bound:
            raise SearchError("bad_coordinates", gettext("«%(name)s» er utenfor gyldig område.", name=name), name)
        values.append(number)
    return values[0], values[1]


def nearest(lon: float, lat: float) -> tuple[Entry | None, float | None]:
    """Return the nearest address within 150 m, else the nearest place name within 2 km, with its distance."""
    idx = static_index()
    x, y = project_xy([lon], [lat], WGS84, UTM32)
    point = shapely.points(x[0], y[0])
    for entries, tree, limit in (
        (idx.address_entries, idx.address_tree, REVERSE_ADDRESS_M),
        (idx.place_entries, idx.place_tree, REVERSE_PLACE_M),
    ):
        if not entries:
            continue
        hits, distances = tree.query_nearest(point, max_distance=limit, return_distance=True)
        if len(hits):
            best = int(np.argmin(distances))
            return entries[int(hits[best])], float(distances[best])
    return None, None
