"""What results.md says under a target that is not met: the measured ratio (from the run) beside the profile that
explains it and what would close it (kept here, next to the benchmarks, and updated when they learn more).

A reader of results.md alone must be able to judge a miss; the README «Measured» section has the history.
"""

from __future__ import annotations

from bench.common import Result

# By the leading id of a row (B6-postgresql@16 → B6). Norwegian, as the rest of results.md.
EXPLAINED = {
    "B6": (
        "Profil (cProfile av 200 registreringer i prosess på PostgreSQL, bench-kode i README «Measured»): nesten all "
        "tid venter på PostgreSQL (psycopg `wait`), lite i Python. En registrering er 9 SQL-setninger + COMMIT "
        "(bruker, EPS+hendelse+åpne etterlysninger, evakuert, historikk, revisjon, EPS-tellere, to kanaltellere, "
        "hendelser) mot 1 for tom GET og 7 for en loggføring; fra EPS-tellerne til COMMIT holder den radlåsen på "
        "EPS-en og kanalene, så samtidige registreringer på samme EPS går én og én. Historikk og revisjon skrives nå "
        "før låsene (to rundturer mindre i den låste delen). Det som ville lukke resten: evakuert + historikk + "
        "revisjon i én setning (CTE) på PostgreSQL, EPS-tellere per skranke summert ved lesing i stedet for én "
        "låst rad, og egne kjerner til PostgreSQL (maskinen er delt og lastet, så hver rundtur venter på CPU)."
    ),
    "B7": (
        "Profil: python-socketio koder en kringkastings pakke én gang, og `encode_broadcasts_once()` (på i wsgi.py) "
        "rammer teksten én gang og skriver de samme bytene til hver socket — men A/B med 1000 klienter ga 30,0 µs "
        "uten og 31,3 µs med rammebufferet (last ≈13): wsproto-rammingen var ikke kostnaden. Det som koster per "
        "mottaker er Engine.IO-køen og skrive-greenleten per socket (put, bytte til greenleten, poll, send, bytte "
        "tilbake) rundt det ene `send`-kallet som er hele det rå gulvet. Det som ville lukke det: en "
        "client_manager (python-socketios offentlige utvidelsespunkt) som for en rom-kringkasting skriver den "
        "ferdige rammen rett til socketen når dens kø er tom og skriveren ledig, og ellers legger den i køen, så "
        "rekkefølgen per socket holdes; skrivingen må være ikke-blokkerende (en blokkert sendall midt i løkka lar "
        "neste kringkasting komme først til socketene som ikke er nådd), og en ikke-sendt rest legges i socketens kø."
    ),
    "B8": (
        "p99 skriv-til-siste-skjerm måles gjennom nginx og 3 prosesser på en delt maskin med 2 kjerner, der "
        "klientprosessene (300 seere) selv bruker mesteparten av CPU-en; tapt/duplisert og drift er de harde "
        "målene. Det som ville gjøre p99 sammenlignbar med B2: klientene på en annen maskin."
    ),
    "M1": "Rapporteres mot bar server; ingen grense i QUALITY.md.",
}


def unmet_section(results: list[Result]) -> list[str]:
    """Lines of results.md for every B6/B7/B8/M1 row whose target is not met (empty when all are)."""
    lines: list[str] = []
    for key, why in EXPLAINED.items():
        missed = [r for r in results if r.id.split("@")[0].split("-")[0] == key and not r.ok]
        if not missed:
            continue
        measured = "; ".join(
            f"{r.id} {r.ratio:.2f}×" if r.ratio == r.ratio and r.ratio else f"{r.id} ikke målt" for r in missed
        )
        lines.append(f"- **{key}** ikke nådd — målt: {measured}. {why}")
    if lines:
        lines = ["", "## Mål som ikke er nådd: forklaring og hva som ville lukke dem", "", *lines]
    return lines
