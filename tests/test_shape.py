"""The shape of the code: modules stay small, and only the web layer speaks HTTP."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "beredskap"
MAX_LINES = 500

# The web layer: blueprints, request parsing, error mapping and the other doors into the app.
WEB_NAMES = ("views", "api", "admin_views")
WEB_MODULES = {
    "__init__.py",
    "api.py",
    "cli.py",
    "csvfile.py",
    "domains.py",
    "errors.py",
    "i18n.py",
    "idempotency.py",
    "openapi.py",
    "openapi_bodies.py",
    "routing.py",
    "security.py",
    "validation.py",
    "main/audit.py",
    "main/outgoing.py",
    "realtime/sockets.py",
}
# What a service may not use: it raises `beredskap.domain_errors`; the web layer makes the answer and the links.
HTTP_NAMES = {
    "abort",
    "flash",
    "jsonify",
    "make_response",
    "redirect",
    "render_template",
    "request",
    "session",
    "url_for",
}


# Request models (`<package>/schemas.py`) belong to the web layer too: they parse what a request sends.
WEB_NAMES += ("schemas",)
# Services that still parse a JSON body with `beredskap.api.field` (ApiError on bad input); cooperation's bodies
# move to pydantic models in `schemas.py` (issue 14, validation layer), which ends this list.
PARSING_IN_SERVICES = {"consent/services.py", "cooperation/evaluation.py", "cooperation/treffpunkt.py"}


def _is_web(relative: str) -> bool:
    name = Path(relative).stem
    return relative in WEB_MODULES or name.startswith(WEB_NAMES) or name.endswith("_views") or name == "forms"


def http_in_service(path: Path) -> list[str]:
    """Where a module imports the HTTP side of Flask or the web layer's errors, or calls `flask.request` & co."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "werkzeug.exceptions"):
            names = {alias.name for alias in node.names}
            bad = names & HTTP_NAMES if node.module == "flask" else names
            found += [f"{node.lineno} {node.module}.{name}" for name in sorted(bad)]
        elif isinstance(node, ast.ImportFrom) and node.module in (
            "beredskap.errors",
            "beredskap.api",
            "beredskap.validation",
        ):
            found += [f"{node.lineno} {node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "flask":
            if node.attr in HTTP_NAMES:
                found.append(f"{node.lineno} flask.{node.attr}")
    return found


def test_services_raise_domain_errors_and_make_no_links():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = str(path.relative_to(PACKAGE))
        if _is_web(relative):
            continue
        hits = http_in_service(path)
        if relative in PARSING_IN_SERVICES:
            hits = [hit for hit in hits if not hit.endswith(" beredskap.api.field")]
        if hits:
            offenders[relative] = hits
    assert offenders == {}


def test_the_check_sees_http_in_a_service(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import flask\n"
        "from flask import current_app, url_for\n"
        "from beredskap.errors import ApiError\n"
        "def f():\n"
        "    return flask.request.args, current_app\n"
    )
    assert http_in_service(sample) == ["2 flask.url_for", "3 beredskap.errors.ApiError", "5 flask.request"]


def _long_modules() -> dict[str, int]:
    sources = [p for folder in ("beredskap", "tests", "bench", "deploy") for p in (REPO / folder).rglob("*.py")]
    sources += [p for p in (PACKAGE / "static" / "js").rglob("*.js") if "generated" not in p.parts]
    sources += list(REPO.glob("*.py"))
    counts = {str(p.relative_to(REPO)): len(p.read_text(encoding="utf-8").splitlines()) for p in sources}
    return {name: n for name, n in sorted(counts.items()) if n > MAX_LINES}


def test_no_module_is_over_500_lines():
    """Python outside migrations/ and the page scripts (the generated one aside): cut a longer one by its job."""
    assert _long_modules() == {}
