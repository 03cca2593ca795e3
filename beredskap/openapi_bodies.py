"""Hand-written request bodies of the routes not yet on the validation layer (the cooperation package).

Each lists the fields the route reads (names and types); none forbids other fields, since the routes ignore
what they do not know. `version` is the optimistic-lock version the client read.
"""

POINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    },
}
TEXT = {"type": ["string", "null"]}
INT = {"type": "integer"}
DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
VERSION = {"type": "integer", "description": "the version read; a stale one answers 409"}


def _obj(required: tuple[str, ...] = (), **properties: dict) -> dict:
    schema: dict = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _versioned(**properties: dict) -> dict:
    return _obj(("version",), version=VERSION, **properties)


_MEETING = {
    "kind": {"enum": ["politirad", "formannskap", "regionalt_politirad"]},
    "date": DATETIME,
    "starts_at": DATETIME,
    "year": INT,
    "cycle_key": TEXT,
    "title": TEXT,
    "host": {"enum": ["kommune", "politi", None]},
    "chair": TEXT,
    "secretary": TEXT,
    "location": TEXT,
    "status": TEXT,
    "present": {"type": ["array", "string", "null"]},
    "absent": {"type": ["array", "string", "null"]},
    "minutes_notes": TEXT,
}
_ITEM = {
    "title": {"type": "string"},
    "kind": {"enum": ["orientering", "drøfting", "vedtak"]},
    "note": TEXT,
    "presenter": TEXT,
    "proposal": TEXT,
    "number": TEXT,
    "position": INT,
    "minutes": TEXT,
}
_INDICATOR = {
    "bydel": {"type": "string"},
    "source": {"enum": ["kriminalstatistikk", "ungdata", "kvalitativ"]},
    "name": TEXT,
    "value": {"type": ["number", "null"]},
    "previous": {"type": ["number", "null"]},
    "unit": TEXT,
    "comment": TEXT,
    "text": TEXT,
    "from": TEXT,
}
_PERSON = {
    "name": {"type": "string"},
    "function": {"type": "string"},
    "unit_id": INT,
    "title": TEXT,
    "bydel": TEXT,
    "email": TEXT,
    "phone": TEXT,
    "active": {"type": "boolean"},
    "deputy_of_id": {"type": ["integer", "null"], "description": "the person whose function this one deputises for"},
}
_ROUTINE = {
    "title": {"type": "string"},
    "owner": TEXT,
    "status": {"enum": ["under_arbeid", "formalisert"]},
    "document_url": TEXT,
}

# A legal basis for sharing personal data (beredskap.consent): a hjemmel, or a consent with who, what and until when.
_BASIS = _obj(
    ("kind", "purpose"),
    kind={"enum": ["hjemmel", "samtykke"]},
    purpose={"type": "string", "maxLength": 500},
    recipient={"enum": ["politi", "kommune"]},
    legal_basis={"type": ["string", "null"], "maxLength": 300},
    consent_by={"type": ["string", "null"], "maxLength": 200},
    valid_until=DATE,
)
_WITHDRAW = _obj(reason={"type": ["string", "null"], "maxLength": 300}, version={"type": ["integer", "null"]})
_TREFFPUNKT = {
    "bydel": {"type": "string", "maxLength": 80},
    "title": {"type": "string", "maxLength": 200},
    "location": TEXT,
    "schedule": TEXT,
}
_COOP_I16A_BODIES: dict[tuple[str, str], dict] = {
    ("POST", "/api/v1/eps/{eps_id}/share-bases"): _BASIS,
    ("POST", "/api/v1/eps/{eps_id}/share-bases/{basis_id}/withdraw"): _WITHDRAW,
    ("PUT", "/api/v1/cooperation/evaluation/{year}/{target}/{target_id}"): _obj(
        status={"enum": ["ikke_vurdert", "fungerer", "delvis", "ma_endres"]},
        worked=TEXT,
        change=TEXT,
        owner=TEXT,
        version={"type": ["integer", "null"], "description": "the version read; 0 for an area not yet evaluated"},
    ),
    ("POST", "/api/v1/cooperation/evaluation-notes"): _obj(
        ("text",),
        text={"type": "string", "maxLength": 4000},
        target={"enum": ["innsatsomrade", "samarbeidsomrade", "generelt"]},
        target_id={"type": ["integer", "null"]},
        noted_on=DATE,
    ),
    ("POST", "/api/v1/cooperation/treffpunkter"): _obj(("bydel", "title"), **_TREFFPUNKT),
    ("PATCH", "/api/v1/cooperation/treffpunkter/{treffpunkt_id}"): _versioned(
        active={"type": "boolean"}, **_TREFFPUNKT
    ),
    ("POST", "/api/v1/cooperation/treffpunkter/{treffpunkt_id}/meetings"): _obj(
        ("held_on", "participants", "summary"),
        held_on={"type": "string", "format": "date"},
        participants={"type": ["array", "string"], "items": {"type": "string", "maxLength": 200}},
        summary={"type": "string", "maxLength": 4000},
        personal_case={"type": "boolean"},
        basis=_BASIS,
    ),
    ("POST", "/api/v1/cooperation/treffpunkt-meetings/{meeting_id}/bases"): _BASIS,
    ("POST", "/api/v1/cooperation/treffpunkt-meetings/{meeting_id}/bases/{basis_id}/withdraw"): _WITHDRAW,
}

