"""What a reader of the printed reports sees: plurals, hyphens, headers cut at a word, decimal commas, the
referat's approval heading and the confidentiality box inside the margins (rendered by poppler)."""

import io
import subprocess
from datetime import timedelta

from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth

from beredskap.incidents.report import render_sitrep_pdf
from beredskap.reports.cooperation import build_minutes
from beredskap.reports.eps_status import build_eps_namelist, build_eps_status
from beredskap.reports.page import MARGIN_X, _fit, register_fonts
from beredskap.reports.texttable import wrap_text
from tests.reports.test_report_cooperation import _meeting_data
from tests.reports.test_report_eps import _eps
from tests.reports.test_report_sitrep import START, _log, _sitrep


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _task(number: int, **extra) -> dict:
    return {"id": number, "title": f"Oppgave {number}", "assignee": "Kari", "status": "new", **extra}


def test_counts_use_the_singular_for_one():
    one = _text(render_sitrep_pdf(_sitrep(tasks=[_task(1)], log=_log(1))))
    assert "1 åpen oppgave, hvorav 0 forsinket" in one and "1 åpne" not in one
    assert "Logg (1 loggføring)" in one
    many = _text(render_sitrep_pdf(_sitrep(tasks=[_task(1), _task(2)], log=_log(3))))
    assert "2 åpne oppgaver" in many and "Logg (3 loggføringer)" in many

    person = {"full_name": "Kari Nordmann", "status": "present", "registered_at": START}
    assert "1 person registrert" in _text(build_eps_namelist(_eps(evacuees=[person])))
    status = _text(build_eps_status(_eps(departments=[{"name": "Mottak", "staff_present": 1, "staff_needed": 1}])))
    assert "1 avdeling, 1 mannskap til stede." in status


def test_long_norwegian_words_in_narrow_cells_break_at_a_syllable_with_a_hyphen():
    font = register_fonts().regular
    assert wrap_text("Beredskapskoordinator", font, 8.5, 60) == ["Beredskaps-", "koordinator"]
    assert wrap_text("Kriminalitetsforebyggende", font, 8.5, 60) == ["Kriminalitets-", "forebyggende"]
    # Addresses and numbers are never given a hyphen that is not theirs.
    assert "".join(wrap_text("https://kristiansand.kommune.no/beredskap", font, 8.5, 60)) == (
        "https://kristiansand.kommune.no/beredskap"
    )

    person = {"full_name": "Anne Beredskapskoordinatorsen", "status": "present", "registered_at": START}
    text = _text(build_eps_namelist(_eps(evacuees=[person])))
    assert "Beredskapskoordinator-\nsen" in text.replace(" \n", "\n")


def test_running_header_is_shortened_at_a_word_boundary():
    register_fonts()
    title = "Storflom i Otra med evakuering av Kvadraturen, Lund, Grim og Tangvall og stengte bruer over elva"
    bold = register_fonts().bold
    header = _fit(title, bold, 13, 300)
    assert header.endswith(" …") and stringWidth(header, bold, 13) <= 300
    assert title.startswith(header.removesuffix(" …")) and title[len(header) - 2] == " "

    incident = {"id": 7, "title": title, "kind": "incident", "severity": 2, "status": "open"}
    first_line = _text(render_sitrep_pdf(_sitrep(incident=incident))).splitlines()[0]
    assert first_line.endswith(" …")
    full = f"Situasjonsrapport nr. 4 – {title}"
    assert full.startswith(first_line.removesuffix(" …")) and full[len(first_line) - 2] == " "


def test_coordinates_have_a_decimal_comma_like_every_other_number():
    text = _text(render_sitrep_pdf(_sitrep(location={"type": "Point", "coordinates": [8.0085, 58.1545]})))
    assert "58,15450 N 8,00850 Ø" in text
    assert "58.1545" not in text


def test_referat_names_the_approval_of_the_saksliste_before_the_attendance():
    text = _text(build_minutes({**_meeting_data(), "present": [{"name": "Kari", "organisation": "Kommunen"}]}))
    assert "Godkjenning av referatet" not in text
    assert text.index("Godkjenning av sakslisten") < text.index("Til stede")


def test_confidentiality_box_of_the_name_list_stays_inside_the_margins(tmp_path):
    people = [
        {"full_name": f"Person {n}", "status": "present", "registered_at": START + timedelta(minutes=n)}
        for n in range(3)
    ]
    pdf = tmp_path / "navneliste.pdf"
    pdf.write_bytes(build_eps_namelist(_eps(evacuees=people)))
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "side")], check=True)
    image = Image.open(tmp_path / "side-1.png").convert("RGB")
    width, height = landscape(A4)
    scale = image.width / width
    left, right = int((MARGIN_X - 1) * scale), int((width - MARGIN_X + 1) * scale)
    # The body of the page, between the header rule and the footer rule (both end at the margins).
    red_outside = [
        (x, y)
        for y in range(int(40 * scale), int((height - 45) * scale))
        for x in [*range(0, left), *range(right, image.width)]
        if (lambda r, g, b: r > 140 and g < 90 and b < 100)(*image.getpixel((x, y)))
    ]
    red_inside = [
        x
        for y in range(int(40 * scale), int(height / 2 * scale))
        for x in range(left, right)
        if (lambda r, g, b: r > 140 and g < 90 and b < 100)(*image.getpixel((x, y)))
    ]
    assert red_inside, "the red box should be on the page"
    assert red_outside == []
