"""The one validation layer: pydantic models for JSON bodies and query strings, answered in the error envelope.

A view declares what it reads with `@use_body(Model)` / `@use_query(Model)` under its permission guard and gets the
parsed model as the keyword argument `body` / `query`. The OpenAPI document reads the same models back from the
view (`BODY_ATTR`, `QUERY_ATTR`), so a field is written once. See docs/VALIDATION.md.
"""

import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Annotated, Any, Literal

from flask import request
from flask_babel import gettext
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from beredskap.errors import ApiError
from beredskap.field_labels import label
from beredskap.routing import MAX_ID
from beredskap.vocabulary import OSLO

BODY_ATTR = "body_model"
QUERY_ATTR = "query_model"
FORM_ATTR = "form_model"
FILE_ATTR = "file_types"
# The one local time zone: an ISO 8601 time without an offset is a time on an Oslo wall clock.


# Where a field error's whole sentence names the field: replaced by the field's label when the answer is made.
LABEL = "%(label)s"


def invalid(detail: str, message: str) -> PydanticCustomError:
    """A field error with our own wording, `detail` goes into `fields`.

    `message` is a whole sentence with LABEL where the field's name goes (`gettext("%(label)s mangler.")`); a
    message without LABEL follows «field» in the answer.
    """
    return PydanticCustomError("nb", message, {"detail": detail})


# --- field types ------------------------------------------------------------------------------------------

Bool = Annotated[bool, Strict()]
Int = Annotated[int, Strict()]
Number = Annotated[float, Strict()]
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Strict(), Field(description="the version read; a stale one answers 409")]


def Text(max_length: int | None = None, *, required: bool = False) -> Any:  # noqa: N802 - used as a type
    """A string, stripped; `required` refuses an empty one."""
    low = 1 if required else None
    return Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=low, max_length=max_length)]


def Choice(*values: Any) -> Any:  # noqa: N802 - used as a type
    """One of `values`, compared exactly (1 is not True, "1" is not 1)."""
    allowed = ", ".join(str(value) for value in values)

    def exact(value: Any) -> Any:
        if value is not None and not any(type(value) is type(v) and value == v for v in values):
            # LABEL stays in the sentence for _one to fill in: the label is known only there.
            raise invalid(
                "ugyldig verdi", gettext("%(label)s må være en av: %(allowed)s.", label=LABEL, allowed=allowed)
            )
        return value

    return Annotated[Literal[values], BeforeValidator(exact)]


def IdList(max_length: int = 500) -> Any:  # noqa: N802 - used as a type
    return Annotated[list[Annotated[int, Strict()]], Field(max_length=max_length)]


_OFFSET_SPACE = re.compile(r" (\d\d(?::?\d\d)?)$")


def parse_moment(value: object) -> datetime | None:
    """ISO 8601 date and time; with an offset, or without one as local time in Oslo. "" (an empty form field)
    is no time."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=OSLO)
    if not isinstance(value, str) or len(value) > 40:
        raise invalid("format", gettext("%(label)s må være dato og klokkeslett (ISO 8601)."))
    # In a query string "+01:00" arrives as " 01:00".
    text = _OFFSET_SPACE.sub(r"+\1", value.strip())
    if len(text) <= 10:
        raise invalid("klokkeslett", gettext("%(label)s trenger også klokkeslett, f.eks. 2027-04-20T12:00."))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise invalid("format", gettext("%(label)s må være en ISO 8601-tid, f.eks. 2027-04-20T12:00+02:00.")) from None
    if not 1900 <= parsed.year <= 2200:
        raise invalid("utenfor", gettext("%(label)s må ligge mellom år 1900 og 2200."))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=OSLO)


def parse_day(value: object) -> date | None:
    """ISO 8601 calendar date, YYYY-MM-DD; "" is no date."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise invalid("format", gettext("%(label)s må være en dato på formen ÅÅÅÅ-MM-DD."))


