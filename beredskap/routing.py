"""URL converters and numeric parameters: ASCII digits only, ids inside the 32-bit range every column accepts."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def is_digits(value: object) -> bool:
    """True for a non-empty string of ASCII digits 0–9 only.

    str.isdigit() is also true for «²», «٢» and «２», which int() then refuses or reads as another number.
    """
    return isinstance(value, str) and value.isascii() and value.isdigit()


class BoundedIntConverter(IntegerConverter):
    # werkzeug's \d also matches other scripts' digits; an id in the URL is ASCII.
    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
