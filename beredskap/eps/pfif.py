"""PFIF 1.4 (People Finder Interchange Format) export of registered evacuees, from plain data to XML bytes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from beredskap.eps.fields import split_name

PFIF_NS = "http://zesty.ca/pfif/1.4"
# PFIF 1.4 fixes the order of the elements of a person and of a note.
PERSON_FIELDS = (
    "person_record_id",
    "entry_date",
    "expiry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_name",
    "source_date",
    "source_url",
    "full_name",
    "given_name",
    "family_name",
    "alternate_names",
    "description",
    "sex",
    "date_of_birth",
    "age",
    "home_street",
    "home_neighborhood",
    "home_city",
    "home_state",
    "home_postal_code",
    "home_country",
    "photo_url",
    "profile_urls",
)
NOTE_FIELDS = (
    "note_record_id",
    "person_record_id",
    "linked_person_record_id",
    "entry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_date",
    "author_made_contact",
    "status",
    "email_of_found_person",
    "phone_of_found_person",
    "last_known_location",
    "text",
    "photo_url",
)
REQUIRED_PERSON_FIELDS = ("person_record_id", "source_date", "full_name")
REQUIRED_NOTE_FIELDS = ("note_record_id", "author_name", "source_date", "text")
_POSTAL = re.compile(r"^(?P<street>.*?)[,\s]+(?P<code>\d{4})\s+(?P<city>\D.*)$")
_XML_INVALID = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd]")

ET.register_namespace("pfif", PFIF_NS)


def pfif_time(value: datetime | None) -> str | None:
    """Return a UTC time as PFIF wants it: yyyy-mm-ddThh:mm:ssZ."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def person_record_id(domain: str, evacuee_id: Any) -> str:
    return f"{domain}/person.{evacuee_id}"


def build_pfif(
    persons: Iterable[Mapping[str, Any]],
    *,
    domain: str,
    source_name: str,
    author_name: str,
    source_url: str | None = None,
) -> bytes:
    """Return a PFIF 1.4 document with one person per evacuee and notes carrying their status.

    Each person is `{"id", "full_name", "birth_date": date?, "birth_year"?, "address"?, "phone"?,
    "registered_at": datetime, "left_at"?, "status": "present"|"left", "destination"?, "centre_name",
    "expiry_date": datetime, "exercise": bool, "reunited_at"?}`.
    """
    root = ET.Element(f"{{{PFIF_NS}}}pfif")
    for person in persons:
        root.append(_person_element(person, domain, source_name, author_name, source_url))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _person_element(
    person: Mapping[str, Any], domain: str, source_name: str, author_name: str, source_url: str | None
) -> ET.Element:
    record_id = person_record_id(domain, person["id"])
    exercise = bool(person.get("exercise"))
    prefix = "ØVELSE – " if exercise else ""  # i18n: PFIF export data
    registered = pfif_time(person.get("registered_at"))
    full_name = person.get("full_name") or ""
    given, family = split_name(full_name)
    birth = person.get("birth_date")
    values: dict[str, Any] = {
        "person_record_id": record_id,
        "entry_date": registered,
        "expiry_date": pfif_time(person.get("expiry_date")),
        "author_name": prefix + author_name,
        "source_name": prefix + source_name,
        "source_date": registered,
        "source_url": source_url,
        "full_name": full_name,
        "given_name": given,
        "family_name": family,
        "description": "ØVELSE – ikke en reell person." if exercise else None,  # i18n: PFIF export data
        "date_of_birth": birth.isoformat() if isinstance(birth, date) else person.get("birth_year"),
        "home_country": "NO" if person.get("address") else None,
    }
    values.update(_address_parts(person.get("address")))
    element = ET.Element(f"{{{PFIF_NS}}}person")
    _append_fields(element, PERSON_FIELDS, values)
    for note in _notes(person, record_id, domain, prefix + author_name, prefix):
        note_element = ET.SubElement(element, f"{{{PFIF_NS}}}note")
        _append_fields(note_element, NOTE_FIELDS, note)
    return element


def _notes(person: Mapping[str, Any], record_id: str, domain: str, author_name: str, prefix: str) -> list[dict]:
    centre = person.get("centre_name") or "EPS"
    registered_at = person.get("registered_at")
    notes = [
        {
            "note_record_id": f"{domain}/note.registered.{person['id']}",
            "person_record_id": record_id,
            "entry_date": pfif_time(registered_at),
            "author_name": author_name,
            "source_date": pfif_time(registered_at),
            "author_made_contact": "true",
            "status": "believed_alive",
            "phone_of_found_person": person.get("phone"),
            "last_known_location": centre,
            "text": f"{prefix}Registrert ved evakuerte- og pårørendesenter {centre}.",  # i18n: PFIF export data
        }
    ]
    left_at = person.get("left_at")
    if person.get("status") == "left" and left_at:
        destination = person.get("destination")
        text = f"{prefix}Har forlatt {centre}"  # i18n: PFIF export data
        text += f", reisemål: {destination}." if destination else "."
        notes.append(
            {
                "note_record_id": f"{domain}/note.left.{person['id']}",
                "person_record_id": record_id,
                "entry_date": pfif_time(left_at),
                "author_name": author_name,
                "source_date": pfif_time(left_at),
                "author_made_contact": "true",
                "status": "believed_alive",
                "last_known_location": destination or centre,
                "text": text,
            }
        )
    return notes


def _address_parts(address: str | None) -> dict[str, str]:
    if not address:
        return {}
    match = _POSTAL.match(address.strip())
    if not match:
        return {"home_street": address}
    return {
        "home_street": match.group("street").strip(" ,"),
        "home_postal_code": match.group("code"),
        "home_city": match.group("city").strip(),
    }


def _append_fields(parent: ET.Element, order: tuple[str, ...], values: Mapping[str, Any]) -> None:
    for name in order:
        value = values.get(name)
        if value is None or value == "":
            continue
        child = ET.SubElement(parent, f"{{{PFIF_NS}}}{name}")
        child.text = _XML_INVALID.sub("", str(value))
