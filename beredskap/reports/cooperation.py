"""Samarbeidsavtale reports: saksliste (agenda), referat (minutes) and the yearly Oversiktsbilde.

`build_agenda(data)`:

    {
        "meeting": {"id"?, "kind": "politirad" | "formannskap" | "regionalt_politirad" | str,
                    "title": "Politiråd vår 2026", "date": datetime | date, "location": str?,
                    "host": "kommune" | "politi" | None, "chair": str?, "secretary": str?},
        "items": [{"number": "1/26", "title": "…", "kind": "orientering" | "drøfting" | "vedtak" | None,
                   "responsible": str?, "note": str?,          # saksnotat
                   "proposal": str?}],                          # forslag til vedtak
        "approvals": {"kommune": {"by": "…", "at": datetime} | None, "politi": {...} | None},
        "draft": bool?,        # default: not yet approved by both parties
        "exercise": bool?, "generated_at": datetime?,
    }

`build_minutes(data)`: as the agenda, plus

    {
        "present": [{"name": "…", "organisation": "…"}], "absent": [{"name", "organisation"}],
        "items": [{"number", "title", "minutes": str?}],          # what was said under each item
        "decisions": [{"item": "1/26"?, "text": "…", "owner": "…", "due": date?,
                       "status": "open" | "started" | "done"}],
        "overdue_decisions": [{"meeting": "Politiråd høst 2025", "text", "owner", "due", "status"}],
        "approvals": {...}, "draft": bool?,                        # default: not approved by both
    }
`overdue_decisions` are the earlier meetings' decisions past due and not done, as the caller chose them
(`cooperation.cycle.overdue_decisions`); the report draws them and decides nothing.

`build_oversiktsbilde(data)`:

    {
        "year": 2026, "title": str?, "summary": str?,
        "districts": ["Grim", "Kvadraturen", …]?,                # order; default: order of first appearance
        "indicators": [
            {"bydel": "Kvadraturen", "source": "kriminalstatistikk", "name": "Vold og mishandling",
             "value": 112, "previous": 98?, "unit": str?, "comment": str?},
            {"bydel": "Søgne", "source": "ungdata", "name": "Har vært utsatt for vold", "value": 7.5,
             "unit": "%", "comment": str?},
            {"bydel": "Grim", "source": "kvalitativ", "text": "…", "from": "SLT-koordinator"?},
        ],
        "sources": {"kriminalstatistikk": "…", "ungdata": "…", "kvalitativ": "…"}?,   # source notes
        "conclusions": [str]?,                                     # vurderinger og anbefalinger
        "draft": bool?, "exercise": bool?, "generated_at": datetime?,
    }
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable

from beredskap.reports.flowables import bullet_list, data_table, key_value_block, paragraph, section_heading, text_block
from beredskap.reports.formatting import format_date, format_datetime, format_number, markup, rich, to_datetime
from beredskap.reports.page import ReportMeta, render_pdf
from beredskap.vocabulary import AGENDA_ITEM_KINDS, DECISION_STATUSES, MEETING_KINDS, OVERVIEW_SOURCES, PARTY_NAMES

ITEM_KINDS = AGENDA_ITEM_KINDS
# The decision statuses, and the task words a caller may send for them.
DECISION_STATUS = {**DECISION_STATUSES, "new": DECISION_STATUSES["open"], "started": DECISION_STATUSES["in_progress"]}
SOURCES: tuple[tuple[str, str], ...] = tuple(OVERVIEW_SOURCES.items())
SOURCE_DEFAULT_NOTES = {
    "kriminalstatistikk": "Anmeldte lovbrudd registrert av politiet, fordelt på bydel etter gjerningssted.",
    "ungdata": "Ungdata-undersøkelsen blant ungdomsskole- og videregående elever (NOVA/KORUS).",
    "kvalitativ": "Erfaringer fra SLT, utekontakt, skoler, barnevern, politiets forebyggende enhet og frivillige.",
}


# --- agenda and minutes ---------------------------------------------------------------------------------


def build_agenda(data: dict[str, Any]) -> bytes:
    """Return the saksliste of a cooperation meeting, with case notes and the parties' approvals."""
    meeting = data.get("meeting") or {}
    approvals = data.get("approvals") or {}
    meta = ReportMeta(
        title=f"Saksliste – {_meeting_title(meeting)}",
        subtitle=_meeting_subtitle(meeting),
        exercise=bool(data.get("exercise", False)),
        draft=bool(data.get("draft", not _approved_by_both(approvals))),
        generated_at=to_datetime(data.get("generated_at")),
    )
    items = data.get("items") or []
    story: list[Flowable] = [_meeting_block(meeting), *_approval_section(approvals)]
    story += section_heading("Saker")
    story.append(
        data_table(
            ["Sak", "Tittel", "Type", "Ansvarlig"],
            [
                [
                    item.get("number"),
                    item.get("title"),
                    ITEM_KINDS.get(item.get("kind") or "", item.get("kind")),
                    item.get("responsible"),
                ]
                for item in items
            ],
            col_widths=[0.1, 0.5, 0.18, 0.22],
            empty="Ingen saker er meldt opp.",
        )
    )
    for item in items:
        story += section_heading(_item_heading(item), level=2)
        story += text_block(item.get("note"), empty="Ingen saksnotat.")
        if item.get("proposal"):
            story.append(paragraph(f"Forslag til vedtak: {item['proposal']}"))
    return render_pdf(meta, story)


