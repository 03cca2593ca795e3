"""The signed samarbeidsavtale 2025–2028 as data, and agreement periods as records (issue 16).

The expected names are copied from seed/samarbeidsavtale-kristiansand-politi-2025-2028.md, spelling included."""

FOCUS_AREAS = [
    "Barne og ungdomskriminalitet",
    "Vold i nære relasjoner",
    "Vold i det offentlige rom",
    "Radikalisering og voldelig ekstremisme",
    "Arbeidslivskriminalitet",
    "Hverdagskriminalitet",
    "Prostitusjon og menneskehandel",
    "Hatkriminalitet og hatefulle ytringer",
]
STEERING_DOCUMENTS = [
    "Kommuneplanen i Kristiansand; Sterkere sammen —Kristiansand mot 2030",
    "Kriminalitetsforebyggende plan 2016 - 2024; Sammen om en tryggere hverdag",
    "Strategi for salgs- og skjenkepolitikken; Alkoholpolitisk handlingsplan 2024-2028",
    "Handlingsplan mot vold og seksuelle overgrep mot barn og unge; Handlingsplan mot vold og seksuelle overgrep",
    "Politivedtekt for Kristiansand kommune av 2020; Forskrift om politivedtekt Kristiansand kommune",
    "Forskrift om kommunal beredskapsplikt",
    "I forkant av kriminaliteten – Forebygging som politiets hovedstrategi (2021-2025)",
    "Veileder politi og kommunesamarbeid",
]
COOPERATION_AREAS = [
    "Barne- og ungdomskriminalitet",
    "Vold i nære relasjoner",
    "Seksuelle overgrep mot barn",
    "Personer som utgjør en samfunnsfare",
    "Rus og psykiatri",
    "Radikalisering, hatkrim og polarisering",
    "Trafikksikkerhetsarbeid",
    "Trygt uteliv",
    "Operativ beredskap, øvelser og evakuering- og pårørendesenter",
    "Arrangementer og markeringer",
]
GOALS = [
    "at kommune og politi tar et felles ansvar for kriminalitetsforebygging og innbyggernes trygghet",
    "å styrke dialog og samarbeid mellom politi og kommune",
    "bedre informasjonsflyt og felles kunnskapsgrunnlag mellom politi og kommune",
    "et godt samarbeid i beredskaps- og krisesituasjoner",
    "tidlig innsats med et særlig fokus på barne- og ungdomskriminalitet",
]
SIGNATORIES = [
    {
        "name": "Jan Terje Aas",
        "function": "Driftsenhetsleder",
        "unit": "Midtre Agder driftsenhet",
        "party": "Agder politidistrikt",
    },
    {"name": "Mathias Bernander", "function": "Ordfører", "unit": "", "party": "Kristiansand kommune"},
    {"name": "Camilla Dunsæd", "function": "Kommunedirektør", "unit": "", "party": "Kristiansand kommune"},
]
INVENTED = ["Digital kriminalitet", "Politidirektoratets rundskriv", "kommunestyreperioden", "ROS"]


def test_the_signed_agreement_is_there_as_written_without_a_demo_seed(api):
    agreement = api("viewer").get("/api/v1/cooperation/agreement").json

    assert agreement["title"] == "Samarbeidsavtale mellom Kristiansand kommune og Agder politidistrikt"
    assert agreement["period"] == {
        "start": 2025,
        "end": 2028,
        "valid_from": "2025-01-01",
        "valid_to": "2028-12-31",
        "basis": "Samarbeidsavtalen har en varighet på 4 år og følger bystyreperioden.",
    }
    assert agreement["parties"] == ["Kristiansand kommune", "Agder politidistrikt"]
    assert agreement["signatories"] == SIGNATORIES
    assert agreement["goals"] == GOALS
    assert [f["title"] for f in agreement["focus_areas"]] == FOCUS_AREAS
    assert [d["title"] for d in agreement["steering_documents"]] == STEERING_DOCUMENTS
    assert [a["title"] for a in agreement["cooperation_areas"]] == COOPERATION_AREAS
    # Routines are what users enter: none until they do.
    assert all(area["routines"] == [] for area in agreement["cooperation_areas"])
    assert agreement["outside_note"].startswith("Øvrige samarbeidsstrukturer som samarbeid med Akrimssenteret")
    assert "reguleres i separate samarbeidsavtaler" in agreement["outside_note"]
    assert agreement["mandates"]["politi"].startswith("Politiets samfunnsoppdrag er forankret i politilovens §§1 og 2")
    assert agreement["mandates"]["kommune"].startswith("Kommunenes samfunnsoppdrag er forankret i kommuneloven § 1")
    sections = [(s["number"], s["title"]) for s in agreement["sections"]]
    assert sections[:3] == [
        ("1", "Innledning /formål"),
        ("2", "Forventninger til samarbeidet"),
        ("3", "Samarbeid på strategisk og overordnet nivå"),
    ]
    assert ("3.1", "Politirådet") in sections and sections[-1] == ("6", "Evaluering")
    politirad = next(s["text"] for s in agreement["sections"] if s["number"] == "3.1")
    assert "Felles fokusområder og tiltak vurderes i politirådet hvert møte." in politirad
    text = str(agreement)
    for invented in INVENTED:
        assert invented not in text


