"""JSON API of the cooperation (CONTRACT §8), one route module per subject on one blueprint.

The blueprint and shared parsing are in `api_base`; importing this module registers every route.
"""

from beredskap.cooperation import (  # noqa: F401 - each module adds its routes to `bp`
    api_council,
    api_documents,
    api_knowledge,
    api_meetings,
    api_overview,
)
from beredskap.cooperation.api_base import bp

__all__ = ["bp"]
