"""The årshjul of the samarbeidsavtale: which meetings and documents a year holds, and overdue decisions.

Rules from the agreement (2025–2028):
- Politiråd twice a year (spring and autumn). Kommune and politi take turns hosting and chairing: one party
  hosts both meetings of a year, the other party the next year.
- Formannskapet meets the police leadership twice a year: in spring on barne- og ungdomskriminalitet with
  the yearly Oversiktsbilde, in autumn on the general crime picture.
- Regionalt politiråd (Region Kristiansand) once a year.
- Kunnskapsgrunnlag: the Oversiktsbilde (kommune, presented in the spring formannskap) and the police's
  Trusselvurdering for Agder, both yearly.
- The agreement is evaluated every year in the politiråd (avtaleevaluering); we tie it to the autumn
  meeting, which also fixes the dates of next year's meetings.

Months are indicative until a date is fixed; `fixed_dates` (item key → date or datetime) carries the dates
agreed in the previous autumn politiråd. Items carry `date` only when a date is fixed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

PARTIES: tuple[str, str] = ("kommune", "politi")

KINDS: tuple[str, ...] = (
    "politirad",
    "formannskap",
    "regionalt_politirad",
    "oversiktsbilde",
    "trusselvurdering",
    "avtaleevaluering",
)

YOUTH_CRIME_TOPIC = "Barne- og ungdomskriminalitet"
GENERAL_CRIME_TOPIC = "Det generelle kriminalitetsbildet"

# Indicative months, chosen so the knowledge base arrives before the meetings that use it:
# Trusselvurdering (Feb) → spring formannskap with Oversiktsbilde (Mar) → spring politiråd (Apr);
# regional politiråd before summer; autumn politiråd (Oct) fixes next year's dates; formannskap (Nov).
_TEMPLATE: tuple[dict[str, Any], ...] = (
    {
        "key": "trusselvurdering",
        "kind": "trusselvurdering",
        "title": "Trusselvurdering for Agder (politiet)",
        "month": 2,
        "responsible": "politi",
    },
    {
        "key": "formannskap-var",
        "kind": "formannskap",
        "title": "Formannskapet møter politiledelsen (vår)",
        "month": 3,
        "season": "var",
        "topic": YOUTH_CRIME_TOPIC,
        "host": "kommune",
        "oversiktsbilde": True,
    },
    {
        "key": "oversiktsbilde",
        "kind": "oversiktsbilde",
        "title": "Oversiktsbilde – presenteres i formannskapet",
        "month": 3,
        "responsible": "kommune",
        "related": "formannskap-var",
    },
    {
        "key": "politirad-var",
        "kind": "politirad",
        "title": "Politiråd (vår)",
        "month": 4,
        "season": "var",
    },
    {
        "key": "regionalt-politirad",
        "kind": "regionalt_politirad",
        "title": "Regionalt politiråd (Region Kristiansand)",
        "month": 6,
    },
    {
        "key": "politirad-host",
        "kind": "politirad",
        "title": "Politiråd (høst)",
        "month": 10,
        "season": "host",
    },
    {
        "key": "avtaleevaluering",
        "kind": "avtaleevaluering",
        "title": "Evaluering av samarbeidsavtalen i politirådet",
        "month": 10,
        "related": "politirad-host",
    },
    {
        "key": "formannskap-host",
        "kind": "formannskap",
        "title": "Formannskapet møter politiledelsen (høst)",
        "month": 11,
        "season": "host",
        "topic": GENERAL_CRIME_TOPIC,
        "host": "kommune",
    },
)

ITEM_KEYS: tuple[str, ...] = tuple(entry["key"] for entry in _TEMPLATE)


def other_party(party: str) -> str:
    """Return the party that is not `party`."""
    _check_party(party)
    return PARTIES[1] if party == PARTIES[0] else PARTIES[0]


def host_for_year(year: int, first_host_year: int = 2025, first_host: str = "kommune") -> str:
    """Return the party hosting and chairing both politiråd meetings of `year`."""
    _check_party(first_host)
    # Python's modulo is non-negative for negative offsets, so years before the first also alternate.
    return first_host if (year - first_host_year) % 2 == 0 else other_party(first_host)


def build_annual_cycle(
    year: int,
    *,
    first_host_year: int = 2025,
    first_host: str = "kommune",
    fixed_dates: dict[str, date] | None = None,
    agreement_start: int = 2025,
    agreement_end: int = 2028,
) -> dict[str, Any]:
    """Return the årshjul of `year` as `{"year", "items": [...]}`, ordered by month."""
    if not agreement_start <= year <= agreement_end:
        raise ValueError(f"{year} er utenfor avtaleperioden {agreement_start}–{agreement_end}")
    fixed = _check_fixed_dates(year, fixed_dates or {})
    politirad_host = host_for_year(year, first_host_year, first_host)

    items: list[dict[str, Any]] = []
    for entry in _TEMPLATE:
        item = {key: value for key, value in entry.items() if key != "oversiktsbilde"}
        if entry["kind"] == "politirad":
            item["host"] = politirad_host
        if entry["key"] == "politirad-host":
            item["topic"] = f"Møtedatoer for {year + 1} fastsettes; evaluering av samarbeidsavtalen"
        if entry.get("oversiktsbilde"):
            item["topic"] = f"{YOUTH_CRIME_TOPIC}, med Oversiktsbilde {year}"
        # A document presented in a meeting (or an evaluation held in one) follows that meeting's date
        # unless it has a date of its own.
        when = fixed.get(entry["key"]) or fixed.get(entry.get("related", ""))
        if when is not None:
            item["date"] = when
            item["month"] = when.month
        items.append(item)

    items.sort(key=lambda item: (item["month"], _day_sort_key(item.get("date")), ITEM_KEYS.index(item["key"])))
    return {"year": year, "items": items}


def overdue_decisions(decisions: list[dict[str, Any]], on: date) -> list[dict[str, Any]]:
    """Return the decisions whose `due` is before `on` and whose status is not "done", earliest first."""
    cutoff = on.date() if isinstance(on, datetime) else on
    overdue: list[tuple[date, int, dict[str, Any]]] = []
    for index, decision in enumerate(decisions):
        due = _as_date(decision.get("due"))
        if due is None or decision.get("status") == "done":
            continue
        if due < cutoff:
            overdue.append((due, index, decision))
    overdue.sort(key=lambda entry: (entry[0], entry[1]))
    return [decision for _, _, decision in overdue]


def _check_party(party: str) -> None:
    if party not in PARTIES:
        raise ValueError(f"ukjent part {party!r}; gyldige er {', '.join(PARTIES)}")


def _check_fixed_dates(year: int, fixed_dates: dict[str, date]) -> dict[str, date]:
    for key, when in fixed_dates.items():
        if key not in ITEM_KEYS:
            raise ValueError(f"ukjent nøkkel i årshjulet: {key!r}")
        if not isinstance(when, date):
            raise ValueError(f"dato for {key!r} må være date eller datetime")
        if when.year != year:
            raise ValueError(f"dato for {key!r} ({when.isoformat()}) ligger ikke i {year}")
    return fixed_dates


def _day_sort_key(when: date | None) -> tuple[int, int, int]:
    # Undated items sort after dated ones in the same month; datetimes by their time of day.
    if when is None:
        return (32, 0, 0)
    if isinstance(when, datetime):
        return (when.day, when.hour, when.minute)
    return (when.day, 0, 0)


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return datetime.fromisoformat(value).date()
    raise ValueError(f"ugyldig frist: {value!r}")
