"""The one way a service fetches a row by its id: the row, or NotFound with the service's own message."""

from typing import TypeVar

from beredskap.domain_errors import NotFound
from beredskap.extensions import db

Row = TypeVar("Row")


def get_or_not_found(model: type[Row], row_id: object, message: str, code: str = "not_found") -> Row:
    """`db.session.get(model, row_id)`, or NotFound(message) when there is no such row."""
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound(message, code=code)
    return row
