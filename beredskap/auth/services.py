"""Account, token and audit services."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from beredskap.auth.models import ApiToken, AuditRecord, User
from beredskap.auth.permissions import Role
from beredskap.clock import utcnow
from beredskap.concurrency import run_blocking
from beredskap.domain_errors import Conflict, Invalid, Malformed, NotFound
from beredskap.extensions import db

MIN_PASSWORD_LENGTH = 12
# zxcvbn's score (0–4): below this the password is in, or close to, its lists of common passwords and words.
MIN_PASSWORD_SCORE = 3


def check_password_strength(password: str, username: str = "") -> None:
    """422 for a short password or one on zxcvbn's lists of common passwords, names and keyboard patterns."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid("weak_password", gettext("Passordet må ha minst %(n)s tegn.", n=MIN_PASSWORD_LENGTH))
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with the length; the first 100 characters decide.
    if zxcvbn(password[:100], user_inputs=[username, "beredskap", "kristiansand"])["score"] < MIN_PASSWORD_SCORE:
        raise Invalid(
            "weak_password",
            gettext(
                "Passordet er for lett å gjette (et vanlig passord, ord eller tastaturmønster). "
                "Velg et lengre og mer uvanlig."
            ),
            {"password": "for svakt"},
        )


def hash_password(password: str) -> str:
    """scrypt hash, computed off the event loop."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return run_blocking(generate_password_hash, password, method=method)


def verify_password(user: User | None, password: str) -> bool:
    """Constant work whether or not the user exists, so timing does not reveal usernames."""
    stored = user.password_hash if user and user.password_hash else _dummy_hash()
    ok = run_blocking(check_password_hash, stored, password)
    return bool(user and user.password_hash and ok)


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(generate_password_hash(secrets.token_urlsafe(16), method="scrypt"))
    return _DUMMY[0]


def validate_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise Invalid("invalid_role", gettext("Ukjent rolle «%(role)s».", role=role), {"role": "ukjent"}) from None


def create_user(
    username: str, role: str, password: str | None = None, display_name: str = "", actor: User | None = None
) -> tuple[User, str]:
    """Create a user; without a password one is generated. Returns the user and the clear password.

    Created by an admin (`actor`), the creation is audited in the same transaction.
    """
    username = (username or "").strip()
    if not username or len(username) > 80 or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise Invalid("invalid_username", gettext("Brukernavn må være 1–80 tegn: bokstaver, tall, . _ -."))
    role_value = validate_role(role)
    if db.session.scalar(select(User).where(User.username == username)):
        raise Conflict("user_exists", gettext("Brukeren «%(user)s» finnes allerede.", user=username))
    if password is None:
        password = secrets.token_urlsafe(15)
    check_password_strength(password, username)
    user = User(
        username=username,
        role=role_value.value,
        display_name=display_name or username,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    if actor is not None:
        db.session.flush()
        record_audit("user.created", "user", user.id, actor=actor)
    db.session.commit()
    return user, password


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if not verify_password(user, password or ""):
        return None
    if not user.active:
        return None
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_expiry(days: int | None = None, now: datetime | None = None) -> datetime | None:
    """When a token issued now expires: after `days`, or API_TOKEN_DAYS; 0 means never."""
    if days is None:
        days = int(current_app.config.get("API_TOKEN_DAYS", 365))
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
        raise Invalid("invalid", gettext("Gyldighet må være 0–3650 dager (0 = utløper aldri)."), {"days": "0–3650"})
    return (now or utcnow()) + timedelta(days=days) if days else None


def issue_token(user: User, days: int | None = None) -> str:
    """Create an API token valid for `days` (API_TOKEN_DAYS by default); only its hash is stored."""
    expires_at = token_expiry(days)
    token = "brd_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_digest(token), prefix=token[:10], expires_at=expires_at))
    db.session.commit()
    return token


def latest_token_expiry(user: User) -> datetime | None:
    """The expiry of the user's newest token."""
    return db.session.scalar(
        select(ApiToken.expires_at).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()).limit(1)
    )


def revoke_tokens(user: User) -> int:
    """Revoke every live token of the user."""
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    count = 0
    for token in tokens:
        token.revoked_at = utcnow()
        count += 1
    db.session.commit()
    notify_user_changed(user.id)
    return count


