"""Record, check and withdraw the legal basis or consent for sharing personal data; every step is audited.

Audit rows and events carry ids, kinds and the hjemmel only: who consented, and for what, stays in the record.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.consent.models import ShareBasis
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.transaction import transactional
from beredskap.vocabulary import OSLO

# Offered in the form as a start; the user states the hjemmel that applies and answers for it.
# i18n: stored as data: the names of Norwegian laws the user records as the hjemmel.
HJEMMEL_SUGGESTIONS: tuple[str, ...] = (
    "Forvaltningsloven § 13 b første ledd nr. 6",
    "Forvaltningsloven § 13 a nr. 1",
    "Helsepersonelloven § 23 nr. 4",
    "Politiloven § 27 (redningstjenesten)",
)
REQUIRED_MESSAGE = _l(
    "Eksporten deler personopplysninger med politiet og krever et rettslig grunnlag. Registrer hjemmel eller "
    "samtykke om fritak fra taushetsplikt for dette EPS-et før eksport."
)


def oslo_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(OSLO).date()


def basis_fields(fields: dict, today: date) -> dict:
    """The validated fields of a basis (`consent.schemas.BasisIn`) with the rules of its kind; 422 naming the
    field when a hjemmel lacks its law, a consent who gave it or until when, or the consent ended in the past."""
    fields = dict(fields)
    if fields["kind"] == "hjemmel" and not fields["legal_basis"]:
        raise Invalid("invalid", gettext("Oppgi hjemmelen (lov og paragraf)."), {"legal_basis": "påkrevd"})
    if fields["kind"] == "samtykke":
        if not fields["consent_by"]:
            raise Invalid("invalid", gettext("Oppgi hvem som har samtykket."), {"consent_by": "påkrevd"})
        if fields["valid_until"] is None:
            raise Invalid("invalid", gettext("Oppgi hvor lenge samtykket gjelder."), {"valid_until": "påkrevd"})
        fields["legal_basis"] = ""
    else:
        fields["consent_by"] = ""
    if fields["valid_until"] is not None and fields["valid_until"] < today:
        raise Invalid("invalid", gettext("Gyldig til kan ikke være tilbake i tid."), {"valid_until": "passert"})
    return fields


def add_basis(scope: str, scope_id: int, fields: dict, actor: User | None) -> ShareBasis:
    """Add a basis to the current transaction and audit it; the calling service commits."""
    basis = ShareBasis(
        scope=scope,
        scope_id=scope_id,
        recorded_by=actor.username if actor else "system",
        recorded_at=utcnow(),
        **fields,
    )
    db.session.add(basis)
    db.session.flush()
    record_audit(
        "share_basis.record",
        "share_basis",
        basis.id,
        actor=actor,
        meta={"scope": scope, "scope_id": scope_id, "kind": basis.kind, "recipient": basis.recipient},
    )
    return basis


@transactional
def record_basis(
    scope: str, scope_id: int, fields: dict, actor: User | None, now: datetime | None = None
) -> ShareBasis:
    """Record a hjemmel or a consent for sharing the personal data of `scope`:`scope_id`."""
    basis = add_basis(scope, scope_id, basis_fields(fields, oslo_today(now)), actor)
    db.session.commit()
    return basis


def get_basis(basis_id: int, scope: str, scope_id: int | None = None) -> ShareBasis:
    basis = db.session.get(ShareBasis, basis_id)
    if basis is None or basis.scope != scope or (scope_id is not None and basis.scope_id != scope_id):
        raise NotFound(gettext("Ukjent grunnlag for deling."))
    return basis


@transactional
def withdraw_basis(
    basis_id: int, scope: str, scope_id: int | None, reason: str, actor: User | None, version: int | None = None
) -> ShareBasis:
    """Withdraw a consent (or a hjemmel recorded by mistake): from now on it no longer counts; audited."""
    basis = get_basis(basis_id, scope, scope_id)
    if version is not None and basis.version != version:
        raise Conflict("version_conflict", gettext("Grunnlaget er endret av noen andre. Last inn på nytt."))
    if basis.withdrawn_at is not None:
        raise Conflict("already_withdrawn", gettext("Grunnlaget er allerede trukket tilbake."))
    basis.withdrawn_at = utcnow()
    basis.withdrawn_by = actor.username if actor else "system"
    basis.withdrawal_reason = reason[:300]
    db.session.flush()
    record_audit(
        "share_basis.withdraw",
        "share_basis",
        basis.id,
        actor=actor,
        meta={"scope": basis.scope, "scope_id": basis.scope_id, "kind": basis.kind},
    )
    db.session.commit()
    return basis


def bases_for(scope: str, scope_id: int) -> list[ShareBasis]:
    stmt = select(ShareBasis).where(ShareBasis.scope == scope, ShareBasis.scope_id == scope_id)
    return list(db.session.scalars(stmt.order_by(ShareBasis.id.desc())))


@transactional
def read_bases(scope: str, scope_id: int, actor: User | None, now: datetime | None = None) -> list[dict]:
    """The bases of a scope, newest first; reading who consented is audited like other personal data."""
    today = oslo_today(now)
    bases = bases_for(scope, scope_id)
    for basis in bases:
        if basis.consent_by:
            record_audit("read", "share_basis", basis.id, actor=actor, meta={"scope": scope, "scope_id": scope_id})
    result = [basis.to_dict(today, with_person=True) for basis in bases]
    db.session.commit()
    return result


def require_basis(scope: str, scope_id: int, basis_id: int | None, now: datetime | None = None) -> ShareBasis:
    """The basis a share runs on: the one named, or else the newest that counts; 409 with the reason if none."""
    today = oslo_today(now)
    if basis_id is not None:
        basis = db.session.get(ShareBasis, basis_id)
        if basis is None or basis.scope != scope or basis.scope_id != scope_id:
            raise Conflict("legal_basis_required", gettext("Det valgte grunnlaget gjelder ikke denne delingen."))
        status = basis.status(today)
        if status == "trukket":
            raise Conflict(
                "legal_basis_withdrawn",
                gettext(
                    "Samtykket eller hjemmelen er trukket tilbake. Eksporten deler personopplysninger med politiet og "
                    "krever et rettslig grunnlag. Registrer hjemmel eller samtykke om fritak fra taushetsplikt for "
                    "dette EPS-et før eksport."
                ),
            )
        if status == "utlopt":
            raise Conflict(
                "legal_basis_expired",
                gettext(
                    "Samtykket er utløpt. Eksporten deler personopplysninger med politiet og krever et rettslig "
                    "grunnlag. Registrer hjemmel eller samtykke om fritak fra taushetsplikt for dette EPS-et før "
                    "eksport."
                ),
            )
        return basis
    for basis in bases_for(scope, scope_id):
        if basis.status(today) == "gyldig":
            return basis
    raise Conflict("legal_basis_required", str(REQUIRED_MESSAGE))


def audit_meta(basis: ShareBasis) -> dict:
    """What an audit record of a share says about its basis: id, kind and the hjemmel or «samtykke»."""
    return {"basis_id": basis.id, "basis_kind": basis.kind, "basis": basis.label}


def record_use(basis: ShareBasis, actor: User | None, meta: dict) -> None:
    """One audit row on the basis itself per share that ran on it (ids and counts in `meta`)."""
    record_audit("share_basis.used", "share_basis", basis.id, actor=actor, meta={"kind": basis.kind, **meta})
