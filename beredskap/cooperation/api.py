"""JSON API of the cooperation (CONTRACT §8), one route module per subject on one blueprint.

The blueprint and shared parsing are in `api_base`; importing this module registers every route.
"""

from beredskap.cooperation import api_documents, api_knowledge, api_meetings, api_overview  # noqa: F401
from beredskap.cooperation.api_base import bp

__all__ = ["bp"]
