"""Manifest and service worker, served from the site root so the worker's scope covers every page."""

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, url_for

bp = Blueprint("offline", __name__)

# What the worker keeps for offline use besides the pages it has seen: the app shell and the vendored libraries.
# The accessibility checker is a test aid, not part of the shell.
_SKIP = {"js/sw.js", "vendor/axe.min.js"}
_SHELL_DIRS = ("css", "js", "vendor", "img")


def _static_files() -> list[Path]:
    root = Path(current_app.static_folder)
    files = [p for d in _SHELL_DIRS for p in sorted((root / d).rglob("*")) if p.is_file()]
    return [p for p in files if p.relative_to(root).as_posix() not in _SKIP]


def _shell() -> tuple[str, list[str]]:
    """(version, URLs) of the app shell; the version changes whenever a shell file does, so caches renew."""
    root = Path(current_app.static_folder)
    digest = hashlib.sha256()
    urls = []
    for path in _static_files():
        rel = path.relative_to(root).as_posix()
        stat = path.stat()
        digest.update(f"{rel}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        urls.append(url_for("static", filename=rel))
    worker = root / "js" / "sw.js"
    digest.update(worker.read_bytes())
    return digest.hexdigest()[:16], urls


@bp.get("/sw.js")
def service_worker():
    """The service worker, with the shell's version and file list and the offline page's translations in front."""
    from beredskap.i18n import LANGUAGES, script_catalogue

    version, urls = _shell()
    code = (Path(current_app.static_folder) / "js" / "sw.js").read_text(encoding="utf-8")
    strings = ",".join(f"{json.dumps(lang)}:{script_catalogue(lang)[0]}" for lang in LANGUAGES if lang != "nb")
    head = f"const VERSION = {json.dumps(version)};\nconst SHELL = {json.dumps(urls)};\nconst I18N = {{{strings}}};\n"
    response = Response(head + code, mimetype="text/javascript")
    # The browser checks for a new worker on every navigation; it must never get a stale one from a cache.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: installable, opens at the start page, standalone."""
    body = {
        "name": "Beredskap – Kristiansand",
        "short_name": "Beredskap",
        "lang": "nb",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#12355b",
        "icons": [
            {"src": url_for("static", filename="img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
