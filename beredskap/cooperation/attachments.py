"""Saksfremlegg and saksnotater attached to a meeting: PDF, DOCX and ODT, checked by content, not by name.

A file is accepted only when its bytes are what its extension says: a PDF starts with «%PDF-»; a DOCX is a zip
holding «[Content_Types].xml» and «word/document.xml»; an ODT is a zip whose «mimetype» entry says
«application/vnd.oasis.opendocument.text». Anything else, or anything over the size limit, is refused with 422
and nothing is stored.
"""

import io
import re
import zipfile

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.agenda import reset_approvals
from beredskap.cooperation.meetings import CHANNEL, actor_name, lock_meeting
from beredskap.cooperation.models import Attachment
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


def max_bytes() -> int:
    return int(current_app.config.get("COOP_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _zip_names(data: bytes) -> tuple[zipfile.ZipFile, set[str]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def detect_type(data: bytes) -> str | None:
    """«pdf», «docx» or «odt» from the content, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    opened = _zip_names(data)
    if opened is None:
        return None
    archive, names = opened
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "mimetype" in names:
        try:
            info = archive.getinfo("mimetype")
            if info.file_size <= 100 and archive.read("mimetype").strip() == TYPES["odt"].encode():
                return "odt"
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
            return None
    return None


def clean_filename(name: str) -> str:
    base = _SAFE_NAME.sub("_", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return base[:150] or "vedlegg"


@transactional
def add_attachment(meeting_id: int, filename: str, data: bytes, title: str, actor: User | None = None) -> Attachment:
    meeting = lock_meeting(meeting_id)
    if meeting.status == "held":
        raise Conflict("held", gettext("Møtet er avholdt; vedlegg kan ikke legges til."))
    name = clean_filename(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TYPES:
        raise Invalid("invalid", gettext("Vedlegg må være PDF, DOCX eller ODT."), {"file": "filtype"})
    if len(data) > max_bytes():
        raise Invalid(
            "invalid",
            gettext("Vedlegget er for stort (maks %(mb)s MB).", mb=max_bytes() // (1024 * 1024)),
            {"file": "for stort"},
        )
    if not data:
        raise Invalid("invalid", gettext("Vedlegget er tomt."), {"file": "tomt"})
    detected = detect_type(data)
    if detected != extension:
        raise Invalid(
            "invalid",
            gettext("Innholdet i filen er ikke %(type)s; filen er avvist.", type=extension.upper()),
            {"file": "innholdet stemmer ikke med filtypen"},
        )
    attachment = Attachment(
        meeting_id=meeting_id,
        filename=name,
        content_type=TYPES[detected],
        size=len(data),
        data=data,
        title=(title or "").strip()[:300] or name,
        uploaded_by=actor_name(actor),
        created_at=utcnow(),
    )
    db.session.add(attachment)
    db.session.flush()
    # Saksfremlegg are part of what the ledergrupper approve: a new one withdraws the approvals.
    reset_approvals(meeting, actor, "Vedlegg lagt til sakslisten")  # i18n: audit-log reason stored as data
    record_audit("meeting.attachment_added", "meeting", meeting_id, actor=actor, meta={"attachment": attachment.id})
    append_event(
        CHANNEL,
        "meeting.attachment_added",
        {"id": attachment.id, "meeting_id": meeting_id},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return attachment


def list_attachments(meeting_id: int) -> list[Attachment]:
    return list(
        db.session.scalars(select(Attachment).where(Attachment.meeting_id == meeting_id).order_by(Attachment.id))
    )


def get_attachment(attachment_id: int) -> Attachment:
    return get_or_not_found(Attachment, attachment_id, gettext("Ukjent vedlegg."))
