"""Retry a whole service call when SQLite reports a busy database; PostgreSQL waits on row locks instead."""

import random
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from sqlalchemy.exc import OperationalError

from beredskap.extensions import db

_ATTEMPTS = 12


def _is_busy(err: OperationalError) -> bool:
    text = str(getattr(err, "orig", err)).lower()
    return "database is locked" in text or "database is busy" in text


def transactional(fn: Callable) -> Callable:
    """Services that write are safe to re-run from the start: nothing is published before commit."""

    @wraps(fn)
    def wrapped(*args: Any, **kwargs: Any):
        for attempt in range(_ATTEMPTS):
            try:
                return fn(*args, **kwargs)
            except OperationalError as err:
                db.session.rollback()
                if not _is_busy(err) or attempt == _ATTEMPTS - 1:
                    raise
                time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))  # noqa: S311
        raise RuntimeError("unreachable")

    return wrapped
