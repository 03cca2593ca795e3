"""Imports every model module so the metadata is complete (for create_all and Alembic)."""

import importlib

MODEL_MODULES = [
    "beredskap.auth.models",
    "beredskap.realtime.models",
    "beredskap.incidents.models",
    "beredskap.cooperation.models",
    "beredskap.cooperation.evaluation_models",
    "beredskap.cooperation.treffpunkt_models",
    "beredskap.roster.models",
    "beredskap.maps.models",
    "beredskap.eps.models",
    "beredskap.consent.models",
    "beredskap.exercises.models",
    "beredskap.idempotency",
]

for _name in MODEL_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as err:
        # A domain not built yet has no models module; any other missing import is a real error.
        if err.name != _name:
            raise
