"""Pages of the structured yearly evaluation of the agreement (§6), and its PDF."""

from flask import Blueprint, Response, redirect, render_template, url_for
from flask_login import current_user

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.concurrency import render_report
from beredskap.consent.services import oslo_today
from beredskap.cooperation import evaluation, periods
from beredskap.cooperation.evaluation_models import EVALUATION_STATUSES, TARGETS
from beredskap.realtime.journal import last_seq
from beredskap.reports.coop_evaluation import build_agreement_evaluation

bp = Blueprint("coop_evaluation", __name__)


def _date_text(iso: str | None) -> str:
    return ".".join(reversed(iso[:10].split("-"))) if iso else "–"


@bp.get("/cooperation/evaluation")
@require_page(Perm.COOP_READ)
def evaluation_index():
    """This year's evaluation (or the nearest year an agreement covers)."""
    year = oslo_today().year
    years = periods.agreement_years()
    if years and year not in years:
        year = min(years, key=lambda y: (abs(y - year), y))
    return redirect(url_for("coop_evaluation.evaluation_page", year=year))


@bp.get("/cooperation/evaluation/<int:year>")
@require_page(Perm.COOP_READ)
def evaluation_page(year: int):
    """The year's evaluation per innsatsområde and samarbeidsområde, the fortløpende notes, and the PDF."""
    return render_template(
        "cooperation/evaluation.html",
        evaluation=evaluation.evaluation_data(year),
        year=year,
        years=periods.agreement_years(),
        statuses=EVALUATION_STATUSES,
        targets=TARGETS,
        today=oslo_today().isoformat(),
        coop_seq=last_seq("cooperation"),
        can_write=current_user.can(Perm.COOP_WRITE),
        date_text=_date_text,
    )


@bp.get("/cooperation/evaluation/<int:year>.pdf")
@require_page(Perm.COOP_READ)
def evaluation_pdf(year: int):
    """The year's structured evaluation as PDF."""
    pdf = render_report(build_agreement_evaluation, evaluation.report_data(year))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="avtaleevaluering-{year}.pdf"',
            "Cache-Control": "no-store",
        },
    )
