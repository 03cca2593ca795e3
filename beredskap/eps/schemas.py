"""Request models of the EPS API. Personal-data fields are checked by the registry itself (its messages never
echo a value), so here they are `Checked`: documented once, passed on as sent."""

from typing import Annotated

from pydantic import Field

from beredskap.validation import POINT_SCHEMA, Body, Bool, Checked, Choice, Limit, Query, Version

TEXT = {"type": ["string", "null"]}
INT = {"type": ["integer", "null"]}
DAY = {"type": ["string", "null"], "description": "ISO 8601 date, or as the desk types it (010280, 01.02.1980)"}
NEEDS = {"description": "a list of needs, or an object with a list and a note"}
EVACUEE = {
    "type": "object",
    "required": ["full_name"],
    "properties": {"full_name": {"type": "string"}, "birth_date": DAY, "phone": TEXT, "address": TEXT, "needs": NEEDS},
}


class CentreIn(Body):
    name: Checked({"type": "string", "minLength": 1, "maxLength": 200}, required=True) = None
    capacity: Checked({"type": "integer", "minimum": 0}, required=True) = None
    resource_id: Checked(INT) = None
    location: Checked({"anyOf": [POINT_SCHEMA, {"type": "null"}]}) = None
    decided_by: Choice("politi", "kommune") | None = None
    status: Checked(TEXT) = None
    confirm_duplicate: Checked({"type": "boolean"}) = False


class CentrePatch(Body):
    version: Version
    name: Checked({"type": "string"}) = None
    capacity: Checked({"type": "integer", "minimum": 0}) = None
    status: Checked({"type": "string"}) = None
    leader_user_id: Checked({"type": "integer"}) = None


class DepartmentPatch(Body):
    version: Version
    leader_name: Checked(TEXT) = None
    leader_person_id: Checked(INT) = None
    deputy_name: Checked(TEXT) = None
    deputy_person_id: Checked(INT) = None
    staff_needed: Checked({"type": ["integer", "null"], "minimum": 0}) = None


class ActionTick(Body):
    version: Version
    done: Bool


class StaffIn(Body):
    name: Checked(TEXT) = None
    person_id: Checked(INT) = None
    role: Checked(TEXT) = None


class EvacueeIn(Body):
    full_name: Checked({"type": "string", "minLength": 1, "maxLength": 200}, required=True) = None
    birth_date: Checked(DAY) = None
    phone: Checked(TEXT) = None
    address: Checked(TEXT) = None
    needs: Checked(NEEDS) = None
    needs_note: Checked(TEXT) = None
    household_id: Checked(INT) = None


class HouseholdIn(Body):
    members: Checked({"type": "array", "minItems": 1, "items": EVACUEE}, required=True) = None
    address: Checked(TEXT) = None
    household_id: Checked(INT) = None


class CheckoutIn(Body):
    destination: Checked(TEXT) = None


class InquiryIn(Body):
    inquirer_name: Checked({"type": "string", "minLength": 1, "maxLength": 200}, required=True) = None
    inquirer_phone: Checked({"type": "string"}, required=True) = None
    relation: Checked({"type": "string", "minLength": 1, "maxLength": 100}, required=True) = None
    sought_name: Checked({"type": "string", "minLength": 1, "maxLength": 200}, required=True) = None
    sought_birth_year: Checked(INT) = None
    sought_phone: Checked(TEXT) = None
    note: Checked(TEXT) = None
    channel: Checked({"type": "string"}) = "telefon"


class ReuniteIn(Body):
    evacuee_id: Checked({"type": "integer"}, required=True) = None


class PurgeIn(Body):
    dry_run: Bool = False


class ReadQuery(Query):
    """Reads of personal data name why (or send the X-Access-Reason header); `status` filters."""

    reason: Checked({"type": "string", "maxLength": 200}) = None
    purpose: Checked({"type": "string", "pattern": "^[0-9]{1,9}$"}) = None
    status: Checked({"type": "string"}) = None


class ReasonQuery(Query):
    """`purpose` names a purpose from the list (`reason` is then its note); without it the session's choice."""

    reason: Checked({"type": "string", "maxLength": 200}) = None
    purpose: Checked({"type": "string", "pattern": "^[0-9]{1,9}$"}) = None


class ExportQuery(ReasonQuery):
    """An export to the police names its legal basis (`basis`, a recorded share basis), else the newest valid one."""

    basis: Annotated[Limit(999_999_999), Field(description="the id of a recorded share basis")] = None


EVACUEE_FIX = {
    "full_name": {"type": "string", "minLength": 1, "maxLength": 200},
    "birth_date": DAY,
    "phone": TEXT,
    "address": TEXT,
    "needs": NEEDS,
    "needs_note": TEXT,
    "destination": TEXT,
    "household_id": INT,
}


class EvacueePatch(Body):
    """Correct a registration: only the fields sent change; the old values go to its history."""

    version: Version
    full_name: Checked(EVACUEE_FIX["full_name"]) = None
    birth_date: Checked(DAY) = None
    phone: Checked(TEXT) = None
    address: Checked(TEXT) = None
    needs: Checked(NEEDS) = None
    needs_note: Checked(TEXT) = None
    destination: Checked(TEXT) = None
    household_id: Checked(INT) = None


class InquiryPatch(Body):
    """Correct a next-of-kin inquiry: only the fields sent change; the old values go to its history."""

    version: Version
    inquirer_name: Checked({"type": "string", "minLength": 1, "maxLength": 200}) = None
    inquirer_phone: Checked({"type": "string"}) = None
    relation: Checked({"type": "string", "minLength": 1, "maxLength": 100}) = None
    sought_name: Checked({"type": "string", "minLength": 1, "maxLength": 200}) = None
    sought_birth_year: Checked(INT) = None
    sought_phone: Checked(TEXT) = None
    note: Checked(TEXT) = None


class PurposeIn(Body):
    title: Checked({"type": "string", "minLength": 1, "maxLength": 120}, required=True) = None


class PurposePatch(Body):
    version: Version
    title: Checked({"type": "string", "minLength": 1, "maxLength": 120}) = None
    active: Checked({"type": "boolean"}) = None


class PurposeChoice(Body):
    """The purpose picked at the desk for this centre, kept for the session."""

    purpose_id: Checked({"type": "integer"}, required=True) = None
    note: Checked({"type": ["string", "null"], "maxLength": 120}) = None


class PurposeListQuery(Query):
    all: Checked({"type": "string", "enum": ["0", "1"]}) = None
