"""Default resources seeded from the shipped shelter and building points, with honest editable names."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from beredskap.maps.layers import EMERGENCY_BUILDINGS_FILE, read_geojson_file

SHELTERS_FILE = "tilfluktsrom_4204.geojson"

# A guess the coordinator is expected to correct; buildings with no plausible evacuee use get None.
DEFAULT_CAPACITY: dict[str, int] = {
    "idrett": 300,
    "skole": 200,
    "hoyskole": 200,
    "kultur": 150,
    "overnatting": 100,
}
EPS_SUITABLE_KINDS = frozenset({"idrett", "skole", "kultur", "overnatting", "hoyskole"})
# Building types inside a suitable category that cannot house an evakuerte- og pårørendesenter.
NOT_EPS_SUITABLE_TYPES = frozenset({"Lekepark", "Diskotek", "Laboratoriebygning", "Tribune og idrettsgarderobe"})

KIND_LABELS: dict[str, str] = {
    "tilfluktsrom": "Tilfluktsrom",
    "skole": "Skole",
    "idrett": "Idrettsbygg",
    "kultur": "Kulturhus",
    "religios": "Religiøst bygg",
    "barnehage": "Barnehage",
    "sykehjem": "Sykehjem",
    "primaerhelse": "Helsebygg",
    "sykehus": "Sykehus",
    "beredskap": "Beredskapsbygg",
    "hoyskole": "Høyskole",
    "overnatting": "Overnattingssted",
}

# Short Norwegian labels for the NS 3457 building types in the data; unknown types fall back to KIND_LABELS.
TYPE_LABELS: dict[str, str] = {
    "Barnehage": "Barnehage",
    "Fyrstasjon, losstasjon": "Fyr-/losstasjon",
    "Brannstasjon, ambulansestasjon": "Brann-/ambulansestasjon",
    "Politistasjon": "Politistasjon",
    "Universitets- og høgskolebygning med integrerte funksjoner": "Høyskole",
    "Annen universitets-, høgskole- og forskningsbygning": "Høyskolebygg",
    "Laboratoriebygning": "Laboratoriebygg",
    "Annen idrettsbygning": "Idrettsbygg",
    "Idrettshall": "Idrettshall",
    "Tribune og idrettsgarderobe": "Tribune/garderobe",
    "Helsestudio": "Treningssenter",
    "Svømmehall": "Svømmehall",
    "Annet kulturhus": "Kulturhus",
    "Samfunnshus, grendehus": "Samfunnshus/grendehus",
    "Kinobygning, teaterbygning, opera/konserthus": "Kino/teater/konserthus",
    "Diskotek": "Diskotek",
    "Vandrerhjem, feriehjem/-koloni, turisthytte": "Vandrerhjem/feriehjem",
    "Hotellbygning": "Hotell",
    "Annen hotellbygning": "Hotellbygg",
    "Annen primærhelsebygning": "Helsebygg",
    "Klinikk, legekontor/-senter/-vakt": "Legekontor/legevakt",
    "Helse- og sosialsenter, helsestasjon": "Helsestasjon",
    "Annen bygning for religiøse aktiviteter": "Religiøst bygg",
    "Kirke, kapell": "Kirke/kapell",
    "Bedehus, menighetshus": "Bedehus/menighetshus",
    "Krematorium, gravkapell, bårehus": "Gravkapell/krematorium",
    "Annen skolebygning": "Skolebygg",
    "Barneskole": "Barneskole",
    "Ungdomsskole": "Ungdomsskole",
    "Kombinert barne- og ungdomsskole": "Barne- og ungdomsskole",
    "Videregående skole": "Videregående skole",
    "Lekepark": "Lekepark",
    "Bo- og behandlingssenter": "Bo- og behandlingssenter",
    "Sykehjem": "Sykehjem",
    "Annet sykehjem": "Sykehjem",
    "Rehabiliteringsinstitusjon, kurbad": "Rehabiliteringsinstitusjon",
    "Annen sykehusbygning": "Sykehusbygg",
}

_STREET_WORDS = frozenset({"gate", "gata", "vei", "veien", "vegen", "ringvei", "allé", "plass", "stien", "des"})


def seed_resources(*, include_not_in_use: bool = False) -> list[dict[str, Any]]:
    """Return the default resources: public shelters first, then emergency-relevant buildings, in file order.

    Buildings not yet in use (only a permit, under construction) are left out unless asked for: they cannot
    shelter anyone today.
    """
    resources = _shelters() + _buildings(include_not_in_use)
    _number_duplicate_names(resources)
    return resources


def format_address(raw: str) -> str:
    """Turn a register address like 'ØSTRE RINGVEI  8' into 'Østre ringvei 8'."""
    words = re.sub(r"\s+", " ", raw or "").strip().lower().split(" ")
    formatted = []
    for position, word in enumerate(words):
        if position > 0 and word in _STREET_WORDS:
            formatted.append(word)
        elif word[:1].isdigit():
            formatted.append(word.upper())
        else:
            formatted.append(word[:1].upper() + word[1:])
    return " ".join(w for w in formatted if w)


def place_name(delomrade_name: str | None, bydel: str | None) -> str:
    """Return a short place name: the delområde without its parenthesised detail, else the bydel."""
    name = re.sub(r"\s*\(.*?\)\s*", " ", delomrade_name or "").strip()
    return name or (bydel or "Kristiansand")


def _shelters() -> list[dict[str, Any]]:
    resources = []
    for feature in read_geojson_file(SHELTERS_FILE)["features"]:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        address = format_address(props.get("adresse") or "")
        label = f"Tilfluktsrom {props['romnr']}"
        resources.append(
            {
                "source_ref": f"tilfluktsrom:{props['romnr']}",
                "name": f"{label}, {address}" if address else label,
                "kind": "tilfluktsrom",
                "lon": float(lon),
                "lat": float(lat),
                "bydel": props.get("bydel"),
                "delomrade": _text(props.get("delomradenummer")),
                "delomrade_name": props.get("delomradenavn"),
                "address": address or None,
                "building_type": None,
                "capacity": int(props["plasser"]) if props.get("plasser") is not None else None,
                "eps_suitable": False,
            }
        )
    return resources


def _buildings(include_not_in_use: bool) -> list[dict[str, Any]]:
    resources = []
    for feature in read_geojson_file(EMERGENCY_BUILDINGS_FILE)["features"]:
        props = feature["properties"]
        if not include_not_in_use and not props.get("i_bruk", True):
            continue
        kind = props["kategori"]
        building_type = props.get("bygningstype_navn") or ""
        label = TYPE_LABELS.get(building_type) or KIND_LABELS.get(kind, kind.capitalize())
        lon, lat = feature["geometry"]["coordinates"][:2]
        suitable = kind in EPS_SUITABLE_KINDS and building_type not in NOT_EPS_SUITABLE_TYPES
        resources.append(
            {
                "source_ref": f"bygg:{props['id']}",
                "name": f"{label}, {place_name(props.get('delomradenavn'), props.get('bydel'))}",
                "kind": kind,
                "lon": float(lon),
                "lat": float(lat),
                "bydel": props.get("bydel"),
                "delomrade": _text(props.get("delomradenummer")),
                "delomrade_name": props.get("delomradenavn"),
                "address": None,
                "building_type": building_type or None,
                "capacity": DEFAULT_CAPACITY.get(kind) if suitable else None,
                "eps_suitable": suitable,
            }
        )
    return resources


def _number_duplicate_names(resources: list[dict[str, Any]]) -> None:
    """Append ' (2)', ' (3)' … to repeated names, in list order, so every default name is unique."""
    totals = Counter(r["name"] for r in resources)
    seen: Counter[str] = Counter()
    taken = set(totals)
    for resource in resources:
        base = resource["name"]
        if totals[base] < 2:
            continue
        seen[base] += 1
        if seen[base] == 1:
            continue
        number = seen[base]
        while f"{base} ({number})" in taken:
            number += 1
        resource["name"] = f"{base} ({number})"
        taken.add(resource["name"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
