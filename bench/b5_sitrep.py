"""B5 sitrep PDF: 1,000 log lines and a map against a bare reportlab table; sockets stay responsive meanwhile."""

from __future__ import annotations

import io
import threading
import time
from datetime import UTC, datetime, timedelta

from bench.clients import ClientPool
from bench.common import QUICK, Result, log, log_text, median, percentile, print_results
from bench.live import OursTarget, run_rounds

TARGET_PDF = "≤ 2× baseline"
TARGET_SOCKETS = "B1 p99 øker ≤ 20 % mens PDF-er lages"
LINES = 1000
LOCATION = {"type": "Point", "coordinates": [7.9956, 58.1467]}


AUTHORS = ["Kari Nordmann", "Ola Ødegård", "Siv Aasen", "Håkon Lie", "Ingrid Bakke"]
CATEGORIES = ["Informasjon", "Beslutning", "Tiltak", "Melding inn", "Melding ut"]


def log_rows(count: int) -> list[dict]:
    """Log lines as sitrep_report_data gives them: display names as authors, category titles."""
    start = datetime.now(UTC) - timedelta(hours=20)
    return [
        {
            "id": i,
            "seq": i,
            "created_at": start + timedelta(minutes=i),
            "category": CATEGORIES[i % len(CATEGORIES)],
            "author": AUTHORS[i % len(AUTHORS)],
            "text": log_text(i),
            "corrects": None,
        }
        for i in range(1, count + 1)
    ]


def build_ours(rows: list[dict]) -> bytes:
    """Our path: the incident map drawn, then the full sitrep with it."""
    from beredskap.maps.mapimage import render_map
    from beredskap.reports.page import content_width
    from beredskap.reports.sitrep import build_sitrep

    drawing = render_map(highlight_point=LOCATION, width_pt=content_width() - 4, height_pt=300)
    return build_sitrep(
        {
            "incident": {"id": 1, "title": "Flom i Otra", "kind": "incident", "severity": 2, "status": "open"},
            "number": 1,
            "author": "Kari Nordmann",
            "status": "draft",
            "sections": {"situation": "Otra går over sine bredder ved Mosby.", "actions_taken": ["Lenser lagt ut"]},
            "log": rows,
            "tasks": [],
            "map_drawing": drawing,
            "map_caption": "Hendelsesstedet",
        }
    )


