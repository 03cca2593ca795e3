"""The exercise clock: offsets, elapsed exercise time and time until an inject is due, given speed and pauses (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext

# "HH:MM" (hours and minutes) or "H:MM:SS"; hours are not limited to 23 because an offset is a duration.
_OFFSET = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")


def offset_seconds(at: str) -> int:
    """Return the offset from exercise start written as "HH:MM" or "H:MM:SS", in seconds."""
    if not isinstance(at, str):
        raise ValueError(
            gettext("tidspunkt må være tekst på formen TT:MM eller T:MM:SS, fikk %(value)s", value=repr(at))
        )
    match = _OFFSET.match(at.strip())
    if match is None:
        raise ValueError(
            gettext("ugyldig tidspunkt %(value)s: bruk TT:MM eller T:MM:SS (tid fra øvelsesstart)", value=repr(at))
        )
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)


def format_offset(seconds: int) -> str:
    """Return an offset in seconds as "HH:MM", or "HH:MM:SS" when it has seconds."""
    if seconds < 0:
        raise ValueError("tidspunkt kan ikke være negativt")
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if secs else f"{hours:02d}:{minutes:02d}"


def exercise_elapsed(
    *,
    started_at: datetime,
    now: datetime,
    speed: float = 1.0,
    paused_seconds: float = 0.0,
    paused_since: datetime | None = None,
) -> float:
    """Return seconds passed on the exercise clock: (wall time since start - paused time) x speed.

    ``paused_seconds`` is the total of finished pauses; ``paused_since`` is the start of a pause still
    running, during which the clock stands still.
    """
    if not speed > 0:
        raise ValueError("hastighet må være større enn 0")
    if paused_seconds < 0:
        raise ValueError("pausetid kan ikke være negativ")
    wall = (now - started_at).total_seconds()
    if paused_since is not None:
        wall -= max(0.0, (now - paused_since).total_seconds())
    return max(0.0, wall - paused_seconds) * speed


def seconds_until_due(
    inject: Mapping[str, Any],
    *,
    started_at: datetime,
    now: datetime,
    speed: float = 1.0,
    paused_seconds: float = 0.0,
    paused_since: datetime | None = None,
) -> float | None:
    """Return wall-clock seconds until the inject is due (0 if it is), or None while the clock is paused."""
    elapsed = exercise_elapsed(
        started_at=started_at, now=now, speed=speed, paused_seconds=paused_seconds, paused_since=paused_since
    )
    remaining = offset_seconds(inject["at"]) - elapsed
    if remaining <= 0:
        return 0.0
    if paused_since is not None:
        return None
    return remaining / speed