Moment = Annotated[
    datetime | None,
    BeforeValidator(parse_moment),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "description": "ISO 8601; without offset Oslo time"}  # i18n: API doc
    ),
]
Day = Annotated[date | None, BeforeValidator(parse_day), WithJsonSchema({"type": "string", "format": "date"})]


def Limit(high: int, low: int = 1) -> Any:  # noqa: N802 - used as a type
    """A bounded integer of a query string (`?limit=`, `?since=`): the one int-arg parser."""
    return Annotated[int, Field(ge=low, le=high)]


# --- models -----------------------------------------------------------------------------------------------


_REQUIRED = "x-required"


def _lift_required(schema: dict, model: type) -> None:
    for name, prop in schema.get("properties", {}).items():
        if prop.pop(_REQUIRED, False):
            schema.setdefault("required", []).append(name)


def _admits_none(annotation: Any) -> bool:
    if annotation is Any or annotation is None or annotation is type(None):
        return True
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _admits_none(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_admits_none(arg) for arg in typing.get_args(annotation))
    return False


class Body(BaseModel):
    """A JSON body. Unknown fields are ignored (as the routes always did); `null` for a field with a default
    means that default, for a field without one it means "missing"."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, json_schema_extra=_lift_required)

    @model_validator(mode="before")
    @classmethod
    def _null_means_default(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for name, info in cls.model_fields.items():
            key = info.alias or name
            if key in data and data[key] is None and not _admits_none(info.annotation):
                if info.is_required():
                    del data[key]
                elif info.default is not None or info.default_factory is not None:
                    data[key] = info.get_default(call_default_factory=True)
        return data

    def sent(self) -> dict:
        """Every field the client sent (with any extra ones a `Passed` model keeps), for a service that reads a dict."""
        return self.model_dump(exclude_unset=True, by_alias=True)

    def given(self, *names: str) -> dict:
        """The named fields the client sent (a PATCH changes only those), as a dict."""
        return {name: getattr(self, name) for name in names if name in self.model_fields_set}


class Passed(Body):
    """A body a service validates as a whole (zones, resources): the model documents it, every field goes on."""

    model_config = ConfigDict(extra="allow")


class Query(BaseModel):
    """A query string: values arrive as text and are converted (lax), unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value != ""}
        return data


# --- errors -----------------------------------------------------------------------------------------------


def _allowed(ctx: dict) -> str:
    return re.sub(r"'([^']*)'", r"\1", str(ctx.get("expected", ""))).replace(" or ", ", ")


def _titles(model: type[BaseModel] | None, seen: set | None = None) -> dict:
    """A model's own field labels (`Field(title=...)`) by API name, its nested models' included."""
    titles: dict = {}
    seen = seen if seen is not None else set()
    if model is None or model in seen:
        return titles
    seen.add(model)
    for name, info in model.model_fields.items():
        if info.title:
            titles[info.alias or name] = info.title
        for inner in _models_in(info.annotation):
            titles = {**_titles(inner, seen), **titles}
    return titles


def _models_in(annotation: Any) -> list:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def _one(error: dict, titles: dict | None = None) -> tuple[str, str, str]:
    """(field path, message, short detail) of one pydantic error, in the user's language: the message names the
    field in words (field_labels), the path keeps the API name for the envelope's `fields`."""
    name = ".".join(str(part) for part in error["loc"]) or "body"
    words = label(name, titles)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "nb":
        message = error["msg"]
        message = message.replace(LABEL, words) if LABEL in message else f"{words} {message}"
        return name, message, str(ctx.get("detail", "ugyldig"))
    if name == "version" and kind not in ("greater_than_equal", "less_than_equal"):
        return name, gettext("%(label)s mangler eller er ikke et heltall.", label=words), "påkrevd"
    if kind == "missing" or (error.get("input", 0) is None and kind != "nb"):
        return name, gettext("%(label)s mangler.", label=words), "påkrevd"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return name, gettext("%(label)s må fylles ut.", label=words), "påkrevd"
    if kind == "string_too_long":
        message = gettext("%(label)s kan ha høyst %(n)s tegn.", label=words, n=ctx["max_length"])
        return name, message, "for langt"
    if kind == "too_long":
        message = gettext("%(label)s har for mange elementer (maks %(n)s).", label=words, n=ctx["max_length"])
        return name, message, "for lang"
    if kind in ("literal_error", "enum"):
        message = gettext("%(label)s må være en av: %(allowed)s.", label=words, allowed=_allowed(ctx))
        return name, message, "ugyldig verdi"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return name, gettext("%(label)s er utenfor tillatt område.", label=words), "utenfor"
    if kind == "extra_forbidden":
        return name, gettext("%(label)s er ukjent.", label=words), "ukjent"
    if kind in ("too_short", "string_pattern_mismatch"):
        return name, gettext("%(label)s har ugyldig verdi.", label=words), "ugyldig verdi"
    return name, gettext("%(label)s har feil type.", label=words), "feil type"


