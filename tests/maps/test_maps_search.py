"""Place and address search and reverse lookup (CONTRACT §11) on SQLite and PostgreSQL."""

import pytest

from beredskap.maps.search import KINDS
from tests.conftest import Api, gen_user

MARKENS_GATE_16 = (7.994309, 58.145153)
STOKKELANDSSKOGEN = (7.84, 58.08)  # Søgne: outside the OSM centre, only SSR names and N1000 there
SEA_INSIDE_KOMMUNE = (8.0, 58.0)  # grunnkretser reach into the sea; no address or place within 2 km
OUTSIDE_KOMMUNE = (7.3, 58.0)


def _api(app, role="coordinator"):
    return Api(app.test_client(), gen_user(app, role)[3])


def _search(api, q, **params):
    response = api.client.get(
        "/api/v1/maps/search", query_string={"q": q, **params}, headers={"Authorization": f"Bearer {api.token}"}
    )
    return response


def _labels(response):
    assert response.status_code == 200, response.get_json()
    return [(r["label"], r["kind"]) for r in response.json["results"]]


def _reverse(api, lon, lat):
    return api.get(f"/api/v1/maps/reverse?lon={lon}&lat={lat}")


def test_prefix_finds_the_street_first_then_its_addresses_in_number_order(any_app):
    api = _api(any_app)

    labels = _labels(_search(api, "Markens"))

    assert labels[0] == ("Markens gate", "street")
    addresses = [label for label, kind in labels if kind == "address"]
    assert addresses[:3] == ["Markens gate 1", "Markens gate 1A", "Markens gate 2"]
    assert all(label.replace(" ", "").lower().startswith("markensgate") for label, _ in labels)


def test_results_carry_position_kind_and_bbox(any_app):
    results = _search(_api(any_app), "Markens gate").json["results"]

    street = results[0]
    assert street["kind"] == "street"
    west, south, east, north = street["bbox"]
    assert west <= street["lon"] <= east and south <= street["lat"] <= north
    assert all(r["kind"] in KINDS for r in results)
    assert all(7.5 < r["lon"] < 8.4 and 57.9 < r["lat"] < 58.4 for r in results)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MARKENS GATE", ("Markens gate", "street")),
        ("markensgate", ("Markens gate", "street")),
        ("Lokkeveien", ("Løkkeveien", "street")),
        ("Loekkeveien", ("Løkkeveien", "street")),
        ("Vaagsbygd", ("Vågsbygd", "bydel")),
        ("vagsbygd", ("Vågsbygd", "bydel")),
        ("Aalefjaer", ("Ålefjær", "delomrade")),
        ("Sogne", ("Søgne", "bydel")),
        ("Dronn", ("Dronningens gate", "street")),
        ("Stokkelandssk", ("Stokkelandsskogen", "place")),
        ("Flekkeroy", ("Flekkerøy", "delomrade")),
    ],
)
def test_spelling_variants_case_and_prefixes_rank_the_intended_result_first(app, query, expected):
    assert _labels(_search(_api(app), query))[0] == expected


def test_a_house_number_narrows_to_that_address(app):
    labels = _labels(_search(_api(app), "markens gate 16"))

    assert labels[0] == ("Markens gate 16", "address")


def test_districts_are_searched_by_the_current_grouping(any_app):
    api = _api(any_app)
    districts = api.get("/api/v1/maps/districts").json
    kvadraturen = next(d for d in districts["delomrader"] if d["number"] == "420408")

    changed = api.patch(
        "/api/v1/maps/districts",
        json={"delomrader": [{"number": "420408", "bydel": "Sentrum Øst", "version": kvadraturen["version"]}]},
    )

    assert changed.status_code == 200, changed.json
    assert _labels(_search(api, "sentrum ost"))[0] == ("Sentrum Øst", "bydel")
    assert ("Kvadraturen", "bydel") not in _labels(_search(api, "Kvadraturen", limit=50))


def test_resources_are_found_by_name_and_eps_only_by_those_who_may_see_them(any_app):
    api = _api(any_app)
    created = api.post(
        "/api/v1/resources",
        json={
            "name": "Hallen på Bærheia",
            "kind": "idrett",
            "location": {"type": "Point", "coordinates": [8.0, 58.15]},
        },
    )
    assert created.status_code == 201, created.json

    results = _search(api, "hallen paa baerheia").json["results"]

    assert results[0]["label"] == "Hallen på Bærheia"
    assert results[0]["kind"] == "resource"
    assert results[0]["id"] == created.json["id"]


