"""Beredskap: emergency-preparedness coordination for Kristiansand kommune and Agder politidistrikt."""

import os
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from beredskap.config import engine_options, load_config

REPO_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings (tests)."""
    instance_path = os.environ.get("BEREDSKAP_INSTANCE_PATH") or str(REPO_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(REPO_ROOT / "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    from beredskap.api import BoundedJSONProvider

    # Request JSON too deeply nested is refused before the parser's recursion (400, not a RecursionError).
    app.json = BoundedJSONProvider(app)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_idempotency(app)
    register_cli(app)
    register_socket_handlers(app)
    register_proxy_fix(app)
    return app


def register_proxy_fix(app: Flask) -> None:
    """Client address and scheme from X-Forwarded-* only through TRUSTED_PROXIES proxies (0: none trusted).

    Outermost, so Socket.IO's origin check and the rate limits see the same client as every view.
    """
    count = app.config.get("TRUSTED_PROXIES") or 0
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    from beredskap.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio
    from beredskap.i18n import select_locale, select_timezone
    from beredskap.realtime.publish import register_publisher
    from beredskap.realtime.sockets import origin_check
    from beredskap.sqlite import register_sqlite_pragmas

    db.init_app(app)
    with app.app_context():
        register_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logg inn for å fortsette.")
    login_manager.localize_callback = str  # the flash goes into the session, which cannot store a LazyString
    login_manager.session_protection = "basic"
    queue = {}
    if app.config["REDIS_URL"]:
        from beredskap.realtime.bus import make_manager

        # Flask-SocketIO's own Redis manager, plus the heartbeat behind /healthz's "redis".
        queue["client_manager"] = make_manager(app.config["REDIS_URL"], app.config["SOCKETIO_CHANNEL"])
    socketio.init_app(
        app,
        message_queue=app.config["REDIS_URL"],
        channel=app.config["SOCKETIO_CHANNEL"],
        async_mode=app.config["ASYNC_MODE"],
        # Only the app's own origin(s): a page elsewhere cannot open a socket with the user's cookie.
        cors_allowed_origins=origin_check(app),
        json=None,
        **queue,
    )
    register_publisher(app)


def register_blueprints(app: Flask) -> None:
    """Every domain's models, blueprints, seeds, jobs, panels and channels: see beredskap/domains.py."""
    from beredskap.domains import register_domains
    from beredskap.routing import BoundedIntConverter

    # Ids beyond the databases' integer range are unknown ids (404), not driver errors.
    app.url_map.converters["int"] = BoundedIntConverter
    register_domains(app)


def register_errorhandlers(app: Flask) -> None:
    from beredskap.errors import register_errorhandlers as register

    register(app)


def register_security(app: Flask) -> None:
    from beredskap.security import register_security as register

    register(app)


def register_idempotency(app: Flask) -> None:
    from beredskap.idempotency import register_idempotency as register

    # After the security hooks: CSRF and login are checked before a key is claimed.
    register(app)


def register_cli(app: Flask) -> None:
    from beredskap.cli import register_cli as register

    register(app)


def register_socket_handlers(app: Flask) -> None:
    from beredskap.realtime.sockets import register_socket_handlers as register

    # init_app made a fresh Socket.IO server for this app; the handlers go onto it.
    register()
