"""Pages read their forms through Flask-WTF forms: no view parses `request.form` by hand (issue 14 §2)."""

import ast
from pathlib import Path

from beredskap.forms import PageForm

REPO = Path(__file__).resolve().parent.parent
# The validation layer is the one place that reads `request.form` itself: `use_form` turns a multipart API
# request (its text fields and files) into the view's pydantic model, as `use_body` does for JSON. Pages use
# the FlaskForm forms; API views get `form` from `use_form`, so neither reads the raw form.
VALIDATION_LAYER = {"beredskap/validation.py"}


def _hand_parsing(source: str) -> list[int]:
    """Lines that read `request.form` (or `request.form[...]`, `.get`, `.getlist`) directly."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and node.attr == "form"
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    ]


def test_no_view_parses_request_form_by_hand():
    found = []
    for path in sorted((REPO / "beredskap").rglob("*.py")):
        name = path.relative_to(REPO).as_posix()
        if name in VALIDATION_LAYER:
            continue
        found += [f"{name}:{line}" for line in _hand_parsing(path.read_text(encoding="utf-8"))]
    assert not found, f"read the form through a FlaskForm (beredskap/forms.py) instead: {found}"


def test_the_guard_sees_hand_parsing():
    assert _hand_parsing("from flask import request\nx = request.form.get('title')\n") == [2]
    assert _hand_parsing("x = request.form['title']\ny = request.form.getlist('id')\n") == [1, 2]
    assert _hand_parsing("form = ShiftForm()\nx = form.title.data\n") == []


def test_every_page_form_is_a_page_form():
    """The package forms share PageForm: CSRF is checked once for the request, errors come by field."""
    from beredskap.eps import forms as eps_forms
    from beredskap.incidents import forms as incidents_forms
    from beredskap.maps import forms as maps_forms
    from beredskap.roster import forms as roster_forms

    for module in (eps_forms, incidents_forms, maps_forms, roster_forms):
        forms = [v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__]
        assert forms and all(issubclass(form, PageForm) for form in forms if form.__name__.endswith("Form"))
