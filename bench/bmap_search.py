"""B9 map search and reverse lookup: the prefix index and the STRtree against a plain linear scan, same answers."""

from __future__ import annotations

import math
import random
import time

from bench.common import QUICK, Result, log, percentile, print_results

TARGET = "≥ 20× faster (p95) than a linear scan of the same index; same top result"
TARGET_SPEEDUP = 20.0


def queries(index, count: int) -> list[str]:
    """Realistic queries: prefixes of street and place names, full addresses, spelling variants, lower case."""
    rng = random.Random(15)
    by_kind: dict[str, list[str]] = {}
    for entry in index.text.entries:
        by_kind.setdefault(entry.kind, []).append(entry.label)
    found = ["Markens", "markens gate 10", "Vaagsbygd", "Lokkeveien", "Flekkeroy", "a", "s", "Dronn"]
    while len(found) < count:
        kind = rng.choice(["address", "street", "place", "grunnkrets"])
        label = rng.choice(by_kind[kind])
        cut = rng.randint(3, len(label))
        text = label[:cut]
        variant = rng.random()
        if variant < 0.3:
            text = text.lower()
        elif variant < 0.5:
            text = text.replace("å", "aa").replace("ø", "oe").replace("æ", "ae")
        found.append(text)
    return found


def run() -> list[Result]:
    from beredskap.maps.search import linear_matches, nearest, score, static_index, tokens_of

    started = time.perf_counter()
    index = static_index()
    log(f"B9 indeks bygget på {time.perf_counter() - started:.2f} s, {len(index.text.entries)} oppslag")
    texts = queries(index, 60 if QUICK else 300)
    fast_times, slow_times, mismatches = [], [], 0
    for text in texts:
        query = tokens_of(text)
        start = time.perf_counter()
        fast = sorted(score(query, index.text, i) for i in index.text.matches(query))[:10]
        fast_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        slow = sorted(score(query, index.text, i) for i in linear_matches(query, index.text))[:10]
        slow_times.append(time.perf_counter() - start)
        mismatches += fast != slow
    search_fast, search_slow = percentile(fast_times, 95) * 1000, percentile(slow_times, 95) * 1000

    rng = random.Random(4204)
    points = [(rng.uniform(7.85, 8.15), rng.uniform(58.05, 58.2)) for _ in range(60 if QUICK else 300)]
    entries = index.address_entries
    projected = [_projected(index.address_entries), _projected(index.place_entries)]
    tree_times, scan_times, reverse_mismatches = [], [], 0
    for lon, lat in points:
        start = time.perf_counter()
        hit, _ = nearest(lon, lat)
        tree_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        best = _scan(projected, lon, lat)
        scan_times.append(time.perf_counter() - start)
        reverse_mismatches += (hit.label if hit else None) != (best.label if best else None)
    reverse_fast, reverse_slow = percentile(tree_times, 95) * 1000, percentile(scan_times, 95) * 1000
    log(f"B9 søk p95 {search_fast:.2f} ms (lineært {search_slow:.2f} ms); omvendt p95 {reverse_fast:.2f} ms")
    return [
        Result(
            "B9-search",
            "kartsøk p95, ms",
            search_fast,
            search_slow,
            search_slow / search_fast,
            TARGET,
            search_slow / search_fast >= TARGET_SPEEDUP and not mismatches,
            unit="ms",
            note=f"{len(texts)} søk over {len(index.text.entries)} oppslag; ulike svar: {mismatches}",
        ),
        Result(
            "B9-reverse",
            "omvendt oppslag p95, ms",
            reverse_fast,
            reverse_slow,
            reverse_slow / reverse_fast,
            TARGET,
            reverse_slow / reverse_fast >= TARGET_SPEEDUP and not reverse_mismatches,
            unit="ms",
            note=f"{len(points)} punkter, {len(entries)} adresser; ulike svar: {reverse_mismatches}",
        ),
    ]


def _projected(entries):
    from beredskap.maps.layers import UTM32, WGS84, project_xy

    x, y = project_xy([e.lon for e in entries], [e.lat for e in entries], WGS84, UTM32)
    return list(zip(entries, x.tolist(), y.tolist(), strict=True))


def _scan(projected, lon, lat):
    """Nearest address within 150 m, else place within 2 km, by a loop over every point (same metric, UTM)."""
    from beredskap.maps.layers import UTM32, WGS84, project_xy
    from beredskap.maps.search import REVERSE_ADDRESS_M, REVERSE_PLACE_M

    px, py = project_xy([lon], [lat], WGS84, UTM32)
    qx, qy = float(px[0]), float(py[0])
    for points, limit in zip(projected, (REVERSE_ADDRESS_M, REVERSE_PLACE_M), strict=True):
        best, best_d = None, limit
        for entry, x, y in points:
            d = math.hypot(x - qx, y - qy)
            if d <= best_d:
                best, best_d = entry, d
        if best is not None:
            return best
    return None


if __name__ == "__main__":
    print_results(run())
