"""The incidents API blueprint: api.py (incidents, log, tasks) and api_board.py (board, cards, sitreps) add to it."""

from beredskap.api import api_blueprint

bp = api_blueprint("incidents_api", "beredskap.incidents.api")
