"""Login, logout and user administration pages."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from beredskap.api import require_page
from beredskap.auth import services
from beredskap.auth.admin_forms import TOKEN_DAYS
from beredskap.auth.forms import ActiveForm, ConfirmForm, LoginForm, NewUserForm
from beredskap.auth.models import User
from beredskap.auth.permissions import ROLE_TITLES, Perm
from beredskap.errors import REFUSALS
from beredskap.extensions import db, limiter
from beredskap.security import safe_next, start_session

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_user_limit() -> str:
    return current_app.config["LOGIN_USER_RATE_LIMIT"]


def _login_username() -> str:
    # The key is read before the view validates the form: the name as typed, CSRF not yet checked by the form.
    return (LoginForm(meta={"csrf": False}).username.data or "").strip().lower()[:80]


def _login_key_user_client() -> str:
    # One client guessing one account; other accounts from the same address (an office NAT) are not affected.
    return f"{_login_username()}|{get_remote_address()}"


def _login_key_user() -> str:
    # One account guessed from many clients: a short back-off, so the real user is not locked out for long.
    return _login_username()


def _login_failed(response) -> bool:
    """Only wrong passwords count: a user who gets in never spends anyone's attempts."""
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_limit, key_func=_login_key_user_client, methods=["POST"], deduct_when=_login_failed, scope="login-client"
)
@limiter.limit(
    _login_user_limit, key_func=_login_key_user, methods=["POST"], deduct_when=_login_failed, scope="login-user"
)
def login():
    """Log in with username and password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            error = gettext("Feil brukernavn eller passord.")
        else:
            lang = session.get("lang")
            # A fresh session at login defeats session fixation.
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user)
            start_session(user)
            return redirect(safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    """Log out: this and every other session of the user end (a copied cookie stops working too)."""
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
        db.session.commit()
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
        token_days=TOKEN_DAYS,
    )


@bp.post("/admin/users")
@require_page(Perm.USER_ADMIN)
def create_user():
    """Create a user with a generated password, shown once."""
    form = NewUserForm()
    if not form.validate_on_submit():
        flash(gettext("Skjemaet er ufullstendig."), "error")
        return redirect(url_for("auth.users"))
    try:
        user, password = services.create_user(
            form.username.data, form.role.data, None, form.display_name.data, actor=current_user
        )
    except REFUSALS as err:
        flash(err.message, "error")
        return redirect(url_for("auth.users"))
    flash(
        gettext("Bruker «%(user)s» opprettet. Engangspassord: %(password)s", user=user.username, password=password),
        "success",
    )
    return redirect(url_for("auth.users"))


@bp.post("/admin/users/<int:user_id>/active")
@require_page(Perm.USER_ADMIN)
def toggle_active(user_id: int):
    """Deactivate or reactivate a user (revokes tokens on deactivation)."""
    form = ActiveForm()
    if form.validate_on_submit():
        services.set_user_active(user_id, form.active.data == "1", current_user)
        flash(gettext("Brukeren er oppdatert."), "success")
    return redirect(url_for("auth.users"))
