"""The yearly evaluation of the samarbeidsavtale (§6) as a PDF: per innsatsområde and samarbeidsområde.

`build_agreement_evaluation(data)` takes `cooperation.evaluation.report_data(year)`:

    {
        "year": 2026, "agreement": {"title": "…", "period": {"start": 2025, "end": 2028}},
        "status_counts": {"fungerer": 3, …}, "statuses": {"fungerer": "Fungerer godt", …},
        "focus_areas": [{"title": "…", "entry": {"status", "status_title", "worked", "change", "owner"},
                         "notes": [{"noted_on": "2026-03-02", "text": "…", "author": "…"}]}],
        "cooperation_areas": [...as focus_areas...],
        "general_notes": [{"noted_on", "text", "author", "legacy"?}],
        "politirad": [{"title", "date"}], "generated_at": datetime?, "draft": bool?,
    }
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from beredskap.reports.flowables import data_table, key_value_block, paragraph, section_heading
from beredskap.reports.formatting import format_date, format_datetime, to_datetime
from beredskap.reports.page import ReportMeta, render_pdf


def build_agreement_evaluation(data: dict[str, Any]) -> bytes:
    """Return the structured evaluation of one year: an overview table, then each area with its notes."""
    year = data.get("year")
    agreement = data.get("agreement") or {}
    period = agreement.get("period") or {}
    meta = ReportMeta(
        title=f"Evaluering av samarbeidsavtalen {year}",
        subtitle=f"{agreement.get('title') or 'Samarbeidsavtale'} ({period.get('start')}–{period.get('end')})",
        draft=bool(data.get("draft", False)),
        generated_at=to_datetime(data.get("generated_at")),
    )
    statuses = data.get("statuses") or {}
    counts = data.get("status_counts") or {}
    meetings = data.get("politirad") or []
    story: list[Flowable] = [
        *section_heading("Grunnlag"),
        paragraph(
            "Samarbeidsavtalen evalueres årlig i politirådet (§6). Forøvrig evalueres samarbeidet fortløpende; "
            "de fortløpende notatene fra året er samlet under hvert område."
        ),
        key_value_block(
            [
                ("Politiråd i året", ", ".join(_meeting_label(m) for m in meetings) or "Ingen registrert."),
                ("Status", ", ".join(f"{title}: {counts.get(key, 0)}" for key, title in statuses.items())),
                ("Fortløpende notater", str(data.get("notes_count", 0))),
            ]
        ),
    ]
    for heading, key in (("Innsatsområder", "focus_areas"), ("Samarbeidsområder (§5)", "cooperation_areas")):
        areas = data.get(key) or []
        story += section_heading(f"{heading} – oversikt")
        story.append(
            data_table(
                ["Område", "Status", "Ansvarlig", "Notater"],
                [
                    [a["title"], a["entry"]["status_title"], a["entry"].get("owner"), str(len(a.get("notes") or []))]
                    for a in areas
                ],
                col_widths=[0.46, 0.2, 0.22, 0.12],
                empty="Avtalen har ingen områder registrert.",
            )
        )
        for area in areas:
            story += _area(area)
    story += section_heading("Generelle notater")
    story += _notes(data.get("general_notes") or [], empty="Ingen generelle notater.")
    return render_pdf(meta, story)


def _meeting_label(meeting: dict[str, Any]) -> str:
    when = format_datetime(meeting.get("date")) if meeting.get("date") else "dato ikke fastsatt"
    return f"{meeting.get('title')} ({when})"


def _area(area: dict[str, Any]) -> list[Flowable]:
    entry = area.get("entry") or {}
    story: list[Flowable] = [*section_heading(area.get("title") or "", level=2)]
    story.append(
        key_value_block(
            [
                ("Status", entry.get("status_title") or "Ikke vurdert"),
                ("Hva fungerte", entry.get("worked") or "Ikke fylt ut."),
                ("Hva bør endres", entry.get("change") or "Ikke fylt ut."),
                ("Ansvarlig", entry.get("owner") or "Ikke fylt ut."),
            ]
        )
    )
    if area.get("notes"):
        story.append(paragraph("Fortløpende notater:"))
        story += _notes(area["notes"])
    return story


def _notes(notes: list[dict[str, Any]], *, empty: str = "Ingen.") -> list[Flowable]:
    rows = [
        [
            format_date(n.get("noted_on")),
            n.get("text") or "",
            "overført fra tidligere evaluering" if n.get("legacy") else n.get("author") or "",
        ]
        for n in notes
    ]
    return [data_table(["Dato", "Notat", "Skrevet av"], rows, col_widths=[0.14, 0.64, 0.22], empty=empty)]
