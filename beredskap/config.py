"""Configuration from environment variables, with safe defaults for the embedded mode."""

import os
import secrets
from pathlib import Path

from beredskap.vocabulary import LOCAL_TIMEZONE


def _secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/ (embedded mode only)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if os.environ.get("BEREDSKAP_ENV") == "production":
        raise RuntimeError("SECRET_KEY må settes i produksjon (BEREDSKAP_ENV=production).")
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _public_base_url() -> str:
    """Return PUBLIC_BASE_URL: the base of every link we hand out (alert messages, PFIF, CAP).

    In production a missing one is fatal: the default would send the police and the people alerted to
    http://127.0.0.1:5000, which is their own machine.
    """
    url = (os.environ.get("PUBLIC_BASE_URL") or "").strip()
    if url:
        return url
    if os.environ.get("BEREDSKAP_ENV") == "production":
        raise RuntimeError(
            "PUBLIC_BASE_URL må settes i produksjon (BEREDSKAP_ENV=production), f.eks. "
            "https://beredskap.kristiansand.kommune.no: lenkene i varsler, PFIF og CAP bygges på den."
        )
    return "http://127.0.0.1:5000"


def load_config(instance_path: str) -> dict:
    """Build the app configuration from the environment."""
    env = os.environ
    default_db = "sqlite:///" + str(Path(instance_path) / "beredskap.db")
    behind_tls = env.get("BEREDSKAP_TLS", "0") == "1"
    redis_url = env.get("REDIS_URL") or None
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", default_db),
        "REDIS_URL": redis_url,
        "ASYNC_MODE": env.get("BEREDSKAP_ASYNC_MODE") or None,
        "SOCKETIO_CHANNEL": env.get("SOCKETIO_CHANNEL", "beredskap"),
        "REDIS_HEARTBEAT_SECONDS": float(env.get("REDIS_HEARTBEAT_SECONDS", "5")),
        "PRIVACY_RETENTION_DAYS": int(env.get("PRIVACY_RETENTION_DAYS", "30")),
        "ALERT_ESCALATION_MINUTES": int(env.get("ALERT_ESCALATION_MINUTES", "10")),
        "ALERT_TOKEN_HOURS": int(env.get("ALERT_TOKEN_HOURS", "24")),
        "ALERT_BACKEND": env.get("ALERT_BACKEND", "outbox"),
        "SMTP_HOST": env.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "SMTP_FROM": env.get("SMTP_FROM", "beredskap@localhost"),
        "SMS_GATEWAY_URL": env.get("SMS_GATEWAY_URL", ""),
        "SMS_BODY_TEMPLATE": env.get("SMS_BODY_TEMPLATE", '{"to": "{to}", "text": "{text}"}'),
        "PUBLIC_BASE_URL": _public_base_url(),
        "MAP_TILE_URL": env.get("MAP_TILE_URL", ""),
        "MAP_TILE_ATTRIBUTION": env.get("MAP_TILE_ATTRIBUTION", ""),
        "ALERT_DELIVERY_KICK": env.get("ALERT_DELIVERY_KICK", "1") == "1",
        "ALERT_RETRY_SECONDS": int(env.get("ALERT_RETRY_SECONDS", "30")),
        "ALERT_MAX_ATTEMPTS": int(env.get("ALERT_MAX_ATTEMPTS", "10")),
        "CAP_SENDER": env.get("CAP_SENDER", "beredskap@kristiansand.kommune.no"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Wrong logins per username from all clients together: generous, so an attacker elsewhere cannot
        # lock the real user out for long, while guessing stays slow.
        "LOGIN_USER_RATE_LIMIT": env.get("LOGIN_USER_RATE_LIMIT", "30 per 10 minutes"),
        # Forged or expired answer links per client; valid links are never limited.
        "ACK_FAILURE_RATE_LIMIT": env.get("ACK_FAILURE_RATE_LIMIT", "60 per minute"),
        # How many reverse proxies in front of the app append to X-Forwarded-For (nginx of OPERATIONS.md: 1).
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # Bodies above this are answered 413 before anything reads them; upload routes allow MAX_UPLOAD_BYTES.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "MAX_UPLOAD_BYTES": int(env.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        # A zipped Shapefile on the GIS import page may unpack to at most this (and 100× its zipped size).
        "GIS_MAX_UNZIPPED_BYTES": int(env.get("GIS_MAX_UNZIPPED_BYTES", str(200 * 1024 * 1024))),
        # A session ends after this long without a request, and this long after login whatever happens.
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "480")),
        "SESSION_MAX_HOURS": int(env.get("SESSION_MAX_HOURS", "24")),
        # Days an API token lives unless its issuer chooses otherwise; 0 means no expiry.
        "API_TOKEN_DAYS": int(env.get("API_TOKEN_DAYS", "365")),
        # Every server process re-checks its sockets' users this often (expired tokens, changes made elsewhere).
        "SOCKET_RECHECK_SECONDS": float(env.get("SOCKET_RECHECK_SECONDS", "30")),
        # werkzeug's scrypt defaults (N=2^15); the test suite lowers the cost, never production.
        "PASSWORD_HASH_METHOD": env.get("PASSWORD_HASH_METHOD", "scrypt"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_DEFAULT_TIMEZONE": LOCAL_TIMEZONE,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": behind_tls,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": behind_tls,
        "BEHIND_TLS": behind_tls,
        # CSRF is enforced in a before_request hook so Bearer-token API calls are exempt.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Each process's PostgreSQL pool (SQLite keeps SQLAlchemy's own): processes × (size + overflow) must stay
        # below the server's max_connections. A request waits DB_POOL_TIMEOUT seconds for a connection, then 500.
        "DB_POOL_SIZE": int(env.get("DB_POOL_SIZE", "10")),
        "DB_MAX_OVERFLOW": int(env.get("DB_MAX_OVERFLOW", "10")),
        "DB_POOL_TIMEOUT": float(env.get("DB_POOL_TIMEOUT", "30")),
        # Connections socket handlers may hold at once (0: half the pool); the rest is kept for requests.
        "SOCKET_DB_SLOTS": int(env.get("SOCKET_DB_SLOTS", "0")),
        "FIRST_HOST_YEAR": int(env.get("COOP_FIRST_HOST_YEAR", "2025")),
        "FIRST_HOST": env.get("COOP_FIRST_HOST", "kommune"),
        "SCHEDULER_ENABLED": env.get("BEREDSKAP_SCHEDULER", "1") == "1",
        "SCHEDULER_INTERVAL": float(env.get("BEREDSKAP_SCHEDULER_INTERVAL", "1.0")),
    }


def engine_options(config: dict) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS with the pool settings applied to a server database (not SQLite)."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        options.setdefault("pool_size", config["DB_POOL_SIZE"])
        options.setdefault("max_overflow", config["DB_MAX_OVERFLOW"])
        options.setdefault("pool_timeout", config["DB_POOL_TIMEOUT"])
    return options
