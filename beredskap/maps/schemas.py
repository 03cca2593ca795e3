"""Request models of the maps API (layers, resources, zone analysis, search) and of incident zones.

Geometry, search text and resource fields are checked by the map services with their own codes
(`bad_limit`, `out_of_range`, …); the models here describe them once and pass them on."""

from beredskap.validation import POINT_SCHEMA, Body, Checked, Limit, Passed, Query, Version

TEXT = {"type": ["string", "null"]}
POLYGON = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}, "coordinates": {"type": "array"}},
}
CENTER = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
VERSION = {"type": "integer", "description": "the version read; a stale one answers 409"}
ZONE_KIND = {"enum": ["faresone", "sperresone", "evakueringssone"]}


class ResourceIn(Passed):
    name: Checked({"type": "string"}, required=True) = None
    kind: Checked({"type": "string"}, required=True) = None
    location: Checked(POINT_SCHEMA, required=True) = None
    capacity: Checked({"type": ["integer", "null"], "minimum": 0}) = None
    contact: Checked(TEXT) = None
    eps_suitable: Checked({"type": "boolean"}) = None
    notes: Checked(TEXT) = None


class ResourcePatch(ResourceIn):
    version: Version
    name: Checked({"type": "string"}) = None
    kind: Checked({"type": "string"}) = None
    location: Checked(POINT_SCHEMA) = None


class ZoneAnalysisIn(Body):
    zone: Checked(POLYGON) = None
    center: Checked(CENTER) = None
    radius_m: Checked({"type": "number"}) = None
    max_candidates: Checked({"type": "integer", "minimum": 0, "maximum": 200}) = 10


class DistrictChange(Body):
    number: Checked({"type": "string"}, required=True) = None
    name: Checked(TEXT) = None
    bydel: Checked(TEXT) = None
    version: Checked({"type": "integer"}, required=True) = None


class DistrictsPatch(Body):
    delomrader: Checked(
        {"type": "array", "items": DistrictChange.model_json_schema(mode="validation")}, required=True
    ) = None


class ResourceQuery(Query):
    kind: Checked({"type": "string"}) = None
    bydel: Checked({"type": "string"}) = None
    eps: Checked({"enum": ["0", "1", "true", "false", "ja", "nei"]}) = None


class SearchQuery(Query):
    q: Checked({"type": "string", "minLength": 1, "maxLength": 200}, required=True) = None
    limit: Checked({"type": "integer", "minimum": 1, "maximum": 50, "default": 10}) = None


class ReverseQuery(Query):
    lon: Checked({"type": "number", "minimum": -180, "maximum": 180}, required=True) = None
    lat: Checked({"type": "number", "minimum": -90, "maximum": 90}, required=True) = None


class ZoneIn(Passed):
    kind: Checked(ZONE_KIND, required=True) = None
    label: Checked({"type": "string", "maxLength": 120}) = None
    geometry: Checked(POLYGON) = None
    center: Checked(CENTER) = None
    radius_m: Checked({"type": "number", "exclusiveMinimum": 0}) = None
    layer: Checked({"type": "string"}) = None
    feature: Checked({"type": "integer", "minimum": 0}) = None


class ZonePatch(Passed):
    version: Checked(VERSION, required=True) = None
    kind: Checked(ZONE_KIND) = None
    label: Checked({"type": "string", "maxLength": 120}) = None
    geometry: Checked(POLYGON) = None
    center: Checked({"type": "array", "items": {"type": "number"}}) = None
    radius_m: Checked({"type": "number"}) = None


class ZoneDeleteQuery(Query):
    version: Limit(2**31 - 1, 0) | None = None
