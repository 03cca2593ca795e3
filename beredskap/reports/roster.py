"""Varslingsliste (alert list) PDF: crisis organisation positions with holders and deputies, and alert status.

Input (`build_alert_list(data)`):

    {
        "title": str?,                       # default "Varslingsliste"
        "subtitle": str?,                    # default "Kriseorganisasjonen – Kristiansand kommune"
        "positions": [{"title": "Kriseleder", "team": "kriseledelse",
                       "holder": {"name": "…", "phone": "…"} | None,
                       "deputies": [{"name": "…", "phone": "…"}]}],
        "alert": {                           # optional: the status of one alert
            "id": 5, "message": "…", "group": "krisestab", "sent_at": datetime,
            "incident": {"title", "kind"}?,
            "recipients": [{"name": "…", "position": str?, "phone": str?,
                            "status": "sent" | "acknowledged" | "declined" | "escalated" | "failed",
                            "answered_at": datetime?}],
        } | None,
        "exercise": bool?,     # default: the alert's incident kind == "exercise"
        "draft": bool?, "generated_at": datetime?,
    }

Teams are printed in the order kriseledelse, krisestab, psykososialt_kriseteam, eps_ledelse, then any other.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from reportlab.platypus import Flowable

from beredskap.reports.flowables import data_table, key_value_block, paragraph, section_heading
from beredskap.reports.formatting import format_datetime, markup, rich, to_datetime
from beredskap.reports.page import ReportMeta, render_pdf
from beredskap.vocabulary import TEAM_TITLES

TEAMS: dict[str, str] = {str(team): title for team, title in TEAM_TITLES.items()}
ALERT_STATUS: dict[str, str] = {
    "sent": "Sendt, ikke besvart",
    "acknowledged": "Bekreftet",
    "declined": "Kan ikke møte",
    "escalated": "Eskalert",
    "failed": "Feilet",
}
VACANT = "Ikke besatt"


def build_alert_list(data: dict[str, Any]) -> bytes:
    """Return the varslingsliste (positions, holders, deputies, phones; optional alert status) as PDF bytes."""
    alert = data.get("alert")
    alert_incident = (alert or {}).get("incident") or {}
    meta = ReportMeta(
        title=data.get("title") or "Varslingsliste",
        subtitle=data.get("subtitle") or "Kriseorganisasjonen – Kristiansand kommune",
        exercise=bool(data.get("exercise", alert_incident.get("kind") == "exercise")),
        draft=bool(data.get("draft", False)),
        generated_at=to_datetime(data.get("generated_at")),
    )
    story: list[Flowable] = []
    if alert:
        story += _alert_section(alert)
    story += _position_sections(data.get("positions") or [])
    return render_pdf(meta, story)


def _position_sections(positions: list[dict[str, Any]]) -> list[Flowable]:
    order = list(TEAMS)
    teams = sorted(
        {position.get("team") or "" for position in positions},
        key=lambda team: (order.index(team) if team in order else len(order), team),
    )
    story: list[Flowable] = []
    if not positions:
        return [*section_heading("Funksjoner"), paragraph("Ingen funksjoner er registrert.", "small")]
    for team in teams:
        rows = [
            [
                position.get("title"),
                _person_name(position.get("holder")),
                _person_phone(position.get("holder")),
                rich(_deputies_markup(position.get("deputies") or [])),
            ]
            for position in positions
            if (position.get("team") or "") == team
        ]
        story += [
            *section_heading(TEAMS.get(team, team.replace("_", " ").capitalize() or "Andre funksjoner")),
            data_table(
                ["Funksjon", "Innehaver", "Telefon", "Stedfortredere (i rekkefølge)"],
                rows,
                col_widths=[0.24, 0.22, 0.16, 0.38],
            ),
        ]
    return story


def _alert_section(alert: dict[str, Any]) -> list[Flowable]:
    recipients = alert.get("recipients") or []
    counts = Counter(recipient.get("status") for recipient in recipients)
    summary = ", ".join(f"{ALERT_STATUS[status]}: {counts[status]}" for status in ALERT_STATUS if counts[status])
    group = alert.get("group")
    rows = [
        [
            recipient.get("name"),
            recipient.get("position"),
            recipient.get("phone"),
            ALERT_STATUS.get(recipient.get("status") or "", recipient.get("status")),
            format_datetime(recipient.get("answered_at"), with_year=False) if recipient.get("answered_at") else None,
        ]
        for recipient in recipients
    ]
    title = f"Varsling nr. {alert['id']}" if alert.get("id") is not None else "Varsling"
    return [
        *section_heading(title),
        key_value_block(
            [
                ("Melding", alert.get("message")),
                ("Gruppe", TEAMS.get(group, group) if group else None),
                ("Hendelse", (alert.get("incident") or {}).get("title")),
                ("Sendt", format_datetime(alert.get("sent_at"))),
                ("Mottakere", f"{len(recipients)} ({summary})" if summary else str(len(recipients))),
            ]
        ),
        *section_heading("Mottakere og svar", level=2),
        data_table(
            ["Navn", "Funksjon", "Telefon", "Status", "Svart"],
            rows,
            col_widths=[0.26, 0.24, 0.16, 0.2, 0.14],
            empty="Ingen mottakere.",
        ),
    ]


def _person_name(person: Any) -> str:
    if not person:
        return VACANT
    return str(person.get("name") if isinstance(person, dict) else person)


def _person_phone(person: Any) -> str | None:
    return person.get("phone") if isinstance(person, dict) else None


def _deputies_markup(deputies: list[Any]) -> str:
    if not deputies:
        return markup(None)
    lines = []
    for number, deputy in enumerate(deputies, start=1):
        phone = _person_phone(deputy)
        lines.append(f"{number}. {markup(_person_name(deputy))}" + (f", {markup(phone)}" if phone else ""))
    return "<br/>".join(lines)
