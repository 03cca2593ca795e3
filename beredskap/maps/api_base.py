"""The maps API's blueprint, below the route modules that share it (`api`, `api_zones`)."""

from beredskap.api import api_blueprint

bp = api_blueprint("maps_api", __name__)
