"""What every HTML form of the pages shares: the base form, the fields the pages need, and the errors by field.

Pages read their forms through Flask-WTF forms (each package's `forms.py`), never `request.form` by hand
(tests/test_forms.py fails if a view does). A bad value gives a Norwegian message that names the field in words
(field_labels) and is shown next to that field; nothing is changed.

CSRF: every cookie-authenticated POST, PATCH or DELETE — forms and the pages' JS API calls alike — is checked
once, before any view runs, by `security.protect_cookie_requests` (the `csrf_token` field of a form, or the
`X-CSRFToken` header the JS sends). These forms therefore do not check the token a second time; the public
answer link (/ack/<token>) is exempt there, its token being the credential.
"""

from typing import Any

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import StopValidation

from beredskap.errors import ApiError
from beredskap.field_labels import label

MAX_DIGITS = 9


class PageForm(FlaskForm):
    """A page form; the CSRF token was already checked for the request (see the module docstring)."""

    class Meta:
        csrf = False

    def field_errors(self) -> dict[str, str]:
        """The first message of each failing field, by the field's name in the HTML form."""
        return {self[name].name: str(messages[0]) for name, messages in self.errors.items() if messages}

    def first_error(self) -> str:
        errors = self.field_errors()
        return next(iter(errors.values()), gettext("Skjemaet har feil."))

    def given(self, name: str) -> bool:
        """Whether the browser sent the field at all (an unticked checkbox or a missing input is not sent)."""
        return bool(self[name].raw_data)

    def submitted(self) -> dict[str, Any]:
        """The values as typed (only the fields sent), to show the form again with what the user wrote."""
        values: dict[str, Any] = {}
        for field in self:
            raw = field.raw_data or []
            if raw:
                values[field.name] = raw[0] if len(raw) == 1 else list(raw)
        return values


class Given:
    """A field that must be filled in; blanks do not count (the value is checked after stripping)."""

    def __init__(self, message: Any):
        self.message = message

    def __call__(self, form: PageForm, field: Field) -> None:
        if field.data is None or field.data == "":
            raise StopValidation(str(self.message))


def words(name: str) -> str:
    return label(name)


class Text(StringField):
    """A text box; the value stripped, "" when not sent."""

    def process_formdata(self, valuelist: list) -> None:
        self.data = (valuelist[0] if valuelist else "").strip()

    def _value(self) -> str:
        return self.data or ""


class RawText(StringField):
    """A text box kept as typed (a sitrep section keeps its line breaks and spaces); "" when not sent."""

    def process_formdata(self, valuelist: list) -> None:
        self.data = valuelist[0] if valuelist else ""


class Whole(StringField):
    """A whole number typed in a text box: "" is `default`; anything but digits is refused with a message in words.

    `negative` lets a minus sign through (a severity typed as -1 then meets the service's own range check).
    """

    def __init__(self, label: Any = None, validators: Any = None, *, negative: bool = False, **kwargs: Any):
        super().__init__(label, validators, **kwargs)
        self.negative = negative

    def process_formdata(self, valuelist: list) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = self.default
        if not text:
            return
        digits = text.removeprefix("-") if self.negative else text
        if not digits.isdecimal() or not digits.isascii() or len(digits) > MAX_DIGITS:
            raise ValueError(gettext("%(label)s må være et heltall.", label=words(self.name)))
        self.data = int(text)

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class Ids(Field):
    """Repeated inputs of the same name (checkboxes, ordered selects) as a list of ids; blanks and non-ids are
    skipped, as a select left at «ingen» sends ""."""

    def process_formdata(self, valuelist: list) -> None:
        self.data = [int(value) for value in valuelist if value.isdecimal() and len(value) <= MAX_DIGITS]

    def _value(self) -> str:
        return ""


class Decimal(StringField):
    """A decimal number typed with a point or a Norwegian comma; "" is None."""

    def process_formdata(self, valuelist: list) -> None:
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        self.raw = text
        self.data = None
        if text:
            try:
                self.data = float(text)
            except ValueError:
                raise ValueError(gettext("%(label)s må være et desimaltall.", label=words(self.name))) from None


def refusal(form: PageForm, code: str = "invalid") -> ApiError:
    """A form that does not parse, as the 422 a service would raise: the first message, and each field's own
    message kept for the page (`errors_of`)."""
    messages = form.field_errors()
    err = ApiError(422, code, form.first_error(), {name: "ugyldig" for name in messages})
    err.messages = messages
    return err


def errors_of(err: Any) -> dict[str, str]:
    """A refusal (ApiError or DomainError with `fields`) as a message next to each field it names."""
    own = getattr(err, "messages", None)
    if own:
        return dict(own)
    return {name: err.message for name in (getattr(err, "fields", None) or {})}
