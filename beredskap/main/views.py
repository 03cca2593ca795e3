"""Start page, health check and language choice."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from beredskap import vocabulary
from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.extensions import db
from beredskap.i18n import LANGUAGES

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness, database and message-queue check, without login.

    503 only when the database does not answer. `redis` is "off" (no REDIS_URL), "starting", "ok", or
    "stale" when this process no longer hears its own heartbeat through Redis (status "degraded", still
    200: taking every process out of the load balancer during a Redis outage would stop the service).
    """
    from beredskap.realtime.bus import bus_state

    try:
        db.session.execute(text("SELECT 1"))
        db_state = "ok"
    except Exception:  # noqa: BLE001 - the answer is the health state
        db.session.rollback()
        db_state = "error"
    redis_state = bus_state(current_app)
    healthy = db_state == "ok" and redis_state in ("ok", "off", "starting")
    body = {"status": "ok" if healthy else "degraded", "db": db_state, "redis": redis_state}
    return jsonify(body), 200 if db_state == "ok" else 503


@bp.get("/")
@require_page(Perm.INCIDENT_READ)
def index():
    """The start page: open incidents and what needs attention."""
    from beredskap.main.overview import start_page_data

    data = start_page_data(current_user)
    for panel in data["panels"]:
        _link_lines(panel["lines"])
    return render_template("main/index.html", **data)


def _link_lines(lines: list[dict]) -> None:
    """A panel line names its page as (endpoint, arguments); the link is made here, in the web layer."""
    for line in lines:
        if "page" in line:
            endpoint, arguments = line.pop("page")
            line["url"] = url_for(endpoint, **arguments)


@bp.get("/lang/<lang>")
def set_language(lang: str):
    """Choose the interface language."""
    from flask import session

    if lang in LANGUAGES:
        session["lang"] = lang
    from beredskap.security import safe_next

    return redirect(safe_next(request.args.get("next")))


# Navigation: endpoint, title, permission. Entries appear once their domain's page exists.
NAV = [
    ("incidents.list_page", "Hendelser", Perm.INCIDENT_READ),
    ("maps.map_page", "Kart", Perm.MAP_READ),
    ("eps.index_page", "EPS", Perm.EPS_READ),
    ("roster.roster_page", "Kriseorganisasjon", Perm.ROSTER_READ),
    ("outgoing.page", "Utsendinger", Perm.OUTBOX_READ),
    ("exercises.list_page", "Øvelser", Perm.EXERCISE_READ),
    ("cooperation.index_page", "Samarbeid", Perm.COOP_READ),
    ("auth.users", "Brukere", Perm.USER_ADMIN),
    ("audit.page", "Revisjonslogg", Perm.AUDIT_READ),
]


@bp.app_context_processor
def inject_navigation():
    from flask import current_app
    from flask_babel import get_locale, gettext

    items = []
    if current_user.is_authenticated:
        for endpoint, title, perm in NAV:
            if endpoint in current_app.view_functions and current_user.can(perm):
                items.append({"url": url_for(endpoint), "title": gettext(title)})
    return {"nav_items": items, "exercise_mode": False, "get_locale": get_locale, "vocabulary": vocabulary}
