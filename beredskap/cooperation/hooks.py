"""The cooperation hooks the app calls (beredskap/domains.py): the demo seed and the start-page panel.

At the top of the package: they use meetings, decisions and the demo data, and nothing in the package imports them.
"""

from flask_babel import gettext

from beredskap.auth.permissions import Perm
from beredskap.cooperation import demo
from beredskap.cooperation.decisions import list_decisions
from beredskap.cooperation.meetings import upcoming_meetings
from beredskap.cooperation.services import ensure_parties
from beredskap.extensions import db
from beredskap.vocabulary import DATETIME_FORMAT, OSLO


def seed_demo() -> list[str]:
    """The parties and units, fictitious people, the agreement and the 2026–2027 meetings (idempotent)."""
    created = ensure_parties()
    db.session.commit()
    report = [f"Parter i samarbeidsavtalen: {created} nye."] if created else []  # i18n: CLI output
    return report + demo.seed()


def start_page_panel(user) -> dict | None:
    """The next cooperation meeting and the decisions past their due date."""
    if user is None or not user.can(Perm.COOP_READ):
        return None
    lines = []
    upcoming = upcoming_meetings(limit=1)
    if upcoming:
        meeting = upcoming[0]
        when = meeting.starts_at.astimezone(OSLO).strftime(DATETIME_FORMAT)
        lines.append(
            {
                "text": gettext(
                    "Neste møte: %(title)s, %(when)s (%(status)s)",
                    title=meeting.title,
                    when=when,
                    status=meeting.status_title.lower(),
                ),
                "page": ("cooperation.meeting_page", {"meeting_id": meeting.id}),
            }
        )
    else:
        lines.append(
            {"text": gettext("Ingen kommende møter med fastsatt dato."), "page": ("cooperation.index_page", {})}
        )
    overdue = list_decisions(overdue=True)
    for decision in overdue[:5]:
        due = ".".join(reversed(decision["due"].split("-")))
        lines.append(
            {
                "text": gettext(
                    "Forfalt %(due)s: %(text)s (%(owner)s)",
                    due=due,
                    text=decision["text"][:120],
                    owner=decision["owner"],
                ),
                "page": ("cooperation.meeting_page", {"meeting_id": decision["meeting_id"]}),
            }
        )
    panel = {"title": gettext("Samarbeid med politiet"), "lines": lines}
    if overdue:
        panel["warning"] = gettext("%(n)s vedtak har passert fristen uten å være utført.", n=len(overdue))
    return panel
