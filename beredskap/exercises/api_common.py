"""The exercises API blueprint and the helpers its route modules share."""

from datetime import datetime

from flask_login import current_user

from beredskap.api import api_blueprint
from beredskap.errors import ApiError

bp = api_blueprint("exercises_api", __name__)


def _user():
    return current_user._get_current_object()


def _parse_iso_datetime(value: str | None, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise ApiError(422, "invalid", f"«{name}» må være en ISO 8601-tid med tidssone.", {name: "format"}) from None
    if parsed.tzinfo is None:
        raise ApiError(422, "invalid", f"«{name}» må ha tidssone (f.eks. +01:00).", {name: "tidssone"})
    return parsed
