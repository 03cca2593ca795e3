"""The exercises API blueprint and the helpers its route modules share."""

from typing import Any

from flask import url_for
from flask_login import current_user

from beredskap.api import api_blueprint
from beredskap.exercises import board

bp = api_blueprint("exercises_api", __name__)


def _user():
    return current_user._get_current_object()


def with_page_links(panel: dict | None) -> dict | None:
    """The board's exercise panel with its pages as URLs: the service names the pages, the web layer links them."""
    if panel is not None:
        pages = panel.pop("pages", {})
        panel["links"] = {name: url_for(page[0], **page[1]) if page else None for name, page in pages.items()}
    return panel


def board_panel(incident_id: int, user: Any) -> dict | None:
    """`exercises.board.board_panel` for the board page and its API, with the links to the control room and player."""
    return with_page_links(board.board_panel(incident_id, user))
