"""The map pages' forms: a resource of the register, the delområde → bydel grouping and the GIS import
(Flask-WTF; see beredskap/forms.py)."""

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import Field

from beredskap.forms import PageForm, RawText, Text, Whole, words

RESOURCE_TEXTS = ("name", "kind", "contact", "address", "notes")


class ResourceForm(PageForm):
    """A resource typed by hand; the service checks names, kinds and lengths with its own messages."""

    version = Text(words("version"))
    name = Text(words("name"))
    kind = Text(words("kind"))
    capacity = Whole(words("capacity"), negative=True)
    eps_suitable = Text(words("eps_suitable"))
    contact = Text(words("contact"))
    address = Text(words("address"))
    notes = Text(words("notes"))
    lon = Text(words("lon"))
    lat = Text(words("lat"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        try:
            self.point()
        except ValueError:
            message = gettext("Oppgi plasseringen som lengdegrad og breddegrad i desimalgrader.")
            self.lon.errors = [*self.lon.errors, message]
            return False
        return valid

    def point(self) -> dict:
        """The GeoJSON point typed (a comma for the decimal point is fine); ValueError when either is no number."""
        lon, lat = float(self.lon.data.replace(",", ".")), float(self.lat.data.replace(",", "."))
        return {"type": "Point", "coordinates": [lon, lat]}

    def values(self) -> dict[str, Any]:
        """What the user typed, to show the form again."""
        values: dict[str, Any] = {
            key: self[key].raw_data[0].strip() if self[key].raw_data else "" for key in self._fields
        }
        values["eps_suitable"] = self.eps_suitable.data == "1"
        return values

    def resource_data(self) -> dict[str, Any]:
        """The form in the API's types (after `validate`)."""
        data: dict[str, Any] = {key: self[key].data for key in RESOURCE_TEXTS}
        data["eps_suitable"] = self.eps_suitable.data == "1"
        data["capacity"] = self.capacity.data
        data["location"] = self.point()
        return data

    def version_read(self) -> int:
        text = self.version.data
        return int(text) if text.isdecimal() and text.isascii() and len(text) <= 9 else -1


class Texts(Field):
    """Repeated inputs of the same name, as typed."""

    def process_formdata(self, valuelist: list) -> None:
        self.data = list(valuelist)


class DistrictNumbersForm(PageForm):
    """The delområder listed on the grouping form."""

    number = Texts(words("number"))


def districts_form(numbers: list[str]) -> PageForm:
    """The grouping form for these delområder: for each, its name and bydel as submitted and as rendered, and the
    version the row was rendered with."""
    fields: dict[str, Any] = {}
    for number in numbers:
        for key in ("name", "bydel"):
            fields[f"{key}-{number}"] = RawText(words(key))
            fields[f"orig-{key}-{number}"] = RawText(words(key))
        fields[f"version-{number}"] = RawText(words("version"))
    return type("DistrictsForm", (PageForm,), fields)()


class ImportUploadForm(PageForm):
    """The GIS file to preview; its type, size and content are checked by the importer with its own messages."""

    file = FileField(words("file"), [FileRequired(_l("Velg en fil å laste opp."))])


class ImportConfirmForm(PageForm):
    """The previewed upload's token, the target layer (an imported layer's name, or a new one named here) and
    a title."""

    token = Text(words("token"))
    target = Text(words("target"))
    name = Text(words("name"))
    title = Text(words("title"))

    def layer(self, new_layer: str) -> tuple[str, str]:
        """(target, layer name): the target is `new_layer` when the form names none."""
        target = self.target.data if self.given("target") else new_layer
        return target, self.name.data if target == new_layer else target
