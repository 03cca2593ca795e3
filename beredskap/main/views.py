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


@bp.get("/i18n/<lang>.js")
def script_strings(lang: str):
    """The scripts' strings in one language, as a script that sets window.BEREDSKAP_I18N (static/js/i18n.js reads it).

    base.html loads it before the page's modules for every language but Norwegian. Public: the interface text is no
    secret and the login page needs it. Revalidated by ETag, so a new catalogue is seen at the next page.
    """
    return _strings_response(lang, as_script=True)


@bp.get("/i18n/<lang>.json")
def script_strings_json(lang: str):
    """The same strings as JSON: {Norwegian msgid: translation}."""
    return _strings_response(lang, as_script=False)


def _strings_response(lang: str, *, as_script: bool):
    from flask import Response, abort

    from beredskap.i18n import script_catalogue

    if lang not in LANGUAGES:
        abort(404)
    body, etag = script_catalogue(lang)
    if as_script:
        body = f"window.BEREDSKAP_I18N = {body};\n"
    response = Response(body, mimetype="text/javascript" if as_script else "application/json")
    response.set_etag(etag + ("-js" if as_script else ""))
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def N_(text: str) -> str:
    """Marks a string for extraction into the catalogue; gettext() translates it where it is shown."""
    return text


# Navigation: endpoint, title, permission. Entries appear once their domain's page exists.
NAV = [
    ("incidents.list_page", N_("Hendelser"), Perm.INCIDENT_READ),
    ("maps.map_page", N_("Kart"), Perm.MAP_READ),
    ("eps.index_page", N_("EPS"), Perm.EPS_READ),
    ("roster.roster_page", N_("Kriseorganisasjon"), Perm.ROSTER_READ),
    ("outgoing.page", N_("Utsendinger"), Perm.OUTBOX_READ),
    ("exercises.list_page", N_("Øvelser"), Perm.EXERCISE_READ),
    ("cooperation.index_page", N_("Samarbeid"), Perm.COOP_READ),
    ("auth.users", N_("Brukere"), Perm.USER_ADMIN),
    ("audit.page", N_("Revisjonslogg"), Perm.AUDIT_READ),
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
    from beredskap.i18n import date_patterns

    return {
        "nav_items": items,
        "exercise_mode": False,
        "get_locale": get_locale,
        "vocabulary": vocabulary,
        **date_patterns(),
    }
