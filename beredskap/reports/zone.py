"""Zone report PDF (issue 15): a zone of an incident with its map, population by bydel and delområde, resources
inside and EPS candidates with free capacity. ØVELSE on every page of an exercise's report.

Input (`build_zone_report(data)`): {"incident": {"id", "title", "kind"}, "zone": {"id", "kind", "label",
"version", "analysed_at"}, "analysis": <zone analysis>, "delomrader": [{"name", "bydel", "population_inside"}],
"map_drawing": Drawing | None, "exercise": bool, "generated_at": datetime}.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from beredskap.reports.flowables import data_table, figure, key_value_block, paragraph, section_heading
from beredskap.reports.formatting import format_datetime, format_number
from beredskap.reports.page import ReportMeta, render_pdf
from beredskap.vocabulary import ZONE_KIND_TITLES


def build_zone_report(data: dict[str, Any]) -> bytes:
    incident, zone, analysis = data["incident"], data["zone"], data.get("analysis") or {}
    exercise = bool(data.get("exercise", incident.get("kind") == "exercise"))
    kind = ZONE_KIND_TITLES.get(zone["kind"], zone["kind"])
    meta = ReportMeta(
        title=f"Sonerapport – {zone['label']}",
        subtitle=f"{kind} · {incident.get('title') or 'Hendelse'} (nr. {incident.get('id')})",
        exercise=exercise,
        generated_at=data.get("generated_at"),
    )
    story: list[Flowable] = []
    story += section_heading("Sonen")
    story.append(
        key_value_block(
            [
                ("Type", kind),
                ("Navn", zone["label"]),
                ("Versjon", str(zone.get("version", ""))),
                ("Anslått antall personer", format_number(analysis.get("population_estimate", 0))),
                ("Analysert", format_datetime(zone.get("analysed_at")) if zone.get("analysed_at") else "–"),
            ]
        )
    )
    if analysis.get("note"):
        story.append(paragraph(analysis["note"], "small"))
    if data.get("map_drawing") is not None:
        story.append(figure(data["map_drawing"], f"{kind}: {zone['label']}"))
    story += section_heading("Befolkning etter bydel")
    story.append(
        data_table(
            ["Bydel", "Personer (anslag)"],
            [[d["name"], format_number(d["population_inside"])] for d in analysis.get("districts", [])],
        )
    )
    story += section_heading("Befolkning etter delområde")
    story.append(
        data_table(
            ["Delområde", "Bydel", "Personer (anslag)"],
            [[d["name"], d["bydel"], format_number(d["population_inside"])] for d in data.get("delomrader", [])],
        )
    )
    story += section_heading("Ressurser innenfor sonen")
    story.append(data_table(["Navn", "Type"], [[r["name"], r["kind"]] for r in analysis.get("resources_inside", [])]))
    story += section_heading("EPS-kandidater utenfor sonen med ledig kapasitet")
    story.append(
        data_table(
            ["Navn", "Avstand", "Ledige plasser"],
            [
                [c["name"], f"{format_number(round(c['distance_m']))} m", format_number(c["free_capacity"])]
                for c in analysis.get("eps_candidates", [])
                if (c.get("free_capacity") or 0) > 0
            ],
        )
    )
    return render_pdf(meta, story)
