"""What the start page shows; each domain contributes a panel when it exists."""

import importlib

from beredskap.incidents.services import list_incidents
from beredskap.realtime.journal import last_seq

# Modules that may offer `start_page_panel(user) -> dict | None` for the start page.
PANEL_MODULES = [
    "beredskap.exercises.views",
    "beredskap.roster.services",
    "beredskap.cooperation.services",
]


def start_page_data(user) -> dict:
    panels = []
    for name in PANEL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        panel_fn = getattr(module, "start_page_panel", None)
        if panel_fn:
            panel = panel_fn(user)
            if panel:
                panels.append(panel)
    incidents = list_incidents()
    return {
        "open_incidents": [i for i in incidents if i.status == "open"],
        "closed_incidents": [i for i in incidents if i.status == "closed"][:10],
        "panels": panels,
        "global_seq": last_seq("global"),
    }
