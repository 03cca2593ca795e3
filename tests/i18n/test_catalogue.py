"""The English catalogue covers every string the sources mark: templates' _(), Python gettext, the scripts' t()."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "beredskap" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _makefile_keywords() -> list[str]:
    """The extraction keywords of `make i18n-update`, so the test and the command cannot drift apart."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("I18N_KEYWORDS :="):
            return shlex.split(line.split(":=", 1)[1])
    raise AssertionError("Makefile has no I18N_KEYWORDS")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", *_makefile_keywords(), "-o", str(pot), "."],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # babel.cfg names an extractor in beredskap.i18n
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


@pytest.fixture(scope="module")
def english():
    with PO.open("rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


def _where(message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:3])


def test_extraction_finds_the_three_kinds_of_source(extracted):
    paths = {path for m in extracted.values() for path, _ in m.locations}
    assert any(p.startswith("templates/") for p in paths)
    assert any(p.startswith("beredskap/static/js/") for p in paths)
    assert any(p.startswith("beredskap/") and p.endswith(".py") for p in paths)


def test_every_source_string_is_in_the_english_catalogue(extracted, english):
    missing = sorted(set(extracted) - set(english), key=str)
    assert not missing, (
        f"{len(missing)} strings are not in {PO.relative_to(ROOT)}: run `make i18n-update` and translate them. "
        + "; ".join(f"{m!r} ({_where(extracted[m])})" for m in missing[:20])
    )


def test_every_english_string_is_translated(english):
    empty = [m for m in english.values() if not (m.string if isinstance(m.id, str) else all(m.string))]
    assert not empty, f"{len(empty)} untranslated: " + "; ".join(repr(m.id) for m in empty[:20])


def test_no_fuzzy_translation_left(english):
    fuzzy = [m.id for m in english.values() if m.fuzzy]
    assert not fuzzy, f"fuzzy (check and remove the flag): {fuzzy[:20]}"


def test_the_catalogue_has_no_strings_the_sources_dropped(extracted, english):
    stale = sorted(set(english) - set(extracted), key=str)
    assert not stale, f"{len(stale)} strings no longer in the sources: run `make i18n-update`. {stale[:20]}"


def test_placeholders_are_kept(english):
    import re

    wrong = []
    for m in english.values():
        if isinstance(m.id, str) and m.string:
            if sorted(re.findall(r"%\(\w+\)s", m.id)) != sorted(re.findall(r"%\(\w+\)s", m.string)):
                wrong.append(m.id)
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong[:20]}"
