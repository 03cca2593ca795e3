"""The incident pages' forms (Flask-WTF; see beredskap/forms.py)."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from beredskap.forms import Given, PageForm, RawText, Text, Whole, words
from beredskap.vocabulary import SITREP_SECTIONS


class OpenIncidentForm(PageForm):
    """Open an incident or exercise board; kind, type and severity are checked by the service."""

    title = Text(
        words("title"),
        [
            Given(_l("Hendelsen må ha en tittel.")),
            Length(max=200, message=_l("Tittelen er for lang (maks 200 tegn).")),
        ],
    )
    kind = Text(words("kind"))
    type = Text(words("type"))
    description = Text(
        words("description"), [Length(max=4000, message=_l("Beskrivelsen er for lang (maks 4000 tegn)."))]
    )
    severity = Whole(words("severity"), default=2, negative=True)
    lat = Text(words("lat"))
    lon = Text(words("lon"))
    adopt_action_cards = Text(words("adopt_action_cards"))

    def coordinates(self) -> list[float] | None:
        """[lon, lat] as typed (a comma for the decimal point is fine), None when both are empty; ValueError when
        either does not parse."""
        lat, lon = self.lat.data.replace(",", "."), self.lon.data.replace(",", ".")
        if not lat and not lon:
            return None
        return [float(lon), float(lat)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        try:
            self.coordinates()
        except ValueError:
            message = gettext("Skriv breddegrad og lengdegrad som desimaltall, f.eks. 58.146 og 7.995.")
            self.lat.errors = [*self.lat.errors, message]
            return False
        return valid


class VersionForm(PageForm):
    """A button that changes a versioned thing (approve, issue): the version the page showed."""

    version = Whole(words("version"), default=0)


def _sitrep_form() -> type[PageForm]:
    fields = {key: RawText(title) for key, title in SITREP_SECTIONS}
    return type("SitrepForm", (VersionForm,), fields)


SitrepForm = _sitrep_form()


class ActionCardForm(VersionForm):
    """A card of the action-card library; the service checks every value with its own messages."""

    action = Text()
    type = Text(words("type"))
    title = Text(words("title"))
    description = Text(words("description"))
    assignee = Text(words("assignee"))
    due_minutes = Whole(words("due_minutes"), negative=True)
    position = Whole(words("position"), negative=True)
    alert_team = Text(words("alert_team"))

    def values(self) -> dict:
        values = {
            "type": self.type.data,
            "title": self.title.data,
            "description": self.description.data,
            "assignee": self.assignee.data,
            "due_minutes": self.due_minutes.data,
        }
        if self.position.data is not None:
            values["position"] = self.position.data
        if self.given("alert_team"):
            values["alert_team"] = self.alert_team.data or None
        return values
