"""Idempotent writes (CONTRACT §12): one layer in front of every POST/PATCH/DELETE under /api/v1.

A request with `Idempotency-Key` first claims the key for its user in a short transaction of its own; the unique
constraint on (user, key) lets only one of several concurrent deliveries through, on SQLite and PostgreSQL alike.
The claim's holder runs the view; the first commit of the view also marks the claim `applied` in the same
transaction (so a crash between that commit and storing the response can never lead to running the write twice).
After the view the response (status and body) is stored on the claim, and a later delivery of the same key gets
that stored response back without the view running again. Another delivery arriving while the first still runs
waits for it, briefly.

Only a keyed HMAC of the request is kept, never the request body; the stored response holds what the user was
already sent, and every record is deleted 24 hours after it was made (and by `privacy purge`).
"""

import hashlib
import hmac
import json
import secrets
import time
from datetime import datetime, timedelta

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.errors import ApiError
from beredskap.extensions import db
from beredskap.transaction import transactional

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
MAX_KEY_LENGTH = 200
LIFETIME = timedelta(hours=24)

_CLAIM = "idempotency_claim"  # session.info: (record id, owner token) while a claimed request runs
_APPLIED = "idempotency_applied"  # session.info: the claimed request's change has committed
# Bookkeeping statements need not look for ORM objects to update in the session: skip that (measured in B11).
_NO_SYNC = {"synchronize_session": False}


class IdempotencyRecord(db.Model):
    """One claimed Idempotency-Key of one user: the request's fingerprint and, once answered, the response."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    # HMAC-SHA256 (keyed with SECRET_KEY) of method, path and body: compares requests without keeping them.
    fingerprint: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(10))
    # The request that holds the claim; a request that lost its claim cannot commit its change.
    owner: Mapped[str] = mapped_column(String(32))
    applied: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(120))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )


def check_key(raw: str) -> str:
    """1–200 printable ASCII characters, else a 400."""
    if not 1 <= len(raw) <= MAX_KEY_LENGTH or any(not 0x20 <= ord(c) <= 0x7E for c in raw):
        raise ApiError(
            400,
            "invalid_idempotency_key",
            gettext("Idempotency-Key må være 1–%(max)s skrivbare ASCII-tegn.", max=MAX_KEY_LENGTH),
            {HEADER: "ugyldig"},
        )
    return raw


def fingerprint(method: str, path: str, body: bytes) -> str:
    """A keyed hash of the request; JSON bodies are compared by content, not by spacing or key order."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        canonical = body
    secret = str(current_app.config["SECRET_KEY"]).encode()
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for part in (method.encode(), path.encode(), canonical):
        mac.update(len(part).to_bytes(8, "big"))
        mac.update(part)
    return mac.hexdigest()


def purge_expired(now: datetime | None = None, user_id: int | None = None) -> int:
    """Delete records older than 24 hours (all, or one user's); returns how many. The caller commits."""
    stmt = delete(IdempotencyRecord).where(IdempotencyRecord.created_at < (now or utcnow()) - LIFETIME)
    if user_id is not None:
        stmt = stmt.where(IdempotencyRecord.user_id == user_id)
    return db.session.execute(stmt).rowcount or 0


@transactional
def purge_expired_records(now: datetime | None = None, dry_run: bool = False) -> int:
    """`privacy purge`: delete (or, dry, count) every record older than 24 hours; commits."""
    if dry_run:
        cutoff = (now or utcnow()) - LIFETIME
        return db.session.scalar(
            select(func.count()).select_from(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)
        )
    deleted = purge_expired(now)
    db.session.commit()
    return deleted


@transactional
def _try_claim(user_id: int, key: str, print_: str, owner: str) -> IdempotencyRecord | None:
    """Insert the claim; None when this request now holds it, else the record that holds the key.

    A record older than 24 hours no longer holds its key: it is deleted here and the claim made anew. All other old
    records go with the hourly retention purge, so the common path is one INSERT and one COMMIT.
    """
    now = utcnow()
    row = {
        "user_id": user_id,
        "key": key,
        "fingerprint": print_,
        "method": request.method,
        "owner": owner,
        "applied": False,
        "created_at": now,
        "claimed_at": now,
    }
    for _ in range(2):
        try:
            db.session.execute(insert(IdempotencyRecord).values(**row))
            db.session.commit()
            return None
        except IntegrityError:
            db.session.rollback()
        record = db.session.scalars(
            select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
        ).first()
        if record is None or record.created_at >= now - LIFETIME:
            return record
        db.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.id == record.id, IdempotencyRecord.created_at == record.created_at
            ),
            execution_options=_NO_SYNC,
        )
        db.session.commit()
    return record


