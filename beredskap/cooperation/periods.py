"""Agreement periods as records: which samarbeidsavtale covers a year, and the signed 2025–2028 one.

The signed agreement is reference data: it is registered the first time the cooperation needs it (a fresh database
has it without running the demo seed). Later agreements (e.g. 2029–2032) are registered by a coordinator.
"""

from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from beredskap.clock import utcnow
from beredskap.cooperation.agreement import (
    AGREEMENT_END,
    AGREEMENT_START,
    AGREEMENT_TITLE,
    COOPERATION_AREAS,
    FOCUS_AREAS,
    FOCUS_AREAS_NOTE,
    GOALS,
    MANDATES,
    OUTSIDE_NOTE,
    SIGNATORIES,
    SIGNED_PARTIES,
    SIGNED_PERIOD_BASIS,
    SIGNED_VALID_FROM,
    SIGNED_VALID_TO,
    STEERING_DOCUMENTS,
)
from beredskap.cooperation.agreement_text import SIGNED_SECTIONS
from beredskap.cooperation.models import (
    Agreement,
    AgreementSection,
    CooperationArea,
    FocusArea,
    SteeringDocument,
)
from beredskap.domain_errors import Invalid
from beredskap.extensions import db
from beredskap.vocabulary import OSLO


def _add_signed_agreement() -> Agreement:
    from beredskap.cooperation.services import ensure_parties

    ensure_parties()
    agreement = Agreement(
        title=AGREEMENT_TITLE,
        period_start=AGREEMENT_START,
        period_end=AGREEMENT_END,
        valid_from=date.fromisoformat(SIGNED_VALID_FROM),
        valid_to=date.fromisoformat(SIGNED_VALID_TO),
        period_basis=SIGNED_PERIOD_BASIS,
        parties=list(SIGNED_PARTIES),
        signatories=[
            {"name": name, "function": function, "unit": unit, "party": party}
            for name, function, unit, party in SIGNATORIES
        ],
        goals=list(GOALS),
        mandates=dict(MANDATES),
        outside_note=OUTSIDE_NOTE,
        summary="",
        focus_areas_note=FOCUS_AREAS_NOTE,
    )
    db.session.add(agreement)
    db.session.flush()
    for position, (number, title, text) in enumerate(SIGNED_SECTIONS):
        db.session.add(
            AgreementSection(agreement_id=agreement.id, number=number, title=title, text=text, position=position)
        )
    for position, title in enumerate(STEERING_DOCUMENTS):
        db.session.add(SteeringDocument(agreement_id=agreement.id, title=title, owner="", position=position))
    for position, title in enumerate(FOCUS_AREAS):
        db.session.add(FocusArea(agreement_id=agreement.id, title=title, position=position))
    for position, title in enumerate(COOPERATION_AREAS):
        db.session.add(CooperationArea(agreement_id=agreement.id, title=title, position=position))
    db.session.flush()
    return agreement


def ensure_signed_agreement() -> bool:
    """Register the signed agreement 2025–2028 if no agreement is registered yet; True when it was added."""
    if db.session.scalar(select(Agreement.id).limit(1)) is not None:
        return False
    try:
        _add_signed_agreement()
        db.session.commit()
    except IntegrityError:
        # Another request registered it at the same moment.
        db.session.rollback()
        return False
    return True


def list_agreements() -> list[Agreement]:
    ensure_signed_agreement()
    return list(db.session.scalars(select(Agreement).order_by(Agreement.period_start)))


def agreement_for_year(year: int) -> Agreement | None:
    return next((a for a in list_agreements() if a.covers(year)), None)


def periods_text(agreements: list[Agreement] | None = None) -> str:
    agreements = list_agreements() if agreements is None else agreements
    return ", ".join(f"{a.period_start}–{a.period_end}" for a in agreements) or gettext("ingen")


def uncovered_message(year: int) -> str:
    return gettext(
        "Ingen registrert samarbeidsavtale gjelder for %(year)s. Registrerte avtaleperioder: %(periods)s. "
        "En koordinator kan registrere neste avtale på siden Samarbeidsavtalen.",
        year=year,
        periods=periods_text(),
    )


def check_year(year: int) -> Agreement:
    """The agreement covering `year`; a year no agreement covers is refused with a clear message (422)."""
    agreement = agreement_for_year(year)
    if agreement is None:
        raise Invalid("outside_agreement", uncovered_message(year), {"year": "ingen avtale"})
    return agreement


def agreement_years() -> list[int]:
    """Every year some registered agreement covers, in order."""
    years: set[int] = set()
    for agreement in list_agreements():
        years.update(range(agreement.period_start, agreement.period_end + 1))
    return sorted(years)


def current_agreement(today: date | None = None) -> Agreement:
    """The agreement covering this year; else the latest that has started; else the first registered."""
    year = (today or utcnow().astimezone(OSLO).date()).year
    agreements = list_agreements()
    covering = [a for a in agreements if a.covers(year)]
    if covering:
        return covering[0]
    started = [a for a in agreements if a.period_start <= year]
    return started[-1] if started else agreements[0]