def api_error(
    err: ValidationError, status: int = 422, code: str = "invalid", model: type[BaseModel] | None = None
) -> ApiError:
    """The envelope for a failed validation: the first error's message, every field's detail in `fields`."""
    titles = _titles(model)
    found = [_one(error, titles) for error in err.errors(include_url=False)]
    fields: dict[str, str] = {}
    for name, _message, detail in found:
        fields.setdefault(name, detail)
    return ApiError(status, code, found[0][1] if found else gettext("Ugyldige data."), fields)


def parse(model: type[BaseModel], data: Any, status: int = 422, code: str = "invalid") -> Any:
    """`data` validated as `model`, or the 4xx envelope."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise api_error(err, status, code, model) from None


def parse_args(model: type[BaseModel], status: int = 400, code: str = "invalid") -> Any:
    """The request's query string validated as `model` (a bad parameter answers 400, as the routes always did)."""
    return parse(model, request.args.to_dict(flat=True), status, code)


# --- decorators -------------------------------------------------------------------------------------------


def use_body(model: type[Body], *, optional: bool = False) -> Callable:
    """Validate the JSON body (after json_body()'s 415/400/size guards) and pass it as `body`.

    `optional`: a request without a body is read as `{}` (start, finish, delete with ?version=).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            from beredskap.api import json_body

            data = json_body() if not optional or request.content_length or request.get_data() else {}
            return view(*args, body=parse(model, data), **kwargs)

        setattr(wrapped, BODY_ATTR, model)
        wrapped.body_optional = optional
        return wrapped

    return decorator


def use_query(model: type[Query], status: int = 400, code: str = "invalid") -> Callable:
    """Validate the query string and pass it as `query`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            return view(*args, query=parse_args(model, status, code), **kwargs)

        setattr(wrapped, QUERY_ATTR, model)
        return wrapped

    return decorator


def use_form(model: type[Body]) -> Callable:
    """Validate a multipart form (its text fields and its files, by name) and pass it as `form`; a file field is
    a werkzeug `FileStorage`, documented as `{"type": "string", "format": "binary"}`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            data = {**request.form.to_dict(flat=True), **request.files.to_dict(flat=True)}
            return view(*args, form=parse(model, data), **kwargs)

        setattr(wrapped, FORM_ATTR, model)
        return wrapped

    return decorator


def takes_file(*media_types: str) -> Callable:
    """Declare that a view reads its body as a file of one of `media_types` (CSV, YAML), for the document."""

    def decorator(view: Callable) -> Callable:
        setattr(view, FILE_ATTR, media_types)
        return view

    return decorator


def Checked(schema: dict, *, required: bool = False) -> Any:  # noqa: N802 - used as a type
    """A field the service validates itself (with its own messages); `schema` documents it, `required` says so
    in the document while a missing value still reaches the service (as None) for its own message."""
    return Annotated[Any, WithJsonSchema({**schema, _REQUIRED: True} if required else schema)]


POINT_SCHEMA = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    },
}


def _point(value: object) -> Any:
    from beredskap.geo import parse_point

    return parse_point(value)


GeoPoint = Annotated[Any, BeforeValidator(_point), WithJsonSchema({"anyOf": [POINT_SCHEMA, {"type": "null"}]})]
