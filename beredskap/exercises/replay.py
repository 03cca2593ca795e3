"""Replay: fold the journal of an incident channel into the board as it stood at a moment (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

TASK_FIELDS = ("id", "title", "status", "assignee", "due")
SITREP_FIELDS = ("id", "number", "status")
INCIDENT_FIELDS = ("id", "title", "kind", "type", "severity", "status", "phase")
INJECT_FIELDS = ("inject_id", "no", "at", "from", "to", "channel", "text", "objective", "delivered_at", "early")


def event_time(event: Mapping[str, Any]) -> datetime:
    """Return the moment of an event envelope, whether `at` is a datetime or ISO 8601 text."""
    at = event["at"]
    return at if isinstance(at, datetime) else datetime.fromisoformat(str(at))


def board_state(events: Iterable[Mapping[str, Any]], until: datetime | None = None) -> dict[str, Any]:
    """Return the board (log lines, tasks with status, injects delivered, sitreps) after the events up to `until`.

    `events` are journal envelopes ({"seq", "type", "at", "data"}) of one incident channel; they are applied
    in seq order and only those at or before `until` count (all of them when `until` is None).
    """
    ordered = sorted(events, key=lambda event: event["seq"])
    incident: dict[str, Any] | None = None
    log: list[dict[str, Any]] = []
    tasks: dict[int, dict[str, Any]] = {}
    sitreps: dict[int, dict[str, Any]] = {}
    injects: list[dict[str, Any]] = []
    skipped: list[int] = []
    exercise = {"started": False, "paused": False, "finished": False, "speed": None}
    last_seq = 0
    last_at: datetime | None = None
    count = 0
    for event in ordered:
        at = event_time(event)
        if until is not None and at > until:
            continue
        kind = event["type"]
        data = event.get("data") or {}
        last_seq, last_at, count = event["seq"], at, count + 1
        if kind in ("incident.created", "incident.updated"):
            incident = {key: data.get(key) for key in INCIDENT_FIELDS}
        elif kind == "log.created":
            log.append(dict(data))
        elif kind in ("task.created", "task.updated") and data.get("id") is not None:
            tasks[data["id"]] = {key: data.get(key) for key in TASK_FIELDS}
        elif kind.startswith("sitrep.") and data.get("id") is not None:
            sitreps[data["id"]] = {key: data.get(key) for key in SITREP_FIELDS}
        elif kind == "inject.delivered":
            injects.append({key: data.get(key) for key in INJECT_FIELDS})
        elif kind == "inject.skipped":
            skipped.append(data.get("no"))
        elif kind == "exercise.started":
            exercise.update(started=True, paused=False, speed=data.get("speed"))
        elif kind == "exercise.paused":
            exercise["paused"] = True
        elif kind == "exercise.resumed":
            exercise["paused"] = False
        elif kind == "exercise.speed_changed":
            exercise["speed"] = data.get("speed")
        elif kind == "exercise.finished":
            exercise.update(finished=True, paused=False)
    return {
        "until": until.isoformat() if until else None,
        "last_seq": last_seq,
        "last_event_at": last_at.isoformat() if last_at else None,
        "event_count": count,
        "incident": incident,
        "log": log,
        "tasks": [tasks[key] for key in sorted(tasks)],
        "injects": injects,
        "skipped": skipped,
        "sitreps": sorted(sitreps.values(), key=lambda sitrep: (sitrep.get("number") or 0, sitrep["id"])),
        "exercise": exercise,
    }


def timeline(events: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Return the span of a channel's events and a mark per event, for the replay slider."""
    marks = [
        {"seq": event["seq"], "at": event_time(event).isoformat(), "type": event["type"]}
        for event in sorted(events, key=lambda event: event["seq"])
    ]
    return {
        "start": marks[0]["at"] if marks else None,
        "end": max((mark["at"] for mark in marks), default=None, key=datetime.fromisoformat),
        "marks": marks,
    }
