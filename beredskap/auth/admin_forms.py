"""Forms of the user administration and of «Mitt passord» (Flask-WTF: CSRF and field checks)."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from beredskap.auth.permissions import ROLE_TITLES

TOKEN_DAYS = [("30", "30 dager"), ("90", "90 dager"), ("365", "1 år"), ("0", "Utløper aldri")]


class RoleForm(FlaskForm):
    role = SelectField("Rolle", choices=[(r.value, t) for r, t in ROLE_TITLES.items()])


class TokenForm(FlaskForm):
    days = SelectField("Gyldig", choices=TOKEN_DAYS, default="90")


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Nåværende passord", validators=[DataRequired("Skriv nåværende passord."), Length(max=200)])
    new = PasswordField("Nytt passord", validators=[DataRequired("Skriv et nytt passord."), Length(max=200)])
    repeat = PasswordField(
        "Gjenta nytt passord",
        validators=[DataRequired("Gjenta det nye passordet."), EqualTo("new", "De to nye passordene er ikke like.")],
    )