def test_limit_is_respected_and_checked(app):
    api = _api(app)

    assert len(_search(api, "Markens", limit=3).json["results"]) == 3
    assert len(_search(api, "a", limit=50).json["results"]) == 50
    for bad in ("0", "51", "ti", "-1"):
        response = _search(api, "Markens", limit=bad)
        assert response.status_code == 422, bad
        assert response.json["error"]["fields"] == {"limit": "bad_limit"}


@pytest.mark.parametrize(
    "query",
    ["", "   ", "x" * 201, "M" * 500, "\x00\x01\x02", "Markens\x07", "\u202eMarkens", "abc\u200b"],
)
def test_bad_queries_get_422_with_the_error_envelope(any_app, query):
    response = _search(_api(any_app), query)

    assert response.status_code == 422
    assert response.json["error"]["code"] in {"empty_query", "query_too_long", "invalid_characters"}
    assert response.json["error"]["message"]


@pytest.mark.parametrize("query", ["🙂🙂", "\u0301\u0301", "---", "§§§", "ⅯⅯ", "日本語"])
def test_odd_unicode_gives_an_empty_list_not_an_error(app, query):
    response = _search(_api(app), query)

    assert response.status_code == 200
    assert isinstance(response.json["results"], list)


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%C0%AF"])
def test_undecodable_bytes_are_422_or_empty_never_5xx(app, raw):
    api = _api(app)

    response = api.client.get(
        "/api/v1/maps/search",
        environ_overrides={"QUERY_STRING": f"q={raw}"},
        headers={"Authorization": f"Bearer {api.token}"},
    )

    # Werkzeug keeps undecodable bytes as their %-escapes: searched as text, never an error.
    assert response.status_code in (200, 422)
    assert isinstance(response.json.get("results", []), list)


def test_missing_q_is_422_and_anonymous_is_401(app):
    api = _api(app)

    assert api.get("/api/v1/maps/search").status_code == 422
    assert app.test_client().get("/api/v1/maps/search?q=Markens").status_code == 401


# --- reverse lookup ---


def test_reverse_in_the_centre_names_the_nearest_address_and_its_districts(any_app):
    body = _reverse(_api(any_app), *MARKENS_GATE_16).json

    assert body["label"] == "Markens gate 16"
    assert body["kind"] == "address"
    assert body["distance_m"] == 0
    assert body["bydel"] == "Kvadraturen"
    assert body["delomrade"] == "Kvadraturen-Eg"
    assert body["grunnkrets"]


def test_reverse_outside_the_centre_names_the_nearest_place(app):
    body = _reverse(_api(app), *STOKKELANDSSKOGEN).json

    assert body["kind"] == "place"
    assert body["label"] == "Stokkelandsskogen"
    assert 0 < body["distance_m"] < 2000
    assert body["bydel"] == "Søgne"


def test_reverse_at_sea_inside_the_kommune_has_no_label_but_the_districts(app):
    response = _reverse(_api(app), *SEA_INSIDE_KOMMUNE)

    assert response.status_code == 200
    assert response.json["label"] is None
    assert response.json["bydel"]


def test_reverse_outside_the_kommune_is_404_and_bad_coordinates_422(app):
    api = _api(app)

    assert _reverse(api, *OUTSIDE_KOMMUNE).status_code == 404
    assert _reverse(api, *OUTSIDE_KOMMUNE).json["error"]["code"] == "outside_kommune"
    for lon, lat in (("x", "58.1"), ("8.0", ""), ("nan", "58"), ("8.0", "91"), ("inf", "58")):
        response = _reverse(api, lon, lat)
        assert response.status_code == 422, (lon, lat)
        assert response.json["error"]["code"] == "bad_coordinates"


def test_reverse_follows_a_regrouped_bydel(any_app):
    api = _api(any_app)
    version = next(d for d in api.get("/api/v1/maps/districts").json["delomrader"] if d["number"] == "420408")[
        "version"
    ]
    api.patch(
        "/api/v1/maps/districts",
        json={
            "delomrader": [{"number": "420408", "name": "Sentrumskvartalene", "bydel": "Sentrum", "version": version}]
        },
    )

    body = _reverse(api, *MARKENS_GATE_16).json

    assert body["bydel"] == "Sentrum"
    assert body["delomrade"] == "Sentrumskvartalene"
