"""The exercises API blueprint and the helpers its route modules share."""

from flask_login import current_user

from beredskap.api import api_blueprint

bp = api_blueprint("exercises_api", __name__)


def _user():
    return current_user._get_current_object()
