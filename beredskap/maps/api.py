"""JSON API for map layers, resources, the district grouping and zone analysis (CONTRACT §6)."""

from flask import Response, current_app, jsonify, request
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.field_labels import label
from beredskap.maps import (
    api_zones,  # noqa: F401 - the zone routes share the blueprint; importing them registers them
    catalogue,
    resources,
    search,
)
from beredskap.maps.analysis import analyse, reverse_lookup, search_places
from beredskap.maps.api_base import bp
from beredskap.maps.catalogue import layer_payload
from beredskap.maps.districts import list_districts, update_districts
from beredskap.maps.occupancy import open_eps_collection
from beredskap.maps.resources import resource_summary, resources_collection, update_resource
from beredskap.maps.schemas import (
    DistrictsPatch,
    ResourceIn,
    ResourcePatch,
    ResourceQuery,
    ReverseQuery,
    SearchQuery,
    ZoneAnalysisIn,
)
from beredskap.maps.zone_input import ZoneError
from beredskap.validation import use_body, use_query

# Zone errors about the shape of the request, not about the place it describes.
UNPARSEABLE_ZONE_CODES = frozenset({"missing_zone", "ambiguous", "not_polygon", "bad_coordinates", "too_complex"})


def may_see_contact() -> bool:
    """A venue's contact often names a key holder: operational roles see it, read-only roles do not."""
    return any(current_user.can(p) for p in (Perm.RESOURCE_WRITE, Perm.INCIDENT_WRITE, Perm.EPS_MANAGE))


def _summary(resource_id: int) -> dict:
    summary = resource_summary(resource_id)
    if summary is None:
        raise ApiError(404, "not_found", gettext("Ukjent ressurs."))
    if not may_see_contact():
        summary.pop("contact", None)
    return summary


@bp.get("/maps/layers")
@require(Perm.MAP_READ)
def list_layers():
    """Shipped and imported layers: name, title, feature count."""
    return jsonify(catalogue.list_layers())


@bp.get("/maps/layers/<name>")
@require(Perm.MAP_READ)
def get_layer(name: str):
    """One layer as a FeatureCollection (display geometry), revalidated by ETag."""
    body, etag = layer_payload(name)
    response = Response(body, mimetype="application/geo+json")
    response.set_etag(etag)
    # Cached by the browser but revalidated each time: a regrouping must show at once.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie, Authorization"
    return response.make_conditional(request)


@bp.get("/resources")
@require(Perm.MAP_READ)
@use_query(ResourceQuery)
def list_resources(query: ResourceQuery):
    """Resources as a FeatureCollection; filter with ?kind=, ?bydel= and ?eps=1."""
    eps_suitable = None if query.eps is None else query.eps.lower() in ("1", "true", "ja")
    collection = resources_collection(
        kind=query.kind,
        bydel=query.bydel,
        eps_suitable=eps_suitable,
        include_contact=may_see_contact(),
    )
    return jsonify(collection)


@bp.get("/resources/<int:resource_id>")
@require(Perm.MAP_READ)
def get_resource(resource_id: int):
    """One resource."""
    return jsonify(_summary(resource_id))


@bp.post("/resources")
@require(Perm.RESOURCE_WRITE)
@use_body(ResourceIn)
def create_resource(body: ResourceIn):
    """Register a resource: name, kind, location (Point), capacity, contact, eps_suitable, notes."""
    resource = resources.create_resource(body.sent(), actor=current_user)
    return jsonify(_summary(resource.id)), 201


@bp.patch("/resources/<int:resource_id>")
@require(Perm.RESOURCE_WRITE)
@use_body(ResourcePatch)
def patch_resource(resource_id: int, body: ResourcePatch):
    """Change a resource; needs the version it read (409 when stale)."""
    changes = {k: v for k, v in body.sent().items() if k != "version"}
    resource = update_resource(resource_id, changes, body.version, actor=current_user)
    return jsonify(_summary(resource.id))


@bp.post("/maps/zone-analysis")
@require(Perm.MAP_READ)
@use_body(ZoneAnalysisIn)
def zone_analysis(body: ZoneAnalysisIn):
    """People, districts, resources inside a zone and EPS candidates outside it (an estimate)."""
    max_candidates = body.max_candidates
    if not isinstance(max_candidates, int) or isinstance(max_candidates, bool) or not 0 <= max_candidates <= 200:
        raise ApiError(
            422,
            "invalid",
            gettext("%(label)s må være et heltall fra 0 til 200.", label=label("max_candidates")),
            {"max_candidates": "ugyldig"},
        )
    try:
        result = analyse(
            zone=body.zone,
            center=body.center,
            radius_m=body.radius_m,
            max_candidates=max_candidates,
        )
    except ZoneError as err:
        # One line: the code only, never the zone (it says where people are).
        current_app.logger.warning("zone analysis refused: %s", err.code)
        status = 400 if err.code in UNPARSEABLE_ZONE_CODES else 422
        field_name = "radius_m" if err.code == "bad_radius" else ("center" if body.center is not None else "zone")
        raise ApiError(status, err.code, str(err.message), {field_name: err.code}) from None
    return jsonify(result)


@bp.get("/maps/districts")
@require(Perm.MAP_READ)
def get_districts():
    """Delområder with name, bydel and version; bydeler with their delområder."""
    return jsonify(list_districts())


@bp.patch("/maps/districts")
@require(Perm.DISTRICT_WRITE)
@use_body(DistrictsPatch)
def patch_districts(body: DistrictsPatch):
    """Rename or regroup delområder: {"delomrader": [{"number", "name"?, "bydel"?, "version"}]}."""
    return jsonify(update_districts(body.delomrader, actor=current_user))


@bp.get("/maps/eps")
@require(Perm.EPS_READ)
def open_eps():
    """Open EPS with their occupancy (counts only) as a FeatureCollection."""
    return jsonify(open_eps_collection())


def _search_error(err: search.SearchError) -> ApiError:
    return ApiError(422, err.code, err.message, {err.field: err.code})


@bp.get("/maps/search")
@require(Perm.MAP_READ)
@use_query(SearchQuery)
def map_search(query: SearchQuery):
    """Addresses, streets, places, districts, resources and EPS by name: ?q=&limit= (1–50, default 10)."""
    try:
        results = search_places(query.q, query.limit, include_eps=current_user.can(Perm.EPS_READ))
    except search.SearchError as err:
        raise _search_error(err) from None
    return jsonify({"results": results})


@bp.get("/maps/reverse")
@require(Perm.MAP_READ)
@use_query(ReverseQuery)
def map_reverse(query: ReverseQuery):
    """The nearest address or place to ?lon=&lat= with its grunnkrets, delområde and bydel."""
    try:
        result = reverse_lookup(query.lon, query.lat)
    except search.SearchError as err:
        raise _search_error(err) from None
    if result is None:
        raise ApiError(404, "outside_kommune", gettext("Punktet ligger utenfor kommunen."))
    return jsonify(result)
