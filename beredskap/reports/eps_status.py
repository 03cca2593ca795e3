"""EPS (evakuerte- og pårørendesenter) reports: a status report with counts only, and a confidential name list.

`build_eps_status(data)` prints no personal data at all, so it may go to crisis management, politicians and
the press office; it reads only the count fields below and ignores anything else in `data`:

    {
        "incident": {"id", "title", "kind": "incident" | "exercise"},
        "centre": {"name": "Gimlehallen", "status": "open" | "closed" | str, "capacity": 300,
                   "present": 120, "registered": 150, "left": 30},
        "as_of": datetime,
        "departments": [{"name": "Mottak", "staff_present": 4, "staff_needed": 6}],
        "needs": {"medisinsk": 3, "tolk": 2} | [{"need": "medisinsk", "count": 3}],
        "inquiries": {"total": 40, "open": 12, "matched": 20, "reunited": 8},
        "exercise": bool?, "draft": bool?, "generated_at": datetime?,
    }

`build_eps_namelist(data)` is the named list, sorted by surname (Norwegian order: … z, æ, ø, å) and marked
"Taushetsbelagt – unntatt offentlighet" on every page:

    {
        "incident": {...}, "centre": {"name"}, "as_of": datetime,
        "evacuees": [{"full_name", "birth_date": date?, "phone"?, "address"?, "status": "present" | "left",
                      "registered_at": datetime?, "destination"?, "needs"?: [str] | str}],
        "exercise": bool?, "generated_at": datetime?,
    }
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from flask_babel import ngettext
from reportlab.platypus import Flowable

from beredskap.reports.flowables import data_table, key_value_block, notice, paragraph, section_heading
from beredskap.reports.formatting import format_date, format_datetime, format_number, to_datetime
from beredskap.reports.page import ReportMeta, content_width, render_pdf
from beredskap.vocabulary import EVACUEE_STATUS_TITLES, INQUIRY_STATUS_TITLES, InquiryStatus

CONFIDENTIAL = "Taushetsbelagt – unntatt offentlighet, jf. offl. § 13 / fvl. § 13"
CENTRE_STATUS = {"open": "Åpent", "opening": "Under etablering", "closed": "Stengt"}
EVACUEE_STATUS = {**EVACUEE_STATUS_TITLES, "reunited": INQUIRY_STATUS_TITLES[InquiryStatus.REUNITED]}
NEED_LABELS = {
    "medisinsk": "Medisinsk oppfølging",
    "medical": "Medisinsk oppfølging",
    "medisiner": "Medisiner",
    "rullestol": "Rullestol / tilrettelegging",
    "wheelchair": "Rullestol / tilrettelegging",
    "tolk": "Tolk",
    "interpreter": "Tolk",
    "kost": "Spesialkost",
    "diet": "Spesialkost",
    "overnatting": "Overnatting",
    "psykososial": "Psykososial støtte",
    "kjæledyr": "Kjæledyr",
    "pets": "Kjæledyr",
}


def build_eps_status(data: dict[str, Any]) -> bytes:
    """Return the EPS status report (counts only, no names) as PDF bytes."""
    incident = data.get("incident") or {}
    centre = data.get("centre") or {}
    as_of = to_datetime(data.get("as_of")) or to_datetime(data.get("generated_at")) or datetime.now(UTC)
    meta = ReportMeta(
        title=f"Statusrapport EPS – {centre.get('name') or 'evakuerte- og pårørendesenter'}",
        subtitle=_subtitle(incident, as_of),
        exercise=bool(data.get("exercise", incident.get("kind") == "exercise")),
        draft=bool(data.get("draft", False)),
        generated_at=to_datetime(data.get("generated_at")),
    )

    capacity = _count(centre.get("capacity"))
    present = _count(centre.get("present"))
    free = max(capacity - present, 0) if capacity is not None and present is not None else None
    occupancy = f"{round(100 * present / capacity)} %" if capacity and present is not None else None
    story: list[Flowable] = [
        *section_heading("Belegg"),
        key_value_block(
            [
                ("Senter", centre.get("name")),
                ("Status", CENTRE_STATUS.get(centre.get("status") or "", centre.get("status"))),
                ("Kapasitet", format_number(capacity)),
                ("Til stede nå", format_number(present)),
                ("Ledig kapasitet", format_number(free)),
                ("Belegg", occupancy),
                ("Registrert totalt", format_number(_count(centre.get("registered")))),
                ("Har forlatt senteret", format_number(_count(centre.get("left")))),
            ]
        ),
    ]
    if capacity and present is not None and present > capacity:
        story.append(notice(f"Overbelegg: {present - capacity} flere til stede enn kapasiteten."))

    story += _department_section(data.get("departments") or [])
    story += _needs_section(data.get("needs") or {})
    story += _inquiry_section(data.get("inquiries") or {})
    story.append(
        paragraph(
            "Rapporten inneholder ingen personopplysninger. Navneliste skrives ut separat og er taushetsbelagt.",
            "small",
        )
    )
    return render_pdf(meta, story)


def build_eps_namelist(data: dict[str, Any]) -> bytes:
    """Return the confidential name list of an EPS as PDF bytes (landscape A4)."""
    incident = data.get("incident") or {}
    centre = data.get("centre") or {}
    as_of = to_datetime(data.get("as_of")) or to_datetime(data.get("generated_at")) or datetime.now(UTC)
    evacuees = sorted(data.get("evacuees") or [], key=lambda person: surname_sort_key(person.get("full_name")))
    meta = ReportMeta(
        title=f"Navneliste EPS – {centre.get('name') or 'evakuerte- og pårørendesenter'}",
        subtitle=_subtitle(incident, as_of),
        exercise=bool(data.get("exercise", incident.get("kind") == "exercise")),
        draft=bool(data.get("draft", False)),
        classification=CONFIDENTIAL,
        generated_at=to_datetime(data.get("generated_at")),
        landscape=True,
    )
    present = sum(1 for person in evacuees if person.get("status") == "present")
    rows = [
        [
            str(number),
            person.get("full_name"),
            format_date(person.get("birth_date")),
            person.get("phone"),
            person.get("address"),
            EVACUEE_STATUS.get(person.get("status") or "", person.get("status")),
            format_datetime(person.get("registered_at"), with_year=False),
            person.get("destination"),
            _needs_text(person.get("needs")),
        ]
        for number, person in enumerate(evacuees, start=1)
    ]
    story: list[Flowable] = [
        notice(
            f"{CONFIDENTIAL}. Skal ikke deles med uvedkommende. Oppbevares utilgjengelig og makuleres når "
            "den ikke lenger trengs."
        ),
        paragraph(
            ngettext("%(num)d person registrert", "%(num)d personer registrert", len(evacuees))
            + f", {present} til stede per {format_datetime(as_of)}."
        ),
        data_table(
            ["Nr.", "Navn", "Født", "Telefon", "Adresse", "Status", "Registrert", "Reisemål", "Behov"],
            rows,
            col_widths=[0.04, 0.16, 0.08, 0.12, 0.17, 0.08, 0.09, 0.12, 0.14],
            width=content_width(landscape_page=True),
            empty="Ingen registrerte personer.",
        ),
    ]
    return render_pdf(meta, story)


def surname_sort_key(full_name: str | None) -> tuple[str, str]:
    """Return a key that sorts people by surname (the last word of the name), then by full name."""
    words = (full_name or "").split()
    return (norwegian_sort_key(words[-1] if words else ""), norwegian_sort_key(full_name))


def norwegian_sort_key(name: str | None) -> str:
    """Return a key that sorts names in Norwegian alphabetical order (… z, æ, ø, å; é as e)."""
    text = (name or "").casefold()
    # æ, ø, å are letters of their own after z; other accents (é, ü) sort as their base letter.
    text = text.replace("æ", "{0").replace("ø", "{1").replace("å", "{2")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _subtitle(incident: dict[str, Any], as_of: datetime) -> str:
    parts = [incident.get("title"), f"per {format_datetime(as_of)}"]
    return " · ".join(str(part) for part in parts if part)


def _count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _department_section(departments: list[dict[str, Any]]) -> list[Flowable]:
    rows = []
    for department in departments:
        staffed = _count(department.get("staff_present"))
        needed = _count(department.get("staff_needed"))
        if staffed is not None and needed is not None:
            gap = staffed - needed
            remark = "Underbemannet" if gap < 0 else "Bemannet"
            difference = f"{gap:+d}" if gap else "0"
        else:
            remark, difference = None, None
        rows.append([department.get("name"), format_number(staffed), format_number(needed), difference, remark])
    total_staff = sum(_count(department.get("staff_present")) or 0 for department in departments)
    story: list[Flowable] = [*section_heading("Avdelinger og bemanning")]
    if departments:
        story.append(
            paragraph(
                ngettext("%(num)d avdeling", "%(num)d avdelinger", len(departments))
                + ngettext(", %(num)d mannskap til stede.", ", %(num)d mannskaper til stede.", total_staff)
            )
        )
    story.append(
        data_table(
            ["Avdeling", "Bemanning til stede", "Behov", "Differanse", "Vurdering"],
            rows,
            col_widths=[0.32, 0.18, 0.14, 0.14, 0.22],
            empty="Ingen avdelinger er registrert.",
        )
    )
    return story


def _needs_section(needs: dict[str, Any] | list[dict[str, Any]]) -> list[Flowable]:
    pairs = needs.items() if isinstance(needs, dict) else [(item.get("need"), item.get("count")) for item in needs]
    rows = [[_need_label(need), format_number(_count(count))] for need, count in pairs]
    return [
        *section_heading("Behov blant evakuerte"),
        data_table(["Behov", "Antall personer"], rows, col_widths=[0.7, 0.3], empty="Ingen registrerte behov."),
    ]


def _inquiry_section(inquiries: dict[str, Any]) -> list[Flowable]:
    return [
        *section_heading("Henvendelser fra pårørende"),
        key_value_block(
            [
                ("Henvendelser totalt", format_number(_count(inquiries.get("total")))),
                ("Åpne", format_number(_count(inquiries.get("open")))),
                ("Med mulig treff", format_number(_count(inquiries.get("matched")))),
                ("Gjenforent / bekreftet", format_number(_count(inquiries.get("reunited")))),
            ]
        ),
    ]


def _need_label(need: Any) -> str:
    key = str(need or "").strip()
    return NEED_LABELS.get(key.lower(), key.replace("_", " ").capitalize() or "Annet")


def _needs_text(needs: Any) -> str | None:
    if not needs:
        return None
    if isinstance(needs, list | tuple):
        return ", ".join(_need_label(need) for need in needs)
    return str(needs)
