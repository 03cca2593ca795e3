"""Locale and timezone selection: Norwegian bokmål by default, English on request."""

from flask import request, session

from beredskap.vocabulary import LOCAL_TIMEZONE

LANGUAGES = ("nb", "en")


def select_locale() -> str:
    lang = session.get("lang")
    if lang in LANGUAGES:
        return lang
    return "nb"


def select_timezone() -> str:
    return LOCAL_TIMEZONE


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
