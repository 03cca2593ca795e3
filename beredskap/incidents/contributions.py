"""What domains above incidents add to an incident's pages and reports, registered at composition time.

incidents sits below eps and maps (they import it), so it cannot import them back; `beredskap.domains` hands their
functions in here. Unregistered (a bare app), each contribution is simply absent: no EPS counts on the board, no
location warnings, no map in the sitrep.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class _Contributions:
    eps_summary: Callable[[int], list[dict[str, Any]]] | None = None
    location_warnings: Callable[[Any], list] | None = None
    map_data: Callable[[int], dict] | None = None
    render_map: Callable[..., Any] | None = None
    exercise_panel: Callable[[int, Any], dict[str, Any] | None] | None = None


_registered = _Contributions()


def register(
    *,
    eps_summary: Callable[[int], list[dict[str, Any]]],
    location_warnings: Callable[[Any], list],
    map_data: Callable[[int], dict],
    render_map: Callable[..., Any],
    exercise_panel: Callable[[int, Any], dict[str, Any] | None] | None = None,
) -> None:
    _registered.exercise_panel = exercise_panel
    _registered.eps_summary = eps_summary
    _registered.location_warnings = location_warnings
    _registered.map_data = map_data
    _registered.render_map = render_map


def eps_summary(incident_id: int) -> list[dict[str, Any]]:
    """The incident's centres with counts only (from eps)."""
    return _registered.eps_summary(incident_id) if _registered.eps_summary else []


def location_warnings(location: Any) -> list:
    """Warnings about where a location is (outside the kommune; from maps)."""
    return _registered.location_warnings(location) if _registered.location_warnings else []


def map_data(incident_id: int) -> dict:
    """Zones, EPS and the bydel grouping the sitrep map draws (from maps)."""
    return _registered.map_data(incident_id) if _registered.map_data else {}


def render_map(*args: Any, **kwargs: Any) -> Any:
    """A drawing of the base map (from maps); None when no map renderer is registered."""
    return _registered.render_map(*args, **kwargs) if _registered.render_map else None


def exercise_panel(incident_id: int, user: Any) -> dict[str, Any] | None:
    """The exercise running on the incident as this user may see it (from exercises); None without one."""
    return _registered.exercise_panel(incident_id, user) if _registered.exercise_panel else None
