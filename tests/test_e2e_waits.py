"""Browser waits that hold under the app's Content Security Policy.

Playwright's ``wait_for_function`` evaluates a plain expression with ``eval`` at every poll. Only the first poll runs
inside the DevTools evaluation that CSP lets through; the later ones are blocked by ``script-src 'self'`` and the wait
fails, so a test passed only when its condition happened to hold at once (the fresh-clone CI lost
``test_offline_e2e`` that way). A function is evaluated once and then called, so every wait must pass one.
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _string_start(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


def _plain_expression_waits(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
            continue
        if node.func.attr != "wait_for_function":
            continue
        start = _string_start(node.args[0])
        if start is not None and "=>" not in start.split("\n", 1)[0] and not start.lstrip().startswith("function"):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_a_plain_expression_and_passes_a_function():
    assert _plain_expression_waits("page.wait_for_function(\"document.title === 'x'\")") == [1]
    assert _plain_expression_waits("page.wait_for_function(f\"document.querySelector('#{i}') !== null\")") == [1]
    assert _plain_expression_waits("page.wait_for_function(\"() => document.title === 'x'\")") == []
    assert _plain_expression_waits('page.wait_for_function("([a, b]) => a === b", arg=[1, 1])') == []


def test_every_browser_wait_passes_a_function():
    offenders = []
    for folder in ("tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for line in _plain_expression_waits(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(REPO)}:{line}")
    assert offenders == [], "wait_for_function needs '() => …' (a plain expression is eval'd under CSP): " + ", ".join(
        offenders
    )
