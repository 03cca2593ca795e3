"""Pages of the cooperation: årshjul, meetings, directory, agreement, Oversiktsbilde; PDFs and calendars."""

from datetime import date, datetime

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.concurrency import render_report
from beredskap.cooperation import (
    annual,
    attachments,
    decisions,
    knowledge,
    meetings,
    overview,
    periods,
    proposals,
    services,
    threat,
)
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    BYDELER,
    CYCLE_ITEM_STATUSES,
    DECISION_STATUSES,
    DOCUMENT_CYCLE_KEYS,
    FUNCTIONS,
    MEETING_CYCLE_KEYS,
    MEETING_KINDS,
    OVERVIEW_SOURCES,
    PARTY_BODIES,
    POLICE_STATIONS,
    ROUTINE_STATUSES,
)
from beredskap.i18n import translated
from beredskap.realtime.journal import last_seq
from beredskap.reports.cooperation import build_agenda, build_minutes, build_oversiktsbilde
from beredskap.routing import is_digits
from beredskap.vocabulary import DATE_FORMAT, DATETIME_FORMAT, INPUT_DATETIME_FORMAT, MONTH_NAMES, PARTY_NAMES

bp = Blueprint("cooperation", __name__)


def _local(value: datetime | date | str | None) -> datetime | date | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(meetings.OSLO)
    return value


def format_when(value: datetime | date | str | None) -> str:
    """«20.04.2027 kl. 12:00» for a time, «20.04.2027» for a day, «–» for nothing."""
    value = _local(value)
    from flask_babel import format_date, format_datetime, get_locale

    english = str(get_locale()) == "en"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMM yyyy HH:mm") if english else value.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return format_date(value, "d MMM yyyy") if english else value.strftime(DATE_FORMAT)
    return "–"


def input_datetime(value: datetime | None) -> str:
    """The value of a datetime-local field, in Oslo time."""
    return value.astimezone(meetings.OSLO).strftime(INPUT_DATETIME_FORMAT) if value else ""


def format_number(value: float | None) -> str:
    """A figure the Norwegian way: «8,1», «21»."""
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",")


def _month_names() -> tuple[str, ...]:
    from flask_babel import get_locale

    if str(get_locale()) == "nb":
        return MONTH_NAMES
    from flask_babel import format_date

    return tuple(format_date(date(2000, month, 1), "LLLL") for month in range(1, 13))


def _helpers() -> dict:
    return {
        "format_when": format_when,
        "format_number": format_number,
        "input_datetime": input_datetime,
        # Month names, kinds and statuses in the chosen language (the Norwegian texts are the catalogue's msgids).
        "months": _month_names(),
        "party_names": PARTY_NAMES,
        "party_bodies": PARTY_BODIES,
        "meeting_kinds": translated(MEETING_KINDS),
        "item_kinds": translated(AGENDA_ITEM_KINDS),
        "decision_statuses": translated(DECISION_STATUSES),
        "cycle_statuses": translated(CYCLE_ITEM_STATUSES),
        "routine_statuses": translated(ROUTINE_STATUSES),
        "sources": translated(OVERVIEW_SOURCES),
        "bydeler": BYDELER,
        "can_write": current_user.can(Perm.COOP_WRITE),
        "can_approve": current_user.can(Perm.COOP_APPROVE),
        "coop_seq": last_seq(meetings.CHANNEL),
    }


def _default_year(upcoming: list | None = None) -> int:
    """The year of the next meeting, so the page opens on what is coming rather than on a year already held;
    without one, this year if an agreement covers it, else the nearest year that one covers."""
    year = meetings.local_day(upcoming[0].starts_at).year if upcoming else meetings.today().year
    years = periods.agreement_years()
    return min(years, key=lambda y: (abs(y - year), y)) if years else year


def _year_arg(upcoming: list | None = None) -> int:
    raw = request.args.get("year", "")
    if is_digits(raw) and len(raw) == 4:
        return int(raw)
    return _default_year(upcoming)


def _current_and_coming(limit: int = 6) -> list:
    """Today's meetings that have already begun (still current), then the coming ones."""
    today = meetings.today()
    now = utcnow()
    begun = [
        m
        for m in meetings.list_meetings(today.year)
        if m.starts_at and m.starts_at <= now and meetings.local_day(m.starts_at) == today
    ]
    return (begun + meetings.upcoming_meetings(limit=limit))[:limit]


@bp.get("/cooperation")
@require_page(Perm.COOP_READ)
def index_page():
    """Current and coming meetings first, the årshjul of a year, open decisions and the calendar feeds."""
    upcoming = _current_and_coming()
    year = _year_arg(upcoming)
    if periods.agreement_for_year(year) is None:
        # A year no agreement covers: say so, and show the years that are covered.
        return render_template(
            "cooperation/uncovered.html",
            year=year,
            years=list(annual.agreement_years()),
            message=periods.uncovered_message(year),
            **_helpers(),
        )
    cycle = annual.annual_cycle(year)
    year_meetings = meetings.list_meetings(year)
    slots = {m.cycle_key: m for m in year_meetings if m.cycle_key}
    documents = {item["key"]: item for item in cycle["items"] if item["key"] in DOCUMENT_CYCLE_KEYS}
    return render_template(
        "cooperation/index.html",
        year=year,
        years=list(annual.agreement_years()),
        cycle=cycle,
        slots=slots,
        slot_titles={item["key"]: item["title"] for item in cycle["items"]},
        meeting_keys=list(MEETING_CYCLE_KEYS),
        document_keys=list(DOCUMENT_CYCLE_KEYS),
        documents=documents,
        upcoming=upcoming,
        year_meetings=year_meetings,
        open_decisions=decisions.list_decisions(status="not_done"),
        has_feed=annual.has_calendar_token(current_user),
        **_helpers(),
    )


