"""Login loaders, session validity, CSRF for cookie-authenticated requests, body limits and the security headers."""

import re
import time
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request, session, url_for
from flask_babel import gettext
from flask_login import current_user

from beredskap.extensions import csrf, db, login_manager

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Tabs, newlines and other control characters that browsers strip from URLs before resolving them.
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
SESSION_GENERATION = "gen"
SESSION_STARTED = "started"
SESSION_SEEN = "seen"


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the start page (every `next=` goes through here).

    Browsers drop tabs, newlines and spaces around URLs and read a backslash as a slash, so a tab or a
    backslash can turn `/x/evil` into `//evil`: a target with control characters, whitespace or backslashes
    is refused outright, and so is anything with a scheme or a host.
    """
    fallback = url_for("main.index")
    if not isinstance(target, str) or not target or _CONTROL.search(target) or "\\" in target:
        return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def upload_route(view):
    """Mark a view that takes files: it may receive MAX_UPLOAD_BYTES instead of MAX_CONTENT_LENGTH."""
    view.upload_route = True
    return view


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    return None


def content_security_policy() -> str:
    img = "'self' data: blob:"
    tile_url = current_app.config.get("MAP_TILE_URL") or ""
    if tile_url.startswith("https://"):
        img += " " + "/".join(tile_url.split("/")[:3])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def register_security(app: Flask) -> None:
    from beredskap.auth.models import User
    from beredskap.auth.services import user_for_token

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isascii() and user_id.isdigit() else None
        if user is None or not user.active or not session_is_valid(user):
            # Logged out elsewhere, deactivated, role or password changed, or too old: the cookie is dead.
            session.clear()
            return None
        return user

    @login_manager.request_loader
    def load_user_from_token(_request):
        user = user_for_token(bearer_token())
        # Only a valid token lifts the CSRF check; a header that merely looks like one does not.
        g.token_authenticated = user is not None
        return user

    @app.before_request
    def limit_body_size():
        # Answered from the Content-Length header alone, before CSRF or JSON parsing reads the body. A body
        # without Content-Length is cut at the same limit by werkzeug while it is read.
        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "upload_route", False):
            request.max_content_length = app.config["MAX_UPLOAD_BYTES"]
        limit = request.max_content_length
        if limit is not None and (request.content_length or 0) > limit:
            from werkzeug.exceptions import RequestEntityTooLarge

            raise RequestEntityTooLarge()

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import redirect, url_for

        from beredskap.errors import ApiError

        if request.path.startswith("/api/"):
            raise ApiError(401, "unauthorized", gettext("Du må logge inn."))
        return redirect(url_for("auth.login", next=request.full_path))

    @app.before_request
    def protect_cookie_requests():
        # Token requests carry no ambient credentials, so only cookie requests need the CSRF token.
        if request.method not in UNSAFE or request.path.startswith("/ack/"):
            return
        if bearer_token() and current_user.is_authenticated and g.get("token_authenticated"):
            return
        # An anonymous API call has no session to abuse: let the route answer 401.
        if request.path.startswith("/api/") and not current_user.is_authenticated:
            return
        csrf.protect()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
        if current_app.config.get("BEHIND_TLS"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # The session marks a logged-in user without touching the user row (the view may have closed its session).
        private = bool(session.get("_user_id")) and not request.path.startswith("/static/")
        if private or request.path.startswith("/api/") or request.path.startswith("/ack/"):
            # Pages of a logged-in user carry contact lists, phone numbers and names: no cache keeps them.
            # A view that chose its own caching (an ETag revalidated with no-cache) keeps it.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def start_session(user) -> None:
    """Mark a fresh login session with the user's session generation and its start time."""
    now = int(time.time())
    session[SESSION_GENERATION] = user.session_generation
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now


def session_is_valid(user) -> bool:
    """The cookie session still belongs to the user's current generation and is neither idle nor too old."""
    if session.get(SESSION_GENERATION) != user.session_generation:
        return False
    now = int(time.time())
    started = session.get(SESSION_STARTED)
    seen = session.get(SESSION_SEEN)
    if not isinstance(started, int) or not isinstance(seen, int):
        return False
    if now - started > current_app.config["SESSION_MAX_HOURS"] * 3600:
        return False
    if now - seen > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        return False
    if now - seen >= 60:
        # Refreshed at most once a minute, so the cookie is not rewritten on every request.
        session[SESSION_SEEN] = now
    return True
