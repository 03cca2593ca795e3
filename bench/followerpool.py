"""The orchestrator's side of bench/followers.py: one process per client site (source address)."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

from bench.common import PYTHON, REPO


class FollowerProcess:
    """`python -m bench.followers --source <addr>`: followers that all leave from one local address."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "bench.followers", "--source", source],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def ask(self, cmd: dict) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"follower process {self.source} died")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"follower process {self.source}: {reply['error']}")
        return reply

    def connect(self, url: str, token: str, channels: list[str], count: int) -> None:
        reply = self.ask({"op": "connect", "url": url, "token": token, "channels": channels, "count": count})
        if reply["error_count"]:
            raise RuntimeError(f"{reply['error_count']} followers from {self.source} failed: {reply['errors']}")

    def status(self) -> list[dict]:
        return self.ask({"op": "status"})["followers"]

    def receipts(self) -> dict:
        return self.ask({"op": "receipts"})["receipts"]

    def close(self) -> None:
        try:
            self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.proc.stdin.flush()
            self.proc.wait(30)
        except (BrokenPipeError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(10)


def ask_all(processes: list[FollowerProcess], fn) -> list:
    """Run fn(process) for every process at once; results in order."""
    with ThreadPoolExecutor(max_workers=max(1, len(processes))) as pool:
        return list(pool.map(fn, processes))
