"""Login loaders, CSRF for cookie-authenticated requests and the security headers."""

from flask import Flask, current_app, request
from flask_login import current_user

from beredskap.extensions import csrf, db, login_manager

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


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
        f"img-src {img}; connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def register_security(app: Flask) -> None:
    from beredskap.auth.models import User
    from beredskap.auth.services import user_for_token

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.active else None

    @login_manager.request_loader
    def load_user_from_token(_request):
        return user_for_token(bearer_token())

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import redirect, url_for

        from beredskap.errors import ApiError

        if request.path.startswith("/api/"):
            raise ApiError(401, "unauthorized", "Du må logge inn.")
        return redirect(url_for("auth.login", next=request.full_path))

    @app.before_request
    def protect_cookie_requests():
        # Token requests carry no ambient credentials, so only cookie requests need the CSRF token.
        if request.method not in UNSAFE or bearer_token() or request.path.startswith("/ack/"):
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
        if request.path.startswith("/api/") or request.path.startswith("/ack/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
