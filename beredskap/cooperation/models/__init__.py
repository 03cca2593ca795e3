"""Parties, directory, agreement, meetings, decisions, årshjul items and the Oversiktsbilde.

The tables live in modules by subject; this package exports them all, so importing it registers every table."""

from beredskap.cooperation.models.agreement import (
    Agreement,
    AgreementEvaluation,
    AgreementSection,
    CooperationArea,
    FocusArea,
    Routine,
    SteeringDocument,
)
from beredskap.cooperation.models.directory import District, MemberList, Party, Person
from beredskap.cooperation.models.knowledge import (
    CalendarToken,
    CycleItem,
    OverviewIndicator,
    OverviewReport,
    ThreatAssessment,
)
from beredskap.cooperation.models.meetings import (
    AgendaItem,
    Attachment,
    Decision,
    Dispatch,
    Meeting,
    MeetingQuestion,
    Proposal,
)

__all__ = [
    "AgendaItem",
    "Agreement",
    "AgreementEvaluation",
    "AgreementSection",
    "Attachment",
    "CalendarToken",
    "CooperationArea",
    "CycleItem",
    "Decision",
    "Dispatch",
    "District",
    "FocusArea",
    "Meeting",
    "MeetingQuestion",
    "MemberList",
    "OverviewIndicator",
    "OverviewReport",
    "Party",
    "Person",
    "Proposal",
    "Routine",
    "SteeringDocument",
    "ThreatAssessment",
]
