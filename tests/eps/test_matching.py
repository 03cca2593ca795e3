"""Tests for next-of-kin inquiry matching against registered evacuees."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beredskap.eps.matching import (
    name_similarity,
    normalise_name,
    normalise_phone,
    rank_candidates,
    score_candidate,
)


def evacuee(evacuee_id, full_name, birth_date=None, phone=None):
    return {"id": evacuee_id, "full_name": full_name, "birth_date": birth_date, "phone": phone}


REGISTRY = [
    evacuee(1, "Per Hansen", date(1961, 4, 2), "+47 412 00 001"),
    evacuee(2, "Åse Marie Olsen", "1958-09-12"),
    evacuee(3, "Marie Ødegård", None),
    evacuee(4, "Åse Marie Ødegård", date(1949, 1, 30)),
    evacuee(5, "Kari Nordmann", "1990-03-03"),
    evacuee(6, "Per Olav Nilsen", None, "93 00 11 22"),
]


@pytest.mark.parametrize(
    ("written", "registered"),
    [
        ("aase marie odegaard", "Åse Marie Ødegård"),
        ("ÅSE   MARIE ØDEGÅRD", "Åse Marie Ødegård"),
        ("Ase Marie Oedegaard", "Åse Marie Ødegård"),
        ("Hansen, Per", "Per Hansen"),
        ("Per-Olav Nilsen", "Per Olav Nilsen"),
        ("Sæther", "Saether"),
        ("Müller", "Mueller"),
        ("Björn Öberg", "Bjørn Øberg"),
        ("José Núñez", "Jose Nunez"),
        ("Håkon", "Haakon"),
    ],
)
def test_spelling_variants_share_one_canonical_form(written, registered):
    assert normalise_name(written) == normalise_name(registered)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Per Hansen", "Pål Hansen"), ("Åse", "Anne"), ("Olsen", "Nilsen"), ("Eli", "Ellen")],
)
def test_different_names_stay_different(first, second):
    assert normalise_name(first) != normalise_name(second)


def test_normalised_name_is_lower_case_single_spaced():
    assert normalise_name("  Per-Olav   NILSEN ") == "per olav nilsen"


def test_aase_marie_odegaard_finds_the_right_person_first():
    ranked = rank_candidates({"sought_name": "aase marie odegaard"}, REGISTRY)

    assert ranked[0] == {"evacuee_id": 4, "score": 1.0}
    found = [c["evacuee_id"] for c in ranked]
    assert 1 not in found  # Per Hansen shares nothing with the name sought
    assert all(c["score"] < 1.0 for c in ranked[1:])


def test_name_given_surname_first_with_comma():
    ranked = rank_candidates({"sought_name": "Hansen, Per"}, REGISTRY)

    assert ranked[0]["evacuee_id"] == 1
    assert ranked[0]["score"] == 1.0


def test_name_given_surname_first_without_comma_still_matches():
    ranked = rank_candidates({"sought_name": "Hansen Per"}, REGISTRY)

    assert ranked[0]["evacuee_id"] == 1


def test_hyphenated_and_joined_given_names_match_spaced_ones():
    for written in ("Per-Olav Nilsen", "Perolav Nilsen", "per olav nilsen"):
        ranked = rank_candidates({"sought_name": written}, REGISTRY)
        assert ranked[0]["evacuee_id"] == 6, written
        assert ranked[0]["score"] >= 0.95, written


def test_small_typo_still_finds_the_person():
    ranked = rank_candidates({"sought_name": "Kari Normann"}, REGISTRY)

    assert ranked[0]["evacuee_id"] == 5
    assert 0.8 <= ranked[0]["score"] < 1.0


def test_omitted_middle_name_ranks_below_full_name_but_is_a_candidate():
    ranked = rank_candidates({"sought_name": "Åse Ødegård"}, REGISTRY)

    assert ranked[0]["evacuee_id"] == 4
    assert 0.5 <= ranked[0]["score"] < 1.0


def test_two_people_with_the_same_name_are_never_merged():
    registry = [evacuee(10, "Ola Nordmann"), evacuee(11, "Ola Nordmann"), evacuee(12, "Kari Hansen")]

    ranked = rank_candidates({"sought_name": "ola nordmann"}, registry)

    assert [c["evacuee_id"] for c in ranked] == [10, 11]
    assert ranked[0]["score"] == ranked[1]["score"] == 1.0


def test_birth_year_disambiguates_namesakes():
    registry = [evacuee(20, "Ola Nordmann", date(1950, 6, 1)), evacuee(21, "Ola Nordmann", "1985-02-14")]

    ranked = rank_candidates({"sought_name": "Ola Nordmann", "sought_birth_year": 1985}, registry)

    assert [c["evacuee_id"] for c in ranked] == [21, 20]
    assert ranked[0]["score"] > ranked[1]["score"]


def test_birth_year_raises_a_partial_name_match_and_a_wrong_year_lowers_it():
    partial = {"sought_name": "Åse Ødegård"}
    person = REGISTRY[3]

    without_year = score_candidate(partial, person)
    right_year = score_candidate({**partial, "sought_birth_year": "1949"}, person)
    wrong_year = score_candidate({**partial, "sought_birth_year": 1970}, person)

    assert wrong_year < without_year < right_year


def test_phone_in_any_format_is_the_same_number():
    assert normalise_phone("+47 912 34 567") == normalise_phone("91234567") == "91234567"
    assert normalise_phone("0047 91234567") == "91234567"
    assert normalise_phone("912") is None
    assert normalise_phone(None) is None


def test_matching_phone_lifts_the_right_namesake_first():
    registry = [evacuee(30, "Ola Nordmann", phone="40000000"), evacuee(31, "Ola Nordmann", phone="91234567")]

    ranked = rank_candidates({"sought_name": "Ola Nordmann", "sought_phone": "+47 912 34 567"}, registry)

    assert [c["evacuee_id"] for c in ranked] == [31, 30]


def test_matching_phone_surfaces_a_badly_spelt_name():
    registry = [evacuee(40, "Siri Kristoffersen", phone="91234567")]
    inquiry = {"sought_name": "Siri Christophersen"}

    without_phone = score_candidate(inquiry, registry[0])
    with_phone = score_candidate({**inquiry, "sought_phone": "+4791234567"}, registry[0])

    assert with_phone > without_phone
    assert rank_candidates({**inquiry, "sought_phone": "912 34 567"}, registry)[0]["evacuee_id"] == 40


def test_inquirers_own_phone_is_not_taken_as_the_sought_persons():
    person = evacuee(50, "Kari Nordmann", phone="91234567")
    inquiry = {"sought_name": "Kari Nordmann", "inquirer_name": "Ola", "inquirer_phone": "91234567"}

    assert score_candidate(inquiry, person) == score_candidate({"sought_name": "Kari Nordmann"}, person)


@pytest.mark.parametrize("sought", ["Ingrid Bjørnstad", "Mohammed Al-Sayed", "Zzz", ""])
def test_unrelated_or_empty_name_gives_no_candidates(sought):
    assert rank_candidates({"sought_name": sought}, REGISTRY) == []


def test_different_given_name_with_same_surname_is_not_suggested():
    assert rank_candidates({"sought_name": "Ola Nordmann"}, REGISTRY) == []


def test_scores_are_rounded_and_limited_and_threshold_respected():
    registry = [evacuee(i, "Per Hansen") for i in range(1, 16)]

    ranked = rank_candidates({"sought_name": "Per Hanson"}, registry, limit=3)

    assert len(ranked) == 3
    assert [c["evacuee_id"] for c in ranked] == [1, 2, 3]
    assert all(c["score"] == round(c["score"], 3) for c in ranked)
    assert rank_candidates({"sought_name": "Per Hanson"}, registry, min_score=0.95) == []


names = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
norwegian_names = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåäöüéABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ", min_size=1, max_size=12),
    min_size=1,
    max_size=4,
).map(" ".join)


@given(names)
def test_normalise_name_is_idempotent(name):
    once = normalise_name(name)
    assert normalise_name(once) == once


@given(norwegian_names)
def test_normalise_name_is_idempotent_on_name_like_text(name):
    once = normalise_name(name)
    assert normalise_name(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(names | norwegian_names, names | norwegian_names, st.none() | st.integers(1900, 2030))
def test_score_is_in_unit_interval_and_name_similarity_symmetric(first, second, year):
    inquiry = {"sought_name": first, "sought_birth_year": year}
    person = {"id": 1, "full_name": second, "birth_date": None if year is None else f"{year + 1}-01-01"}

    assert 0.0 <= score_candidate(inquiry, person) <= 1.0
    assert name_similarity(first, second) == pytest.approx(name_similarity(second, first))
    assert 0.0 <= name_similarity(first, second) <= 1.0


@given(norwegian_names)
def test_a_name_always_matches_itself_fully(name):
    if normalise_name(name):
        assert name_similarity(name, name) == 1.0
