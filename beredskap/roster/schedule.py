"""Duty rota arithmetic: where 24/7 cover has gaps, and an hour-by-hour picture per day (pure)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from beredskap.vocabulary import OSLO


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime


def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined into one, sorted by start."""
    merged: list[Interval] = []
    for item in sorted((i for i in intervals if i.end > i.start), key=lambda i: i.start):
        if merged and item.start <= merged[-1].end:
            if item.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, item.end)
        else:
            merged.append(item)
    return merged


def find_gaps(shifts: list[Interval], window_start: datetime, window_end: datetime) -> list[Interval]:
    """The parts of [window_start, window_end) that no shift covers, in order."""
    gaps: list[Interval] = []
    cursor = window_start
    for item in merge_intervals(shifts):
        if item.end <= cursor:
            continue
        if item.start >= window_end:
            break
        if item.start > cursor:
            gaps.append(Interval(cursor, min(item.start, window_end)))
        cursor = max(cursor, item.end)
        if cursor >= window_end:
            break
    if cursor < window_end:
        gaps.append(Interval(cursor, window_end))
    return gaps


def covered_fraction(shifts: list[Interval], window_start: datetime, window_end: datetime) -> float:
    """Share of the window that is covered, 0.0–1.0."""
    total = (window_end - window_start).total_seconds()
    if total <= 0:
        return 1.0
    missing = sum((g.end - g.start).total_seconds() for g in find_gaps(shifts, window_start, window_end))
    return max(0.0, 1.0 - missing / total)


def local_day_bounds(day: date, tz: ZoneInfo = OSLO) -> tuple[datetime, datetime]:
    """Start and end of a calendar day in local time (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def hour_cover(shifts: list[Interval], day: date, tz: ZoneInfo = OSLO) -> list[bool]:
    """For each local clock hour of the day: is the whole hour covered?"""
    start, end = local_day_bounds(day, tz)
    gaps = find_gaps(shifts, start, end)
    hours = []
    cursor = start
    while cursor < end:
        # Step in absolute time so DST days get 23 or 25 entries.
        nxt = (cursor.astimezone(ZoneInfo("UTC")) + timedelta(hours=1)).astimezone(tz)
        hours.append(not any(g.start < nxt and g.end > cursor for g in gaps))
        cursor = nxt
    return hours


def week_cover(shifts: list[Interval], first_day: date, days: int = 7, tz: ZoneInfo = OSLO) -> list[dict]:
    """Day by day: the hours covered and the exact gaps (local times), for the rota view."""
    result = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        start, end = local_day_bounds(day, tz)
        gaps = find_gaps(shifts, start, end)
        result.append(
            {
                "date": day,
                "hours": hour_cover(shifts, day, tz),
                "gaps": [Interval(g.start.astimezone(tz), g.end.astimezone(tz)) for g in gaps],
                "covered": not gaps,
            }
        )
    return result
