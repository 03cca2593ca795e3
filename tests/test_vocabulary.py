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


def _label_pairs(node: ast.AST) -> set[tuple[str, str]]:
    """(key, label) pairs of a dict literal, or of a tuple/list of 2-tuples, whose labels are strings."""
    pairs = []
    if isinstance(node, ast.Dict):
        pairs = list(zip(node.keys, node.values, strict=True))
    elif isinstance(node, ast.Tuple | ast.List):
        pairs = [tuple(e.elts) for e in node.elts if isinstance(e, ast.Tuple) and len(e.elts) == 2]
    found = set()
    for key, value in pairs:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            label_key = key.value if isinstance(key, ast.Constant) else getattr(key, "attr", None)
            if label_key is not None:
                found.add((str(label_key).lower(), value.value))
    return found


def vocabulary_labels() -> list[set[tuple[str, str]]]:
    """Every label table of the vocabulary as a set of (key, label); enum keys by their value."""
    tables = []
    for name, value in vars(vocabulary).items():
        items = value.items() if isinstance(value, dict) else value if isinstance(value, tuple) else ()
        pairs = [i for i in items if isinstance(i, tuple) and len(i) == 2 and isinstance(i[1], str)]
        if not name.startswith("_") and len(pairs) >= 2:
            tables.append({(str(key).lower(), label) for key, label in pairs})
    return tables


def copied_labels(path: Path, tables: list[set[tuple[str, str]]]) -> list[int]:
    """Lines of `path` where a literal repeats two or more (key, label) pairs of one vocabulary table."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        pairs = _label_pairs(node)
        if len(pairs) >= 2 and any(len(pairs & table) >= 2 for table in tables):
            lines.append(node.lineno)
    return lines


def test_no_module_copies_a_label_table_of_the_vocabulary():
    tables = vocabulary_labels()
    assert len(tables) > 15
    copies = {}
    for path in sorted((REPO / "beredskap").rglob("*.py")):
        if path.name == "vocabulary.py" or "migrations" in path.parts:
            continue
        lines = copied_labels(path, tables)
        if lines:
            copies[str(path.relative_to(REPO))] = lines
    assert copies == {}


def test_the_label_check_sees_a_copied_table(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('TASK = {"new": "Ny", "started": "Påbegynt"}\nOTHER = {"new": "Ny", "x": "Noe annet"}\n')
    assert copied_labels(sample, vocabulary_labels()) == [1]
