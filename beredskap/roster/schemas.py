"""Request models of the roster and alerting API (CONTRACT §9)."""

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from beredskap.roster import alerting
from beredskap.roster.models import DeliveryState, Team
from beredskap.validation import Body, Bool, Choice, Day, Id, IdList, Int, Limit, Moment, Query, Text, Version, invalid


def _this_century(value: datetime | date | None) -> datetime | date | None:
    if value is None:
        return None
    if not 2000 <= value.year <= 2100:
        raise invalid("utenfor", "må ligge mellom år 2000 og 2100.")
    return value


def _minutes(value: int) -> int:
    if not 1 <= value <= 1440:
        raise invalid("1–1440", "må være 1–1440.")
    return value


def _given(value: object) -> object:
    if value is None:
        raise invalid("påkrevd", "mangler.")
    return value


ShiftTime = Annotated[Moment, AfterValidator(_this_century)]
Ids = IdList(200)


class PersonIn(Body):
    name: Text(200, required=True)
    phone: Text(40) = ""
    email: Text(200) = ""


class Membership(Body):
    """The person holds the function (`holder`) or stands in for its holder (`deputy`, added last)."""

    position_id: Id
    role: Choice("holder", "deputy")


class PersonPatch(Body):
    version: Version
    name: Text(200) | None = None
    phone: Text(40) | None = None
    email: Text(200) | None = None
    active: Bool | None = None
    positions: (
        Annotated[
            list[Membership], Field(max_length=200, description="every function of the person; left out = unchanged")
        ]
        | None
    ) = None
    groups: (
        Annotated[list[Text(80)], Field(max_length=200, description="keys of the saved groups naming the person")]
        | None
    ) = None


class PositionIn(Body):
    team: Team
    title: Text(200, required=True)


class PositionPatch(Body):
    version: Version
    title: Text(200, required=True) = None
    sort_order: Int = None
    holder_id: Int | None = None
    deputy_ids: Ids | None = None


class GroupIn(Body):
    title: Text(200, required=True)
    key: Text(60) | None = None
    position_ids: Ids | None = None
    person_ids: Ids | None = None


class ShiftIn(Body):
    team: Team
    person_id: Int
    starts_at: Annotated[ShiftTime, AfterValidator(_given)]
    ends_at: Annotated[ShiftTime, AfterValidator(_given)]
    note: Text(200) = ""


class AlertIn(Body):
    message: Text(alerting.MAX_MESSAGE, required=True)
    group: Text(400) | None = None
    positions: Ids | None = None
    incident_id: Int | None = None
    escalation_minutes: Annotated[Int, AfterValidator(_minutes)] | None = None
    action_card_id: Int | None = None


class PeopleQuery(Query):
    all: Annotated[str, Field(description="1 lists inactive people too")] | None = None


class ScheduleQuery(Query):
    from_: Annotated[Day, AfterValidator(_this_century), Field(alias="from")] = None
    days: Limit(62) = 7


class AlertsQuery(Query):
    incident_id: Limit(10**9) | None = None
    limit: Limit(200) = 20


class OutboxQuery(Query):
    limit: Limit(1000) = 200
    alert_id: Limit(10**9) | None = None


class DeliveriesQuery(OutboxQuery):
    """«Utsendinger»: the queue's messages, optionally in one state."""

    state: Choice(*(state.value for state in DeliveryState)) | None = None