@transactional
def _take_over(record_id: int, old_owner: str, owner: str) -> bool:
    """Take an abandoned claim (its request died before committing anything); False if someone else was first."""
    now = utcnow()
    taken = db.session.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.id == record_id,
            IdempotencyRecord.owner == old_owner,
            IdempotencyRecord.applied.is_(False),
            IdempotencyRecord.status.is_(None),
        )
        .values(owner=owner, claimed_at=now),
        execution_options=_NO_SYNC,
    ).rowcount
    db.session.commit()
    return bool(taken)


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.body or "", status=record.status, content_type=record.content_type)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _claim_or_answer(user_id: int, key: str, print_: str) -> Response | None:
    """Claim the key (None: go on and run the view) or answer from the record that holds it."""
    owner = secrets.token_hex(16)
    wait = float(current_app.config.get("IDEMPOTENCY_WAIT_SECONDS", 10))
    abandoned = timedelta(seconds=float(current_app.config.get("IDEMPOTENCY_ABANDONED_SECONDS", 30)))
    deadline = time.monotonic() + wait
    db.session.rollback()  # start from a fresh snapshot: SQLite cannot upgrade a stale read to a write
    while True:
        record = _try_claim(user_id, key, print_, owner)
        if record is None:
            g.idempotency_claim = (key, owner)
            return None
        if not hmac.compare_digest(record.fingerprint, print_):
            raise ApiError(
                422,
                "idempotency_key_reused",
                gettext("Idempotency-Key er allerede brukt til en annen forespørsel (metode, adresse eller innhold)."),
                {HEADER: "brukt"},
            )
        if record.status is not None:
            return _replay(record)
        stale = utcnow() - record.claimed_at > abandoned
        if stale and record.applied:
            # The first delivery's change committed, then its process died before the answer was stored.
            raise ApiError(
                409,
                "idempotency_key_applied",
                gettext("Endringen er allerede lagret, men svaret gikk tapt. Last inn på nytt for å se den."),
            )
        if stale and _take_over(record.id, record.owner, owner):
            g.idempotency_claim = (key, owner)
            return None
        if time.monotonic() >= deadline:
            raise ApiError(
                409,
                "idempotency_key_in_progress",
                gettext("Den samme forespørselen behandles allerede. Prøv igjen om litt."),
            )
        db.session.rollback()
        time.sleep(0.05)


def _mark_applied(session) -> None:
    """before_commit: the claimed request's change and the `applied` mark commit together, or neither does."""
    claim = session.info.get(_CLAIM)
    if claim is None or session.info.get(_APPLIED):
        return
    user_id, key, owner = claim
    marked = session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key, IdempotencyRecord.owner == owner)
        .values(applied=True),
        execution_options=_NO_SYNC,
    ).rowcount
    if not marked:
        # The claim was taken over as abandoned: this late request must not write as well.
        raise ApiError(
            409,
            "idempotency_key_in_progress",
            gettext("Den samme forespørselen behandles allerede. Prøv igjen om litt."),
        )
    session.info[_APPLIED] = True


def _store_response(response: Response) -> Response:
    claim = g.pop("idempotency_claim", None)
    if claim is None:
        return response
    key, owner = claim
    session = db.session()
    user_id = session.info.pop(_CLAIM, (None,))[0]
    applied = session.info.pop(_APPLIED, False)
    session.rollback()  # whatever the view left open or failed
    if user_id is None:
        return response
    where = (IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key, IdempotencyRecord.owner == owner)
    status = response.status_code
    if not applied and (status >= 500 or status == 429):
        # Nothing was written and the fault is not the request's: the key may be tried again.
        _release(where)
        return response
    body = None if response.is_streamed else response.get_data(as_text=True)
    _finish(where, status, response.content_type, body)
    return response


@transactional
def _release(where) -> None:
    db.session.execute(delete(IdempotencyRecord).where(*where), execution_options=_NO_SYNC)
    db.session.commit()


@transactional
def _finish(where, status: int, content_type: str | None, body: str | None) -> None:
    db.session.execute(
        update(IdempotencyRecord).where(*where).values(status=status, content_type=content_type, body=body),
        execution_options=_NO_SYNC,
    )
    db.session.commit()


def register_idempotency(app: Flask) -> None:
    """Hook the layer onto the app; register it after the security hooks, so CSRF and auth come first."""

    @app.before_request
    def claim_idempotency_key():
        if request.method not in UNSAFE or not request.path.startswith("/api/v1/"):
            return None
        raw = request.headers.get(HEADER)
        if raw is None:
            return None
        key = check_key(raw)
        if not current_user.is_authenticated:
            return None  # the route answers 401; there is no user to remember the key for
        user_id = current_user.id
        print_ = fingerprint(request.method, request.full_path.rstrip("?"), request.get_data(cache=True))
        answer = _claim_or_answer(user_id, key, print_)
        if answer is None:
            db.session().info[_CLAIM] = (user_id, key, g.idempotency_claim[1])
        return answer

    app.after_request(_store_response)

    @app.teardown_request
    def forget_claim(_exc):
        # A session shared beyond the request (tests) must not carry the claim into the next one.
        if g.pop("idempotency_claim", None) is not None:
            info = db.session().info
            info.pop(_CLAIM, None)
            info.pop(_APPLIED, None)

    if not getattr(register_idempotency, "_done", False):
        event.listen(db.session, "before_commit", _mark_applied)
        register_idempotency._done = True  # type: ignore[attr-defined]
