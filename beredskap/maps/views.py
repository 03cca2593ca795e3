"""Map pages: the working map, the read-only live map, the resource register and the district grouping."""

import functools
import math
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.domain_errors import DomainError
from beredskap.errors import REFUSALS, ApiError, refusal_status
from beredskap.extensions import db
from beredskap.forms import errors_of, refusal
from beredskap.i18n import translated
from beredskap.maps.api import may_see_contact
from beredskap.maps.districts import delomrade_names, district_mapping, list_districts, update_districts
from beredskap.maps.forms import DistrictNumbersForm, ResourceForm, districts_form
from beredskap.maps.layers import attribution_text
from beredskap.maps.occupancy import eps_occupancy_by_resource
from beredskap.maps.resources import RESOURCE_KINDS, create_resource, get_resource, list_resources, update_resource
from beredskap.realtime.journal import last_seq

bp = Blueprint("maps", __name__)

RESOURCES_PER_PAGE = 50
DEFAULT_TILE_ATTRIBUTION = "Bakgrunnskart © Kartverket"


def _map_context(mode: str) -> dict[str, Any]:
    return {
        "mode": mode,
        "since": last_seq("global"),
        "tile_url": current_app.config.get("MAP_TILE_URL") or "",
        "tile_attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or DEFAULT_TILE_ATTRIBUTION,
        "attribution": attribution_text(),
        "can_edit_resources": mode == "work" and current_user.can(Perm.RESOURCE_WRITE),
        "can_read_eps": current_user.can(Perm.EPS_READ),
        "can_read_incidents": current_user.can(Perm.INCIDENT_READ),
        "kinds": translated(RESOURCE_KINDS),
    }


@bp.get("/map")
@require_page(Perm.MAP_READ)
def map_page():
    """The shared map: layers, resources, incidents, open EPS and zone analysis."""
    mode = "live" if request.args.get("mode") == "live" else "work"
    return render_template("maps/map.html", **_map_context(mode))


@bp.get("/map/live")
@require_page(Perm.MAP_READ)
def live_page():
    """Read-only live map for the police liaison: follows resources, incidents and EPS without reload."""
    return render_template("maps/map.html", **_map_context("live"))


