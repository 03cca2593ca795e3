"""JSON API for the current user, users and the audit log."""

from flask import jsonify
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from beredskap.api import api_blueprint, require
from beredskap.auth import services
from beredskap.auth.models import User
from beredskap.auth.permissions import PERMISSIONS, Perm, Role
from beredskap.auth.schemas import AuditQuery, TokenIn, UserIn, UserPatch
from beredskap.extensions import db
from beredskap.validation import use_body, use_query

bp = api_blueprint("auth_api", __name__)


@bp.get("/me")
@require(Perm.INCIDENT_READ)
def me():
    """Who am I and what may I do."""
    perms = sorted(p.value for p in PERMISSIONS[Role(current_user.role)])
    return jsonify({**current_user.to_dict(), "permissions": perms})


@bp.get("/users")
@require(Perm.USER_ADMIN)
def list_users():
    """All users (admin)."""
    users = db.session.scalars(select(User).order_by(User.username))
    return jsonify({"users": [u.to_dict() for u in users]})


@bp.post("/users")
@require(Perm.USER_ADMIN)
@use_body(UserIn)
def create_user(body: UserIn):
    """Create a user; the generated password is returned once."""
    user, password = services.create_user(body.username, body.role.value, None, body.display_name, actor=current_user)
    return jsonify({**user.to_dict(), "password": password}), 201


@bp.get("/audit")
@require(Perm.AUDIT_READ)
@use_query(AuditQuery)
def audit(query: AuditQuery):
    """Access records of one subject, `?subject=<type>:<id>`."""
    records = services.audit_records(query.subject)
    return jsonify({"records": [r.to_dict() for r in records]})


@bp.patch("/users/<int:user_id>")
@require(Perm.USER_ADMIN)
@use_body(UserPatch)
def update_user(user_id: int, body: UserPatch):
    """Change a user's role and/or deactivate or reactivate: `{"role"?, "active"?}`; their sessions end."""
    if body.role is not None:
        services.set_role(user_id, body.role.value, current_user)
    if body.active is not None:
        services.set_user_active(user_id, body.active, current_user)
    user = db.session.get(User, user_id)
    if user is None:
        from beredskap.errors import ApiError

        raise ApiError(404, "not_found", gettext("Ukjent bruker."))
    return jsonify(user.to_dict())


@bp.post("/users/<int:user_id>/tokens")
@require(Perm.USER_ADMIN)
@use_body(TokenIn)
def issue_user_token(user_id: int, body: TokenIn):
    """Issue an API token for a user: `{"days"?}` (API_TOKEN_DAYS by default, 0 = never expires); shown once."""
    from beredskap.errors import ApiError

    days = body.days
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", gettext("Ukjent bruker."))
    token = services.issue_token(user, days)
    services.record_audit("token.issued", "user", user.id, actor=current_user, meta={"days": days})
    db.session.commit()
    expires = services.latest_token_expiry(user)
    return jsonify({"token": token, "expires_at": expires.isoformat() if expires else None}), 201
