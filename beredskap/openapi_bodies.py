"""Request bodies of the operations beyond the contract's main ones, for the OpenAPI document.

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
IDS = {"type": "array", "items": {"type": "integer"}}


def _obj(required: tuple[str, ...] = (), **properties: dict) -> dict:
    schema: dict = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _versioned(**properties: dict) -> dict:
    return _obj(("version",), version=VERSION, **properties)


_CARD = {
    "title": {"type": "string"},
    "position": TEXT,
    "type": {"type": "string", "description": "the incident type the card is for (brann, flom, …)"},
    "description": TEXT,
    "assignee": TEXT,
    "due_minutes": {"type": ["integer", "null"], "minimum": 0},
}
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
}
_ROUTINE = {
    "title": {"type": "string"},
    "owner": TEXT,
    "status": {"enum": ["under_arbeid", "formalisert"]},
    "document_url": TEXT,
}
_EVACUEE = {
    "type": "object",
    "required": ["full_name"],
    "properties": {
        "full_name": {"type": "string"},
        "birth_date": DATE,
        "phone": TEXT,
        "needs": {},
    },
}
_INJECT = {
    "no": INT,
    "at": {"type": "string", "description": "offset from the start, TT:MM or T:MM:SS"},
    "from": TEXT,
    "to": TEXT,
    "channel": TEXT,
    "text": {"type": "string"},
    "expected": TEXT,
    "objective": TEXT,
    "notes": TEXT,
}
_LESSON = {"text": {"type": "string"}, "kind": {"enum": ["bevare", "forbedre"]}, "objective": TEXT}
_ACTION = {"action": {"type": "string"}, "owner": {"type": "string"}, "deadline": DATE, "lesson_id": INT}
_RESOURCE = {
    "name": {"type": "string"},
    "kind": {"type": "string"},
    "location": POINT,
    "capacity": {"type": ["integer", "null"], "minimum": 0},
    "contact": TEXT,
    "eps_suitable": {"type": "boolean"},
    "notes": TEXT,
}
_SECTIONS = {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
_EXERCISE_PLAN = {
    "title": {"type": "string"},
    "form": TEXT,
    "purpose": TEXT,
    "held_on": DATE,
    "organisers": TEXT,
    "counts_for_plan": {"type": "boolean"},
    "evaluation_summary": TEXT,
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
        title=TEXT, summary=TEXT, conclusions={"type": ["array", "string", "null"], "items": {"type": "string"}}
    ),
    ("POST", "/api/v1/cooperation/oversiktsbilde/{year}/indicators"): _obj(("bydel", "source"), **_INDICATOR),
    ("POST", "/api/v1/cooperation/people"): _obj(("name", "function", "unit_id"), **_PERSON),
    ("PATCH", "/api/v1/cooperation/people/{person_id}"): _versioned(**_PERSON),
    ("PATCH", "/api/v1/cooperation/routines/{routine_id}"): _versioned(**_ROUTINE),
    ("PATCH", "/api/v1/eps/{eps_id}"): _versioned(
        name={"type": "string"}, capacity={"type": "integer", "minimum": 0}, status={"type": "string"}
    ),
    ("POST", "/api/v1/eps/{eps_id}/households"): _obj(
        ("members",), address=TEXT, members={"type": "array", "items": _EVACUEE, "minItems": 1}
    ),
    ("PATCH", "/api/v1/eps/departments/{department_id}"): _versioned(
        leader=TEXT, deputy=TEXT, staff_needed={"type": "integer", "minimum": 0}
    ),
    ("POST", "/api/v1/eps/departments/{department_id}/actions/{index}"): _versioned(done={"type": "boolean"}),
    ("POST", "/api/v1/eps/departments/{department_id}/staff"): _obj(name=TEXT, person_id=INT, role=TEXT),
    ("PATCH", "/api/v1/exercise-actions/{action_id}"): _versioned(
        status={"enum": ["open", "in_progress", "done"]}, followup=TEXT, **_ACTION
    ),
    ("POST", "/api/v1/exercises"): _obj(
        ("title",),
        draft={"type": "boolean"},
        participants={"type": "array"},
        objectives={"type": "array", "items": {"type": "object"}},
        injects={"type": "array", "items": {"type": "object", "properties": _INJECT}},
        **_EXERCISE_PLAN,
    ),
    ("PATCH", "/api/v1/exercises/{exercise_id}"): _versioned(**_EXERCISE_PLAN),
    ("POST", "/api/v1/exercises/{exercise_id}/actions"): _obj(("action", "owner"), **_ACTION),
    ("PUT", "/api/v1/exercises/{exercise_id}/evaluation-summary"): _versioned(evaluation_summary=TEXT),
    ("POST", "/api/v1/exercises/{exercise_id}/finish"): _obj(held_on=DATE),
    ("POST", "/api/v1/exercises/{exercise_id}/injects"): _obj(("at", "text"), **_INJECT),
    ("POST", "/api/v1/exercises/{exercise_id}/lessons"): _obj(("text",), **_LESSON),
    ("PUT", "/api/v1/exercises/{exercise_id}/objectives/{code}/evaluation"): _versioned(
        rating={"enum": ["oppnådd", "delvis oppnådd", "ikke oppnådd", None]}, reasoning=TEXT
    ),
    ("POST", "/api/v1/exercises/{exercise_id}/speed"): _obj(
        ("speed",), speed={"type": "number", "exclusiveMinimum": 0}
    ),
    ("POST", "/api/v1/exercises/{exercise_id}/start"): _obj(speed={"type": "number", "exclusiveMinimum": 0}),
    ("PATCH", "/api/v1/injects/{inject_id}"): _versioned(**_INJECT),
    ("PATCH", "/api/v1/lessons/{lesson_id}"): _versioned(**_LESSON),
    ("PATCH", "/api/v1/maps/districts"): _obj(
        ("delomrader",),
        delomrader={
            "type": "array",
            "items": _obj(("number", "version"), number={"type": "string"}, name=TEXT, bydel=TEXT, version=VERSION),
        },
    ),
    ("POST", "/api/v1/privacy/purge"): _obj(dry_run={"type": "boolean"}),
    ("POST", "/api/v1/resources"): _obj(("name", "kind", "location"), **_RESOURCE),
    ("PATCH", "/api/v1/resources/{resource_id}"): _versioned(**_RESOURCE),
    ("POST", "/api/v1/roster/groups"): _obj(
        ("title",), title={"type": "string"}, key=TEXT, position_ids=IDS, person_ids=IDS
    ),
    ("POST", "/api/v1/roster/people"): _obj(("name",), name={"type": "string"}, phone=TEXT, email=TEXT),
    ("PATCH", "/api/v1/roster/people/{person_id}"): _versioned(
        name={"type": "string"}, phone=TEXT, email=TEXT, active={"type": "boolean"}
    ),
    ("POST", "/api/v1/roster/positions"): _obj(("team", "title"), team={"type": "string"}, title={"type": "string"}),
    ("PATCH", "/api/v1/roster/positions/{position_id}"): _versioned(
        title={"type": "string"}, sort_order=INT, holder_id={"type": ["integer", "null"]}, deputy_ids=IDS
    ),
    ("POST", "/api/v1/roster/shifts"): _obj(
        ("team", "person_id"), team={"type": "string"}, person_id=INT, starts_at=DATETIME, ends_at=DATETIME, note=TEXT
    ),
    ("POST", "/api/v1/users"): _obj(
        ("username", "role"), username={"type": "string"}, role={"type": "string"}, display_name=TEXT
    ),
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
