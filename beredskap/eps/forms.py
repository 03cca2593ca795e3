"""The EPS pages' forms (Flask-WTF; see beredskap/forms.py)."""

from flask_babel import lazy_gettext as _l

from beredskap.forms import Given, PageForm, Text, Whole, words


class OpenCentreForm(PageForm):
    """Open an EPS for an incident; the service checks name, capacity and venue with its own messages."""

    incident_id = Whole(words("incident_id"), [Given(_l("Velg hendelsen EPS-en åpnes for."))])
    name = Text(words("name"))
    capacity = Whole(words("capacity"))
    resource_id = Whole(words("resource_id"))
    decided_by = Text(words("decided_by"))
    confirm_duplicate = Text(words("confirm_duplicate"))