def test_the_agreement_page_shows_the_text(app, users):
    from tests.conftest import login

    client = app.test_client()
    login(client, users["viewer"][1], users["viewer"][2])
    html = client.get("/cooperation/agreement").get_data(as_text=True)
    for expected in (
        "Avtalen gjelder for 01.01.2025 – 31.12.2028.",
        "følger bystyreperioden",
        "Jan Terje Aas",
        "Midtre Agder driftsenhet",
        "Hatkriminalitet og hatefulle ytringer",
        "Veileder politi og kommunesamarbeid",
        "Akrimssenteret",
        "tidlig innsats med et særlig fokus på barne- og ungdomskriminalitet",
    ):
        assert expected in html, expected


def test_the_next_agreement_is_registered_and_the_arshjul_follows_it(api):
    writer = api("prevention_coordinator")
    assert api("viewer").get("/api/v1/cooperation/annual-cycle/2029").json["covered"] is False

    body = {
        "valid_from": "2029-01-01",
        "valid_to": "2032-12-31",
        "period_basis": "Følger bystyreperioden 2029–2032.",
        "copy_lists": True,
    }
    assert api("viewer").post("/api/v1/cooperation/agreements", json=body).status_code == 403
    created = writer.post("/api/v1/cooperation/agreements", json=body)

    assert created.status_code == 201, created.json
    assert created.json["period"]["start"] == 2029 and created.json["period"]["end"] == 2032
    assert [f["title"] for f in created.json["focus_areas"]] == FOCUS_AREAS  # copied for the users to adjust
    assert [a["start"] for a in [x["period"] for x in created.json["agreements"]]] == [2025, 2029]
    cycle = api("viewer").get("/api/v1/cooperation/annual-cycle/2029").json
    assert cycle["covered"] is True and cycle["agreement"]["start"] == 2029
    assert {item["kind"] for item in cycle["items"]} >= {"politirad", "formannskap", "avtaleevaluering"}
    # Kommune hosts in 2025, 2027, 2029: the rotation goes on across agreements.
    assert next(i["host"] for i in cycle["items"] if i["kind"] == "politirad") == "kommune"
    fixed = writer.post(
        "/api/v1/cooperation/annual-cycle/2029/dates", json={"dates": {"politirad-var": "2029-04-17T12:00"}}
    )
    assert fixed.status_code == 200, fixed.json
    assert api("viewer").get("/api/v1/cooperation/annual-cycle/2033").json["covered"] is False

    # Bad input changes nothing: overlapping period 409, reversed dates and bad dates 422.
    for wrong, status in (
        ({"valid_from": "2028-01-01", "valid_to": "2031-12-31"}, 409),
        ({"valid_from": "2034-01-01", "valid_to": "2033-12-31"}, 422),
        ({"valid_from": "1.1.2033", "valid_to": "2036-12-31"}, 422),
        ({"valid_to": "2036-12-31"}, 422),
    ):
        response = writer.post("/api/v1/cooperation/agreements", json=wrong)
        assert response.status_code == status, (wrong, response.json)
        assert response.json["error"]["message"]
    assert len(api("viewer").get("/api/v1/cooperation/agreement").json["agreements"]) == 2


def test_a_year_no_agreement_covers_gets_a_page_with_a_message(app, users):
    from tests.conftest import login

    client = app.test_client()
    login(client, users["viewer"][1], users["viewer"][2])
    response = client.get("/cooperation?year=2031")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Ingen registrert samarbeidsavtale gjelder for 2031" in html and "2025–2028" in html
