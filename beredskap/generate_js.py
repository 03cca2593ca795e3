"""`python -m beredskap.generate_js [path]`: write the JS module of event-type constants (run by `make setup`).

The file (beredskap/static/js/generated/events.js) is git-ignored like static/vendor/: the one list is
EVENT_TYPES in beredskap/vocabulary.py.
"""

import sys
from pathlib import Path

from beredskap.vocabulary import events_js

TARGET = Path(__file__).parent / "static" / "js" / "generated" / "events.js"


def write(target: Path = TARGET) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(events_js(), encoding="utf-8")
    return target


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
