"""JSON API of the knowledge base (§3.3): the Oversiktsbilde and the Trusselvurdering (routes on `bp`)."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import overview as overview_service
from beredskap.cooperation import threat
from beredskap.cooperation.api_base import bp
from beredskap.cooperation.schemas import changed
from beredskap.cooperation.schemas_knowledge import IndicatorIn, IndicatorPatch, OverviewPatch, ThreatPatch
from beredskap.validation import use_body


@bp.get("/cooperation/oversiktsbilde/<int:year>")
@require(Perm.COOP_READ)
def overview(year: int):
    """The year's Oversiktsbilde: summary, conclusions, indicators per bydel from the three sources."""
    return jsonify(overview_service.overview_data(year))


@bp.patch("/cooperation/oversiktsbilde/<int:year>")
@require(Perm.COOP_WRITE)
@use_body(OverviewPatch)
def patch_overview(year: int, body: OverviewPatch):
    """Save title, summary and conclusions (a list, or text with one per line), the team and the sources' years;
    version 0 creates it."""
    overview_service.save_overview(year, body.changes(), body.version, actor=current_user)
    return jsonify(overview_service.overview_data(year))


@bp.get("/cooperation/trusselvurdering/<int:year>")
@require(Perm.COOP_READ)
def threat_assessment(year: int):
    """The year's Trusselvurdering for Agder: title, summary, publication date and link (version 0: not recorded)."""
    return jsonify(threat.assessment_data(year))


@bp.patch("/cooperation/trusselvurdering/<int:year>")
@require(Perm.COOP_WRITE)
@use_body(ThreatPatch)
def patch_threat_assessment(year: int, body: ThreatPatch):
    """Save `{"title"?, "summary"?, "published_on"?: "2027-02-11", "url"?, "version"}`; version 0 creates it."""
    changes = changed(body, "title", "summary", "url", "published_on")
    threat.save_assessment(year, changes, body.version, actor=current_user)
    return jsonify(threat.assessment_data(year))


@bp.post("/cooperation/oversiktsbilde/<int:year>/indicators")
@require(Perm.COOP_WRITE)
@use_body(IndicatorIn)
def add_indicator(year: int, body: IndicatorIn):
    """Add `{"bydel", "source": "kriminalstatistikk"|"ungdata"|"kvalitativ", "name"?, "value"?, "previous"?,
    "unit"?, "comment"?, "text"?, "from"?}`."""
    indicator = overview_service.add_indicator(year, body.changes(), actor=current_user)
    return jsonify(indicator.to_dict()), 201


@bp.patch("/cooperation/indicators/<int:indicator_id>")
@require(Perm.COOP_WRITE)
@use_body(IndicatorPatch)
def patch_indicator(indicator_id: int, body: IndicatorPatch):
    """Correct an indicator; needs `version`."""
    indicator = overview_service.update_indicator(indicator_id, body.changes(), body.version, actor=current_user)
    return jsonify(indicator.to_dict())


@bp.delete("/cooperation/indicators/<int:indicator_id>")
@require(Perm.COOP_WRITE)
def delete_indicator(indicator_id: int):
    """Remove an indicator."""
    overview_service.delete_indicator(indicator_id, actor=current_user)
    return jsonify({"deleted": indicator_id})
