"""The regional politiråd's own member list (§3.1: Region Kristiansand, once a year).

There the top management of Agder politidistrikt meets every mayor and kommunedirektør in the region: people who
are not in the cooperation's directory, so the list is kept apart from the ordinary politiråd's fixed members.
"""

import re

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.models import MemberList
from beredskap.cooperation.services import may_see_contacts
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

REGIONAL_KEY = "regionalt_politirad"
MAX_MEMBERS = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def member_list(key: str = REGIONAL_KEY) -> MemberList | None:
    return db.session.scalar(select(MemberList).where(MemberList.key == key))


def regional_members() -> list[dict]:
    """The members as a meeting stores them: name, organisation, function (the address is looked up on sending)."""
    row = member_list()
    return [
        {"name": m["name"], "organisation": m.get("organisation", ""), "function": m.get("function", ""), "regional": i}
        for i, m in enumerate(row.members if row else [])
    ]


def regional_address(index: int) -> str:
    row = member_list()
    members = row.members if row else []
    return members[index].get("email", "") if 0 <= index < len(members) else ""


def members_data(user: User | None) -> dict:
    row = member_list()
    contacts = may_see_contacts(user)
    members = [
        {key: value for key, value in m.items() if contacts or key != "email"} for m in (row.members if row else [])
    ]
    return {"members": members, "version": row.version if row else 0}


@transactional
def replace_members(members: list[dict], version: int, actor: User | None = None) -> MemberList:
    """Replace the regional politiråd's member list; version 0 creates it."""
    for entry in members:
        if not entry["name"].strip():
            raise Invalid("invalid", gettext("Hvert medlem må ha et navn."), {"members": "navn"})
        if entry["email"] and not _EMAIL.match(entry["email"]):
            raise Invalid(
                "invalid", gettext("Ugyldig e-postadresse for %(name)s.", name=entry["name"]), {"members": "e-post"}
            )
    row = member_list()
    if (row.version if row else 0) != version:
        raise Conflict("version_conflict", gettext("Medlemslisten er endret av noen andre. Last inn på nytt."))
    cleaned = [{key: value.strip() for key, value in entry.items()} for entry in members]
    if row is None:
        row = MemberList(key=REGIONAL_KEY, members=cleaned, updated_at=utcnow())
        db.session.add(row)
    else:
        row.members = cleaned
        row.updated_at = utcnow()
    db.session.flush()
    record_audit("coop.regional_members_replaced", "member_list", row.id, actor=actor, meta={"count": len(cleaned)})
    append_event(
        "cooperation",
        "directory.regional_members_updated",
        {"count": len(cleaned), "version": row.version},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return row
