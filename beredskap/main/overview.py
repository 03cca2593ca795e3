"""What the start page shows: open incidents and each domain's panel (listed in beredskap/domains.py)."""

from flask import current_app

from beredskap.incidents.services import list_incidents
from beredskap.realtime.journal import last_seq


def start_page_data(user) -> dict:
    panels = []
    for panel_fn in current_app.extensions["beredskap.domains"].start_page_panels:
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
