"""The composition root wires every domain by direct import, and nothing in the code finds our modules by name."""

import ast
from pathlib import Path

from beredskap import domains
from beredskap.cooperation import hooks as cooperation_hooks
from beredskap.eps import services as eps_services
from beredskap.exercises import delivery as exercises_delivery
from beredskap.exercises import library as exercises_library
from beredskap.exercises import views as exercises_views_panel
from beredskap.incidents import demo as incidents_demo
from beredskap.maps import resources as maps_resources
from beredskap.realtime.channels import channel_permission, registered_kinds
from beredskap.realtime.sockets import authorise_channel
from beredskap.roster import services as roster_services

REPO = Path(__file__).resolve().parent.parent

BLUEPRINT_NAMES = {
    "main",
    "outgoing",
    "audit",
    "auth",
    "admin",
    "auth_api",
    "realtime_api",
    "incidents_api",
    "incidents",
    "roster_api",
    "roster",
    "roster_people",
    "maps_api",
    "maps",
    "maps_import",
    "eps_api",
    "consent_api",
    "eps_desk_api",
    "eps",
    "exercises_api",
    "exercises",
    "cooperation_api",
    "coop_evaluation_api",
    "coop_treffpunkt_api",
    "cooperation",
    "coop_evaluation",
    "coop_treffpunkt",
    "offline",
}


def test_every_blueprint_is_registered(app):
    assert set(app.blueprints) == BLUEPRINT_NAMES
    assert [bp.name for bp in domains.BLUEPRINTS] == list(app.blueprints)


def test_every_hook_is_wired_directly(app):
    wired = app.extensions[domains.EXTENSION_KEY]
    assert wired.scheduled_jobs == (
        exercises_delivery.run_scheduled_jobs,
        roster_services.run_scheduled_jobs,
        eps_services.run_scheduled_jobs,
    )
    # Maps seeds the venues before EPS counts them; incidents before the exercises that may refer to them.
    assert wired.demo_seeders == (
        cooperation_hooks.seed_demo,
        roster_services.seed_demo,
        maps_resources.seed_demo,
        eps_services.seed_demo,
        incidents_demo.seed_demo,
        exercises_library.seed_demo,
    )
    assert wired.start_page_panels == (
        exercises_views_panel.start_page_panel,
        roster_services.start_page_panel,
        cooperation_hooks.start_page_panel,
    )


def test_channels_are_registered_by_their_owners(app):
    assert set(registered_kinds()) == {"global", "incident", "cooperation"}
    assert channel_permission("incident:7") == "incident.read"
    assert channel_permission("incident:07") is None  # one canonical spelling
    assert channel_permission("cooperation") == "coop.read"
    assert channel_permission("exercise:1") is None
    with app.app_context():
        # No such incident yet; an id past the databases' integer range is never looked up.
        assert authorise_channel(None, "incident:1") == "unknown_channel"
        assert authorise_channel(None, f"incident:{2**31}") == "unknown_channel"
        assert authorise_channel(None, "global") == "forbidden"


def _dynamic_imports(path: Path) -> list[str]:
    """importlib / __import__ calls, and `try: from beredskap… import` blocks that tolerate a missing module."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(name == "importlib" or name.startswith("importlib.") for name in names):
                found.append(f"{path}:{node.lineno} importlib")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            found.append(f"{path}:{node.lineno} __import__")
        if isinstance(node, ast.Try):
            caught = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if not caught & {"ImportError", "ModuleNotFoundError", "(ModuleNotFoundError, AttributeError)"}:
                continue
            for inner in node.body:
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("beredskap"):
                    found.append(f"{path}:{inner.lineno} try-import {inner.module}")
    return found


def test_no_module_is_found_by_name():
    offenders = {}
    for path in sorted((REPO / "beredskap").rglob("*.py")):
        hits = _dynamic_imports(path)
        if hits:
            offenders[str(path.relative_to(REPO))] = hits
    assert offenders == {}


def test_the_check_sees_a_try_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import importlib\n"
        "def f():\n"
        "    try:\n"
        "        from beredskap.eps.services import x\n"
        "    except ModuleNotFoundError:\n"
        "        return None\n"
        "    return __import__('beredskap.maps')\n"
    )
    assert [hit.split(" ", 1)[1] for hit in _dynamic_imports(sample)] == [
        "importlib",
        "try-import beredskap.eps.services",
        "__import__",
    ]
