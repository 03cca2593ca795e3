"""The roster pages' forms and the public answer link's form (Flask-WTF; see beredskap/forms.py)."""

from datetime import datetime
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.utils import unset_value
from wtforms.validators import Regexp

from beredskap.errors import ApiError
from beredskap.forms import Ids, PageForm, Text, words
from beredskap.roster.people import DEPUTY, HOLDER
from beredskap.vocabulary import OSLO


class LocalTime(StringField):
    """A datetime-local input, read as Oslo time; a year outside 2000–2100 is refused."""

    def process_formdata(self, valuelist: list) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(gettext("%(label)s er ikke et gyldig tidspunkt.", label=words(self.name))) from None
        if not 2000 <= parsed.year <= 2100:
            raise ValueError(gettext("Tidspunktet må ligge mellom år 2000 og 2100."))
        self.data = parsed.replace(tzinfo=OSLO) if parsed.tzinfo is None else parsed


class BackToWeekForm(PageForm):
    """The week the rota page showed, to go back to it."""

    from_ = Text(words("from"), name="from")

    def week(self) -> dict:
        return {"from": self.from_.data} if self.from_.data else {}


class ShiftForm(BackToWeekForm):
    person_id = Text(words("person_id"), [Regexp(r"^\d{1,9}$", message=_l("Velg en person."))])
    team = Text(words("team"))
    starts_at = LocalTime(words("starts_at"))
    ends_at = LocalTime(words("ends_at"))
    note = Text(words("note"))


class PersonForm(PageForm):
    name = Text(words("name"))
    phone = Text(words("phone"))
    email = Text(words("email"))


class Keys(Field):
    """Repeated inputs of the same name (checkboxes) as a list of keys; blanks are skipped."""

    def process_formdata(self, valuelist: list) -> None:
        self.data = [value for value in valuelist if value]


class Roles(Field):
    """One select per function, named `<name>-<id>`: holder | deputy | "" (none), as {id: role} of the functions
    the person holds or deputises (a field of many inputs, so it reads them itself)."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.raw_data = []
        self.data = {}
        prefix = f"{self.name}-"
        for key in formdata or ():
            number, value = key.removeprefix(prefix), formdata.get(key)
            if key.startswith(prefix) and number.isdecimal() and value in (HOLDER, DEPUTY):
                self.data[int(number)] = value


class VersionedForm(PageForm):
    """A form of one person, with the version the page showed."""

    version = Text(words("version"))

    def version_number(self) -> int:
        """The version sent; a 422 the page shows when it is missing."""
        if not self.version.data.isdecimal():
            raise ApiError(422, "invalid", gettext("Skjemaet mangler versjon. Last siden på nytt."))
        return int(self.version.data)


class PersonEditForm(PersonForm, VersionedForm):
    """Contact details, the person's role in each function, and the groups the person is in."""

    position = Roles(words("positions"))
    group = Keys(words("group"))

    def changes(self) -> dict:
        return {
            "name": self.name.data,
            "phone": self.phone.data,
            "email": self.email.data,
            "positions": self.position.data,
            "groups": self.group.data,
        }


class PersonActiveForm(VersionedForm):
    """Deactivate (0) or reactivate (1) a person."""

    active = Text(words("active"))


class PositionForm(PageForm):
    team = Text(words("team"))
    title = Text(words("title"))


class PositionEditForm(PageForm):
    """Title, holder and ordered deputies; the version the page showed."""

    version = Text(
        words("version"), [Regexp(r"^\d{1,9}$", message=_l("Skjemaet mangler versjon. Last siden på nytt."))]
    )
    title = Text(words("title"))
    holder_id = Text(words("holder_id"))
    deputy = Ids(words("deputy_ids"))

    def changes(self) -> dict:
        holder = self.holder_id.data
        return {
            "title": self.title.data,
            "holder_id": int(holder) if holder.isdecimal() and len(holder) <= 9 else None,
            "deputy_ids": list(dict.fromkeys(self.deputy.data or [])),
        }


class GroupForm(PageForm):
    title = Text(words("title"))
    position_id = Ids(words("position_ids"))


class AnswerForm(PageForm):
    """The answer link's buttons: «kommer» (with when) or «kan ikke», or «på plass» at the crisis room."""

    answer = Text()
    action = Text()
    eta = Text(words("eta"))
