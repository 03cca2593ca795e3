"""Tests for the exercise evaluation PDF."""

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from beredskap.reports.evaluation import build_evaluation, rating_label

GENERATED = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)


def _pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _evaluation(**overrides) -> dict:
    data = {
        "plan": {
            "title": "Flom i Otra",
            "form": "spilløvelse",
            "date": date(2026, 2, 12),
            "location": "Rådhuset i Kvadraturen",
            "purpose": "Øve samvirke mellom kommune og politi ved flom.",
            "participants": ["Kriseledelsen", "Agder politidistrikt"],
        },
        "objectives": [
            {
                "id": "M1",
                "text": "Etablere kriseledelse innen 30 minutter",
                "rating": "oppnådd",
                "reasoning": "Etablert etter 22 minutter.",
            },
            {
                "id": "M2",
                "text": "Varsle befolkningen i Søgne",
                "rating": "delvis oppnådd",
                "reasoning": "Varslingen kom 40 minutter for sent.",
            },
            {"id": "M3", "text": "Opprette EPS", "rating": "not_achieved", "reasoning": "Lokalet var ikke klart."},
        ],
        "observations": [
            {
                "objective": "M2",
                "text": "SMS-varslingen manglet engelsk tekst.",
                "observer": "Ola Ødegård",
                "at": datetime(2026, 2, 12, 9, 15, tzinfo=UTC),
            },
            {"objective": None, "text": "Godt samarbeid i staben."},
        ],
        "lessons": [
            {"text": "Tidlig kontakt med politiet fungerte godt", "kind": "bevare"},
            {"text": "Varslingsmaler må finnes på flere språk", "kind": "forbedre"},
        ],
        "action_plan": [
            {
                "action": "Lage varslingsmaler på engelsk",
                "owner": "Kommunikasjonsenheten",
                "deadline": date(2026, 5, 1),
                "status": "planned",
            },
            {"action": "Avtale nøkkel til Gimlehallen", "owner": "EPS-leder", "deadline": None, "status": "done"},
        ],
        "generated_at": GENERATED,
    }
    data.update(overrides)
    return data


def test_evaluation_contains_all_parts():
    pages = _pages(build_evaluation(_evaluation()))
    text = "\n".join(pages)

    assert "Evaluering – Flom i Otra" in text
    assert "Spilløvelse" in text
    for heading in ("Om øvelsen", "Øvingsmål og måloppnåelse", "Observasjoner", "Læringspunkter", "Tiltaksplan"):
        assert heading in text
    assert "3 øvingsmål: 1 oppnådd, 1 delvis oppnådd, 1 ikke oppnådd." in text
    assert "Varslingen kom 40 minutter for sent." in text
    assert "SMS-varslingen manglet engelsk tekst." in text and "Ola Ødegård" in text
    assert "Dette bør forbedres" in text and "Varslingsmaler må finnes på flere språk" in text
    assert "Kommunikasjonsenheten" in text and "01.05.2026" in text and "Planlagt" in text
    assert "Utført" in text
    assert "Kvadraturen" in text and "Søgne" in text
    assert "Side 1 av" in pages[0]


def test_evaluation_is_marked_as_exercise_material_by_default():
    pages = _pages(build_evaluation(_evaluation()))

    assert all("ØVELSE" in text for text in pages)


def test_long_evaluation_is_marked_on_every_page_and_draft_flag_adds_utkast():
    observations = [{"objective": "M1", "text": f"Observasjon nummer {i} fra Søgne."} for i in range(150)]
    pages = _pages(build_evaluation(_evaluation(observations=observations, draft=True)))

    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "ØVELSE" in text and "UTKAST" in text
        assert f"Side {number} av {len(pages)}" in text


def test_unrated_objectives_are_reported_as_not_rated():
    objectives = [{"id": "M1", "text": "Loggføring", "rating": None, "reasoning": None}]
    text = "\n".join(_pages(build_evaluation(_evaluation(objectives=objectives))))

    assert "Ikke vurdert" in text


def test_unknown_rating_is_refused():
    objectives = [{"id": "M1", "text": "Loggføring", "rating": "nesten", "reasoning": ""}]

    with pytest.raises(ValueError):
        build_evaluation(_evaluation(objectives=objectives))


@pytest.mark.parametrize(
    ("rating", "label"),
    [
        ("oppnådd", "Oppnådd"),
        ("Delvis oppnådd", "Delvis oppnådd"),
        ("partially_achieved", "Delvis oppnådd"),
        ("ikke oppnådd", "Ikke oppnådd"),
        (None, "Ikke vurdert"),
    ],
)
def test_rating_labels(rating, label):
    assert rating_label(rating) == label


def test_empty_evaluation_still_renders_with_placeholders():
    text = "\n".join(_pages(build_evaluation({"plan": {"title": "Tom øvelse"}})))

    assert "Ingen øvingsmål er registrert." in text
    assert "Ingen observasjoner er registrert." in text
    assert "Ingen tiltak er registrert." in text