BODY_SCHEMAS: dict[tuple[str, str], dict] = {
    ("PATCH", "/api/v1/cooperation/agenda-items/{item_id}"): _versioned(**_ITEM),
    ("POST", "/api/v1/cooperation/agreements"): _obj(
        ("valid_from", "valid_to"),
        valid_from={"type": "string", "format": "date"},
        valid_to={"type": "string", "format": "date"},
        title=TEXT,
        period_basis=TEXT,
        outside_note=TEXT,
        summary=TEXT,
        parties={"type": "array", "items": {"type": "string"}},
        signatories={
            "type": "array",
            "items": _obj(name={"type": "string"}, function=TEXT, unit=TEXT, party=TEXT),
        },
        copy_lists={"type": "boolean"},
    ),
    ("POST", "/api/v1/cooperation/meetings/{meeting_id}/proposals"): _obj(
        ("title", "from", "party"),
        title={"type": "string", "maxLength": 300},
        **{"from": {"type": "string", "maxLength": 200}},
        party={"enum": ["kommune", "politi"]},
        description=TEXT,
    ),
    ("POST", "/api/v1/cooperation/proposals/{proposal_id}/accept"): _versioned(kind={"type": "string"}),
    ("POST", "/api/v1/cooperation/proposals/{proposal_id}/decline"): _versioned(
        reason={"type": "string", "maxLength": 4000}
    ),
    ("POST", "/api/v1/cooperation/agreement/evaluations"): _obj(
        ("year", "summary"), year=INT, summary={"type": "string"}, meeting_id={"type": ["integer", "null"]}
    ),
    ("POST", "/api/v1/cooperation/annual-cycle/{year}/dates"): _obj(
        ("dates",),
        dates={
            "type": "object",
            "description": "cycle key → date or local date-time (null clears it)",
            "additionalProperties": {"type": ["string", "null"]},
        },
    ),
    ("PATCH", "/api/v1/cooperation/annual-cycle/{year}/items/{key}"): _obj(
        version=INT,
        status={"type": "string"},
        note=TEXT,
        document_url=TEXT,
        date=DATE,
    ),
    ("POST", "/api/v1/cooperation/areas/{area_id}/routines"): _obj(("title",), **_ROUTINE),
    ("PATCH", "/api/v1/cooperation/decisions/{decision_id}"): _versioned(
        status={"enum": ["open", "in_progress", "done"]}, status_note=TEXT, text=TEXT, owner=TEXT, due=DATE
    ),
    ("PATCH", "/api/v1/cooperation/districts/{district_id}"): _versioned(meeting_point=TEXT, meeting_schedule=TEXT),
    ("PATCH", "/api/v1/cooperation/focus-areas/{focus_area_id}"): _versioned(title=TEXT, description=TEXT),
    ("PATCH", "/api/v1/cooperation/indicators/{indicator_id}"): _versioned(**_INDICATOR),
    ("POST", "/api/v1/cooperation/meetings"): _obj(("kind",), **_MEETING),
    ("PATCH", "/api/v1/cooperation/meetings/{meeting_id}"): _versioned(**_MEETING),
    ("POST", "/api/v1/cooperation/meetings/{meeting_id}/items"): _obj(("title",), **_ITEM),
    ("PATCH", "/api/v1/cooperation/oversiktsbilde/{year}"): _versioned(
        title=TEXT,
        summary=TEXT,
        conclusions={"type": ["array", "string", "null"], "items": {"type": "string"}},
        team={
            "type": "array",
            "items": _obj(("role",), role={"type": "string"}, person_id=INT, name=TEXT, organisation=TEXT),
        },
        sources={
            "type": "object",
            "description": "kriminalstatistikk | ungdata | kvalitativ → {year, note}",
            "additionalProperties": _obj(year={"type": ["integer", "null"]}, note=TEXT),
        },
    ),
    ("POST", "/api/v1/cooperation/meetings/{meeting_id}/minutes/approve"): _obj(
        ("by",), by={"enum": ["kommune", "politi"]}, station=TEXT
    ),
    ("POST", "/api/v1/cooperation/meetings/{meeting_id}/questions"): _obj(
        ("asked_by", "question"),
        asked_by={"type": "string"},
        question={"type": "string"},
        answer=TEXT,
        answered_by=TEXT,
    ),
    ("PATCH", "/api/v1/cooperation/questions/{question_id}"): _versioned(
        asked_by=TEXT, question=TEXT, answer=TEXT, answered_by=TEXT
    ),
    ("PATCH", "/api/v1/cooperation/regional-politirad/members"): _versioned(
        members={
            "type": "array",
            "items": _obj(("name",), name={"type": "string"}, organisation=TEXT, function=TEXT, email=TEXT),
        }
    ),
    ("PATCH", "/api/v1/cooperation/trusselvurdering/{year}"): _versioned(
        title=TEXT, summary=TEXT, published_on=DATE, url=TEXT
    ),
    ("POST", "/api/v1/cooperation/oversiktsbilde/{year}/indicators"): _obj(("bydel", "source"), **_INDICATOR),
    ("POST", "/api/v1/cooperation/people"): _obj(("name", "function", "unit_id"), **_PERSON),
    ("PATCH", "/api/v1/cooperation/people/{person_id}"): _versioned(**_PERSON),
    ("PATCH", "/api/v1/cooperation/routines/{routine_id}"): _versioned(**_ROUTINE),
    **_COOP_I16A_BODIES,
}

# Routes that read a file, not JSON.
TEXT_BODIES: dict[tuple[str, str], dict[str, dict]] = {
    ("POST", "/api/v1/exercises/{exercise_id}/dreiebok.csv"): {"text/csv": {"schema": {"type": "string"}}},
    ("PUT", "/api/v1/exercises/{exercise_id}/dreiebok.csv"): {"text/csv": {"schema": {"type": "string"}}},
    ("POST", "/api/v1/exercises/import"): {
        "application/yaml": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
    },
}
