"""Request models of the cooperation API (CONTRACT §8): the årshjul, meetings and their saksliste, decisions and
attachments, the council, the directory and the agreement as data (the knowledge base, the evaluation and the
treffpunkter are in `schemas_knowledge`). See docs/VALIDATION.md.

PATCH models list every field as optional; a field that must not be emptied is `Text(..., required=True) = None`
(sent as null or "" it is «påkrevd»), and the view passes on only what was sent (`changed`).
"""

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model
from werkzeug.datastructures import FileStorage

from beredskap.cooperation import regional
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    CYCLE_ITEM_STATUSES,
    DECISION_STATUSES,
    DOCUMENT_CYCLE_KEYS,
    FUNCTIONS,
    MEETING_CYCLE_KEYS,
    MEETING_KINDS,
    PARTY_BODIES,
    ROUTINE_STATUSES,
)
from beredskap.validation import (
    Body,
    Bool,
    Choice,
    Day,
    Id,
    Int,
    Limit,
    Moment,
    Query,
    Text,
    Version,
    invalid,
)

MAX_TEXT = 20000
MAX_PEOPLE = 200


def _given(value: object) -> object:
    if value is None:
        raise invalid("påkrevd", "mangler.")
    return value


def changed(body: Body, *names: str) -> dict:
    """The named fields the client sent, nested models as dicts (a PATCH changes only those)."""
    return body.model_dump(include=set(names) & body.model_fields_set)


Party = Choice(*PARTY_BODIES)
RequiredDay = Annotated[Day, AfterValidator(_given)]
Ids = Annotated[list[Id], Field(max_length=50)]


# --- people in a meeting (members, invited, present, absent) ----------------------------------------------


class PersonRef(Body):
    name: Text(200, required=True)
    organisation: Text(200) = ""
    function: Text(200) = ""


PERSON_REF = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "organisation": {"type": ["string", "null"], "maxLength": 200},
        "function": {"type": ["string", "null"], "maxLength": 200},
    },
}


def _names_as_people(value: Any) -> Any:
    if isinstance(value, list):
        return [{"name": entry} if isinstance(entry, str) else entry for entry in value]
    return value


People = Annotated[
    list[PersonRef],
    BeforeValidator(_names_as_people),
    Field(max_length=MAX_PEOPLE, description='people as {"name", "organisation"?, "function"?} or plain names'),
    WithJsonSchema(
        {
            "type": "array",
            "maxItems": MAX_PEOPLE,
            "items": {"anyOf": [PERSON_REF, {"type": "string", "minLength": 1, "maxLength": 200}]},
        }
    ),
]


# --- årshjul and meetings ----------------------------------------------------------------------------------


def _key_name(key: str) -> str:
    return key.replace("-", "_")


class _Points(Body):
    # Unknown points are kept for the service, which names them.
    model_config = ConfigDict(extra="allow")


# One field per point of the årshjul: meetings take a date and time, documents a date; null clears it.
CycleDates = create_model(
    "CycleDates",
    __base__=_Points,
    **{_key_name(key): (Moment, Field(None, alias=key)) for key in MEETING_CYCLE_KEYS},
    **{_key_name(key): (Day, Field(None, alias=key)) for key in DOCUMENT_CYCLE_KEYS},
)


class DatesIn(Body):
    dates: Annotated[CycleDates, Field(description="cycle key → date or local date-time (null clears it)")]

    def fixed(self) -> dict:
        return self.dates.model_dump(by_alias=True, exclude_unset=True)


class CycleItemPatch(Body):
    version: Version
    status: Choice(*CYCLE_ITEM_STATUSES) = None
    note: Text(4000) = ""
    document_url: Text(500) = ""
    date: Day = None


MEETING_FIELDS = (
    "title",
    "location",
    "chair",
    "secretary",
    "minutes_notes",
    "host",
    "members",
    "invited",
    "present",
    "absent",
)


class MeetingFields(Body):
    title: Text(200, required=True) = None
    location: Text(300) = ""
    chair: Text(200) = ""
    secretary: Text(200) = ""
    minutes_notes: Text(MAX_TEXT) = ""
    host: Party | None = None
    date: Moment = None
    members: People = Field(default_factory=list)
    invited: People = Field(default_factory=list)
    present: People = Field(default_factory=list)
    absent: People = Field(default_factory=list)

    def changes(self) -> dict:
        found = changed(self, *MEETING_FIELDS)
        if "date" in self.model_fields_set:
            found["starts_at"] = self.date
        return found


class MeetingIn(MeetingFields):
    kind: Choice(*MEETING_KINDS)
    year: Int | None = None
    cycle_key: Text(40) | None = None


class MeetingPatch(MeetingFields):
    version: Version
    status: Text(20, required=True) = None

    def changes(self) -> dict:
        return {**super().changes(), **changed(self, "status")}


class YearQuery(Query):
    year: Limit(999999, 0) | None = None


ITEM_FIELDS = ("number", "title", "presenter", "note", "proposal", "minutes", "kind", "position", "focus_area_ids")


class ItemFields(Body):
    number: Text(20) = ""
    title: Text(300) = ""
    presenter: Text(200) = ""
    note: Text(MAX_TEXT) = ""
    proposal: Text(MAX_TEXT) = ""
    minutes: Text(MAX_TEXT) = ""
    kind: Choice(*AGENDA_ITEM_KINDS) = None
    position: Annotated[Int, Field(ge=0, le=10000)] = None
    focus_area_ids: Ids = None