def build_minutes(data: dict[str, Any]) -> bytes:
    """Return the referat of a cooperation meeting: attendance, items, decisions and overdue follow-ups."""
    meeting = data.get("meeting") or {}
    approvals = data.get("approvals") or {}
    meta = ReportMeta(
        title=f"Referat – {_meeting_title(meeting)}",
        subtitle=_meeting_subtitle(meeting),
        exercise=bool(data.get("exercise", False)),
        draft=bool(data.get("draft", not _approved_by_both(approvals))),
        generated_at=to_datetime(data.get("generated_at")),
    )
    decisions = data.get("decisions") or []
    # The parties approve the saksliste before the meeting (the app has no approval of the referat itself):
    # shown with the meeting facts under its own name, not as an approval of this referat at its end.
    story: list[Flowable] = [
        _meeting_block(meeting),
        *_approval_section(approvals, heading="Godkjenning av sakslisten"),
        *section_heading("Til stede"),
        *_attendance(data.get("present") or [], "Ingen registrert."),
    ]
    if data.get("absent"):
        story += [*section_heading("Forfall", level=2), *_attendance(data["absent"], "")]

    story += section_heading("Saker")
    items = data.get("items") or []
    if not items:
        story.append(paragraph("Ingen saker.", "small"))
    for item in items:
        story += section_heading(_item_heading(item), level=2)
        story += text_block(item.get("minutes"), empty="Ingen merknader.")
        for decision in decisions:
            if item.get("number") is not None and decision.get("item") == item.get("number"):
                story.append(
                    paragraph(
                        f"Vedtak: {decision.get('text')} (ansvarlig: {decision.get('owner') or '–'}"
                        f", frist: {format_date(decision.get('due'))})"
                    )
                )

    story += section_heading("Vedtak og oppfølging")
    story.append(_decision_table(decisions, with_meeting=False, empty="Ingen vedtak i dette møtet."))

    overdue = data.get("overdue_decisions") or []
    story += section_heading("Forfalte vedtak fra tidligere møter")
    if overdue:
        story.append(paragraph(f"{len(overdue)} vedtak har passert fristen uten å være utført."))
    story.append(_decision_table(overdue, with_meeting=True, empty="Ingen forfalte vedtak."))
    return render_pdf(meta, story)


def _meeting_title(meeting: dict[str, Any]) -> str:
    return str(meeting.get("title") or MEETING_KINDS.get(meeting.get("kind") or "", "Møte"))


def _meeting_subtitle(meeting: dict[str, Any]) -> str | None:
    parts = [_when(meeting.get("date")), meeting.get("location")]
    return " · ".join(str(part) for part in parts if part) or None


