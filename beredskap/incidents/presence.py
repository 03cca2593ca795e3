"""Who is on the board: a heartbeat per open board, announced on the incident channel when the set changes."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.incidents.models import BoardPresence
from beredskap.incidents.services import get_incident
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

HEARTBEAT_SECONDS = 20
# Three missed heartbeats: a closed laptop lid or a lost network drops off the list within a minute.
STALE_AFTER = timedelta(seconds=HEARTBEAT_SECONDS * 3)


def present_users(incident_id: int, now: datetime | None = None) -> list[dict]:
    """Users with a fresh heartbeat on the board, by name."""
    cutoff = (now or utcnow()) - STALE_AFTER
    rows = db.session.execute(
        select(User.id, User.display_name, User.username, User.role)
        .join(BoardPresence, BoardPresence.user_id == User.id)
        .where(BoardPresence.incident_id == incident_id, BoardPresence.last_seen >= cutoff)
        .order_by(User.display_name, User.username)
    )
    return [{"user_id": uid, "name": display or username, "role": role} for uid, display, username, role in rows]


def _present_ids(incident_id: int, cutoff: datetime) -> list[int]:
    return sorted(
        db.session.scalars(
            select(BoardPresence.user_id).where(
                BoardPresence.incident_id == incident_id, BoardPresence.last_seen >= cutoff
            )
        )
    )


def _announce(incident_id: int, ids: list[int], actor: User) -> None:
    # Ids and a count only; the names come from the presence API.
    append_event(f"incident:{incident_id}", "presence.changed", {"count": len(ids), "user_ids": ids}, actor_id=actor.id)


@transactional
def touch_presence(incident_id: int, user: User, now: datetime | None = None) -> list[dict]:
    """Record a heartbeat; announces joins and drops stale viewers. Returns who is on the board."""
    get_incident(incident_id)
    now = now or utcnow()
    cutoff = now - STALE_AFTER
    before = _present_ids(incident_id, cutoff)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(BoardPresence).values(incident_id=incident_id, user_id=user.id, last_seen=now)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["incident_id", "user_id"], set_={"last_seen": now}))
    db.session.execute(
        delete(BoardPresence).where(BoardPresence.incident_id == incident_id, BoardPresence.last_seen < cutoff)
    )
    after = _present_ids(incident_id, cutoff)
    if after != before:
        _announce(incident_id, after, user)
    db.session.commit()
    return present_users(incident_id, now)


@transactional
def leave_board(incident_id: int, user: User, now: datetime | None = None) -> None:
    """The user closed the board."""
    get_incident(incident_id)
    cutoff = (now or utcnow()) - STALE_AFTER
    removed = db.session.execute(
        delete(BoardPresence).where(BoardPresence.incident_id == incident_id, BoardPresence.user_id == user.id)
    ).rowcount
    if removed:
        _announce(incident_id, _present_ids(incident_id, cutoff), user)
    db.session.commit()
