"""Report data for the varslingsliste PDFs; reading it is an audited export of contact details."""

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.incidents.models import Incident
from beredskap.roster import board, organisation
from beredskap.roster.models import TEAM_TITLES


def _pdf_positions() -> list[dict]:
    def person(p) -> dict | None:
        return {"name": p.name, "phone": p.phone} if p else None

    return [
        {
            "title": p.title,
            "team": p.team,
            "holder": person(p.holder),
            "deputies": [person(d.person) for d in p.deputies],
        }
        for p in organisation.list_positions()
    ]


def alert_list_data(actor: User) -> dict:
    """Every function with holder, deputies and phones, for `build_alert_list`; the export is audited."""
    data = {"positions": _pdf_positions(), "generated_at": utcnow()}
    record_audit("roster.exported", "roster", "varslingsliste", actor=actor)
    db.session.commit()
    return data


def alert_status_data(alert_id: int, actor: User) -> dict:
    """The varslingsliste with the answers of one alert; the export is audited."""
    alert = board.get_alert(alert_id)
    incident = db.session.get(Incident, alert.incident_id) if alert.incident_id else None
    data = {
        "positions": _pdf_positions(),
        "generated_at": utcnow(),
        "exercise": alert.exercise,
        "alert": {
            "id": alert.id,
            "message": alert.message,
            "group": alert.group_key if alert.group_key in TEAM_TITLES else alert.group_title,
            "sent_at": alert.created_at,
            "incident": {"title": incident.title, "kind": incident.kind} if incident else None,
            "recipients": [
                {
                    "name": r.person.name if r.person else "–",
                    "position": r.position.title if r.position else None,
                    "phone": r.person.phone if r.person else None,
                    "status": r.status,
                    "answered_at": r.answered_at,
                }
                for r in alert.recipients
            ],
        },
    }
    record_audit("roster.exported", "alert", alert.id, actor=actor)
    db.session.commit()
    return data
