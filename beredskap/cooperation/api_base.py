"""The cooperation API's blueprint; the route modules add their routes to it and read their requests through
the models of `cooperation.schemas` (docs/VALIDATION.md)."""

from beredskap.api import api_blueprint

bp = api_blueprint("cooperation_api", __name__)
