"""URL converters: integer ids stay inside the 32-bit range every database column accepts."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