def build_bare(rows: list[dict]) -> bytes:
    """Baseline: reportlab's own table of the same rows, plain strings, header repeated on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    data = [["Nr.", "Tid", "Kategori", "Loggført av", "Tekst"]]
    data += [
        [str(r["seq"]), r["created_at"].strftime("%d.%m %H:%M"), r["category"], r["author"], r["text"]] for r in rows
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([Table(data, repeatRows=1)])
    return buffer.getvalue()


def run_pdf_ratio() -> Result:
    rows = log_rows(LINES)
    build_ours(rows[:5])  # warm the layer caches and fonts once, as a running server has them
    build_bare(rows[:5])
    reps = 1 if QUICK else 2
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    sizes = {}
    for rep in range(reps):
        for which in ("ours", "bare") if rep % 2 == 0 else ("bare", "ours"):
            start = time.perf_counter()
            pdf = (build_ours if which == "ours" else build_bare)(rows)
            times[which].append(time.perf_counter() - start)
            sizes[which] = len(pdf)
    ours, bare = median(times["ours"]), median(times["bare"])
    log(f"B5 PDF: sitrep {ours:.2f} s, bar tabell {bare:.2f} s")
    note = (
        f"{LINES} logglinjer; sitrep med kart {sizes['ours'] // 1024} KiB, bar tabell {sizes['bare'] // 1024} KiB; "
        f"median av {reps}"
    )
    return Result(
        "B5-pdf",
        f"sitrep-PDF, {LINES} linjer + kart",
        ours * 1000,
        bare * 1000,
        ours / bare,
        TARGET_PDF,
        ours / bare <= 2.0,
        unit="ms",
        note=note,
    )


class PdfLoop:
    """GET /incidents/<id>/sitrep.pdf back to back in a thread while switched on."""

    def __init__(self, ours: OursTarget) -> None:
        self.ours = ours
        self.stop_flag = threading.Event()
        self.thread: threading.Thread | None = None
        self.durations: list[float] = []
        self.failures: list[int] = []

    def probe(self) -> tuple[int, str]:
        response = self.ours.api.get(f"/incidents/{self.ours.incident_id}/sitrep.pdf")
        return response.status_code, response.headers.get("Content-Type", "")

    def start(self) -> None:
        self.stop_flag.clear()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stop_flag.set()
        if self.thread:
            self.thread.join(120)

    def _loop(self) -> None:
        from bench.common import Api

        api = Api(self.ours.server.url, self.ours.server.token)
        while not self.stop_flag.is_set():
            start = time.perf_counter()
            response = api.get(f"/incidents/{self.ours.incident_id}/sitrep.pdf")
            if response.status_code == 200:
                self.durations.append(time.perf_counter() - start)
            else:
                self.failures.append(response.status_code)


def run_sockets(pool: ClientPool, ours: OursTarget, blocks: int, rounds_per_block: int) -> Result:
    """B1 rounds on our server (N already connected), alternating blocks without and with PDFs rendering."""
    loop = PdfLoop(ours)
    status, content_type = loop.probe()
    n = pool.count(ours.group)
    if status != 200 or "pdf" not in content_type:
        note = f"GET /incidents/<id>/sitrep.pdf svarte {status} ({content_type}); bare PDF-forholdet er målt"
        return Result(
            "B5-sockets",
            f"B1@{n} p99 mens PDF-er lages",
            0.0,
            0.0,
            0.0,
            TARGET_SOCKETS,
            False,
            unit="ms",
            note=note,
            extra={"route_missing": True},
        )
    off: list[float] = []
    on: list[float] = []
    lost = gaps = 0
    for block in range(blocks):
        rendering = block % 2 == 1
        if rendering:
            loop.start()
            time.sleep(0.3)  # let the first render get going
        data = run_rounds(
            pool,
            [ours],
            rounds_per_block,
            warmup=0,
            label=f"B5 blokk {block + 1} ({'med' if rendering else 'uten'} PDF)",
        )[ours.group]
        if rendering:
            loop.stop()
        (on if rendering else off).extend(data.latencies())
        g, lo = data.gaps_and_lost()
        gaps, lost = gaps + g, lost + lo
    p99_on, p99_off = percentile(on, 99), percentile(off, 99)
    ratio = p99_on / p99_off
    note = (
        f"{n} klienter, {blocks // 2} blokker med og {blocks - blocks // 2} uten PDF, {rounds_per_block} hendelser "
        f"per blokk; {len(loop.durations)} PDF-er à {median(loop.durations):.2f} s (median), "
        f"feilsvar {len(loop.failures)}; p50 {percentile(on, 50) * 1000:.1f} mot {percentile(off, 50) * 1000:.1f} ms; "
        f"tapt {lost}, hull {gaps}"
    )
    ok = ratio <= 1.2 and lost == 0 and gaps == 0 and not loop.failures
    return Result(
        "B5-sockets",
        f"B1@{n} p99 mens PDF-er lages",
        p99_on * 1000,
        p99_off * 1000,
        ratio,
        TARGET_SOCKETS,
        ok,
        unit="ms",
        note=note,
        extra={"pdfs": len(loop.durations), "pdf_median_s": median(loop.durations)},
    )


def combine(pdf: Result, sockets: Result | None) -> Result:
    """The plain B5 row: the PDF ratio, ok only when the sockets also stayed responsive."""
    if sockets is None:
        tail = "sockets: ikke målt (serveren startet ikke)"
    elif not sockets.extra.get("route_missing"):
        tail = f"sockets: p99 ×{sockets.ratio:.2f} ({'ok' if sockets.ok else 'IKKE ok'})"
    else:
        tail = "sockets: " + sockets.note
    return Result(
        "B5",
        pdf.what,
        pdf.value,
        pdf.baseline,
        pdf.ratio,
        f"{TARGET_PDF}; {TARGET_SOCKETS}",
        # Without the sitrep route only the PDF ratio is measured, and it alone decides.
        pdf.ok and sockets is not None and (sockets.ok or sockets.extra.get("route_missing", False)),
        unit=pdf.unit,
        note=f"{pdf.note}; {tail}",
    )


if __name__ == "__main__":
    print_results([run_pdf_ratio()])
