"""The sitrep PDF from plain data: map of the incident location plus reports/sitrep.py; runs off the event loop."""

import logging

from beredskap.incidents import contributions
from beredskap.reports.formatting import format_number
from beredskap.reports.page import content_width
from beredskap.reports.sitrep import build_sitrep

MAP_HEIGHT_PT = 300

log = logging.getLogger(__name__)


def draw_incident_map(
    location: dict | None,
    title: str | None = None,
    *,
    zones: list | None = None,
    eps: list | None = None,
    grouping: dict | None = None,
):
    """The incident on the base map with its zones, EPS and the bydeler as grouped now; None without a location."""
    if not location:
        return None
    features = [
        {"type": "Feature", "geometry": e["location"], "properties": {"label": e["name"], "marker": "eps"}}
        for e in eps or []
    ]
    return contributions.render_map(
        features,
        highlight_point=location,
        zones=zones or (),
        width_pt=content_width() - 4,
        height_pt=MAP_HEIGHT_PT,
        title=title,
        district_of_delomrade=grouping or None,
    )


def render_sitrep_pdf(data: dict) -> bytes:
    """PDF bytes for `sitrep_report_data(...)`; touches neither Flask nor the database, so it may run in a thread."""
    data = dict(data)
    location = data.pop("location", None)
    zones, eps, grouping = data.pop("map_zones", None), data.pop("map_eps", None), data.pop("map_grouping", None)
    drawing = None
    try:
        drawing = draw_incident_map(location, zones=zones, eps=eps, grouping=grouping)
    except (OSError, ValueError) as err:
        # A missing or broken map layer must not stop the report; the report says where the incident is instead.
        log.warning("sitrep map not drawn: %s", type(err).__name__)
    caption = None
    if drawing is not None:
        lon, lat = location["coordinates"]
        caption = f"Hendelsesstedet (rød markør), {format_number(lat, 5)} N {format_number(lon, 5)} Ø"  # i18n: PDF
        if zones:
            caption += "; soner: " + ", ".join(f"{z['label']} ({z['kind']})" for z in zones)
    return build_sitrep({**data, "map_drawing": drawing, "map_caption": caption})
