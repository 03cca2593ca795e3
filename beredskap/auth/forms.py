"""Login and user administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from beredskap.auth.permissions import ROLE_TITLES


class LoginForm(FlaskForm):
    username = StringField(_l("Brukernavn"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Passord"), validators=[DataRequired(), Length(max=200)])


class NewUserForm(FlaskForm):
    username = StringField(_l("Brukernavn"), validators=[DataRequired(), Length(max=80)])
    display_name = StringField(_l("Navn"), validators=[Length(max=200)])
    role = SelectField(_l("Rolle"), choices=[(r.value, t) for r, t in ROLE_TITLES.items()])


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


class ActiveForm(ConfirmForm):
    """Deactivate ("0") or reactivate ("1") a user; any other value is refused and changes nothing."""

    active = SelectField(_l("Aktiv"), choices=[("1", _l("Aktiver")), ("0", _l("Deaktiver"))])
