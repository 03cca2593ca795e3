"""EPS venues: the EPS-suitable resources of the maps register, handed in by beredskap.domains.

maps sits above eps (it draws the open centres), so eps does not import it; without a registered register
(a bare app) there are no venues and a centre is opened by name only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_summary: Callable[[int], dict[str, Any] | None] | None = None
_suitable: Callable[[], list[Any]] | None = None


def register(*, summary: Callable[[int], dict[str, Any] | None], suitable: Callable[[], list[Any]]) -> None:
    global _summary, _suitable
    _summary, _suitable = summary, suitable


def venue(resource_id: int) -> dict[str, Any] | None:
    """Return a resource as a plain dict, or None when unknown or when no register is registered."""
    return _summary(resource_id) if _summary else None


def eps_venues() -> list[dict[str, Any]]:
    """Return the EPS-suitable venues of the resource register (id, name, capacity, bydel)."""
    resources = _suitable() if _suitable else []
    return [{"id": r.id, "name": r.name, "capacity": r.capacity, "bydel": r.bydel} for r in resources]
