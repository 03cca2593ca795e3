"""SQLite in WAL mode with a busy timeout, so concurrent writers wait instead of failing."""

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine


def create_private_file(engine: Engine) -> None:
    """Create the database file owner-only (0600) before SQLite would create it with the umask's 0644.

    SQLite gives its -wal and -shm files the mode of the database file, so they are 0600 as well.
    """
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another process created it first
    except OSError:
        pass  # no such directory: SQLite reports that itself at the first connection


def register_sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    create_private_file(engine)

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
