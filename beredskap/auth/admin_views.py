"""User administration in the browser — role, password reset, API tokens — and «Mitt passord» for everyone.

A generated password or token is shown once, in the answer to the request that made it, and never stored in
clear. Every change is audited; role and password changes end the user's other sessions and sockets."""

import secrets

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_user

from beredskap.api import require_page
from beredskap.auth import services
from beredskap.auth.admin_forms import PasswordChangeForm, RoleForm, TokenForm
from beredskap.auth.forms import ConfirmForm
from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.errors import REFUSALS, ApiError
from beredskap.extensions import db
from beredskap.security import start_session

bp = Blueprint("admin", __name__)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", gettext("Ukjent bruker."))
    return user


def _back():
    return redirect(url_for("auth.users"))


@bp.post("/admin/users/<int:user_id>/role")
@require_page(Perm.USER_ADMIN)
def change_role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        flash(gettext("Velg en gyldig rolle."), "error")
        return _back()
    user = services.set_role(user_id, form.role.data, current_user)
    flash(
        gettext(
            "«%(user)s» har nå rollen %(role)s. Påloggingene deres er avsluttet.",
            user=user.username,
            role=form.role.data,
        ),
        "success",
    )
    return _back()


@bp.post("/admin/users/<int:user_id>/password")
@require_page(Perm.USER_ADMIN)
def reset_password(user_id: int):
    """A new one-time password, shown once; the user's sessions end."""
    if not ConfirmForm().validate_on_submit():
        flash(gettext("Skjemaet er utløpt. Prøv igjen."), "error")
        return _back()
    user = _user(user_id)
    password = secrets.token_urlsafe(12)
    services.record_audit("user.password_reset", "user", user.id, actor=current_user)
    services.set_password(user, password)
    flash(
        gettext(
            "Nytt engangspassord for «%(user)s» (vises bare nå): %(password)s", user=user.username, password=password
        ),
        "secret",
    )
    return _back()


@bp.post("/admin/users/<int:user_id>/tokens")
@require_page(Perm.USER_ADMIN)
def issue_token(user_id: int):
    """A new API token, shown once."""
    form = TokenForm()
    if not form.validate_on_submit():
        flash(gettext("Velg hvor lenge nøkkelen skal gjelde."), "error")
        return _back()
    user = _user(user_id)
    days = int(form.days.data)
    token = services.issue_token(user, days)
    services.record_audit("token.issued", "user", user.id, actor=current_user, meta={"days": days})
    db.session.commit()
    flash(gettext("Ny API-nøkkel for «%(user)s» (vises bare nå): %(token)s", user=user.username, token=token), "secret")
    return _back()


@bp.post("/admin/users/<int:user_id>/tokens/revoke")
@require_page(Perm.USER_ADMIN)
def revoke_tokens(user_id: int):
    if not ConfirmForm().validate_on_submit():
        flash(gettext("Skjemaet er utløpt. Prøv igjen."), "error")
        return _back()
    user = _user(user_id)
    services.record_audit("token.revoked", "user", user.id, actor=current_user)
    count = services.revoke_tokens(user)
    flash(gettext("%(n)s API-nøkler for «%(user)s» er trukket tilbake.", n=count, user=user.username), "success")
    return _back()


@bp.route("/account/password", methods=["GET", "POST"])
@require_page(Perm.INCIDENT_READ)
def change_own_password():
    """Change one's own password, with the same strength check as everywhere; other sessions end."""
    form = PasswordChangeForm()
    errors: list[str] = []
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        if not services.verify_password(user, form.current.data):
            errors.append(gettext("Nåværende passord er feil."))
        else:
            try:
                services.record_audit("user.password_changed", "user", user.id, actor=user)
                services.set_password(user, form.new.data)
            except REFUSALS as err:
                db.session.rollback()
                errors.append(err.message)
            else:
                # This browser stays logged in on the new session generation; every other session has ended.
                login_user(user)
                start_session(user)
                flash(gettext("Passordet er endret. Andre pålogginger er avsluttet."), "success")
                return redirect(url_for("admin.change_own_password"))
    else:
        errors = [str(message) for messages in form.errors.values() for message in messages]
    status = 422 if errors and form.is_submitted() else 200
    return render_template(
        "auth/password.html", form=form, errors=errors, min_length=services.MIN_PASSWORD_LENGTH
    ), status