@bp.get("/resources")
@require_page(Perm.MAP_READ)
def resources_page():
    """The resource register: filter by kind, bydel, EPS suitability and name."""
    kind = request.args.get("kind") or None
    bydel = request.args.get("bydel") or None
    query = (request.args.get("q") or "").strip()[:100] or None
    eps = request.args.get("eps") == "1"
    resources = list_resources(kind=kind, bydel=bydel, eps_suitable=True if eps else None, query=query)
    pages = max(1, math.ceil(len(resources) / RESOURCES_PER_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    shown = resources[(page - 1) * RESOURCES_PER_PAGE : page * RESOURCES_PER_PAGE]
    filters = {"kind": kind or "", "bydel": bydel or "", "q": query or "", "eps": "1" if eps else ""}
    return render_template(
        "maps/resources.html",
        resources=shown,
        total=len(resources),
        page=page,
        pages=pages,
        filters=filters,
        page_args={k: v for k, v in filters.items() if v},
        kinds=translated(RESOURCE_KINDS),
        bydeler=sorted(set(district_mapping().values())),
        names=delomrade_names(),
        occupancy=eps_occupancy_by_resource(),
        can_edit=current_user.can(Perm.RESOURCE_WRITE),
    )


@bp.route("/resources/new", methods=["GET", "POST"])
@require_page(Perm.RESOURCE_WRITE)
def resource_new():
    """Register a resource by hand."""
    values: dict[str, Any] = {"kind": "annet", "eps_suitable": False}
    error = None
    if request.method == "POST":
        form = ResourceForm()
        values = form.values()
        try:
            if not form.validate():
                raise _refusal(form)
            resource = create_resource(form.resource_data(), actor=current_user)
        except REFUSALS as err:
            error = err
        else:
            flash(gettext("Ressursen «%(name)s» er registrert.", name=resource.name), "success")
            return redirect(url_for("maps.resource_page", resource_id=resource.id))
    return _render_form(None, values, error)


@bp.route("/resources/<int:resource_id>", methods=["GET", "POST"])
@require_page(Perm.MAP_READ)
def resource_page(resource_id: int):
    """One resource; users who may edit get the form (saved with the version they read)."""
    resource = get_resource(resource_id)
    error = None
    if request.method == "POST":
        if not current_user.can(Perm.RESOURCE_WRITE):
            raise ApiError(403, "forbidden", gettext("Rollen din kan ikke endre ressurser."))
        form = ResourceForm()
        values = form.values()
        try:
            if not form.validate():
                raise _refusal(form)
            resource = update_resource(resource_id, form.resource_data(), form.version_read(), actor=current_user)
        except REFUSALS as err:
            db.session.rollback()
            error = err
            resource = get_resource(resource_id)
            if refusal_status(err) == 409:
                # Show what is stored now rather than silently overwriting someone else's change.
                values = _stored_values(resource)
        else:
            flash(gettext("Endringene er lagret."), "success")
            return redirect(url_for("maps.resource_page", resource_id=resource.id))
        return _render_form(resource, values, error)
    return _render_form(resource, _stored_values(resource), None)


def _refusal(form: ResourceForm) -> ApiError:
    """A capacity that is no number is `invalid`, a position that is none `invalid_geometry` (as the API says)."""
    errors = form.field_errors()
    return refusal(form, "invalid_geometry" if "capacity" not in errors and "lon" in errors else "invalid")


def _stored_values(resource: Any) -> dict[str, Any]:
    values = resource.to_dict()
    values["lon"], values["lat"] = resource.lon, resource.lat
    values["capacity"] = "" if resource.capacity is None else resource.capacity
    return values


def _render_form(resource: Any, values: dict[str, Any], error: ApiError | DomainError | None):
    status = refusal_status(error) if error else 200
    errors = errors_of(error) if error else {}
    if "location" in errors:
        errors["lon"] = errors.pop("location")
    return (
        render_template(
            "maps/resource_form.html",
            resource=resource,
            values=values,
            error=error,
            errors=errors,
            kinds=translated(RESOURCE_KINDS),
            names=delomrade_names(),
            can_edit=current_user.can(Perm.RESOURCE_WRITE),
            show_contact=may_see_contact(),
        ),
        status,
    )


@bp.route("/map/districts", methods=["GET", "POST"])
@require_page(Perm.MAP_READ)
def districts_page():
    """The delområde → bydel grouping; the coordinator renames delområder and moves them between bydeler."""
    error = None
    if request.method == "POST":
        if not current_user.can(Perm.DISTRICT_WRITE):
            raise ApiError(403, "forbidden", gettext("Rollen din kan ikke endre bydelsinndelingen."))
        changes = _district_changes()
        if not changes:
            flash(gettext("Ingen endringer å lagre."), "info")
            return redirect(url_for("maps.districts_page"))
        try:
            result = update_districts(changes, actor=current_user)
        except REFUSALS as err:
            db.session.rollback()
            error = err
        else:
            flash(gettext("%(n)s delområder er oppdatert.", n=len(result["changed"])), "success")
            return redirect(url_for("maps.districts_page"))
    districts = list_districts()
    return (
        render_template(
            "maps/districts.html",
            districts=districts,
            error=error,
            can_edit=current_user.can(Perm.DISTRICT_WRITE),
        ),
        refusal_status(error) if error else 200,
    )


def _district_changes() -> list[dict[str, Any]]:
    """The fields the coordinator changed on the form, with the version each row was rendered with.

    Comparing with the values the form was rendered with (not the current ones) means a row someone else
    changed meanwhile is left alone unless this user changed it too; then its stale version gives a 409.
    """
    numbers = DistrictNumbersForm().number.data or []
    form = districts_form(numbers)
    changes = []
    for number in numbers:
        change: dict[str, Any] = {"number": number}
        for key in ("name", "bydel"):
            submitted = " ".join((form[f"{key}-{number}"].data or "").split())
            original = " ".join((form[f"orig-{key}-{number}"].data or "").split())
            if submitted != original:
                change[key] = submitted
        if len(change) == 1:
            continue
        try:
            change["version"] = int(form[f"version-{number}"].data or 0)
        except ValueError:
            change["version"] = 0
        changes.append(change)
    return changes


@bp.get("/maps/basemap/<name>.json")
def basemap_file(name: str):
    """A derived base-map file (public geodata, no personal data): cacheable static URL, gzip when accepted."""
    from beredskap.maps import basemap

    body, gzipped, etag = _basemap_bodies(str(basemap.derived_dir()), name)
    if body is None:
        return current_app.response_class(b'{"error": {"code": "not_found", "message": "Ukjent kartfil."}}', 404)
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = current_app.response_class(gzipped if use_gzip else body, mimetype="application/json")
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.set_etag(etag)
    return response.make_conditional(request)


@functools.lru_cache(maxsize=32)
def _basemap_bodies(directory: str, name: str) -> tuple[bytes | None, bytes | None, str]:
    import gzip
    import hashlib
    from pathlib import Path

    if not name.replace("_", "").isalnum():
        return None, None, ""
    path = Path(directory) / f"{name}.json"
    if not path.is_file():
        return None, None, ""
    body = path.read_bytes()
    return body, gzip.compress(body, 6, mtime=0), hashlib.sha256(body).hexdigest()[:20]


@bp.get("/incidents/<int:incident_id>/zones/<int:zone_id>/report.pdf")
@require_page(Perm.INCIDENT_READ)
def zone_report_pdf(incident_id: int, zone_id: int):
    """Zone report: map, population by bydel and delområde, resources inside, EPS candidates (CONTRACT §11)."""
    from flask import Response

    from beredskap.concurrency import render_report
    from beredskap.maps import zones

    pdf = render_report(zones.render_zone_report, zones.zone_report_data(incident_id, zone_id))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="sonerapport-{incident_id}-{zone_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )
