"""The page of the bydeler's contacts and faste treffpunkter (§4), grouped as the map groups the bydeler."""

from flask import Blueprint, render_template
from flask_login import current_user

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.consent.models import BASIS_KINDS
from beredskap.consent.services import HJEMMEL_SUGGESTIONS, oslo_today
from beredskap.cooperation import treffpunkt
from beredskap.realtime.journal import last_seq

bp = Blueprint("coop_treffpunkt", __name__)


@bp.get("/cooperation/treffpunkter")
@require_page(Perm.COOP_READ)
def treffpunkter_page():
    """Per bydel: områdekontakter, police contacts, treffpunkter and the meetings held."""
    return render_template(
        "cooperation/treffpunkter.html",
        data=treffpunkt.bydeler_data(current_user),
        can_write=current_user.can(Perm.COOP_WRITE),
        basis_kinds=BASIS_KINDS,
        hjemmel_suggestions=HJEMMEL_SUGGESTIONS,
        today=oslo_today().isoformat(),
        coop_seq=last_seq("cooperation"),
        date_text=lambda iso: ".".join(reversed(iso[:10].split("-"))) if iso else "–",
    )
