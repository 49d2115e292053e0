"""SQLite's single write lock, held as briefly as the requests allow.

Why (measured under a hall's load, docs/performance.md, 2026-11-24 to 11-28): SQLite has one
write lock for the whole file. A deferred transaction that reads then writes gets "database is
locked" despite the busy timeout, so writers take the lock at their start (`BEGIN IMMEDIATE`)
and read-only requests (GET, HEAD, OPTIONS) stay deferred, never queueing behind writers.
The BEGIN goes out just before the transaction's first statement, not when SQLAlchemy begins
it: the lock was otherwise held while the first statement was prepared (lock held per posted
idea 160 → 104 µs). A writer waits for the lock in naps of at most 2 ms: SQLite's own busy
handler sleeps 1, 2, 5, 10, … 100 ms and oversleeps while the lock is free (p99 of posted ideas
264–370 → 134–137 ms). `read_first` lets a busy POST validate outside any transaction, so that
two workers do not queue for the lock while one of them runs Python. On PostgreSQL, which locks
rows, nothing here applies. `install()` (called by the app factory) connects the engine hooks.
"""

import sqlite3
import time
from contextlib import contextmanager

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

import settings

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
WRITE_NAP_MS = 2
_PENDING_BEGIN = "sqlite_pending_begin"


def busy_timeout_ms() -> int:
    """The app's SQLITE_BUSY_TIMEOUT_MS (settings, instance config or environment)."""
    if has_app_context():
        return current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", settings.SQLITE_BUSY_TIMEOUT_MS)
    return settings.SQLITE_BUSY_TIMEOUT_MS


def install() -> None:
    """Connect the hooks below to every engine (once, however many apps are built)."""
    for name, hook in (("connect", _on_connect), ("begin", _on_begin)):
        if not event.contains(Engine, name, hook):
            event.listen(Engine, name, hook)
    if not event.contains(Engine, "before_cursor_execute", _begin_before_first_statement):
        event.listen(Engine, "before_cursor_execute", _begin_before_first_statement)


def _on_connect(dbapi_connection, _record):
    """WAL, foreign keys and a busy timeout on every SQLite connection; we issue BEGIN ourselves."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(conn):
    """Which BEGIN this transaction will issue: deferred for a read-only request, IMMEDIATE
    otherwise; sent by `_begin_before_first_statement`."""
    if conn.dialect.name != "sqlite":
        return
    read_only = has_request_context() and request.method in READ_ONLY_METHODS
    conn.info[_PENDING_BEGIN] = "BEGIN" if read_only else "BEGIN IMMEDIATE"


def _begin_before_first_statement(conn, _cursor, _statement, _parameters, _context, _many):
    """SQLite's BEGIN for the transaction SQLAlchemy began, just before its first statement.
    Inside `read_first` there is none yet: those reads run in SQLite's autocommit mode, and the
    write transaction begins with the first statement after the block. SQLAlchemy's
    transaction was open all along; SQLite's COMMIT or ROLLBACK ends both."""
    pending = conn.info.get(_PENDING_BEGIN)
    if pending is None or (has_request_context() and g.get("sqlite_reads_first")):
        return
    del conn.info[_PENDING_BEGIN]
    if pending == "BEGIN":
        conn.connection.dbapi_connection.execute("BEGIN")  # takes no lock: cannot wait or fail
    else:
        _begin_immediate(conn)


@contextmanager
def read_first():
    """For a POST that reads what it needs, then writes without reading again: on SQLite the
    queries inside run in autocommit mode (no transaction, so no lock held past each of them),
    and the write transaction begins with the first statement after the block, so that SQLite's
    single write lock is held only while the request writes, not while it validates. What was
    loaded stays loaded. A write must then re-check, in its own statement, whatever it relies
    on of what was read (`submit_idea` checks that the event is still open in its INSERT)."""
    if not has_request_context() or request.method in READ_ONLY_METHODS:
        yield  # a GET's transaction is a plain one anyway
        return
    g.sqlite_reads_first = True
    try:
        yield
    finally:
        g.sqlite_reads_first = False


def _begin_immediate(conn) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in naps of at most WRITE_NAP_MS. The busy
    timeout is short only while waiting here; the whole wait still ends with "database is
    locked" after the usual timeout."""
    raw = conn.connection.dbapi_connection
    timeout_ms = busy_timeout_ms()
    deadline = time.monotonic() + timeout_ms / 1000
    raw.execute(f"PRAGMA busy_timeout={WRITE_NAP_MS}")
    try:
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    break  # not a wait: raised below, through SQLAlchemy
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the last try, and SQLAlchemy's error if any
    finally:
        raw.execute(f"PRAGMA busy_timeout={timeout_ms}")
