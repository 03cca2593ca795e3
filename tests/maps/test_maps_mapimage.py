"""Tests for static map images drawn for PDF reports."""

import io

from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from beredskap.maps.mapimage import render_map
from beredskap.maps.spatial import normalise_zone

KVADRATUREN = [7.995, 58.146]


def _text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _eps(lon, lat, name):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"name": name, "marker": "eps"},
    }


def test_whole_municipality_map_renders_to_pdf_with_bydeler_and_attribution():
    drawing = render_map([], title="Kristiansand kommune")

    pdf = renderPDF.drawToString(drawing)

    assert isinstance(drawing, Drawing)
    assert (drawing.width, drawing.height) == (480, 320)
    assert pdf.startswith(b"%PDF")
    text = _text_of(pdf)
    for expected in ("Kristiansand kommune", "Kartverket", "DSB", "Søgne", "Songdalen", "Vågsbygd"):
        assert expected in text


def test_zone_map_zooms_to_the_zone_and_labels_the_points():
    zone = normalise_zone(center=KVADRATUREN, radius_m=600)
    features = [_eps(8.0, 58.15, "Idrettshall, Lund")]

    pdf = renderPDF.drawToString(
        render_map(features, zone=zone, highlight_point=KVADRATUREN, title="Brann", width_pt=400, height_pt=260)
    )

    text = _text_of(pdf)
    assert "Idrettshall, Lund" in text
    assert "Kvadraturen" in text
    assert "Songdalen" not in text
    assert "m" in text


def test_view_widens_to_show_every_point():
    zone = normalise_zone(center=KVADRATUREN, radius_m=300)
    features = [_eps(8.0, 58.147, "Nær"), _eps(7.5, 58.3, "Langt unna")]

    text = _text_of(renderPDF.drawToString(render_map(features, zone=zone)))

    assert "Nær" in text
    assert "Langt unna" in text
    assert "Songdalen" in text
    assert "km" in text


def test_regrouped_bydel_is_named_on_the_map():
    text = _text_of(renderPDF.drawToString(render_map([], district_of_delomrade={"420401": "Flekkerøy"})))

    assert "Flekkerøy" in text


def test_map_is_a_flowable_in_a_platypus_document():
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4)
    styles = getSampleStyleSheet()

    document.build([Paragraph("Situasjonsrapport", styles["Title"]), render_map([], width_pt=400, height_pt=260)])

    text = _text_of(buffer.getvalue())
    assert "Situasjonsrapport" in text
    assert "Kartverket" in text
