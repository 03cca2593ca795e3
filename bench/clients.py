"""The orchestrator's side of the client processes: spread clients over processes, send commands, gather."""

from __future__ import annotations

import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.common import PYTHON, REPO

MAX_PER_PROCESS = 100


class ClientPool:
    """Client processes running bench/clientproc.py; each holds at most MAX_PER_PROCESS sockets."""

    def __init__(self, processes: int) -> None:
        self.procs = [
            subprocess.Popen(
                [PYTHON, "-m", "bench.clientproc"],
                cwd=REPO,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
            for _ in range(processes)
        ]
        self.sizes: dict[str, list[int]] = {}
        self._threads = ThreadPoolExecutor(max_workers=max(1, processes))

    def _ask(self, index: int, cmd: dict) -> dict:
        proc = self.procs[index]
        proc.stdin.write(json.dumps(cmd) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"client process {index} died")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"client process {index}: {reply['error']}")
        return reply

    def ask_all(self, cmds: list[dict | None]) -> list[dict | None]:
        """Send one command per process (None: skip) concurrently and return the replies in order."""
        futures = [self._threads.submit(self._ask, i, cmd) if cmd else None for i, cmd in enumerate(cmds)]
        return [f.result() if f else None for f in futures]

    def ready(self) -> None:
        """Wait until every client process has started (imported gevent and socketio)."""
        self.ask_all([{"op": "ping"}] * len(self.procs))

    def split(self, total: int, per_group_share: int) -> list[int]:
        """Spread `total` clients over the processes, at most `per_group_share` of one group per process."""
        n = len(self.procs)
        counts = [total // n + (1 if i < total % n else 0) for i in range(n)]
        if max(counts) > per_group_share:
            raise ValueError(f"{total} clients need more than {n} processes")
        return counts

    def connect(self, group: str, url: str, token: str, channel: str, total: int, share: int) -> None:
        """Grow `group` to `total` connected, subscribed clients."""
        have = self.sizes.get(group, [0] * len(self.procs))
        want = self.split(total, share)
        cmds = [
            {"op": "connect", "group": group, "url": url, "token": token, "channel": channel, "count": w - h}
            if w > h
            else None
            for h, w in zip(have, want, strict=True)
        ]
        replies = self.ask_all(cmds)
        failures = sum(r["error_count"] for r in replies if r)
        if failures:
            errors = [e for r in replies if r for e in r["errors"]]
            raise RuntimeError(f"{failures} clients of {group} failed to connect: {errors[:3]}")
        self.sizes[group] = [max(h, w) for h, w in zip(have, want, strict=True)]

    def count(self, group: str) -> int:
        return sum(self.sizes.get(group, []))

    def wait(self, group: str, seq: int, timeout: float = 30) -> int:
        """Block until every client of the group has `seq`; returns how many have it."""
        return self.wait_detail(group, seq, timeout)[0]

    def wait_detail(self, group: str, seq: int, timeout: float = 30) -> tuple[int, int]:
        """As wait; returns (clients that have `seq`, clients whose socket is still connected)."""
        cmds = [
            {"op": "wait", "group": group, "seq": seq, "timeout": timeout} if n else None
            for n in self.sizes.get(group, [])
        ]
        replies = [r for r in self.ask_all(cmds) if r]
        return sum(r["got"] for r in replies), sum(r.get("connected", r["n"]) for r in replies)

    def collect(self, group: str) -> tuple[list[list[Any]], list[list[int]]]:
        """All receipts since the last collect: records [client, seq, t, at] and per-client seq lists."""
        cmds = [{"op": "collect", "group": group} if n else None for n in self.sizes.get(group, [])]
        records: list[list[Any]] = []
        per_client: list[list[int]] = []
        for p, reply in enumerate(self.ask_all(cmds)):
            if not reply:
                continue
            records.extend([[f"{p}.{r[0]}", *r[1:]] for r in reply["records"]])
            per_client.extend(reply["seqs"].values())
        return records, per_client

    def disconnect(self, group: str) -> None:
        cmds = [{"op": "disconnect", "group": group} if n else None for n in self.sizes.get(group, [])]
        self.ask_all(cmds)
        self.sizes.pop(group, None)

    def catchup(
        self,
        group: str,
        url: str,
        token: str,
        channel: str,
        total: int,
        since: int,
        target: int,
        kind: str,
        share: int,
        timeout: float = 60,
    ) -> tuple[list[list[Any]], list[str]]:
        """Connect `total` clients at one instant with `since`: per client [seconds, exact, received], sample
        errors and the number of clients that failed to connect or subscribe."""
        counts = self.split(total, share)
        start_at = time.time() + 0.5
        cmds = [
            {
                "op": "catchup",
                "group": group,
                "url": url,
                "token": token,
                "channel": channel,
                "count": n,
                "since": since,
                "target": target,
                "kind": kind,
                "start_at": start_at,
                "timeout": timeout,
            }
            if n
            else None
            for n in counts
        ]
        replies = self.ask_all(cmds)
        self.sizes[group] = counts
        results = [row for r in replies if r for row in r["results"]]
        errors = [e for r in replies if r for e in r["errors"]]
        return results, errors, sum(r["error_count"] for r in replies if r)

    def close(self) -> None:
        for proc in self.procs:
            try:
                proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        self._threads.shutdown()


def gaps_and_lost(per_client: list[list[int]], expected: list[int]) -> tuple[int, int]:
    """(gaps, lost) for clients that should each have received exactly `expected`, in order.

    A gap is an arrival whose seq is not the previous seq + 1 (a jump, a repeat or a reordering).
    """
    expected_set = set(expected)
    gaps = lost = 0
    for seqs in per_client:
        inside = [s for s in seqs if s in expected_set]
        lost += len(expected_set - set(inside))
        gaps += sum(1 for a, b in zip(inside, inside[1:], strict=False) if b != a + 1)
    return gaps, lost
