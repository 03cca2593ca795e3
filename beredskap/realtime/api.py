"""JSON catch-up: the events of a channel after a seq."""

from flask import jsonify
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import api_blueprint, require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.realtime.journal import events_since, last_seq
from beredskap.realtime.sockets import authorise_channel
from beredskap.validation import Limit, Query, use_query

bp = api_blueprint("realtime_api", __name__)


class CatchUpQuery(Query):
    since: Limit(2**62, low=0) = 0
    limit: Limit(5000) = 5000


@bp.get("/channels/<channel>/events")
@require(Perm.INCIDENT_READ)
@use_query(CatchUpQuery, code="invalid_since")
def channel_events(channel: str, query: CatchUpQuery):
    """Events with seq > since, oldest first."""
    error = authorise_channel(current_user, channel)
    if error == "unknown_channel":
        raise ApiError(404, "unknown_channel", gettext("Ukjent kanal."))
    if error:
        raise ApiError(403, "forbidden", gettext("Du har ikke tilgang til denne kanalen."))
    events = events_since(channel, query.since, query.limit)
    return jsonify({"events": [e.envelope() for e in events], "last_seq": last_seq(channel)})


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document of this API (public, like any API description)."""
    from flask import current_app

    from beredskap.openapi import build_openapi

    return jsonify(build_openapi(current_app))
