"""Why personal data is read: the purposes the EPS-leder keeps, the one a desk picked (kept in the session per
centre, so it is asked once, not at every click), and the reason text that goes into each audit record."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import exists, func, select

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.auth.services import record_audit
from beredskap.domain_errors import Conflict, Forbidden, Invalid, NotFound
from beredskap.eps.fields import FieldError, clean_text
from beredskap.eps.models import AccessPurpose, EvacuationCentre, Evacuee, Inquiry
from beredskap.eps.queries import field_error, get_centre
from beredskap.extensions import db
from beredskap.transaction import transactional

SESSION_KEY = "eps_purpose"
MAX_REASON = 200
MAX_NOTE = 120
DEFAULT_REASON = "ikke oppgitt"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What a fresh installation offers until the EPS-leder edits the list.
DEFAULT_PURPOSES = (  # i18n: stored as data (purposes the EPS-leder edits)
    "Registrering og utsjekk",
    "Henvendelse fra pårørende",
    "Gjenforening",
    "Oppfølging av behov (helse, kost, innkvartering)",
    "Kontroll av opplysninger",
)


# --- who leads a centre ---


def is_leader(user: User | None, centre: EvacuationCentre | None = None) -> bool:
    """The EPS-leder of the centre (or of any centre); admin and coordinator stand in for every leader."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.can(Perm.PRIVACY_ADMIN):
        return True
    if centre is not None:
        return centre.leader_user_id == user.id
    return bool(db.session.scalar(select(exists().where(EvacuationCentre.leader_user_id == user.id))))


def led_centre_ids(user: User) -> list[int]:
    """The centres the user leads."""
    return list(db.session.scalars(select(EvacuationCentre.id).where(EvacuationCentre.leader_user_id == user.id)))


def require_leader(user: User | None, centre: EvacuationCentre | None = None) -> None:
    if not is_leader(user, centre):
        raise Forbidden(gettext("Bare EPS-lederen kan gjøre dette."), code="forbidden")


# --- the list ---


def ensure_defaults() -> None:
    """Give an empty list its first purposes, so a desk always has something to pick."""
    if db.session.scalar(select(func.count()).select_from(AccessPurpose)):
        return
    for position, title in enumerate(DEFAULT_PURPOSES):
        db.session.add(AccessPurpose(title=title, position=position))
    db.session.commit()


def list_purposes(include_inactive: bool = False) -> list[dict]:
    ensure_defaults()
    stmt = select(AccessPurpose).order_by(AccessPurpose.position, AccessPurpose.id)
    if not include_inactive:
        stmt = stmt.where(AccessPurpose.active.is_(True))
    return [purpose.to_dict() for purpose in db.session.scalars(stmt)]


def _title(value: Any) -> str:
    try:
        return clean_text(value, "title", 120, required=True) or ""
    except FieldError as err:
        raise field_error(err) from None


@transactional
def create_purpose(title: Any, actor: User) -> AccessPurpose:
    """Add a purpose to the list (EPS-leder); a body without a title is a 422 for anyone, as everywhere."""
    title = _title(title)
    require_leader(actor)
    position = (db.session.scalar(select(func.max(AccessPurpose.position))) or 0) + 1
    purpose = AccessPurpose(title=title, position=position, created_by=actor.id)
    db.session.add(purpose)
    db.session.flush()
    record_audit("purpose.create", "access_purpose", purpose.id, actor=actor)
    db.session.commit()
    return purpose


@transactional
def update_purpose(purpose_id: int, changes: dict[str, Any], version: int, actor: User) -> AccessPurpose:
    """Rename, (de)activate a purpose (EPS-leder); a stale version is a 409."""
    require_leader(actor)
    purpose = db.session.get(AccessPurpose, purpose_id)
    if purpose is None:
        raise NotFound(gettext("Ukjent formål."), code="not_found")
    if purpose.version != version:
        raise Conflict("version_conflict", gettext("Formålet er endret av noen andre. Last inn på nytt."))
    if "title" in changes:
        purpose.title = _title(changes["title"])
    if "active" in changes:
        if not isinstance(changes["active"], bool):
            raise Invalid("invalid", gettext("Aktiv må være ja eller nei."), {"active": "feil type"})
        purpose.active = changes["active"]
    db.session.flush()
    record_audit("purpose.update", "access_purpose", purpose.id, actor=actor, meta={"fields": sorted(changes)})
    db.session.commit()
    return purpose


