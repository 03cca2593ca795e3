"""Helpers every JSON route uses: permission guards, body parsing, version checks."""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import numpy as np
from flask import Blueprint, redirect, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext
from flask_login import current_user

from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.field_labels import label

# Every guarded view carries its permission so the access matrix test can read it back.
REQUIRED_ATTR = "required_permission"


def require(perm: Perm) -> Callable:
    """Guard an API route: 401 when not logged in, 403 when the role lacks `perm`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                raise ApiError(401, "unauthorized", gettext("Du må logge inn."))
            if not current_user.can(perm):
                raise ApiError(403, "forbidden", gettext("Rollen din har ikke tilgang til dette."))
            return view(*args, **kwargs)

        setattr(wrapped, REQUIRED_ATTR, perm)
        return wrapped

    return decorator


def require_page(perm: Perm) -> Callable:
    """Guard an HTML page: redirect to login when not logged in, 403 page on a wrong role."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path))
            if not current_user.can(perm):
                raise ApiError(403, "forbidden", gettext("Rollen din har ikke tilgang til denne siden."))
            return view(*args, **kwargs)

        setattr(wrapped, REQUIRED_ATTR, perm)
        return wrapped

    return decorator


def json_body() -> dict:
    """The request's JSON object, or a 400/415 with a message."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", gettext("Send JSON med Content-Type: application/json."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", gettext("Kroppen må være et gyldig JSON-objekt."))
    check_json_values(data)
    return data


_INT_LIMIT = 2**63 - 1
# Deeper than this is refused before the parser sees it (json.loads recurses once per level).
MAX_JSON_DEPTH = 32
_SURROGATES = re.compile("[\ud800-\udfff]")
_OPENERS = np.zeros(256, dtype=np.int8)
_OPENERS[[ord("["), ord("{")]] = 1
_OPENERS[[ord("]"), ord("}")]] = -1
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(raw: bytes | str) -> int:
    """The deepest bracket nesting of a JSON text, counted without parsing it (strings left out)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if b"[" not in raw and b"{" not in raw:
        return 0
    steps = _OPENERS[np.frombuffer(_JSON_STRING.sub(b"", raw), dtype=np.uint8)]
    return int(np.cumsum(steps, dtype=np.int64).max(initial=0))


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing nesting deeper than MAX_JSON_DEPTH with 400 before json.loads recurses into it."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if json_depth(s) > MAX_JSON_DEPTH:
            raise ApiError(
                400,
                "invalid_json",
                gettext("JSON-kroppen er for dypt nøstet (maks %(max)s nivåer).", max=MAX_JSON_DEPTH),
            )
        return super().loads(s, **kwargs)


def _field_name(path: str) -> dict:
    return {path or "body": "ugyldige tegn"}


def check_json_values(value: Any, depth: int = 0, path: str = "") -> None:
    """Refuse what no database column takes: NUL characters, lone surrogates, integers beyond 64 bits, deep nesting.

    Text errors name the field (`path`, e.g. `entries.3.text`) that holds them.
    """
    if depth > 20:
        raise ApiError(400, "invalid_json", gettext("JSON-kroppen er for dypt nøstet."))
    if isinstance(value, str):
        if "\x00" in value:
            raise ApiError(422, "invalid", gettext("Tekst kan ikke inneholde NUL-tegn."), _field_name(path))
        if _SURROGATES.search(value):
            # "\ud800" alone is valid JSON but no UTF-8 text: no database or log can take it.
            raise ApiError(
                422,
                "invalid",
                gettext("%(label)s inneholder ugyldige tegn (ensomme surrogater).", label=label(path)),
                _field_name(path),
            )
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > _INT_LIMIT:
            raise ApiError(422, "invalid", gettext("Et tall i forespørselen er for stort."))
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ApiError(422, "invalid", gettext("Tall må være endelige."))
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            check_json_values(key, depth + 1, name.encode("utf-8", "replace").decode())
            check_json_values(item, depth + 1, name.encode("utf-8", "replace").decode())
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json_values(item, depth + 1, f"{path}.{index}" if path else str(index))


def expect_version(data: Any, current: int) -> None:
    """Optimistic locking: the PATCH must name the version it read; a stale one is a 409.

    `data` is the body as a dict, a validated model with `version`, or the version itself; the one version check.
    """
    version = data.get("version") if isinstance(data, dict) else getattr(data, "version", data)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(
            422,
            "invalid",
            gettext("%(label)s mangler eller er ikke et heltall.", label=label("version")),
            {"version": "påkrevd"},
        )
    if version != current:
        raise ApiError(
            409,
            "version_conflict",
            gettext("Noen andre har endret dette i mellomtiden. Last inn på nytt og prøv igjen."),
        )


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint mounted under /api/v1."""
    return Blueprint(name, import_name, url_prefix="/api/v1")