def end_sessions(user: User) -> None:
    """End every cookie session of the user (in this transaction) and, after commit, its live sockets.

    Logout, password change, deactivation and role change call it.
    """
    db.session.execute(
        update(User).where(User.id == user.id).values(session_generation=User.session_generation + 1),
        execution_options={"synchronize_session": "fetch"},
    )
    _hook_notifications()
    db.session.info.setdefault(CHANGED_USERS_KEY, set()).add(user.id)


CHANGED_USERS_KEY = "beredskap_changed_users"


def _hook_notifications() -> None:
    """Once per process: after a commit, tell the socket layer about the users whose sessions ended."""
    if getattr(_hook_notifications, "done", False):
        return
    from sqlalchemy import event

    def after_commit(session) -> None:
        for user_id in session.info.pop(CHANGED_USERS_KEY, set()):
            notify_user_changed(user_id)

    event.listen(db.session, "after_commit", after_commit)
    event.listen(
        db.session, "after_soft_rollback", lambda session, _previous: session.info.pop(CHANGED_USERS_KEY, None)
    )
    _hook_notifications.done = True  # type: ignore[attr-defined]


# Who hears that a user changed: realtime registers its socket re-check here (auth knows no layer above it).
_USER_CHANGED_LISTENERS: list[Callable[[int], None]] = []


def on_user_changed(listener: Callable[[int], None]) -> None:
    if listener not in _USER_CHANGED_LISTENERS:
        _USER_CHANGED_LISTENERS.append(listener)


def notify_user_changed(user_id: int) -> None:
    """Make every server process re-check the live sockets of this user (revoked, deactivated, role changed)."""
    for listener in _USER_CHANGED_LISTENERS:
        try:
            listener(user_id)
        except Exception as err:  # noqa: BLE001 - the change stands; sockets also re-check at their next subscribe
            current_app.logger.warning("socket re-check of user %s not sent: %s", user_id, type(err).__name__)


def set_password(user: User, password: str) -> None:
    """Set a new password; every existing session of the user ends."""
    check_password_strength(password, user.username)
    user.password_hash = hash_password(password)
    end_sessions(user)
    db.session.commit()


def set_role(user_id: int, role: str, actor: User | None = None) -> User:
    """Give the user another role; existing sessions and sockets end, so the new rights apply at once."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(gettext("Ukjent bruker."))
    user.role = validate_role(role).value
    end_sessions(user)
    record_audit("user.role", "user", user.id, actor=actor, meta={"role": user.role})
    db.session.commit()
    return user


def user_for_token(token: str | None) -> User | None:
    """The active user behind a live token, or None."""
    if not token or len(token) > 200 or not token.isascii():
        return None
    # One query for token and user: every token-authenticated request runs it.
    user = db.session.scalar(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == _token_digest(token),
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()),
        )
    )
    return user if user and user.active else None


def record_audit(
    action: str,
    subject_type: str,
    subject_id: object,
    *,
    actor: User | None = None,
    reason: str | None = None,
    meta: dict | None = None,
) -> AuditRecord:
    """Add an audit record to the current transaction; the calling service commits.

    `meta` must hold ids, counts and codes only, never personal data.
    """
    record = AuditRecord(
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else "system",
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        reason=reason,
        meta=meta or {},
        at=utcnow(),
    )
    db.session.add(record)
    return record


def audit_records(subject: str) -> list[AuditRecord]:
    """The access records of `type:id`, newest first."""
    subject_type, _, subject_id = (subject or "").partition(":")
    if not subject_type or not subject_id:
        raise Malformed("invalid_subject", gettext("Oppgi subject som <type>:<id>."), {"subject": "format"})
    return list(
        db.session.scalars(
            select(AuditRecord)
            .where(AuditRecord.subject_type == subject_type, AuditRecord.subject_id == subject_id)
            .order_by(AuditRecord.id.desc())
        )
    )


def set_user_active(user_id: int, active: bool, actor: User) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(gettext("Ukjent bruker."))
    user.active = active
    # Sessions end on deactivation and again on reactivation: no cookie from before comes back to life.
    end_sessions(user)
    if not active:
        for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
            token.revoked_at = token.revoked_at or utcnow()
    record_audit("user.active" if active else "user.deactivated", "user", user.id, actor=actor)
    db.session.commit()
    current_app.logger.info("user %s active=%s by %s", user.id, active, actor.id)
    return user
