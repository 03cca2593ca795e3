"""The sitrep PDF from plain data: map of the incident location plus reports/sitrep.py; runs off the event loop."""

import logging

from beredskap.reports.base import content_width, format_number
from beredskap.reports.sitrep import build_sitrep

MAP_HEIGHT_PT = 300

log = logging.getLogger(__name__)


def draw_incident_map(location: dict | None, title: str | None = None):
    """A reportlab Drawing with the incident point over the bydeler, or None without a location."""
    if not location:
        return None
    from beredskap.maps.mapimage import render_map

    return render_map(highlight_point=location, width_pt=content_width() - 4, height_pt=MAP_HEIGHT_PT, title=title)


def render_sitrep_pdf(data: dict) -> bytes:
    """PDF bytes for `sitrep_report_data(...)`; touches neither Flask nor the database, so it may run in a thread."""
    data = dict(data)
    location = data.pop("location", None)
    drawing = None
    try:
        drawing = draw_incident_map(location)
    except (OSError, ValueError) as err:
        # A missing or broken map layer must not stop the report; the report says where the incident is instead.
        log.warning("sitrep map not drawn: %s", type(err).__name__)
    caption = None
    if drawing is not None:
        lon, lat = location["coordinates"]
        caption = f"Hendelsesstedet (rød markør), {format_number(lat, 5)} N {format_number(lon, 5)} Ø"
    return build_sitrep({**data, "map_drawing": drawing, "map_caption": caption})
