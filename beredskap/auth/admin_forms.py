"""Forms of the user administration and of «Mitt passord» (Flask-WTF: CSRF and field checks)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from beredskap.auth.permissions import ROLE_TITLES

TOKEN_DAYS = [("30", _l("30 dager")), ("90", _l("90 dager")), ("365", _l("1 år")), ("0", _l("Utløper aldri"))]


class RoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=[(r.value, t) for r, t in ROLE_TITLES.items()])


class TokenForm(FlaskForm):
    days = SelectField(_l("Gyldig"), choices=TOKEN_DAYS, default="90")


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Nåværende passord"), validators=[DataRequired(_l("Skriv nåværende passord.")), Length(max=200)]
    )
    new = PasswordField(_l("Nytt passord"), validators=[DataRequired(_l("Skriv et nytt passord.")), Length(max=200)])
    repeat = PasswordField(
        _l("Gjenta nytt passord"),
        validators=[
            DataRequired(_l("Gjenta det nye passordet.")),
            EqualTo("new", _l("De to nye passordene er ikke like.")),
        ],
    )
