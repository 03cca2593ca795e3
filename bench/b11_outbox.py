"""B11 offline outbox: from going online to "all 100 queued writes sent and acknowledged", in real Chromium, against
the same 100 log lines sent one after another by the same page while online (plain fetch, no outbox)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.common import PYTHON, REPO, OurServer, Result, log, log_text, open_incident, print_results

TARGET = "≤ 1,5× tiden for de samme 100 skrivene sendt én og én tilkoblet; 0 tapt, 0 doble"
LIMIT = 1.5
WRITES = 100
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

SEQUENTIAL = """async ([url, texts]) => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const started = performance.now();
  for (const text of texts) {
    const response = await fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ text }) });
    await response.json();
    if (response.status !== 201) throw new Error(`status ${response.status}`);
  }
  return performance.now() - started;
}"""
QUEUE = """async ([url, texts]) => {
  const outbox = await import("/static/js/outbox.js");
  for (const text of texts) await outbox.post(url, { text }, { label: text });
  // Armed before going online: the clock starts at the browser's "online" event, stops at an empty outbox.
  window.__b7 = new Promise((resolve) => window.addEventListener("online", () => {
    const started = performance.now();
    const check = async () => {
      if (!(await outbox.entries()).length) resolve(performance.now() - started);
    };
    outbox.onChange(check);
  }, { once: true }));
  return (await outbox.entries()).length;
}"""


def run() -> list[Result]:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="beredskap-b7-"))
    server = OurServer(f"sqlite:///{tmp / 'b7.db'}", tmp, "sqlite")
    try:
        server.start()
        password = secrets.token_urlsafe(16)
        subprocess.run(
            [PYTHON, "-m", "flask", "--app", "wsgi", "users", "create", "b7.k", "--role", "coordinator",
             "--password-stdin"],
            cwd=REPO, env=server.env(), input=password + "\n", text=True, check=True, capture_output=True,
        )  # fmt: skip
        incident = open_incident(server.api(), "Benchmark: utboks")["id"]
        url = f"/api/v1/incidents/{incident}/log"
        with sync_playwright() as pw:
            args = ["--no-sandbox", "--disable-gpu"]
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
            context = browser.new_context()
            page = context.new_page()
            page.goto(server.url + "/login")
            page.fill("#username", "b7.k")
            page.fill("#password", password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/login" not in u)
            page.goto(f"{server.url}/incidents/{incident}")
            page.evaluate("navigator.serviceWorker.ready")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            baseline_ms = page.evaluate(SEQUENTIAL, [url, [f"Tilkoblet {log_text(i)}" for i in range(WRITES)]])
            context.set_offline(True)
            queued = page.evaluate(QUEUE, [url, [f"Utboks {log_text(i)}" for i in range(WRITES)]])
            context.set_offline(False)
            ours_ms = page.evaluate("window.__b7")
            browser.close()
        entries = server.api().get(url).json()["entries"]
        outbox_texts = [e["text"] for e in entries if e["text"].startswith("Utboks ")]
        exact = queued == WRITES and outbox_texts == [f"Utboks {log_text(i)}" for i in range(WRITES)]
        ratio = ours_ms / baseline_ms if baseline_ms else float("inf")
        log(f"B11: utboks {ours_ms:.0f} ms, én og én tilkoblet {baseline_ms:.0f} ms, nøyaktig={exact}")
        return [
            Result(
                "B11",
                f"utboks: {WRITES} skriv sendt etter frakobling (Chromium)",
                ours_ms,
                baseline_ms,
                ratio,
                TARGET,
                exact and ratio <= LIMIT,
                unit="ms",
                note="" if exact else "utboksen leverte ikke nøyaktig de 100 linjene i rekkefølge",
            )
        ]
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print_results(run())
