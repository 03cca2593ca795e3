"""Error messages name the field in words («Fullt navn mangler.»), never by its API name; the `fields` map of the
envelope keeps the API names (CONTRACT §2)."""

import ast
import inspect
import re
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from beredskap.field_labels import FIELD_LABELS, label
from beredskap.validation import Body, Query
from tests.factories import gen_centre

REPO = Path(__file__).resolve().parent.parent
# Every `beredskap/<package>/schemas*.py` is walked, so a new package's request models are checked without a list.
# The composition root imports every domain and so every schemas module; the test reads them from sys.modules (no
# importlib of our own modules anywhere) and fails below if a schemas file exists that the app never loads.
import beredskap.domains  # noqa: E402, F401 - loads every package's request models

SCHEMA_FILES = sorted((REPO / "beredskap").glob("*/schemas*.py"))
SCHEMA_MODULES = tuple(
    module
    for name, module in sorted(sys.modules.items())
    if name.startswith("beredskap.") and name.rsplit(".", 1)[-1].startswith("schemas")
)


def _models_of(module) -> list[type[BaseModel]]:
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, (Body, Query)) and value.__module__ == module.__name__
    ]


def _models() -> list[type[BaseModel]]:
    return [model for module in SCHEMA_MODULES for model in _models_of(module)]


def test_every_schema_file_is_walked():
    """Each package's schemas modules (cooperation, consent, … and any new one) are found and checked."""
    walked = {module.__name__ for module in SCHEMA_MODULES}
    assert walked == {".".join(path.relative_to(REPO).with_suffix("").parts) for path in SCHEMA_FILES}
    new_ones = {"beredskap.cooperation.schemas", "beredskap.cooperation.schemas_knowledge", "beredskap.consent.schemas"}
    assert new_ones <= walked
    assert all(_models_of(module) for module in SCHEMA_MODULES)


@pytest.mark.parametrize(
    "model", _models(), ids=lambda model: f"{model.__module__.removeprefix('beredskap.')}.{model.__name__}"
)
def test_every_field_of_every_model_has_a_label_in_words(model):
    missing = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        words = info.title or FIELD_LABELS.get(key)
        if not words or str(words) == key or "_" in str(words):
            missing.append(key)
    assert not missing, f"{model.__name__}: no Norwegian label for {missing} (add to beredskap/field_labels.py)"


def test_labels_are_norwegian_words_and_paths_name_the_item():
    assert label("full_name") == "Fullt navn"
    assert label("members[1].full_name") == "Fullt navn (nr. 2)"
    assert label("entries.3.text") == "Tekst (nr. 4)"
    assert label("from_") == "Fra"
    assert label("version") == "Versjon"
    assert label("full_name", {"full_name": "Navn på personen"}) == "Navn på personen"


def test_english_session_gets_english_labels(app):
    from flask_babel import force_locale

    with app.test_request_context("/"):
        with force_locale("en"):
            assert label("members[0].full_name") == "Full name (no. 1)"
        with force_locale("nb"):
            assert label("full_name") == "Fullt navn"


def test_every_label_has_an_english_translation():
    """The English catalogue carries every label, so an English session never sees a Norwegian field name."""
    from babel.messages.pofile import read_po

    with (REPO / "beredskap/translations/en/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)
    msgids = {words._args[0] for words in FIELD_LABELS.values()}
    untranslated = sorted(msgid for msgid in msgids if msgid not in catalogue or not catalogue[msgid].string)
    assert not untranslated, f"add to beredskap/translations/en/LC_MESSAGES/messages.po: {untranslated}"


def test_eps_desk_without_full_name_says_so_in_words(app, api_for, users):
    api = api_for("coordinator")
    _incident_id, eps_id = gen_centre(api)
    answer = api.post(f"/api/v1/eps/{eps_id}/evacuees", json={"phone": "12345678"})
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["message"] == "Fullt navn mangler."
    assert error["fields"] == {"full_name": "påkrevd"}
    assert "full_name" not in error["message"]


def test_correcting_an_inquiry_without_the_inquirers_phone_says_so_in_words(app, api_for, users):
    api = api_for("coordinator")
    _incident_id, eps_id = gen_centre(api)
    created = api.post(
        f"/api/v1/eps/{eps_id}/inquiries",
        json={"inquirer_name": "Kari Nordmann", "inquirer_phone": "90112233", "relation": "mor", "sought_name": "Ola"},
    )
    assert created.status_code == 201, created.get_json()
    inquiry = api.get(f"/api/v1/inquiries/{created.get_json()['id']}?reason=retting").get_json()
    answer = api.patch(f"/api/v1/inquiries/{inquiry['id']}", json={"version": inquiry["version"], "inquirer_phone": ""})
    error = answer.get_json()["error"]
    assert answer.status_code == 422
    assert error["message"] == "Telefon til den som spør mangler."
    assert error["fields"] == {"inquirer_phone": "påkrevd"}


def test_a_pydantic_error_names_the_field_in_words(app, api_for, users):
    api = api_for("coordinator")
    answer = api.post("/api/v1/incidents", json={"title": "x" * 201})
    error = answer.get_json()["error"]
    assert answer.status_code == 422
    assert error["message"] == "Tittel kan ha høyst 200 tegn."
    assert error["fields"] == {"title": "for langt"}


def test_a_cooperation_error_names_the_point_of_the_annual_cycle_in_words(app, api_for, users):
    api = api_for("prevention_coordinator")
    answer = api.post("/api/v1/cooperation/annual-cycle/2027/dates", json={"dates": {"formannskap-var": "snart"}})
    error = answer.get_json()["error"]
    assert answer.status_code == 422
    assert error["message"].startswith("Formannskapet møter politiledelsen (vår)"), error
    assert "dates.formannskap-var" in error["fields"]


def test_a_cooperation_service_names_the_field_in_words(app):
    from flask_babel import force_locale

    from beredskap.cooperation.meetings import create_meeting
    from beredskap.domain_errors import Invalid

    with app.test_request_context("/"):
        with pytest.raises(Invalid) as refused:
            create_meeting(kind="bystyre", year=2027)
        assert refused.value.message.startswith("Type må være en av: ")
        with force_locale("en"), pytest.raises(Invalid) as refused:
            create_meeting(kind="bystyre", year=2027)
        assert refused.value.message.startswith("Type must be one of: ")


def test_no_message_in_the_code_starts_with_an_api_field_name():
    """«Feltet «full_name» mangler.», «status må være …», ««kind» må være …» are gone from every package;
    messages start with the words (`%(label)s …`)."""
    names = "|".join(sorted(FIELD_LABELS, key=len, reverse=True))
    pattern = re.compile(rf"^(Feltet «|«?(?:{names})»? (?:mangler|må|er|har|kan)\b)")
    offenders = []
    for path in (REPO / "beredskap").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            first = node.values[0] if isinstance(node, ast.JoinedStr) and node.values else node
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and pattern.match(first.value):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}: {first.value[:40]}")
    assert not offenders
