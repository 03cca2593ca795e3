"""Locale and timezone selection: Norwegian bokmål by default, English on request."""

from flask import has_request_context, request, session

from beredskap.vocabulary import DATE_PATTERN, DATETIME_PATTERN, LOCAL_TIMEZONE

LANGUAGES = ("nb", "en")

# Babel (CLDR) patterns for dates in templates, per language: {{ value|dateformat(date_pattern) }}.
DATE_PATTERNS = {"nb": (DATE_PATTERN, DATETIME_PATTERN), "en": ("d MMM yyyy", "d MMM yyyy HH:mm")}


def select_locale() -> str:
    # Outside a request (CLI commands, the scheduler) the texts are Norwegian, the source language.
    if not has_request_context():
        return "nb"
    lang = session.get("lang")
    if lang in LANGUAGES:
        return lang
    return "nb"


def select_timezone() -> str:
    return LOCAL_TIMEZONE


def date_patterns() -> dict:
    """The chosen language's date and date-time patterns, for the templates."""
    date, moment = DATE_PATTERNS.get(select_locale(), DATE_PATTERNS["nb"])
    return {"date_pattern": date, "datetime_pattern": moment}


def remember_language() -> None:
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang


# --- The scripts' catalogue: the msgids that beredskap/static/js uses, with their translation in one language ---
# Read from the .po (not the compiled .mo) because only the .po knows where each string is used; read once a process.

_JS_SOURCE = "beredskap/static/js/"
_script_catalogues: dict[str, tuple[str, str]] = {}


def script_catalogue(lang: str) -> tuple[str, str]:
    """The JSON object {Norwegian msgid: translation} of every string the scripts use, and its ETag.

    Norwegian is the source language: its catalogue is empty, t() then shows the msgid itself. An untranslated
    string is left out for the same reason.
    """
    import hashlib
    import json
    from pathlib import Path

    if lang in _script_catalogues:
        return _script_catalogues[lang]
    strings: dict[str, str] = {}
    po = Path(__file__).parent / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if lang != "nb" and po.exists():
        from babel.messages.pofile import read_po

        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or not message.string or isinstance(message.id, tuple):
                continue
            if any(path.startswith(_JS_SOURCE) for path, _line in message.locations):
                strings[message.id] = message.string
    body = json.dumps(strings, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    etag = hashlib.sha256(body.encode()).hexdigest()[:32]
    _script_catalogues[lang] = (body, etag)
    return body, etag


def translated(titles: dict) -> dict:
    """A {key: Norwegian title} mapping of the vocabulary in the request's language (same keys)."""
    from flask_babel import gettext

    return {key: gettext(title) if isinstance(title, str) and title else title for key, title in titles.items()}


# --- Extraction (babel.cfg): Python gettext calls, plus the titles the vocabulary shows users ---


# The module-level dicts whose values are texts shown to users (the cooperation's kinds and statuses too).
TITLE_SUFFIXES = ("_TITLES", "_LABELS", "_STATUSES", "MEETING_KINDS", "AGENDA_ITEM_KINDS", "OVERVIEW_SOURCES")


def _title_constants(tree) -> list[tuple[int, str]]:
    """(line, text) of every string value of a module-level NAME_TITLES dict or NAME_SECTIONS tuple of pairs."""
    import ast

    found = []
    for node in tree.body:
        single = isinstance(node, ast.Assign) and len(node.targets) == 1
        target = node.targets[0] if single else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if not isinstance(target, ast.Name) or value is None:
            continue
        if target.id.endswith(TITLE_SUFFIXES) and isinstance(value, ast.Dict):
            texts = value.values
        elif target.id.endswith("_SECTIONS") and isinstance(value, (ast.Tuple, ast.List)):
            texts = [pair.elts[1] for pair in value.elts if isinstance(pair, ast.Tuple) and len(pair.elts) == 2]
        else:
            continue
        texts = [t for t in texts if isinstance(t, ast.Constant) and isinstance(t.value, str) and t.value]
        found += [(t.lineno, t.value) for t in texts]
    return found


def extract_python_and_titles(fileobj, keywords, comment_tags, options):
    """babel extractor: the ordinary Python extraction, and the vocabulary's *_TITLES / *_SECTIONS texts.

    Those texts are Norwegian constants (the vocabulary needs no Flask); translated() shows them in the user's
    language, and this puts them in the catalogue without marking each one.
    """
    import ast
    import io

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for line, text in _title_constants(tree):
        yield line, None, text, []
