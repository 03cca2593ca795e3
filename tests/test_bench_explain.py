"""results.md names every missed B6/B7/B8 target with its measured ratio and what explains it."""

from bench.common import Result
from bench.explain import unmet_section


def row(result_id: str, ratio: float, ok: bool) -> Result:
    return Result(result_id, "x", 1.0, 1.0, ratio, "mål", ok)


def test_missed_rows_are_named_with_ratio_and_explanation():
    lines = unmet_section(
        [row("B6-postgresql@16", 0.5, True), row("B6-get-postgresql@16", 0.24, False), row("B7-raw", 4.43, False)]
    )
    text = "\n".join(lines)
    assert "B6-get-postgresql@16 0.24×" in text and "B6-postgresql@16 0.50×" not in text
    assert "B7-raw 4.43×" in text and "Engine.IO-køen" in text
    assert "B8" not in text


def test_nothing_when_every_target_is_met():
    assert unmet_section([row("B6", 0.6, True), row("B7", 0.9, True), row("M1", 0.9, True)]) == []