# --- the choice of a desk ---


def _clean(raw: Any, limit: int) -> str:
    if not isinstance(raw, str):
        return ""
    return " ".join(_CONTROL.sub(" ", raw).split())[:limit]


def _active_purpose(purpose_id: Any) -> AccessPurpose | None:
    if isinstance(purpose_id, bool) or not isinstance(purpose_id, int):
        return None
    purpose = db.session.get(AccessPurpose, purpose_id)
    return purpose if purpose is not None and purpose.active else None


def remember(store: MutableMapping, centre_id: int, purpose_id: Any, note: Any) -> dict:
    """Keep the purpose the user picked for this centre in `store` (the web layer passes the user's session); an
    unknown or inactive one is refused."""
    get_centre(centre_id)
    if note is not None and not isinstance(note, str):
        raise Invalid("invalid", gettext("Merknaden må være tekst."), {"note": "feil type"})
    if purpose_id is None:
        raise Invalid("invalid", gettext("Velg et formål."), {"purpose_id": "påkrevd"})
    if _active_purpose(purpose_id) is None:
        raise Invalid("invalid", gettext("Formålet finnes ikke eller er ikke i bruk lenger."), {"purpose_id": "ukjent"})
    chosen = dict(store.get(SESSION_KEY) or {})
    chosen[str(centre_id)] = {"id": purpose_id, "note": _clean(note, MAX_NOTE)}
    store[SESSION_KEY] = chosen
    return remembered(store, centre_id)


def forget(store: MutableMapping, centre_id: int) -> None:
    chosen = dict(store.get(SESSION_KEY) or {})
    chosen.pop(str(centre_id), None)
    store[SESSION_KEY] = chosen


def remembered(store: MutableMapping, centre_id: int | None) -> dict | None:
    """The purpose picked for this centre in this session (`store`), while it is still on the list."""
    if centre_id is None:
        return None
    entry = (store.get(SESSION_KEY) or {}).get(str(centre_id))
    if not isinstance(entry, dict):
        return None
    purpose = _active_purpose(entry.get("id"))
    if purpose is None:
        return None
    return {"purpose_id": purpose.id, "title": purpose.title, "note": entry.get("note") or ""}


def reason_text(title: str, note: str = "") -> str:
    text = f"Formål: {title}" + (f" – {note}" if note else "")
    return text[:MAX_REASON]


def access_reason(store: MutableMapping, centre_id: int | None, purpose_id: Any = None, reason: Any = None) -> str:
    """The reason an audit record gets: a purpose sent with the request (note in `reason`), else a free reason
    (older API clients), else the purpose this session picked for the centre, else «ikke oppgitt»."""
    if purpose_id is not None:
        text = str(purpose_id)
        purpose = _active_purpose(int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None)
        if purpose is None:
            raise Invalid("invalid", gettext("Formålet finnes ikke eller er ikke i bruk."), {"purpose": "ukjent"})
        return reason_text(purpose.title, _clean(reason, MAX_NOTE))
    if _clean(reason, MAX_REASON):
        return _clean(reason, MAX_REASON)
    chosen = remembered(store, centre_id)
    if chosen is not None:
        return reason_text(chosen["title"], chosen["note"])
    return DEFAULT_REASON


def centre_of(kind: str, subject_id: int) -> int | None:
    """The centre an evacuee or inquiry belongs to (for the purpose the desk picked there)."""
    model = Evacuee if kind == "evacuee" else Inquiry
    return db.session.scalar(select(model.centre_id).where(model.id == subject_id))
