"""Login, logout and user administration pages."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from beredskap.api import require_page
from beredskap.auth import services
from beredskap.auth.forms import ConfirmForm, LoginForm, NewUserForm
from beredskap.auth.models import User
from beredskap.auth.permissions import ROLE_TITLES, Perm
from beredskap.errors import ApiError
from beredskap.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with username and password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            error = "Feil brukernavn eller passord."
        else:
            lang = session.get("lang")
            # A fresh session at login defeats session fixation.
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    """Log out and clear the session."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.get("/admin/users")
@require_page(Perm.USER_ADMIN)
def users():
    """User administration."""
    all_users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template(
        "admin/users.html",
        users=all_users,
        form=NewUserForm(),
        confirm=ConfirmForm(),
        role_titles={r.value: t for r, t in ROLE_TITLES.items()},
    )


@bp.post("/admin/users")
@require_page(Perm.USER_ADMIN)
def create_user():
    """Create a user with a generated password, shown once."""
    form = NewUserForm()
    if not form.validate_on_submit():
        flash("Skjemaet er ufullstendig.", "error")
        return redirect(url_for("auth.users"))
    try:
        user, password = services.create_user(
            form.username.data, form.role.data, None, form.display_name.data, actor=current_user
        )
    except ApiError as err:
        flash(err.message, "error")
        return redirect(url_for("auth.users"))
    flash(f"Bruker «{user.username}» opprettet. Engangspassord: {password}", "success")
    return redirect(url_for("auth.users"))


@bp.post("/admin/users/<int:user_id>/active")
@require_page(Perm.USER_ADMIN)
def toggle_active(user_id: int):
    """Deactivate or reactivate a user (revokes tokens on deactivation)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        services.set_user_active(user_id, active, current_user)
        flash("Brukeren er oppdatert.", "success")
    return redirect(url_for("auth.users"))
