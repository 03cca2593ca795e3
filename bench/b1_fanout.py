"""B1 board fan-out: one event to N subscribed clients, our server against a bare Flask-SocketIO server."""

from __future__ import annotations

from bench.common import Result, percentile
from bench.live import GroupRounds

TARGET = "p99 ≤ 1.3× baseline; 0 lost, 0 gaps"
LIMIT = 1.3


def summarise(n: int, ours: GroupRounds, bare: GroupRounds) -> Result:
    """B1@n from one set of interleaved rounds: p99 delivery latency from the write/emit stamp to receipt."""
    ours_lat, bare_lat = ours.latencies(), bare.latencies()
    p99_ours, p99_bare = percentile(ours_lat, 99), percentile(bare_lat, 99)
    gaps_ours, lost_ours = ours.gaps_and_lost()
    gaps_bare, lost_bare = bare.gaps_and_lost()
    ratio = p99_ours / p99_bare
    ok = ratio <= LIMIT and lost_ours == 0 and gaps_ours == 0 and ours.incomplete == 0
    note = (
        f"{len(ours.triggers)} hendelser × {ours.clients} klienter; p50 {percentile(ours_lat, 50) * 1000:.1f} ms "
        f"mot {percentile(bare_lat, 50) * 1000:.1f} ms; tapt {lost_ours}, hull {gaps_ours} "
        f"(grunnlinje: tapt {lost_bare}, hull {gaps_bare})"
    )
    return Result(
        f"B1@{n}",
        f"fan-out til {n} klienter, p99",
        p99_ours * 1000,
        p99_bare * 1000,
        ratio,
        TARGET,
        ok,
        unit="ms",
        note=note,
        extra={
            "p50_ms": percentile(ours_lat, 50) * 1000,
            "p50_baseline_ms": percentile(bare_lat, 50) * 1000,
            "lost": lost_ours,
            "gaps": gaps_ours,
            "deliveries": len(ours_lat),
        },
    )
