"""Request models of the cooperation's knowledge base (Oversiktsbilde, Trusselvurdering), the yearly evaluation
(§6) and the treffpunkter (§4); the meetings' models are in `cooperation.schemas`."""

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema

from beredskap.consent.schemas import BasisIn
from beredskap.cooperation.agreement import BYDELER, OVERVIEW_SOURCES
from beredskap.cooperation.evaluation_models import EVALUATION_STATUSES, NOTE_TARGETS
from beredskap.cooperation.schemas import MAX_TEXT, RequiredDay, changed
from beredskap.validation import Body, Bool, Choice, Day, Id, Int, Number, Text, Version, invalid

MAX_NOTE = 4000  # the evaluation's texts and a treffpunkt meeting's summary
MAX_PARTICIPANTS = 50


# --- the knowledge base: Oversiktsbilde and Trusselvurdering ---------------------------------------------


def _no_number(value: Any) -> Any:
    return None if value == "" else value


Figure = Annotated[
    Annotated[Number, Field(ge=-1e12, le=1e12, allow_inf_nan=False)] | None,
    BeforeValidator(_no_number),
]
INDICATOR_FIELDS = ("bydel", "source", "name", "unit", "comment", "text", "value", "previous")


class IndicatorFields(Body):
    bydel: Choice(*BYDELER) = None
    source: Choice(*OVERVIEW_SOURCES) = None
    name: Text(300) = ""
    unit: Text(30) = ""
    from_: Annotated[Text(200), Field(alias="from")] = ""
    comment: Text(4000) = ""
    text: Text(4000) = ""
    value: Figure = None
    previous: Figure = None

    def changes(self) -> dict:
        found = changed(self, *INDICATOR_FIELDS)
        if "from_" in self.model_fields_set:
            found["from"] = self.from_
        return found


class IndicatorIn(IndicatorFields):
    bydel: Choice(*BYDELER)
    source: Choice(*OVERVIEW_SOURCES)


class IndicatorPatch(IndicatorFields):
    version: Version


class TeamMember(Body):
    """Someone from the directory (`person_id`) or entered by name."""

    role: Text(40, required=True)
    person_id: Id | None = None
    name: Text(200) = ""
    organisation: Text(200) = ""


class SourceYear(Body):
    year: Annotated[Int, Field(ge=1990, le=2100)] | None = None
    note: Text(1000) = ""


class Sources(Body):
    model_config = ConfigDict(extra="forbid")

    kriminalstatistikk: SourceYear = None
    ungdata: SourceYear = None
    kvalitativ: SourceYear = None


assert set(Sources.model_fields) == set(OVERVIEW_SOURCES)


def _lines(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "\n".join(line.strip() for line in value)
    return value


class OverviewPatch(Body):
    """Title, summary and conclusions (a list, or text with one per line); version 0 creates it."""

    version: Version
    title: Text(300) = ""
    summary: Text(MAX_TEXT) = ""
    conclusions: Annotated[
        Text(MAX_TEXT),
        BeforeValidator(_lines),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
    ] = ""
    team: Annotated[list[TeamMember], Field(max_length=30)] = None
    sources: Sources = None

    def changes(self) -> dict:
        found = changed(self, "title", "summary", "conclusions", "team")
        if "sources" in self.model_fields_set:
            given = self.sources.model_fields_set if self.sources else ()
            found["sources"] = {key: getattr(self.sources, key).model_dump() for key in given}
        return found


class ThreatPatch(Body):
    version: Version
    title: Text(300) = ""
    summary: Text(MAX_TEXT) = ""
    url: Text(500) = ""
    published_on: Day = None


# --- the yearly evaluation (§6) ---------------------------------------------------------------------------


class EntryIn(Body):
    status: Choice(*EVALUATION_STATUSES) = "ikke_vurdert"
    worked: Text(MAX_NOTE) = ""
    change: Text(MAX_NOTE) = ""
    owner: Text(200) = ""
    version: Annotated[Int | None, Field(description="the version read; 0 for an area not yet evaluated")] = None


class NoteIn(Body):
    text: Text(MAX_NOTE, required=True)
    target: Choice(*NOTE_TARGETS) = "generelt"
    target_id: Int | None = None
    noted_on: Annotated[Day, Field(description="the day it is about; today when left out")] = None


# --- treffpunkter (§4) ------------------------------------------------------------------------------------


class TreffpunktFields(Body):
    """The bydel is one of the map's current grouping; the service checks that."""

    bydel: Text(80, required=True) = None
    title: Text(200, required=True) = None
    location: Text(300) = ""
    schedule: Text(300) = ""

    def changes(self) -> dict:
        return changed(self, "bydel", "title", "location", "schedule", "active")


class TreffpunktIn(TreffpunktFields):
    bydel: Text(80, required=True)
    title: Text(200, required=True)


class TreffpunktPatch(TreffpunktFields):
    version: Version
    active: Bool = None


def _participant_lines(value: Any) -> Any:
    return value.splitlines() if isinstance(value, str) else value


def _participants(value: list[str]) -> list[str]:
    names = [" ".join(name.split()) for name in value if name.strip()]
    if not names:
        raise invalid("påkrevd", "mangler: oppgi hvem som deltok.")
    if len(names) > MAX_PARTICIPANTS or any(len(name) > 200 for name in names):
        raise invalid("for lang", "har for mange eller for lange deltakernavn.")
    return names


class TreffpunktMeetingIn(Body):
    """A meeting held; a personal case needs `basis` (hjemmel or samtykke), which the service insists on."""

    held_on: RequiredDay
    participants: Annotated[
        list[Annotated[str, Field(strict=True)]],
        BeforeValidator(_participant_lines),
        AfterValidator(_participants),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "array", "items": {"type": "string", "maxLength": 200}},
                    {"type": "string", "description": "one name a line"},
                ]
            }
        ),
    ]
    summary: Text(MAX_NOTE, required=True)
    personal_case: Bool = False
    basis: BasisIn | None = None
