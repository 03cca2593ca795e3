"""Exercises: the øvingsdirektiv, objectives, the dreiebok, observations, evaluation, lessons and the action plan."""

import datetime as dt
from datetime import datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db
from beredskap.vocabulary import (  # noqa: F401 - the statuses and labels live in the vocabulary; re-exported
    ACTION_STATUS_TITLES,
    EXERCISE_STATUS_TITLES,
    INJECT_STATE_TITLES,
    LESSON_KIND_TITLES,
    RATING_TITLES,
    ActionStatus,
    ExerciseStatus,
    InjectState,
    LessonKind,
    Rating,
)


class Exercise(db.Model):
    """One exercise from plan to evaluation; running it opens an incident of kind `exercise`."""

    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), index=True)
    form: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(300))
    duration: Mapped[str | None] = mapped_column(String(12))
    participants: Mapped[list] = mapped_column(JSON, default=list)  # [{"role", "description"}]
    organisers: Mapped[str | None] = mapped_column(Text)  # øvingsledelse / spillstab
    scenario: Mapped[str | None] = mapped_column(Text)
    ground_rules: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    # Whether the exercise tests the preparedness plan and so resets the two-year clock of § 7.
    counts_for_plan: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default=ExerciseStatus.PLANNED, index=True)
    speed: Mapped[float] = mapped_column(Float, default=1.0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The exercise clock runs from clock_origin; a speed change moves the origin so the clock never jumps.
    clock_origin: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held_on: Mapped[dt.date | None] = mapped_column(Date)  # the day it was held (§ 7 record)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="SET NULL"), index=True)
    evaluation_summary: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    objectives: Mapped[list["Objective"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", passive_deletes=True, order_by="Objective.position"
    )
    injects: Mapped[list["Inject"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", passive_deletes=True, order_by="Inject.no"
    )

    @property
    def channel(self) -> str | None:
        return f"incident:{self.incident_id}" if self.incident_id else None

    def summary_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "form": self.form,
            "date": self.date.isoformat() if self.date else None,
            "status": self.status,
            "speed": self.speed,
            "incident_id": self.incident_id,
            "counts_for_plan": self.counts_for_plan,
            "started_at": isoformat(self.started_at),
            "finished_at": isoformat(self.finished_at),
            "held_on": self.held_on.isoformat() if self.held_on else None,
            "version": self.version,
        }

    def to_dict(self) -> dict:
        return {
            **self.summary_dict(),
            "purpose": self.purpose,
            "location": self.location,
            "duration": self.duration,
            "participants": list(self.participants or []),
            "organisers": self.organisers,
            "scenario": self.scenario,
            "ground_rules": list(self.ground_rules or []),
            "notes": self.notes,
            "paused_seconds": self.paused_seconds,
            "paused_since": isoformat(self.paused_since),
            "evaluation_summary": self.evaluation_summary,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "objectives": [objective.to_dict() for objective in self.objectives],
            "injects": [inject.to_dict() for inject in self.injects],
        }


class Objective(db.Model):
    """Øvingsmål: a code (M1, M2 …), its text and the indicators that show it was reached."""

    __tablename__ = "exercise_objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    indicators: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    exercise: Mapped[Exercise] = relationship(back_populates="objectives")

    __table_args__ = (UniqueConstraint("exercise_id", "code", name="uq_exercise_objectives_exercise_code"),)

    def to_dict(self) -> dict:
        return {"id": self.code, "text": self.text, "indicators": list(self.indicators or [])}


class Inject(db.Model):
    """One line of the dreiebok; delivered exactly once, claimed with UPDATE … WHERE state = 'pending'."""

    __tablename__ = "exercise_injects"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    no: Mapped[int] = mapped_column()
    at: Mapped[str] = mapped_column(String(12))  # offset from start, "HH:MM" or "HH:MM:SS"
    offset: Mapped[int] = mapped_column(default=0)  # the same in seconds
    sender: Mapped[str | None] = mapped_column(String(300))
    recipient: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(Text)
    objective: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=InjectState.PENDING)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_early: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    exercise: Mapped[Exercise] = relationship(back_populates="injects")

    __table_args__ = (
        UniqueConstraint("exercise_id", "no", name="uq_exercise_injects_exercise_no"),
        Index("ix_exercise_injects_exercise_state", "exercise_id", "state", "no"),
    )

    def scenario_dict(self) -> dict:
        """The inject as a dreiebok line (the scenario file's fields)."""
        return {
            "no": self.no,
            "at": self.at,
            "from": self.sender,
            "to": self.recipient,
            "channel": self.channel,
            "text": self.text,
            "expected": self.expected,
            "objective": self.objective,
            "notes": self.notes,
        }

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            **self.scenario_dict(),
            "state": self.state,
            "delivered_at": isoformat(self.delivered_at),
            "delivered_early": self.delivered_early,
            "version": self.version,
        }

    def event_data(self, objective_text: str | None = None) -> dict:
        # Inject text is scenario text written for the exercise, not personal data.
        return {
            "exercise_id": self.exercise_id,
            "inject_id": self.id,
            "no": self.no,
            "at": self.at,
            "from": self.sender,
            "to": self.recipient,
            "channel": self.channel,
            "text": self.text,
            "objective": self.objective,
            "objective_text": objective_text,
            "delivered_at": isoformat(self.delivered_at),
            "early": self.delivered_early,
        }


class Observation(db.Model):
    """A timed observation against an objective (or general when objective is None)."""

    __tablename__ = "exercise_observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)
    objective: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    exercise_seconds: Mapped[float | None] = mapped_column(Float)  # on the exercise clock
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    observer: Mapped[str] = mapped_column(String(200), default="")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "exercise_id": self.exercise_id,
            "objective": self.objective,
            "text": self.text,
            "at": isoformat(self.at),
            "exercise_seconds": self.exercise_seconds,
            "observer": self.observer,
        }


class Evaluation(db.Model):
    """The rating of one objective with the reasoning behind it."""

    __tablename__ = "exercise_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    objective_id: Mapped[int] = mapped_column(ForeignKey("exercise_objectives.id", ondelete="CASCADE"))
    rating: Mapped[str] = mapped_column(String(30))
    reasoning: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("objective_id", name="uq_exercise_evaluations_objective_id"),)


class Lesson(db.Model):
    """Læringspunkt: what worked and should be kept, or what should be improved."""

    __tablename__ = "exercise_lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))
    objective: Mapped[str | None] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "exercise_id": self.exercise_id,
            "text": self.text,
            "kind": self.kind,
            "objective": self.objective,
            "author": self.author,
            "created_at": isoformat(self.created_at),
            "version": self.version,
        }


class ActionPlanItem(db.Model):
    """Tiltak in the action plan: owner, deadline and status, followed up until done."""

    __tablename__ = "exercise_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("exercise_lessons.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.OPEN, index=True)
    followup: Mapped[str] = mapped_column(Text, default="")  # oppfølging: what has been done so far
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != ActionStatus.DONE and self.deadline is not None and self.deadline < today

    def to_dict(self, today: dt.date | None = None) -> dict:
        return {
            "id": self.id,
            "exercise_id": self.exercise_id,
            "lesson_id": self.lesson_id,
            "action": self.action,
            "owner": self.owner,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "status": self.status,
            "followup": self.followup,
            "overdue": self.is_overdue(today) if today else False,
            "done_at": isoformat(self.done_at),
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "updated_by": self.updated_by,
            "version": self.version,
        }
