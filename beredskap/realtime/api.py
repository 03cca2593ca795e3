"""JSON catch-up: the events of a channel after a seq."""

from flask import jsonify, request
from flask_login import current_user

from beredskap.api import api_blueprint, require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.realtime.journal import events_since, last_seq
from beredskap.realtime.sockets import authorise_channel
from beredskap.routing import is_digits

bp = api_blueprint("realtime_api", __name__)


@bp.get("/channels/<channel>/events")
@require(Perm.INCIDENT_READ)
def channel_events(channel: str):
    """Events with seq > since, oldest first."""
    since = request.args.get("since", "0")
    limit = request.args.get("limit", "5000")
    if not is_digits(since) or not is_digits(limit) or not 0 < int(limit) <= 5000:
        raise ApiError(400, "invalid_since", "since og limit må være ikke-negative heltall (limit 1–5000).")
    error = authorise_channel(current_user, channel)
    if error == "unknown_channel":
        raise ApiError(404, "unknown_channel", "Ukjent kanal.")
    if error:
        raise ApiError(403, "forbidden", "Du har ikke tilgang til denne kanalen.")
    events = events_since(channel, int(since), int(limit))
    return jsonify({"events": [e.envelope() for e in events], "last_seq": last_seq(channel)})


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document of this API (public, like any API description)."""
    from flask import current_app

    from beredskap.openapi import build_openapi

    return jsonify(build_openapi(current_app))
