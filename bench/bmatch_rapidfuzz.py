"""EPS name matching: the difflib ratio against rapidfuzz's, on the same inquiries and registry (issue 14 point 7).

`python -m bench.bmatch_rapidfuzz` ranks INQUIRIES made-up inquiries (typos, swapped order, joined and spelt-out
names, birth years) against a registry of EVACUEES made-up evacuees with each token-similarity function, checks that
both give the same ranked candidates, and prints the time per inquiry. The numbers of the last run on the
development machine are in bench/bmatch_rapidfuzz.md.
"""

from __future__ import annotations

import os
import random
import time
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

from beredskap.eps import matching

EVACUEES = int(os.environ.get("BENCH_MATCH_EVACUEES", "2000"))
INQUIRIES = int(os.environ.get("BENCH_MATCH_INQUIRIES", "200"))

FIRST = ["Kari", "Ola", "Åse", "Øystein", "Ingrid", "Lars", "Siv", "Bjørn", "Aud", "Håkon", "Per", "Marie", "Jon"]
MIDDLE = ["", "", "", "Marie", "Olav", "Elise", "Johan"]
LAST = ["Nordmann", "Hansen", "Ødegård", "Aasen", "Bakke", "Lie", "Kristiansen", "Dahl", "Berg", "Haugland"]


def difflib_ratio(a: str, b: str) -> float:
    """The matcher before: Ratcliff/Obershelp, the larger of both directions (it is not symmetric)."""
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, b, a).ratio())


def rapidfuzz_ratio(a: str, b: str) -> float:
    """rapidfuzz's normalised Indel similarity: 2·LCS / (len a + len b), symmetric, in C."""
    return Indel.normalized_similarity(a, b)


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1 :]  # a letter left out
    if kind == 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]  # two letters swapped
    return name[:i] + rng.choice("aeiou") + name[i + 1 :]  # a wrong vowel


def registry(rng: random.Random) -> list[dict]:
    people = []
    for i in range(1, EVACUEES + 1):
        name = " ".join(p for p in (rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(LAST)) if p)
        people.append({"id": i, "full_name": name, "birth_year": rng.randint(1930, 2020)})
    return people


def inquiries(rng: random.Random, people: list[dict]) -> list[dict]:
    asked = []
    for _ in range(INQUIRIES):
        person = rng.choice(people)
        parts = person["full_name"].split()
        form = rng.randrange(4)
        if form == 0:
            name = " ".join(_typo(rng, p) for p in parts)
        elif form == 1:
            name = f"{parts[-1]}, {' '.join(parts[:-1])}"
        elif form == 2:
            name = "".join(parts[:2]) + " " + " ".join(parts[2:]) if len(parts) > 2 else _typo(rng, person["full_name"])
        else:
            name = person["full_name"].replace("å", "aa").replace("ø", "oe").replace("Å", "Aa").replace("Ø", "Oe")
        asked.append({"sought_name": name, "sought_birth_year": person["birth_year"] if rng.random() < 0.5 else None})
    return asked


def run_with(ratio, asked: list[dict], people: list[dict]) -> tuple[float, list]:
    matching._ratio = ratio
    matching._token_similarity.cache_clear()
    started = time.perf_counter()
    ranked = [matching.rank_candidates(inquiry, people) for inquiry in asked]
    return time.perf_counter() - started, ranked


def main() -> None:
    rng = random.Random(14)
    people = registry(rng)
    asked = inquiries(rng, people)
    original = matching._ratio
    try:
        rows = {}
        for label, ratio in (("difflib", difflib_ratio), ("rapidfuzz", rapidfuzz_ratio)):
            best = None
            for _ in range(3):
                seconds, ranked = run_with(ratio, asked, people)
                best = seconds if best is None else min(best, seconds)
            rows[label] = (best, ranked)
    finally:
        matching._ratio = original
        matching._token_similarity.cache_clear()
    same = sum(a == b for a, b in zip(rows["difflib"][1], rows["rapidfuzz"][1], strict=True))
    same_ids = sum(
        [c["evacuee_id"] for c in a] == [c["evacuee_id"] for c in b]
        for a, b in zip(rows["difflib"][1], rows["rapidfuzz"][1], strict=True)
    )
    print(f"{INQUIRIES} inquiries against {EVACUEES} evacuees (cold token cache each run, best of 3)")
    for label, (seconds, _) in rows.items():
        print(f"  {label:<10} {seconds:8.3f} s  {1000 * seconds / INQUIRIES:7.2f} ms per inquiry")
    print(f"  speed-up   {rows['difflib'][0] / rows['rapidfuzz'][0]:8.2f}×")
    print(f"  identical candidate lists (ids and scores): {same}/{INQUIRIES}")
    print(f"  same ids in the same order: {same_ids}/{INQUIRIES}")


if __name__ == "__main__":
    main()
