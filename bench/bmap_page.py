"""B10 map page: the map page ready (base map drawn) against the same page without the base map, side by side in
Chromium, and the bytes the first view transfers (as sent, gzip). Targets: ≤ 1.5× and ≤ 1.5 MB."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import QUICK, OurServer, Result, log, median, print_results

TARGET = "≤ 1.5× the page without the base map; first view ≤ 1.5 MB"
TARGET_RATIO = 1.5
TARGET_BYTES = 1.5 * 1024 * 1024
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _view(browser, server: OurServer, with_basemap: bool) -> tuple[float, int]:
    """Seconds from navigation to ready, and bytes received, for one cold view (fresh context, empty cache)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers={"Authorization": f"Bearer {server.token}"}
    )
    page = context.new_page()
    received: list[int] = []

    def count(request) -> None:
        sizes = request.sizes()
        received.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])

    page.on("requestfinished", count)
    start = time.perf_counter()
    page.goto(server.url + "/map" + ("" if with_basemap else "?basemap=0"))
    page.locator("#map-app[data-ready='1']").wait_for(timeout=60000)
    if with_basemap:
        page.locator("#map[data-basemap='ready']").wait_for(timeout=60000)
    elapsed = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    context.close()
    return elapsed, sum(received)


def run() -> list[Result]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = OurServer(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp), "sqlite").start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                _view(browser, server, True)  # warm the server's caches (layers, search index) once
                with_times, without_times, first_bytes = [], [], []
                for _ in range(3 if QUICK else 8):
                    # Interleaved so background load hits both alike.
                    elapsed, sent = _view(browser, server, True)
                    with_times.append(elapsed)
                    first_bytes.append(sent)
                    without_times.append(_view(browser, server, False)[0])
                browser.close()
        finally:
            server.stop()
    ours, base = median(with_times), median(without_times)
    sent = median(first_bytes)
    log(f"B10 side klar {ours * 1000:.0f} ms med bakgrunnskart, {base * 1000:.0f} ms uten; {sent / 1024:.0f} KiB")
    return [
        Result(
            "B10",
            "kartside klar med/uten bakgrunnskart, s",
            ours,
            base,
            ours / base,
            "≤ 1.5× the page without the base map",
            ours / base <= TARGET_RATIO,
            unit="s",
            note=f"median av {len(with_times)} kalde visninger i Chromium",
        ),
        Result(
            "B10-bytes",
            "første visning av kartsiden, overført (gzip), KiB",
            sent / 1024,
            TARGET_BYTES / 1024,
            sent / TARGET_BYTES,
            "≤ 1.5 MB",
            sent <= TARGET_BYTES,
            unit="KiB",
        ),
    ]


if __name__ == "__main__":
    print_results(run())
