"""`python -m bench.prepare_db`: the schema from the models (as tests/conftest.py prepare_database does) plus history.

Against DATABASE_URL: `db.create_all()`, then HISTORY `log.created`-shaped events on the `global` channel,
written with the app's own `journal.append_event` (gap-free seq, the same envelope) in one transaction. B3's
catch-up reads only the journal; posting 200 log lines through the API first would take longer than the whole
quick run may.
"""

import os
from datetime import UTC, datetime

from bench.common import log_text

HISTORY = 220
CHANNEL = "global"


def log_entry_data(i: int) -> dict:
    """The data of a `log.created` event, shaped as LogEntry.to_dict()."""
    return {
        "id": i,
        "incident_id": 1,
        "number": i,
        "text": log_text(i),
        "category": "informasjon",
        "source": "",
        "important": False,
        "author": "Bench Admin",
        "created_at": datetime.now(UTC).isoformat(),
        "corrects": None,
    }


def main() -> None:
    from beredskap.extensions import db
    from beredskap.realtime.journal import append_event
    from wsgi import app  # the app exactly as `python wsgi.py` configures it from the environment

    assert os.environ.get("DATABASE_URL"), "DATABASE_URL must be set"
    with app.app_context():
        db.create_all()
        for i in range(1, HISTORY + 1):
            append_event(CHANNEL, "log.created", log_entry_data(i))
        db.session.commit()


if __name__ == "__main__":
    main()
