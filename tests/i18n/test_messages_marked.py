"""Every message the app says to a user from Python goes through gettext, so the English UI says it in English.

Issue 17 §7–8: errors, flashes and answers shown to a user are in the user's language. The catalogue test
(test_catalogue.py) covers what is marked; this one finds what is not: a sentence given as an argument to a call
(an error's message, a field error, a flash, a JSON answer) that is neither wrapped in a gettext function nor marked
as content that stays Norwegian.

Content that stays Norwegian is marked with a comment ``# i18n: <why>`` on the line of the call or of the text:
texts stored as data (seed records, checklists a user edits), text of the cooperation agreement, PDF reports and
mails (documents in the municipality's language), the CLI and log lines. Modules that are such content as a whole
are listed in NOT_UI with the reason.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "beredskap"

GETTEXT = {"gettext", "_", "_l", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "npgettext"}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}
SQL = {"text", "execute", "exec_driver_sql", "executescript"}
# Keywords whose text is not said to a user: SQL clauses and the API description of a schema field.
NOT_UI_KEYWORDS = {"ondelete", "onupdate", "server_default", "description"}
# Whole modules whose sentences are not UI text, and why.
NOT_UI = {
    "cli.py": "the command line for operators (one-line CLI errors)",
    "config.py": "start-up errors for operators",
    "openapi.py": "the API description for integrators",
    "reports": "PDF reports: documents in the municipality's language",
    "cooperation/agreement_text.py": "the text of the signed cooperation agreement",
    "cooperation/demo_data": "demo seed data",
}
MARK = "# i18n:"


def _sentence(text: str) -> bool:
    """A text a person reads: more than one word and a letter in it (not a code, a key or a format)."""
    words = text.split()
    return len(words) > 1 and any(ch.isalpha() for ch in text) and text[:1].isupper()


def _not_ui(relative: str) -> bool:
    return any(relative == key or relative.startswith(key.rstrip("/") + "/") for key in NOT_UI)


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _texts(node: ast.AST):
    """The literal texts of an argument: a string, an f-string, or the values of a dict (field errors)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node, node.value
    elif isinstance(node, ast.JoinedStr):
        yield node, "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant)) + " x"
    elif isinstance(node, ast.BinOp):  # "…" + x, "…" % x
        yield from _texts(node.left)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _texts(value)
    elif isinstance(node, ast.IfExp):
        yield from _texts(node.body)
        yield from _texts(node.orelse)


def unmarked(source: str) -> list[tuple[int, str]]:
    """(line, text) of every sentence passed to a call outside gettext, logging and `# i18n:` marks."""
    lines = source.splitlines()
    found = []
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call) or _callee(call) in GETTEXT | LOGGING | SQL:
            continue
        if _callee(call) == "format" and isinstance(call.func, ast.Attribute):
            continue  # "…".format(): reported where the result is passed
        arguments = [*call.args, *(k.value for k in call.keywords if k.arg not in NOT_UI_KEYWORDS)]
        for argument in arguments:
            for node, text in _texts(argument):
                if not _sentence(text):
                    continue
                marked = any(MARK in lines[n - 1] for n in {call.lineno, node.lineno, node.end_lineno or node.lineno})
                if not marked:
                    found.append((node.lineno, text.strip()[:70]))
    return found


def test_the_check_finds_unmarked_messages_and_passes_marked_ones():
    assert unmarked('raise Invalid("invalid", "Fullt navn mangler.")') == [(1, "Fullt navn mangler.")]
    assert unmarked('raise NotFound(f"Ukjent sak {n}.")') == [(1, "Ukjent sak . x")]
    assert unmarked('x = Invalid("invalid", "m", fields={"name": "Navn mangler."})') == [(1, "Navn mangler.")]
    assert unmarked('flash("Lagret." if ok else "Ikke lagret ennå.")') == [(1, "Ikke lagret ennå.")]
    assert unmarked('raise Invalid("invalid", gettext("Fullt navn mangler."))') == []
    assert unmarked('raise NotFound(gettext("Ukjent sak %(n)s.", n=n))') == []
    assert unmarked('log.warning("Sending failed twice.")') == []
    assert unmarked('Step(text="Registrer alle som kommer.")  # i18n: a checklist users edit') == []
    assert unmarked('raise Conflict("stale_version", x)') == []


def test_every_message_shown_to_a_user_is_marked_for_translation():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if _not_ui(relative):
            continue
        for line, text in unmarked(path.read_text(encoding="utf-8")):
            offenders.append(f"beredskap/{relative}:{line} {text!r}")
    assert not offenders, (
        f"{len(offenders)} sentences reach users without gettext (wrap them, or mark content that stays Norwegian "
        f"with '{MARK} <why>'):\n" + "\n".join(offenders)
    )
