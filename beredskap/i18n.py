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
