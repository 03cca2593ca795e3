"""Light GeoJSON checks for points that any module may use without importing shapely."""

from flask_babel import gettext

from beredskap.domain_errors import Invalid
from beredskap.field_labels import label


def parse_point(value: object, field_name: str = "location") -> dict | None:
    """A GeoJSON Point `{"type": "Point", "coordinates": [lon, lat]}` or None; 422 when malformed."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("type") != "Point":
        raise Invalid(
            "invalid_geometry",
            gettext("%(label)s må være et GeoJSON Point.", label=label(field_name)),
            {field_name: "Point"},
        )
    coords = value.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
    ):
        raise Invalid(
            "invalid_geometry",
            gettext("%(label)s må ha koordinatene [lengdegrad, breddegrad].", label=label(field_name)),
            {field_name: "coordinates"},
        )
    lon, lat = float(coords[0]), float(coords[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise Invalid(
            "invalid_geometry",
            gettext("%(label)s har koordinater utenfor gyldig område.", label=label(field_name)),
            {field_name: "utenfor område"},
        )
    return {"type": "Point", "coordinates": [lon, lat]}
