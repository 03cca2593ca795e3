"""«Utsendinger»: every outgoing message in one place — alert messages from the delivery queue, and the sakslister
and referater sent to the cooperation's members — with send-again and stop for the alert messages.

It sits in `main` because it shows two domains side by side; each domain keeps its own rules."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.cooperation.models import Dispatch, Meeting
from beredskap.errors import REFUSALS
from beredskap.extensions import db
from beredskap.forms import PageForm, Text, words
from beredskap.i18n import translated
from beredskap.roster import outgoing

bp = Blueprint("outgoing", __name__)


class ShownStateForm(PageForm):
    """The state filter the page showed, to go back to it after «send igjen» or «stopp»."""

    state = Text(words("state"))

    def shown(self) -> str | None:
        return self.state.data if self.state.data in outgoing.DELIVERY_STATES else None


STATE_LABELS = {
    "pending": "Venter",
    "sending": "Sendes",
    "sent": "Sendt",
    "failed": "Feilet – prøves igjen",
    "gave_up": "Gitt opp",
    "cancelled": "Avbrutt",
    "outbox": "I utboksen",
    "no_address": "Mangler adresse",
}
ANSWER_LABELS = {
    "sent": "Ikke svart",
    "acknowledged": "Kommer",
    "declined": "Kan ikke",
    "escalated": "Eskalert",
    "failed": "Ikke nådd",
}
DOCUMENT_LABELS = {"agenda": "Saksliste", "minutes": "Referat"}


def _dispatches(limit: int = 200) -> list[dict]:
    stmt = (
        select(Dispatch, Meeting.title)
        .join(Meeting, Meeting.id == Dispatch.meeting_id)
        .order_by(Dispatch.id.desc())
        .limit(limit)
    )
    return [
        {**row.to_dict(), "meeting_id": row.meeting_id, "meeting": title} for row, title in db.session.execute(stmt)
    ]


@bp.get("/utsendinger")
@require_page(Perm.OUTBOX_READ)
def page():
    """The outgoing messages, newest first, filtered by state."""
    state = request.args.get("state") or None
    if state not in (None, *outgoing.DELIVERY_STATES):
        state = None
    deliveries = outgoing.list_deliveries(300, state)
    return render_template(
        "main/outgoing.html",
        deliveries=deliveries,
        dispatches=_dispatches(),
        state=state,
        states=outgoing.DELIVERY_STATES,
        state_labels=translated(STATE_LABELS),
        answer_labels=translated(ANSWER_LABELS),
        document_labels=translated(DOCUMENT_LABELS),
        can_change=current_user.can(Perm.ROSTER_WRITE),
    )


def _act(delivery_id: int, change, done: str):
    try:
        change(delivery_id, current_user)
        flash(done, "success")
    except REFUSALS as err:
        flash(err.message, "error")
    return redirect(url_for("outgoing.page", state=ShownStateForm().shown()) + f"#d-{delivery_id}")


@bp.post("/utsendinger/<int:delivery_id>/retry")
@require_page(Perm.ROSTER_WRITE)
def retry(delivery_id: int):
    return _act(delivery_id, outgoing.retry_delivery, gettext("Meldingen sendes på nytt."))


@bp.post("/utsendinger/<int:delivery_id>/cancel")
@require_page(Perm.ROSTER_WRITE)
def cancel(delivery_id: int):
    return _act(delivery_id, outgoing.cancel_delivery, gettext("Utsendingen er stoppet."))