def _when(value: Any) -> str | None:
    if not value:
        return None
    return format_datetime(value) if isinstance(value, datetime | str) else format_date(value)


def _meeting_block(meeting: dict[str, Any]) -> Flowable:
    host = meeting.get("host")
    return key_value_block(
        [
            ("Møte", _meeting_title(meeting)),
            ("Møtetype", MEETING_KINDS.get(meeting.get("kind") or "", meeting.get("kind"))),
            ("Tid", _when(meeting.get("date"))),
            ("Sted", meeting.get("location")),
            ("Vertskap og møteleder", PARTY_NAMES.get(host, host) if host else None),
            ("Møteleder", meeting.get("chair")),
            ("Referent", meeting.get("secretary")),
        ]
    )


def _approved_by_both(approvals: dict[str, Any]) -> bool:
    return all(approvals.get(party) for party in PARTY_NAMES)


def _approval_section(approvals: dict[str, Any], heading: str = "Godkjenning") -> list[Flowable]:
    rows = []
    for party, name in PARTY_NAMES.items():
        approval = approvals.get(party)
        if approval:
            who = approval.get("by") if isinstance(approval, dict) else str(approval)
            at = format_datetime(approval.get("at")) if isinstance(approval, dict) and approval.get("at") else ""
            rows.append((name, f"Godkjent av {who}" + (f", {at}" if at else "")))
        else:
            rows.append((name, "Ikke godkjent ennå"))
    return [*section_heading(heading, level=2), key_value_block(rows)]


def _item_heading(item: dict[str, Any]) -> str:
    number = item.get("number")
    return f"Sak {number}: {item.get('title') or ''}" if number else str(item.get("title") or "Sak")


def _attendance(people: list[Any], empty: str) -> list[Flowable]:
    lines = []
    for person in people:
        if isinstance(person, dict):
            organisation = person.get("organisation")
            lines.append(f"{person.get('name')}" + (f" ({organisation})" if organisation else ""))
        else:
            lines.append(str(person))
    if lines:
        return bullet_list(lines)
    return [paragraph(empty, "small")] if empty else []


def _decision_table(decisions: list[dict[str, Any]], *, with_meeting: bool, empty: str) -> Flowable:
    header = ["Vedtak", "Ansvarlig", "Frist", "Status"]
    widths = [0.5, 0.2, 0.13, 0.17]
    if with_meeting:
        header = ["Møte", *header]
        widths = [0.18, 0.36, 0.18, 0.13, 0.15]
    rows = []
    for decision in decisions:
        row = [
            decision.get("text"),
            decision.get("owner"),
            format_date(decision.get("due")),
            DECISION_STATUS.get(decision.get("status") or "open", decision.get("status")),
        ]
        rows.append([decision.get("meeting"), *row] if with_meeting else row)
    return data_table(header, rows, col_widths=widths, empty=empty)


# --- Oversiktsbilde -------------------------------------------------------------------------------------


def build_oversiktsbilde(data: dict[str, Any]) -> bytes:
    """Return the yearly Oversiktsbilde: indicators per bydel from crime statistics, Ungdata and qualitative input."""
    year = data.get("year")
    indicators = data.get("indicators") or []
    known = {key for key, _ in SOURCES}
    for indicator in indicators:
        if indicator.get("source") not in known:
            raise ValueError(f"ukjent kilde i Oversiktsbildet: {indicator.get('source')!r}")

    districts = list(data.get("districts") or [])
    for indicator in indicators:
        if indicator.get("bydel") not in districts:
            districts.append(indicator.get("bydel"))

    meta = ReportMeta(
        title=data.get("title") or (f"Oversiktsbilde {year}" if year else "Oversiktsbilde"),
        subtitle="Kriminalitet og forebygging blant barn og unge i Kristiansand, per bydel",
        exercise=bool(data.get("exercise", False)),
        draft=bool(data.get("draft", False)),
        generated_at=to_datetime(data.get("generated_at")),
    )
    story: list[Flowable] = [*section_heading("Sammendrag"), *text_block(data.get("summary"))]
    story += section_heading("Kilder")
    notes = data.get("sources") or {}
    story.append(key_value_block([(label, notes.get(key) or SOURCE_DEFAULT_NOTES[key]) for key, label in SOURCES]))
    story += _overview_table(districts, indicators)
    for district in districts:
        story += _district_section(district, [item for item in indicators if item.get("bydel") == district], year)
    if data.get("conclusions"):
        story += [*section_heading("Vurderinger og anbefalinger"), *text_block(data["conclusions"])]
    return render_pdf(meta, story)


