"""One vocabulary: labels and event types have one home, and the JS reads the event types from it."""

import ast
import re
from pathlib import Path

from beredskap import vocabulary
from beredskap.auth import permissions
from beredskap.eps import models as eps_models
from beredskap.generate_js import write
from beredskap.incidents import models as incident_models
from beredskap.roster import models as roster_models
from beredskap.vocabulary import EVENT_TYPES, event_constant, events_js

REPO = Path(__file__).resolve().parent.parent
JS = REPO / "beredskap" / "static" / "js"
EVENT_LIKE = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")
# Calls whose second argument is the type of a journal event.
EMITTERS = {"append_event", "publish_alert_event", "_clock_event"}


def test_models_and_permissions_use_the_vocabulary():
    assert incident_models.SITREP_SECTIONS is vocabulary.SITREP_SECTIONS
    assert incident_models.IncidentStatus is vocabulary.IncidentStatus
    assert eps_models.CENTRE_STATUS_TITLES is vocabulary.CENTRE_STATUS_TITLES
    assert roster_models.TEAM_TITLES is vocabulary.TEAM_TITLES
    assert permissions.ROLE_TITLES is vocabulary.ROLE_TITLES
    assert set(vocabulary.ROLE_TITLES) == set(vocabulary.Role)


def test_every_event_type_written_in_python_is_listed():
    emitted = set()
    for path in (REPO / "beredskap").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) == 3:
                # append_events((channel, type, data), ...)
                kind = node.elts[1]
                if (
                    isinstance(kind, ast.Constant)
                    and isinstance(kind.value, str)
                    and EVENT_LIKE.fullmatch(f'"{kind.value}"')
                ):
                    emitted.add((kind.value, path.name))
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            kind = node.args[1]
            if name in EMITTERS and isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                emitted.add((kind.value, path.name))
    assert len(emitted) > 40
    assert {value for value, _ in emitted} - set(EVENT_TYPES) == set()


def test_no_page_script_spells_an_event_type():
    spelt, unknown = {}, {}
    defined = {event_constant(t) for t in EVENT_TYPES}
    for path in JS.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        hits = [m for m in EVENT_LIKE.findall(text) if m in EVENT_TYPES]
        if hits:
            spelt[path.name] = hits
        missing = set(re.findall(r"\bEV\.([A-Z_]+)", text)) - defined
        if missing:
            unknown[path.name] = missing
    assert spelt == {}
    assert unknown == {}


def test_the_generated_module_holds_every_event_type(tmp_path):
    target = write(tmp_path / "events.js")
    text = target.read_text(encoding="utf-8")
    assert text == events_js()
    for event_type in EVENT_TYPES:
        assert f'{event_constant(event_type)}: "{event_type}",' in text
    assert len(set(EVENT_TYPES)) == len(EVENT_TYPES)