class ItemIn(ItemFields):
    title: Text(300, required=True)


class ItemPatch(ItemFields):
    version: Version


class VersionIn(Body):
    version: Version


class VersionQuery(Query):
    version: Limit(999999999, 0) | None = None


class ApprovalIn(Body):
    by: Party
    station: Text(60) = ""


class ProposalIn(Body):
    title: Text(300, required=True)
    from_: Annotated[Text(200, required=True), Field(alias="from")]
    party: Party
    description: Text(MAX_TEXT) = ""


class AcceptIn(Body):
    version: Version
    kind: Choice(*AGENDA_ITEM_KINDS) = "orientering"


class DeclineIn(Body):
    version: Version
    reason: Text(4000, required=True)


# --- decisions and attachments ------------------------------------------------------------------------------


class DecisionIn(Body):
    text: Text(4000, required=True)
    owner: Text(200, required=True)
    due: Day = None
    agenda_item_id: Id | None = None


class DecisionPatch(Body):
    version: Version
    status: Choice(*DECISION_STATUSES) = None
    status_note: Text(4000) = ""
    text: Text(4000, required=True) = None
    owner: Text(200, required=True) = None
    due: Day = None


def _yes(value: Any) -> Any:
    return value in ("1", "true", "ja") if isinstance(value, str) else value


class DecisionsQuery(Query):
    status: Choice(*DECISION_STATUSES, "not_done") | None = None
    overdue: Annotated[bool, BeforeValidator(_yes), Field(description="1, true or ja: only overdue ones")] | None = None


def _a_file(value: Any) -> Any:
    if not isinstance(value, FileStorage) or not value.filename:
        raise invalid("påkrevd", "mangler: velg en fil.")
    return value


class AttachmentForm(Body):
    """Multipart: the file (PDF, DOCX or ODT; the service checks it by its content and size) and a title."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    file: Annotated[Any, BeforeValidator(_a_file), WithJsonSchema({"type": "string", "format": "binary"})]
    title: Text() = ""


# --- the council: formannskap questions, regional members ------------------------------------------------


class QuestionFields(Body):
    asked_by: Text(200) = ""
    question: Text(MAX_TEXT) = ""
    answer: Text(MAX_TEXT) = ""
    answered_by: Text(200) = ""


class QuestionIn(QuestionFields):
    asked_by: Text(200, required=True)
    question: Text(MAX_TEXT, required=True)


class QuestionPatch(QuestionFields):
    version: Version


class Member(Body):
    name: Text(200, required=True)
    organisation: Text(200) = ""
    function: Text(200) = ""
    email: Text(200) = ""


class MembersIn(Body):
    version: Version
    members: Annotated[list[Member], Field(max_length=regional.MAX_MEMBERS)]


# --- the directory ----------------------------------------------------------------------------------------


PERSON_FIELDS = ("name", "function", "unit_id", "title", "email", "phone", "bydel", "deputy_of_id")


def _no_bydel(value: Any) -> Any:
    return None if value == "" else value


class PersonFields(Body):
    name: Text(200, required=True) = None
    function: Choice(*FUNCTIONS) = None
    unit_id: Id = None
    title: Text(200) = ""
    email: Text(200) = ""
    phone: Text(40) = ""
    bydel: Annotated[Text(80) | None, BeforeValidator(_no_bydel)] = None
    deputy_of_id: Id | None = None
    active: Bool = None


class PersonIn(PersonFields):
    name: Text(200, required=True)
    function: Choice(*FUNCTIONS)
    unit_id: Id


class PersonPatch(PersonFields):
    version: Version


class DistrictPatch(Body):
    version: Version
    meeting_point: Text(300) = ""
    meeting_schedule: Text(300) = ""


# --- the agreement as data --------------------------------------------------------------------------------


class Signatory(Body):
    name: Text(200, required=True)
    function: Text(200) = ""
    unit: Text(200) = ""
    party: Text(200) = ""


class AgreementIn(Body):
    valid_from: RequiredDay
    valid_to: RequiredDay
    title: Text(300) = ""
    period_basis: Text(1000) = ""
    outside_note: Text(4000) = ""
    summary: Text(4000) = ""
    parties: Annotated[list[Text(300, required=True)], Field(max_length=20)] = Field(default_factory=list)
    signatories: Annotated[list[Signatory], Field(max_length=20)] = Field(default_factory=list)
    copy_lists: Bool = False


ROUTINE_FIELDS = ("title", "owner", "status", "document_url")


class RoutineFields(Body):
    title: Text(300, required=True) = None
    owner: Text(200) = ""
    status: Choice(*ROUTINE_STATUSES) = None
    document_url: Text(500) = ""


class RoutineIn(RoutineFields):
    title: Text(300, required=True)


class RoutinePatch(RoutineFields):
    version: Version


class FocusAreaPatch(Body):
    version: Version
    title: Text(200, required=True) = None
    description: Text(4000) = ""


class AgreementEvaluationIn(Body):
    year: Int
    summary: Text(MAX_TEXT, required=True)
    meeting_id: Id | None = None