def _overview_table(districts: list[Any], indicators: list[dict[str, Any]]) -> list[Flowable]:
    rows = []
    for district in districts:
        counts = [
            sum(1 for item in indicators if item.get("bydel") == district and item.get("source") == key)
            for key, _ in SOURCES
        ]
        rows.append([district or "Hele kommunen", *[str(count) for count in counts]])
    return [
        *section_heading("Datagrunnlag per bydel"),
        data_table(
            ["Bydel", *[label for _, label in SOURCES]],
            rows,
            col_widths=[0.31, 0.23, 0.23, 0.23],
            empty="Ingen indikatorer er registrert.",
        ),
    ]


def _district_section(district: Any, indicators: list[dict[str, Any]], year: Any) -> list[Flowable]:
    story: list[Flowable] = [*section_heading(f"Bydel {district}" if district else "Hele kommunen")]
    crime = [item for item in indicators if item.get("source") == "kriminalstatistikk"]
    survey = [item for item in indicators if item.get("source") == "ungdata"]
    qualitative = [item for item in indicators if item.get("source") == "kvalitativ"]

    story += section_heading("Kriminalstatistikk", level=2)
    previous_label = f"{year - 1}" if isinstance(year, int) else "Forrige år"
    story.append(
        data_table(
            ["Indikator", previous_label, f"{year}" if year else "I år", "Endring", "Kommentar"],
            [
                [
                    item.get("name"),
                    _value(item.get("previous"), item.get("unit")),
                    _value(item.get("value"), item.get("unit")),
                    _change(item.get("value"), item.get("previous")),
                    item.get("comment"),
                ]
                for item in crime
            ],
            col_widths=[0.3, 0.12, 0.12, 0.14, 0.32],
            empty="Ingen tall fra kriminalstatistikken.",
        )
    )
    story += section_heading("Ungdata", level=2)
    story.append(
        data_table(
            ["Indikator", "Verdi", "Kommentar"],
            [[item.get("name"), _value(item.get("value"), item.get("unit")), item.get("comment")] for item in survey],
            col_widths=[0.45, 0.15, 0.4],
            empty="Ingen tall fra Ungdata.",
        )
    )
    story += section_heading("Kvalitativ informasjon", level=2)
    if qualitative:
        story += _qualitative_bullets(qualitative)
    else:
        story.append(paragraph("Ingen kvalitativ informasjon.", "small"))
    return story


def _qualitative_bullets(items: list[dict[str, Any]]) -> list[Flowable]:
    bullets = []
    for item in items:
        text = markup(item.get("text") or item.get("value") or item.get("name"))
        if item.get("from"):
            text += f" <font color='#4a5561'>(kilde: {markup(item['from'])})</font>"
        bullets.append(rich(text))
    return bullet_list(bullets)


def _value(value: Any, unit: str | None) -> str:
    text = format_number(value)
    return f"{text} {unit}" if unit and value is not None and value != "" else text


def _change(value: Any, previous: Any) -> str | None:
    numeric = (int, float)
    if not isinstance(value, numeric) or not isinstance(previous, numeric) or isinstance(value, bool):
        return None
    difference = value - previous
    sign = "+" if difference > 0 else ("-" if difference < 0 else "±")
    text = f"{sign}{format_number(abs(difference))}"
    if previous:
        text += f" ({sign}{format_number(abs(100 * difference / previous), 0)} %)"
    return text
