"""B3 catch-up: many clients reconnect at once, each missed 200 events; against one pre-serialised batch."""

from __future__ import annotations

from bench.clients import ClientPool
from bench.common import BareServer, OurServer, Result, log, percentile
from bench.live import OursTarget

TARGET = "p99 ≤ 2× baseline; every client gets exactly the missed events, in order"
LIMIT = 2.0
MISSED = 200
GROUP = "catchup"
TIMEOUT = 30.0
BARE_RETRIES = 2


def run(pool: ClientPool, server: OurServer, bare: BareServer, clients: int, rounds: int, share: int) -> Result:
    # The `global` channel: bench/prepare_db.py wrote its history; incidents opened since add to it.
    ours = OursTarget(GROUP, server, channel="global")
    target = ours.sync()
    if target < MISSED:
        raise RuntimeError(f"global has only {target} events")
    since = target - MISSED
    events = ours.events_since(since)
    assert [e["seq"] for e in events] == list(range(since + 1, target + 1)), "journal has gaps"
    # The baseline sends exactly the same 200 envelopes, serialised once up front.
    response = ours.api.session.post(bare.url + "/batch", json={"events": events}, timeout=30)
    response.raise_for_status()

    times = {"ours": [], "bare": []}
    wrong = {"ours": 0, "bare": 0}
    failed = {"ours": 0, "bare": 0}
    errors: list[str] = []
    discarded: list[int] = []  # baseline rounds repeated because some of its clients never got their ack

    def measure(which: str) -> tuple[list[float], int, int, list[str]]:
        if which == "ours":
            url, token, kind = ours.server.url, ours.server.token, "events"
        else:
            url, token, kind = bare.url, "bench", "batch"
        results, errs, failures = pool.catchup(
            GROUP, url, token, ours.channel, clients, since, target, kind, share, TIMEOUT
        )
        pool.disconnect(GROUP)
        # A client that never got everything counts as the full timeout, not as absent.
        got = [row[0] if row[0] is not None else TIMEOUT for row in results]
        got += [TIMEOUT] * (clients - len(results))
        log(f"B3 {which}: {clients} klienter, p99 {percentile(got, 99):.3f} s, feil {failures} {errs[:2]}")
        return got, failures, sum(1 for row in results if not row[1]), errs

    for r in range(rounds):
        for which in ("ours", "bare") if r % 2 == 0 else ("bare", "ours"):
            got, failures, wrong_count, errs = measure(which)
            # The bare server now and then drops a few of 300 simultaneous subscribes; a baseline that lost
            # clients is no baseline, so its round is repeated (up to twice) and the note says so. Our own
            # failures are never repeated away: they count.
            while which == "bare" and failures and len(discarded) < BARE_RETRIES:
                discarded.append(failures)
                got, failures, wrong_count, errs = measure(which)
            errors.extend(errs)
            failed[which] += failures
            times[which].extend(got)
            wrong[which] += wrong_count
    p99_ours, p99_bare = percentile(times["ours"], 99), percentile(times["bare"], 99)
    ratio = p99_ours / p99_bare
    # A baseline that lost clients measured nothing comparable: the row is then not ok, whatever the ratio.
    ok = ratio <= LIMIT and wrong["ours"] == 0 and failed["ours"] == 0 and failed["bare"] == 0
    note = (
        f"{clients} klienter × {rounds} runder, {MISSED} tapte hendelser hver; tid fra samtidig tilkobling til "
        f"siste manglende hendelse; p50 {percentile(times['ours'], 50):.3f} s mot "
        f"{percentile(times['bare'], 50):.3f} s; klienter med feil/manglende rekkefølge: {wrong['ours']} "
        f"(grunnlinje {wrong['bare']}); klienter som ikke fikk koblet til/abonnert: {failed['ours']} "
        f"(grunnlinje {failed['bare']})"
        + (f"; grunnlinjerunder gjentatt fordi klienter ikke fikk svar: {discarded}" if discarded else "")
    )
    return Result(
        "B3",
        f"innhenting, {clients} klienter × {MISSED} hendelser, p99",
        p99_ours * 1000,
        p99_bare * 1000,
        ratio,
        TARGET,
        ok,
        unit="ms",
        note=note,
        extra={"errors": errors[:3], "wrong": wrong},
    )
