"""The list of blueprints, one pages module and one API module per domain."""

import importlib

from flask import Blueprint

BLUEPRINT_MODULES = [
    "beredskap.main.views",
    "beredskap.main.outgoing",
    "beredskap.main.audit",
    "beredskap.auth.views",
    "beredskap.auth.admin_views",
    "beredskap.auth.api",
    "beredskap.realtime.api",
    "beredskap.incidents.api",
    "beredskap.incidents.views",
    "beredskap.roster.api",
    "beredskap.roster.views",
    "beredskap.maps.api",
    "beredskap.maps.views",
    "beredskap.eps.api",
    "beredskap.eps.views",
    "beredskap.exercises.api",
    "beredskap.exercises.views",
    "beredskap.cooperation.api",
    "beredskap.cooperation.views",
    "beredskap.offline.views",
]


def all_blueprints() -> list[Blueprint]:
    blueprints = []
    for name in BLUEPRINT_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        blueprints.append(module.bp)
    return blueprints
