"""B4 zone analysis: vectorised analyse_zone against the plain shapely-contains loop, same numbers required."""

from __future__ import annotations

import json
import time

from bench.common import QUICK, REPO, Result, log, median, print_results

TARGET = "≥ 10× faster (naive/fast), same numbers"


def zones() -> list[tuple[str, dict]]:
    """A few realistic zones: circles of several sizes, a grunnkrets polygon and the whole municipality."""
    grunnkretser = json.loads((REPO / "maps" / "grunnkretser_4204.geojson").read_text(encoding="utf-8"))
    gk = next(f for f in grunnkretser["features"] if f["properties"]["grunnkretsnummer"] == "42040803")
    found = [
        ("sirkel 1 km Kvadraturen", {"center": [7.995, 58.146], "radius_m": 1000}),
        ("sirkel 3 km Vågsbygd", {"center": [7.93, 58.12], "radius_m": 3000}),
        ("grunnkrets 42040803", {"zone": gk["geometry"]}),
    ]
    if not QUICK:
        found.append(("sirkel 8 km Lund", {"center": [8.02, 58.16], "radius_m": 8000}))
    return found


def run() -> list[Result]:
    from beredskap.maps.seeddata import seed_resources
    from beredskap.maps.spatial import analyse_zone, analyse_zone_naive, spatial_index

    index = spatial_index()
    resources = [dict(r, id=n) for n, r in enumerate(seed_resources(), start=1)]
    reps = 1 if QUICK else 2
    fast_reps = 5  # the fast path takes milliseconds: repeat it so a scheduling hiccup does not decide
    fast_total = naive_total = 0.0
    per_zone = {}
    mismatches = []
    for name, kwargs in zones():
        fast_times, naive_times = [], []
        for _ in range(reps):
            # Interleaved, so background load hits both paths alike.
            for _ in range(fast_reps):
                start = time.perf_counter()
                fast_answer = analyse_zone(resources=resources, index=index, **kwargs)
                fast_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            naive_answer = analyse_zone_naive(resources=resources, index=index, **kwargs)
            naive_times.append(time.perf_counter() - start)
            if fast_answer != naive_answer:
                mismatches.append(name)
        fast, naive = median(fast_times), median(naive_times)
        fast_total += fast
        naive_total += naive
        per_zone[name] = {
            "fast_s": fast,
            "naive_s": naive,
            "ratio": naive / fast,
            "population": fast_answer["population_estimate"],
        }
        log(f"B4 {name}: fast {fast * 1000:.1f} ms, naive {naive * 1000:.1f} ms, ×{naive / fast:.1f}")
    ratio = naive_total / fast_total
    note = (
        f"{len(per_zone)} soner, {len(index.dwelling_lon)} boligpunkter, {len(index.gk_number)} grunnkretser, "
        f"{len(resources)} ressurser; samme svar: {'ja' if not mismatches else 'NEI ' + ', '.join(mismatches)}"
    )
    return [
        Result(
            "B4",
            "sone-analyse (sum over soner), s",
            fast_total,
            naive_total,
            ratio,
            TARGET,
            ratio >= 10 and not mismatches,
            unit="s",
            note=note,
            extra={"zones": per_zone},
        )
    ]


if __name__ == "__main__":
    print_results(run())
