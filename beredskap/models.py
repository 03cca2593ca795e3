"""Every model module, imported directly, so the metadata is complete (for create_all and Alembic)."""

from beredskap import idempotency  # noqa: F401
from beredskap.auth import models as auth_models  # noqa: F401
from beredskap.consent import models as consent_models  # noqa: F401
from beredskap.cooperation import (
    evaluation_models,  # noqa: F401
    treffpunkt_models,  # noqa: F401
)
from beredskap.cooperation import models as cooperation_models  # noqa: F401
from beredskap.eps import models as eps_models  # noqa: F401
from beredskap.exercises import models as exercises_models  # noqa: F401
from beredskap.incidents import models as incidents_models  # noqa: F401
from beredskap.maps import models as maps_models  # noqa: F401
from beredskap.realtime import models as realtime_models  # noqa: F401
from beredskap.roster import models as roster_models  # noqa: F401
