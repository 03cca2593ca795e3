"""Situasjonsrapport (sitrep) PDF, with the headings of DSB's template, log extract, open tasks and map.

Input (`build_sitrep(data)`); times are datetimes or ISO 8601 strings, naive ones taken as UTC:

    {
        "incident": {"id": 12, "title": "Flom i Otra", "kind": "incident" | "exercise",
                     "severity": 1-3 | None, "status": "open" | "closed"},
        "number": 3,                        # situasjonsrapport nr.
        "as_of": datetime,                  # the time the report describes (default: generated_at)
        "author": "Kari Nordmann",          # utarbeidet av
        "approved_by": "Ola Ødegård" | None,
        "approved_at": datetime | None,
        "status": "draft" | "approved",     # also "utkast" | "godkjent"
        "sections": {                       # each: text (blank line = new paragraph) or list of bullet strings
            "situation": ..., "actions_taken": ..., "actions_planned": ..., "consequences": ...,
            "assistance_needed": ..., "public_information": ..., "next_report": datetime | str,
        },
        "log": [{"id": 7, "seq": 7?, "created_at": datetime, "category": "melding", "author": "…",
                 "text": "…", "corrects": <id> | None,
                 "corrects_seq": <seq>?}],     # oldest first; the lines to print
        "tasks": [{"id", "title", "assignee", "due": datetime | None, "status": "new"|"started"|"done"}],
        "map_drawing": reportlab Drawing | None, "map_caption": str | None,
        "exercise": bool?,      # default: incident kind == "exercise"
        "draft": bool?,         # default: not approved (status not approved and no approved_by)
        "generated_at": datetime?,
    }

A log entry named in another entry's `corrects` is struck through and marked "(korrigert)"; the correcting
entry says which entry it corrects. The log table is one long table whose header repeats on every page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import ngettext
from reportlab.platypus import Flowable

from beredskap.reports.flowables import data_table, figure, key_value_block, paragraph, section_heading, text_block
from beredskap.reports.formatting import format_datetime, markup, rich, to_datetime
from beredskap.reports.page import ReportMeta, render_pdf
from beredskap.vocabulary import SEVERITY_TITLES, SITREP_SECTIONS, TASK_STATUS_TITLES

# DSB's sitrep headings, in their order; the labels are the vocabulary's.
SECTIONS = SITREP_SECTIONS
TASK_STATUS = TASK_STATUS_TITLES
APPROVED = {"approved", "godkjent"}
SEVERITY = SEVERITY_TITLES


def build_sitrep(data: dict[str, Any]) -> bytes:
    """Return the situasjonsrapport as PDF bytes."""
    incident = data.get("incident") or {}
    generated_at = to_datetime(data.get("generated_at")) or datetime.now(UTC)
    as_of = to_datetime(data.get("as_of")) or generated_at
    number = data.get("number")
    status = str(data.get("status") or "draft").lower()
    approved = status in APPROVED or bool(data.get("approved_by"))
    exercise = bool(data.get("exercise", incident.get("kind") == "exercise"))
    draft = bool(data.get("draft", not approved))

    title = f"Situasjonsrapport nr. {number}" if number is not None else "Situasjonsrapport"
    meta = ReportMeta(
        title=f"{title} – {incident.get('title') or 'Hendelse'}",
        subtitle=f"Per {format_datetime(as_of)}"
        + (f" · Hendelse nr. {incident['id']}" if incident.get("id") is not None else ""),
        exercise=exercise,
        draft=draft,
        generated_at=generated_at,
    )

    sections = data.get("sections") or {}
    story: list[Flowable] = [_header_block(data, incident, as_of, approved)]
    for index, (key, heading) in enumerate(SECTIONS, start=1):
        story.extend(section_heading(f"{index}. {heading}"))
        value = sections.get(key)
        if key == "next_report" and isinstance(_as_datetime(value), datetime):
            value = format_datetime(value)
        story.extend(text_block(value))
        if key == "situation" and data.get("map_drawing") is not None:
            story.append(figure(data["map_drawing"], data.get("map_caption") or "Kart over innsatsområdet"))

    story.extend(_task_sections(data.get("tasks") or [], as_of))
    story.extend(_log_section(data.get("log") or []))
    return render_pdf(meta, story)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return to_datetime(value)
        except ValueError:
            return None
    return None


def _header_block(data: dict[str, Any], incident: dict[str, Any], as_of: datetime, approved: bool) -> Flowable:
    approver = data.get("approved_by")
    if approver:
        approval = f"Godkjent av {approver}"
        if data.get("approved_at"):
            approval += f", {format_datetime(data['approved_at'])}"
    else:
        approval = "Ikke godkjent"
    rows: list[tuple[str, Any]] = [
        ("Hendelse", incident.get("title")),
        ("Rapport nr.", data.get("number")),
        ("Tidspunkt", format_datetime(as_of)),
        ("Utarbeidet av", data.get("author")),
        ("Status", approval if approved else f"Utkast – {approval.lower()}"),
    ]
    if incident.get("severity") is not None:
        rows.append(("Alvorlighetsgrad", SEVERITY.get(incident["severity"], incident["severity"])))
    if incident.get("status"):
        rows.append(("Hendelsen er", "avsluttet" if incident["status"] == "closed" else "åpen"))
    return key_value_block(rows)


def _task_sections(tasks: list[dict[str, Any]], as_of: datetime) -> list[Flowable]:
    open_tasks = [task for task in tasks if task.get("status") != "done"]
    overdue = [task for task in open_tasks if _is_overdue(task, as_of)]
    on_time = [task for task in open_tasks if not _is_overdue(task, as_of)]
    header = ["Nr.", "Oppgave", "Ansvarlig", "Frist", "Status"]
    widths = [0.07, 0.41, 0.19, 0.18, 0.15]
    story: list[Flowable] = [
        *section_heading("Oppgaver"),
        paragraph(
            ngettext("%(num)d åpen oppgave", "%(num)d åpne oppgaver", len(open_tasks))
            + ngettext(", hvorav %(num)d forsinket", ", hvorav %(num)d forsinket", len(overdue))
            + " (per rapporttidspunkt)."
        ),
        *section_heading("Forsinkede oppgaver", level=2),
        data_table(
            header,
            [_task_row(task, "Forsinket") for task in overdue],
            col_widths=widths,
            empty="Ingen forsinkede oppgaver.",
        ),
        *section_heading("Åpne oppgaver", level=2),
        data_table(header, [_task_row(task, None) for task in on_time], col_widths=widths, empty="Ingen."),
    ]
    return story


def _is_overdue(task: dict[str, Any], as_of: datetime) -> bool:
    due = to_datetime(task.get("due"))
    return due is not None and due < as_of


def _task_row(task: dict[str, Any], remark: str | None) -> list[Any]:
    status = TASK_STATUS.get(task.get("status") or "new", task.get("status"))
    # Overdue is said in words, not by colour alone.
    return [
        "" if task.get("id") is None else str(task["id"]),
        task.get("title"),
        task.get("assignee"),
        format_datetime(task.get("due")),
        f"{status} – {remark}" if remark else status,
    ]


def _log_section(entries: list[dict[str, Any]]) -> list[Flowable]:
    corrected = {entry["corrects"] for entry in entries if entry.get("corrects") is not None}
    shown_number = {entry.get("id"): entry.get("seq", entry.get("id")) for entry in entries}
    rows = []
    for entry in entries:
        number = entry.get("seq", entry.get("id"))
        # Plain text stays a plain string (data_table wraps it without markup, so it needs no escaping);
        # only the marked-up forms of corrections go through Paragraph markup.
        text: Any = entry.get("text")
        if entry.get("id") in corrected or entry.get("corrects") is not None:
            text = markup(text)
            if entry.get("id") in corrected:
                text = f"<strike>{text}</strike> <b>(korrigert)</b>"
            if entry.get("corrects") is not None:
                # The corrected line may be older than the printed window; then use its seq if given.
                target = shown_number.get(entry["corrects"]) or entry.get("corrects_seq") or entry["corrects"]
                text = f"<b>Korrigerer nr. {markup(target)}:</b> {text}"
            text = rich(text)
        rows.append(
            [
                "" if number is None else str(number),
                format_datetime(entry.get("created_at"), with_year=False),
                entry.get("category"),
                entry.get("author"),
                text,
            ]
        )
    return [
        *section_heading(
            ngettext("Logg (%(num)d loggføring)", "Logg (%(num)d loggføringer)", len(entries)) if entries else "Logg"
        ),
        data_table(
            ["Nr.", "Tid", "Kategori", "Loggført av", "Tekst"],
            rows,
            col_widths=[0.06, 0.13, 0.13, 0.16, 0.52],
            empty="Ingen loggføringer i perioden.",
        ),
    ]
