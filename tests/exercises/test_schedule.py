"""Tests for the exercise clock: due and next injects under speed-up and pauses, with explicit times."""

from datetime import UTC, datetime, timedelta

import pytest

from beredskap.exercises.schedule import (
    exercise_elapsed,
    format_offset,
    offset_seconds,
    seconds_until_due,
)

START = datetime(2025, 10, 14, 9, 0, tzinfo=UTC)

DREIEBOK = [
    {"no": 3, "at": "00:30", "text": "tre"},
    {"no": 1, "at": "00:05", "text": "en"},
    {"no": 2, "at": "00:10", "text": "to"},
    {"no": 4, "at": "1:00:00", "text": "fire"},
    {"no": 5, "at": "01:00", "text": "fem, samtidig med fire"},
]


def nos(injects):
    return [inject["no"] for inject in injects]


@pytest.mark.parametrize(
    ("at", "seconds"),
    [("00:00", 0), ("00:05", 300), ("1:30", 5400), ("01:30", 5400), ("0:00:45", 45), ("2:05:30", 7530)],
)
def test_offset_seconds_reads_hours_minutes_and_seconds(at, seconds):
    assert offset_seconds(at) == seconds


@pytest.mark.parametrize("at", ["", "5", "00:60", "00:5", "1:00:60", "-0:05", "aa:bb", "00:05:", " : ", "1h"])
def test_offset_seconds_rejects_malformed_times(at):
    with pytest.raises(ValueError):
        offset_seconds(at)


def test_offset_seconds_rejects_non_text():
    with pytest.raises(ValueError):
        offset_seconds(605)


@pytest.mark.parametrize("seconds", [0, 59, 300, 3599, 5400, 7530, 360_000])
def test_format_offset_round_trips(seconds):
    assert offset_seconds(format_offset(seconds)) == seconds


def test_elapsed_is_wall_time_minus_pauses_times_speed():
    now = START + timedelta(minutes=20)

    assert exercise_elapsed(started_at=START, now=now) == 1200
    assert exercise_elapsed(started_at=START, now=now, speed=2.0) == 2400
    assert exercise_elapsed(started_at=START, now=now, speed=2.0, paused_seconds=300) == 1800


def test_elapsed_stands_still_during_a_running_pause():
    paused_since = START + timedelta(minutes=10)

    during = [
        exercise_elapsed(started_at=START, now=paused_since + timedelta(minutes=m), paused_since=paused_since)
        for m in (0, 5, 50)
    ]

    assert during == [600, 600, 600]


def test_elapsed_never_negative_and_speed_must_be_positive():
    assert exercise_elapsed(started_at=START, now=START - timedelta(minutes=1)) == 0
    with pytest.raises(ValueError):
        exercise_elapsed(started_at=START, now=START, speed=0)
    with pytest.raises(ValueError):
        exercise_elapsed(started_at=START, now=START, paused_seconds=-1)


def test_seconds_until_due_counts_wall_time_at_the_given_speed():
    inject = {"no": 3, "at": "00:30"}

    assert seconds_until_due(inject, started_at=START, now=START + timedelta(minutes=10)) == 1200
    assert seconds_until_due(inject, started_at=START, now=START + timedelta(minutes=10), speed=2.0) == 300
    assert seconds_until_due(inject, started_at=START, now=START + timedelta(minutes=40)) == 0


def test_seconds_until_due_is_unknown_while_paused_unless_already_due():
    paused = START + timedelta(minutes=10)
    now = START + timedelta(minutes=20)

    assert seconds_until_due({"no": 3, "at": "00:30"}, started_at=START, now=now, paused_since=paused) is None
    assert seconds_until_due({"no": 1, "at": "00:05"}, started_at=START, now=now, paused_since=paused) == 0
