"""The composition root: every domain's hooks, imported directly, in one place.

A domain offers some of: blueprints (pages and API), models, a demo seed, a scheduled job, a start-page panel,
realtime channels, and contributions to another domain's hooks. `register_domains(app)` wires them all; nothing
is discovered by name, so a renamed function fails at import time, not silently at run time.
The dependency order of the packages is in docs/ARCHITECTURE.md and checked by import-linter (pyproject.toml).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Flask

import beredskap.models  # noqa: F401 - every table on the metadata (create_all and Alembic)
from beredskap.auth import admin_views as auth_admin_views
from beredskap.auth import api as auth_api
from beredskap.auth import views as auth_views
from beredskap.auth.permissions import Perm
from beredskap.cooperation import api as cooperation_api
from beredskap.cooperation import api_evaluation as cooperation_api_evaluation
from beredskap.cooperation import api_treffpunkt as cooperation_api_treffpunkt
from beredskap.cooperation import hooks as cooperation_hooks
from beredskap.cooperation import views as cooperation_views
from beredskap.cooperation import views_evaluation as cooperation_views_evaluation
from beredskap.cooperation import views_treffpunkt as cooperation_views_treffpunkt
from beredskap.eps import api as eps_api
from beredskap.eps import api_desk as eps_api_desk
from beredskap.eps import api_sharing as eps_api_sharing
from beredskap.eps import services as eps_services
from beredskap.eps import venues as eps_venues
from beredskap.eps import views as eps_views
from beredskap.exercises import api as exercises_api
from beredskap.exercises import api_common as exercises_api_common
from beredskap.exercises import delivery as exercises_delivery
from beredskap.exercises import library as exercises_library
from beredskap.exercises import views as exercises_views
from beredskap.incidents import api as incidents_api
from beredskap.incidents import channels as incident_channels
from beredskap.incidents import contributions as incident_contributions
from beredskap.incidents import demo as incidents_demo
from beredskap.incidents import views as incidents_views
from beredskap.main import audit as main_audit
from beredskap.main import outgoing as main_outgoing
from beredskap.main import views as main_views
from beredskap.maps import analysis as maps_analysis
from beredskap.maps import api as maps_api
from beredskap.maps import districts as maps_districts
from beredskap.maps import import_views as maps_import_views
from beredskap.maps import occupancy as maps_occupancy
from beredskap.maps import resources as maps_resources
from beredskap.maps import views as maps_views
from beredskap.maps import zones as maps_zones
from beredskap.maps.mapimage import render_map
from beredskap.offline import views as offline_views
from beredskap.realtime import api as realtime_api
from beredskap.realtime.channels import register_channel
from beredskap.roster import api as roster_api
from beredskap.roster import people_views as roster_people_views
from beredskap.roster import services as roster_services
from beredskap.roster import views as roster_views

# One pages module and one API module per domain, in the order they are registered.
BLUEPRINTS: tuple[Blueprint, ...] = (
    main_views.bp,
    main_outgoing.bp,
    main_audit.bp,
    auth_views.bp,
    auth_admin_views.bp,
    auth_api.bp,
    realtime_api.bp,
    incidents_api.bp,
    incidents_views.bp,
    roster_api.bp,
    roster_views.bp,
    roster_people_views.bp,
    maps_api.bp,
    maps_views.bp,
    maps_import_views.bp,
    eps_api.bp,
    eps_api_sharing.bp,
    eps_api_desk.bp,
    eps_views.bp,
    exercises_api.bp,
    exercises_views.bp,
    cooperation_api.bp,
    cooperation_api_evaluation.bp,
    cooperation_api_treffpunkt.bp,
    cooperation_views.bp,
    cooperation_views_evaluation.bp,
    cooperation_views_treffpunkt.bp,
    offline_views.bp,
)

# `seed_demo() -> list[str]`, idempotent; the order matters (maps before EPS, incidents before exercises).
DEMO_SEEDERS: tuple[Callable[[], list[str] | None], ...] = (
    cooperation_hooks.seed_demo,
    roster_services.seed_demo,
    maps_resources.seed_demo,
    eps_services.seed_demo,
    incidents_demo.seed_demo,
    exercises_library.seed_demo,
)

# `run_scheduled_jobs(now)`: inject delivery, alert escalation and delivery, retention purge.
SCHEDULED_JOBS: tuple[Callable[[datetime], None], ...] = (
    exercises_delivery.run_scheduled_jobs,
    roster_services.run_scheduled_jobs,
    eps_services.run_scheduled_jobs,
)

# `start_page_panel(user) -> dict | None`, in the order the start page shows them.
START_PAGE_PANELS: tuple[Callable[..., dict | None], ...] = (
    exercises_views.start_page_panel,
    roster_services.start_page_panel,
    cooperation_hooks.start_page_panel,
)


@dataclass(frozen=True)
class Domains:
    """What the app-wide machinery (demo seed, scheduler, start page) runs; kept on `app.extensions`."""

    blueprints: tuple[Blueprint, ...] = BLUEPRINTS
    demo_seeders: tuple[Callable[[], list[str] | None], ...] = DEMO_SEEDERS
    scheduled_jobs: tuple[Callable[[datetime], None], ...] = SCHEDULED_JOBS
    start_page_panels: tuple[Callable[..., dict | None], ...] = START_PAGE_PANELS


EXTENSION_KEY = "beredskap.domains"


def register_contributions() -> None:
    """Where a lower domain shows what a higher one knows, the higher one registers it (arrows stay one-way)."""
    incident_channels.register_channels()
    # The cooperation channel; it moves into cooperation/ with that package's split (issue 16).
    register_channel("cooperation", "cooperation", Perm.COOP_READ)
    incident_contributions.register(
        eps_summary=eps_services.incident_eps_summary,
        location_warnings=maps_analysis.location_warnings,
        map_data=_sitrep_map_data,
        render_map=render_map,
        exercise_panel=exercises_api_common.board_panel,
    )
    eps_venues.register(summary=maps_resources.resource_summary, suitable=_eps_suitable_venues)


def _sitrep_map_data(incident_id: int) -> dict:
    """What the sitrep map draws besides the location: zones, EPS and the current bydel grouping (issue 15)."""
    return {
        "map_zones": maps_zones.list_zones_plain(incident_id),
        "map_eps": [
            {"name": e["name"], "location": e["location"]}
            for e in maps_occupancy.open_eps()
            if e["incident_id"] == incident_id and e.get("location")
        ],
        "map_grouping": maps_districts.district_mapping(),
    }


def _eps_suitable_venues() -> list:
    return maps_resources.list_resources(eps_suitable=True)


def register_domains(app: Flask) -> None:
    """Blueprints onto the app, contributions into their hosts, and the lists the app-wide machinery runs."""
    register_contributions()
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    app.extensions[EXTENSION_KEY] = Domains()


def domains(app: Flask) -> Domains:
    return app.extensions[EXTENSION_KEY]
