"""The words a user sees for a field of a form or an API body: «Fullt navn mangler.», never «full_name mangler.».

Keyed by the API field name (the key the error envelope's `fields` keeps, CONTRACT §2). A model that means
something else by a common name gives the field its own `Field(title=...)`, which wins. Labels go through
Flask-Babel (`lazy_gettext`), so an English session gets English words. tests/test_field_labels.py fails when a
field of a request model has no label here.
"""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    # common
    "version": _l("Versjon"),
    "title": _l("Tittel"),
    "name": _l("Navn"),
    "description": _l("Beskrivelse"),
    "text": _l("Tekst"),
    "note": _l("Merknad"),
    "notes": _l("Merknader"),
    "status": _l("Status"),
    "kind": _l("Type"),
    "type": _l("Type"),
    "label": _l("Etikett"),
    "phone": _l("Telefon"),
    "email": _l("E-post"),
    "address": _l("Adresse"),
    "role": _l("Rolle"),
    "active": _l("Aktiv"),
    "limit": _l("Antall"),
    "days": _l("Antall dager"),
    "reason": _l("Formål"),
    "channel": _l("Kanal"),
    "location": _l("Plassering"),
    "lat": _l("Breddegrad"),
    "lon": _l("Lengdegrad"),
    "capacity": _l("Kapasitet"),
    "position": _l("Funksjon"),
    "message": _l("Melding"),
    "body": _l("Innhold"),
    # users, tokens, audit
    "username": _l("Brukernavn"),
    "display_name": _l("Visningsnavn"),
    "password": _l("Passord"),
    "subject": _l("Gjelder"),
    # incidents, board, sitreps, action cards
    "incident_id": _l("Hendelse"),
    "severity": _l("Alvorlighet"),
    "phase": _l("Fase"),
    "adopt_action_cards": _l("Ta i bruk tiltakskort"),
    "category": _l("Kategori"),
    "source": _l("Kilde"),
    "important": _l("Viktig"),
    "corrects": _l("Retter oppføring"),
    "assignee": _l("Ansvarlig"),
    "due": _l("Frist"),
    "due_minutes": _l("Frist (minutter)"),
    "alert_team": _l("Varsle gruppe"),
    "card_ids": _l("Tiltakskort"),
    "sections": _l("Rapportens deler"),
    "prefill": _l("Fyll ut fra tavla"),
    # EPS
    "full_name": _l("Fullt navn"),
    "birth_date": _l("Fødselsdato"),
    "needs": _l("Behov"),
    "needs_note": _l("Merknad om behov"),
    "household_id": _l("Husstand"),
    "members": _l("Personer"),
    "destination": _l("Reiser til"),
    "decided_by": _l("Besluttet av"),
    "resource_id": _l("Sted"),
    "confirm_duplicate": _l("Bekreft ny EPS på samme sted"),
    "leader_name": _l("Leder"),
    "leader_person_id": _l("Leder"),
    "deputy_name": _l("Stedfortreder"),
    "deputy_person_id": _l("Stedfortreder"),
    "staff_needed": _l("Bemanningsbehov"),
    "done": _l("Utført"),
    "person_id": _l("Person"),
    "inquirer_name": _l("Navn på den som spør"),
    "inquirer_phone": _l("Telefon til den som spør"),
    "relation": _l("Relasjon"),
    "sought_name": _l("Navn på den som søkes"),
    "sought_birth_year": _l("Fødselsår til den som søkes"),
    "sought_phone": _l("Telefon til den som søkes"),
    "evacuee_id": _l("Evakuert person"),
    "dry_run": _l("Prøvekjøring"),
    "basis": _l("Rettslig grunnlag"),
    # exercises
    "form": _l("Øvingsform"),
    "purpose": _l("Formål"),
    "participants": _l("Deltakere"),
    "objectives": _l("Øvingsmål"),
    "objective": _l("Øvingsmål"),
    "injects": _l("Innspill"),
    "draft": _l("Utkast"),
    "organisers": _l("Arrangører"),
    "counts_for_plan": _l("Teller i øvingsplanen"),
    "evaluation_summary": _l("Oppsummering av evalueringen"),
    "held_on": _l("Gjennomført dato"),
    "no": _l("Nummer"),
    "at": _l("Tidspunkt"),
    "from": _l("Fra"),
    "to": _l("Til"),
    "expected": _l("Forventet handling"),
    "speed": _l("Hastighet"),
    "rating": _l("Vurdering"),
    "reasoning": _l("Begrunnelse"),
    "summary": _l("Oppsummering"),
    "action": _l("Tiltak"),
    "owner": _l("Ansvarlig"),
    "deadline": _l("Frist"),
    "lesson_id": _l("Læringspunkt"),
    "followup": _l("Oppfølging"),
    "format": _l("Format"),
    "exercise": _l("Øvelse"),
    # maps
    "bydel": _l("Bydel"),
    "number": _l("Delområdenummer"),
    "delomrader": _l("Delområder"),
    "contact": _l("Kontakt"),
    "eps_suitable": _l("Egnet som EPS"),
    "eps": _l("EPS"),
    "center": _l("Sentrum"),
    "radius_m": _l("Radius (meter)"),
    "geometry": _l("Geometri"),
    "feature": _l("Objekt"),
    "layer": _l("Kartlag"),
    "zone": _l("Sone"),
    "max_candidates": _l("Antall kandidater"),
    "q": _l("Søketekst"),
    # roster and alerting
    "team": _l("Gruppe"),
    "starts_at": _l("Starter"),
    "ends_at": _l("Slutter"),
    "holder_id": _l("Innehaver"),
    "deputy_ids": _l("Stedfortredere"),
    "sort_order": _l("Rekkefølge"),
    "key": _l("Nøkkel"),
    "person_ids": _l("Personer"),
    "position_ids": _l("Funksjoner"),
    "positions": _l("Funksjoner"),
    "group": _l("Gruppe"),
    "action_card_id": _l("Tiltakskort"),
    "escalation_minutes": _l("Eskalering etter (minutter)"),
    "eta": _l("Ankomsttid"),
    "alert_id": _l("Varsling"),
    "state": _l("Tilstand"),
    "all": _l("Alle"),
    # cooperation (its request models come with the change that converts it; these words serve its messages now)
    "agenda_item_id": _l("Sak"),
    "by": _l("Part"),
    "party": _l("Part"),
    "change": _l("Hva bør endres"),
    "copy_lists": _l("Kopier listene fra forrige avtale"),
    "cycle_key": _l("Syklus"),
    "deputy_of_id": _l("Stedfortreder for"),
    "document_url": _l("Dokumentlenke"),
    "url": _l("Lenke"),
    "function": _l("Funksjon"),
    "host": _l("Vertskap"),
    "meeting_id": _l("Møte"),
    "minutes_notes": _l("Referatnotater"),
    "noted_on": _l("Dato"),
    "organisation": _l("Organisasjon"),
    "outside_note": _l("Tilleggsmerknad"),
    "period_basis": _l("Varighet og grunnlag"),
    "personal_case": _l("Personsak"),
    "station": _l("Politistasjon"),
    "status_note": _l("Statusmerknad"),
    "target": _l("Gjelder"),
    "target_id": _l("Gjelder"),
    "unit_id": _l("Enhet"),
    "worked": _l("Hva fungerte"),
    "year": _l("År"),
    "valid_from": _l("Gjelder fra"),
    "valid_to": _l("Gjelder til"),
}

_SEGMENT = re.compile(r"[A-Za-z_]\w*|\d+")


def label(path: str, titles: dict | None = None) -> str:
    """The words for a field path (`full_name`, `members[1].full_name`, `entries.3.text`) in the user's language.

    `titles` are a model's own `Field(title=...)` labels by field name; they win over the common map. A list
    index in the path is named as the item's number («Fullt navn (nr. 2)»).
    """
    parts = _SEGMENT.findall(path or "")
    names = [part for part in parts if not part.isdigit()]
    if not names:
        return str(FIELD_LABELS["body"])
    name = names[-1]
    words = (titles or {}).get(name) or FIELD_LABELS.get(name) or FIELD_LABELS.get(name.rstrip("_")) or name
    numbers = [int(part) for part in parts if part.isdigit()]
    return gettext("%(label)s (nr. %(n)s)", label=words, n=numbers[-1] + 1) if numbers else str(words)