@bp.get("/cooperation/annual-cycle/<int:year>.ics")
@require_page(Perm.COOP_READ)
def annual_ics(year: int):
    """The årshjul of a year as an iCalendar file (login required)."""
    if periods.agreement_for_year(year) is None:
        abort(404)
    return Response(
        annual.year_ics(year),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="arshjul-{year}.ics"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/cooperation/calendar/<token>.ics")
def calendar_feed(token: str):
    """The årshjul for all years of the agreement, for calendar apps; the secret in the URL is the login."""
    user = annual.user_for_calendar_token(token)
    if user is None:
        abort(404)
    return Response(annual.feed_ics(), mimetype="text/calendar", headers={"Cache-Control": "private, max-age=900"})


@bp.get("/cooperation/meetings/<int:meeting_id>")
@require_page(Perm.COOP_READ)
def meeting_page(meeting_id: int):
    """A meeting: saksliste with case notes, approvals, sending, referat and decisions."""
    meeting = meetings.get_meeting(meeting_id)
    detail = decisions.meeting_detail(meeting_id)
    next_year = meeting.year + 1
    return render_template(
        "cooperation/meeting.html",
        meeting=meeting,
        detail=detail,
        my_parties=meetings.approver_parties(current_user),
        is_secretary=current_user.role in proposals.SECRETARY_ROLES,
        police_stations={key: f"{name} politistasjon" for key, name in POLICE_STATIONS.items()},
        focus_areas=knowledge.focus_areas_for_year(meeting.year),
        attachments=[
            {**a.to_dict(), "url": url_for("cooperation_api.get_attachment", attachment_id=a.id)}
            for a in attachments.list_attachments(meeting_id)
        ],
        attachment_limit_mb=attachments.max_bytes() // (1024 * 1024),
        fix_next_year=next_year
        if meeting.cycle_key == "politirad-host" and periods.agreement_for_year(next_year)
        else None,
        **_helpers(),
    )


def _pdf(data: bytes, name: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.get("/cooperation/meetings/<int:meeting_id>/agenda.pdf")
@require_page(Perm.COOP_READ)
def agenda_pdf(meeting_id: int):
    """The saksliste as PDF, starting with the follow-up of earlier decisions."""
    data = decisions.agenda_report_data(meeting_id)
    return _pdf(render_report(build_agenda, data), f"saksliste-{meeting_id}.pdf")


@bp.get("/cooperation/meetings/<int:meeting_id>/minutes.pdf")
@require_page(Perm.COOP_READ)
def minutes_pdf(meeting_id: int):
    """The referat as PDF, with decisions and overdue decisions of earlier meetings."""
    data = decisions.minutes_report_data(meeting_id)
    return _pdf(render_report(build_minutes, data), f"referat-{meeting_id}.pdf")


@bp.get("/cooperation/directory")
@require_page(Perm.COOP_READ)
def directory_page():
    """Parties, units, functions and people; områdekontakter and police contacts per bydel with meeting points."""
    return render_template(
        "cooperation/directory.html", directory=services.directory_data(current_user), functions=FUNCTIONS, **_helpers()
    )


@bp.get("/cooperation/agreement")
@require_page(Perm.COOP_READ)
def agreement_page():
    """The agreement (the current one, or `?id=`): parties and signatories, period, goals, sections, steering
    documents, innsatsområder, cooperation areas with routines, evaluations; and registering the next one."""
    raw = request.args.get("id", "")
    agreement_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    return render_template(
        "cooperation/agreement.html",
        agreement=knowledge.agreement_data(agreement_id),
        years=list(annual.agreement_years()),
        **_helpers(),
    )


@bp.get("/cooperation/oversiktsbilde")
@require_page(Perm.COOP_READ)
def overview_index():
    """The Oversiktsbilde of the current year."""
    return redirect(url_for("cooperation.overview_page", year=_default_year()))


@bp.get("/cooperation/oversiktsbilde/<int:year>")
@require_page(Perm.COOP_READ)
def overview_page(year: int):
    """The Oversiktsbilde of a year: indicators per bydel from crime statistics, Ungdata and qualitative input."""
    return render_template(
        "cooperation/oversiktsbilde.html",
        overview=overview.overview_data(year),
        threat=threat.assessment_data(year),
        year=year,
        years=list(annual.agreement_years()),
        **_helpers(),
    )


@bp.get("/cooperation/oversiktsbilde/<int:year>.pdf")
@require_page(Perm.COOP_READ)
def overview_pdf(year: int):
    """The Oversiktsbilde as PDF."""
    data = overview.overview_report_data(year)
    return _pdf(render_report(build_oversiktsbilde, data), f"oversiktsbilde-{year}.pdf")
