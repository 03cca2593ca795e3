"""Request models of the incidents API: the one place its bodies and query strings are described."""

from beredskap.incidents.models import IncidentKind, IncidentStatus, IncidentType, LogCategory, TaskStatus
from beredskap.validation import (
    Body,
    Bool,
    Checked,
    Choice,
    GeoPoint,
    Id,
    IdList,
    Int,
    Moment,
    Query,
    Text,
    Version,
)

Severity = Choice(1, 2, 3)


class IncidentIn(Body):
    title: Text(200, required=True)
    kind: IncidentKind = IncidentKind.INCIDENT
    type: IncidentType = IncidentType.ANNET
    description: Text(4000) = ""
    severity: Severity = 2
    location: GeoPoint = None
    adopt_action_cards: Bool = False


class IncidentPatch(Body):
    version: Version
    title: Text(200, required=True) = None
    severity: Severity = None
    phase: Text(60, required=True) = None
    description: Text(4000) = ""
    type: IncidentType = None
    location: GeoPoint = None
    status: IncidentStatus | None = None


class LogIn(Body):
    text: Checked({"type": "string", "minLength": 1, "maxLength": 4000})
    category: LogCategory = LogCategory.INFORMASJON
    source: Text(80) = ""
    important: Bool = False
    corrects: Id | None = None


class TaskIn(Body):
    title: Text(300, required=True)
    assignee: Text(200) = ""
    due: Moment | None = None
    description: Text(4000) = ""


class TaskPatch(Body):
    version: Version
    status: TaskStatus | None = None
    title: Text(300, required=True) = None
    assignee: Text(200) = ""
    description: Text(4000) = ""
    due: Moment | None = None


class ActionCardIn(Body):
    type: IncidentType
    title: Text(300, required=True)
    description: Text(4000) = ""
    assignee: Text(200) = ""
    due_minutes: Int | None = None
    position: Int | None = None
    alert_team: Text(40) | None = None


class ActionCardPatch(Body):
    version: Version
    type: IncidentType = None
    title: Text(300, required=True) = None
    description: Text(4000) = ""
    assignee: Text(200) = ""
    due_minutes: Int | None = None
    position: Int | None = None
    alert_team: Text(40) | None = None


class ActionCardQuery(Query):
    type: IncidentType | None = None


class AdoptIn(Body):
    card_ids: IdList(500) | None = None


SECTIONS = {"type": "object", "additionalProperties": {"type": "string"}}


class SitrepIn(Body):
    sections: Checked({"anyOf": [SECTIONS, {"type": "null"}]}) = None
    prefill: Bool = False


class SitrepPatch(Body):
    version: Version
    sections: Checked({"anyOf": [SECTIONS, {"type": "null"}]}) = None


class VersionIn(Body):
    version: Version
