"""The § 7 clock: when the preparedness plan was last exercised and when the two-year limit falls (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from beredskap.vocabulary import DATE_FORMAT

# Forskrift om kommunal beredskapsplikt § 7: the plan is to be exercised at least every second year.
LIMIT_YEARS = 2
WARN_DAYS = 90


@dataclass(frozen=True)
class PlanClock:
    """Where the municipality stands against the two-year limit on `today`."""

    state: str  # "ok" | "soon" | "overdue" | "never"
    last_exercised: date | None
    due: date | None
    days_left: int | None


def add_years(day: date, years: int) -> date:
    """Return the same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def plan_clock(last_exercised: date | None, today: date, *, warn_days: int = WARN_DAYS) -> PlanClock:
    """Return the state of the two-year clock given the day the plan was last exercised."""
    if last_exercised is None:
        return PlanClock("never", None, None, None)
    due = add_years(last_exercised, LIMIT_YEARS)
    days_left = (due - today).days
    if days_left < 0:
        state = "overdue"
    elif days_left < warn_days:
        state = "soon"
    else:
        state = "ok"
    return PlanClock(state, last_exercised, due, days_left)


def format_day(day: date) -> str:
    """Return a date the Norwegian way, 14.10.2025."""
    return day.strftime(DATE_FORMAT)


def clock_warning(clock: PlanClock) -> str | None:
    """Return the warning to show for the clock, or None when there is time enough."""
    from flask_babel import gettext

    if clock.state == "never":
        return gettext(
            "Det er ikke registrert noen gjennomført øvelse av beredskapsplanen. Planen skal øves minst hvert"
            " annet år (forskrift om kommunal beredskapsplikt § 7)."
        )
    if clock.state == "overdue":
        return gettext(
            "Fristen for å øve beredskapsplanen gikk ut %(due)s (%(days)s dager siden)."
            " Planen skal øves minst hvert annet år (forskrift om kommunal beredskapsplikt § 7).",
            due=format_day(clock.due),
            days=-clock.days_left,
        )
    if clock.state == "soon":
        return gettext(
            "Beredskapsplanen må øves innen %(due)s – om %(days)s dager (forskrift om kommunal beredskapsplikt § 7).",
            due=format_day(clock.due),
            days=clock.days_left,
        )
    return None
