"""JSON API for the current user, users and the audit log."""

from flask import jsonify, request
from flask_login import current_user
from sqlalchemy import select

from beredskap.api import api_blueprint, field, json_body, require
from beredskap.auth import services
from beredskap.auth.models import User
from beredskap.auth.permissions import PERMISSIONS, Perm, Role
from beredskap.extensions import db

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
def create_user():
    """Create a user; the generated password is returned once."""
    data = json_body()
    user, password = services.create_user(
        field(data, "username", str, required=True, max_length=80),
        field(data, "role", str, required=True, choices=[r.value for r in Role]),
        None,
        field(data, "display_name", str, default="", max_length=200),
        actor=current_user,
    )
    return jsonify({**user.to_dict(), "password": password}), 201


@bp.get("/audit")
@require(Perm.AUDIT_READ)
def audit():
    """Access records of one subject, `?subject=<type>:<id>`."""
    records = services.audit_records(request.args.get("subject", ""))
    return jsonify({"records": [r.to_dict() for r in records]})


@bp.patch("/users/<int:user_id>")
@require(Perm.USER_ADMIN)
def update_user(user_id: int):
    """Change a user's role and/or deactivate or reactivate: `{"role"?, "active"?}`; their sessions end."""
    data = json_body()
    role = field(data, "role", str, choices=[r.value for r in Role])
    active = field(data, "active", bool)
    if role is not None:
        services.set_role(user_id, role, current_user)
    if active is not None:
        services.set_user_active(user_id, active, current_user)
    user = db.session.get(User, user_id)
    if user is None:
        from beredskap.errors import ApiError

        raise ApiError(404, "not_found", "Ukjent bruker.")
    return jsonify(user.to_dict())


@bp.post("/users/<int:user_id>/tokens")
@require(Perm.USER_ADMIN)
def issue_user_token(user_id: int):
    """Issue an API token for a user: `{"days"?}` (API_TOKEN_DAYS by default, 0 = never expires); shown once."""
    from beredskap.errors import ApiError

    data = json_body()
    days = field(data, "days", int)
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", "Ukjent bruker.")
    token = services.issue_token(user, days)
    services.record_audit("token.issued", "user", user.id, actor=current_user, meta={"days": days})
    db.session.commit()
    expires = services.latest_token_expiry(user)
    return jsonify({"token": token, "expires_at": expires.isoformat() if expires else None}), 201
