"""Request models of the exercises API. The scenario and its dreiebok lines are checked by the scenario module
(line by line, with its own messages), so those fields are `Checked` here: described once, passed on."""

from typing import Annotated

from pydantic import Field

from beredskap.exercises.models import ActionStatus
from beredskap.exercises.queries import MAX_TEXT
from beredskap.exercises.scenario import PLAN_FIELDS as SCENARIO_PLAN_FIELDS
from beredskap.validation import Body, Bool, Checked, Choice, Day, Limit, Moment, Passed, Query, Text, Version

TEXT = {"type": ["string", "null"]}
INT = {"type": ["integer", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}
INJECT = {
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
PLAN_FIELDS = (*SCENARIO_PLAN_FIELDS, "objectives")


class ExerciseIn(Passed):
    """A scenario in the structure of the YAML files; the scenario module checks it as a whole."""

    title: Checked({"type": "string"}, required=True) = None
    form: Checked(TEXT) = None
    purpose: Checked(TEXT) = None
    participants: Checked({"type": "array"}) = None
    objectives: Checked({"type": "array", "items": {"type": "object"}}) = None
    injects: Checked({"type": "array", "items": {"type": "object", "properties": INJECT}}) = None
    draft: Bool = False
    organisers: Text(4000) | None = None
    counts_for_plan: Bool = True


class ExercisePatch(Passed):
    version: Version
    title: Checked({"type": "string"}) = None
    form: Checked(TEXT) = None
    purpose: Checked(TEXT) = None
    organisers: Text(4000) = ""
    counts_for_plan: Bool = None
    evaluation_summary: Text(20000) = ""
    held_on: Day = None


class InjectIn(Body):
    no: Checked(INT) = None
    at: Checked(INJECT["at"], required=True) = None
    from_: Annotated[Checked(TEXT), Field(alias="from")] = None
    to: Checked(TEXT) = None
    channel: Checked(TEXT) = None
    text: Checked({"type": "string"}, required=True) = None
    expected: Checked(TEXT) = None
    objective: Checked(TEXT) = None
    notes: Checked(TEXT) = None


class InjectPatch(InjectIn):
    version: Version
    at: Checked(INJECT["at"]) = None
    text: Checked({"type": "string"}) = None


class StartIn(Body):
    speed: Checked({"type": "number", "exclusiveMinimum": 0}) = None


class FinishIn(Body):
    held_on: Day = None


class ObservationIn(Body):
    objective: Checked({"type": "string"}, required=True) = None
    text: Text(MAX_TEXT, required=True)
    at: Moment = None


class RatingIn(Body):
    rating: Checked({"enum": ["oppnådd", "delvis oppnådd", "ikke oppnådd"]}, required=True) = None
    reasoning: Checked(TEXT) = None
    version: Annotated[int, Field(strict=True)] | None = None


class SummaryIn(Body):
    version: Version
    summary: Text(20000) = ""


class LessonIn(Body):
    text: Checked({"type": "string"}, required=True) = None
    kind: Checked({"enum": ["bevare", "forbedre"]}) = None
    objective: Checked(TEXT) = None


class LessonPatch(LessonIn):
    version: Version
    text: Checked({"type": "string"}) = None


class ActionIn(Body):
    action: Checked({"type": "string"}, required=True) = None
    owner: Checked({"type": "string"}, required=True) = None
    deadline: Checked(DATE) = None
    lesson_id: Checked(INT) = None


class ActionPatch(Body):
    version: Version
    action: Checked({"type": "string"}) = None
    owner: Checked({"type": "string"}) = None
    deadline: Checked(DATE) = None
    status: Checked({"enum": [s.value for s in ActionStatus]}) = None
    followup: Checked(TEXT) = None


class ImportQuery(Query):
    format: Checked({"enum": ["csv", "yaml"]}) = None
    exercise: Annotated[Limit(999_999_999_999), Field(description="the exercise whose dreiebok a CSV replaces")] = None


class PlayerQuery(Query):
    role: Checked({"type": "string", "maxLength": 300}) = None


class ActionsQuery(Query):
    status: Choice("not_done", *(status.value for status in ActionStatus)) | None = None


class ReplayQuery(Query):
    at: Moment = None
