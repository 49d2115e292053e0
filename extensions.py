"""Flask extensions, created unbound so that nothing needs to import the app."""

import sqlite3
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry

import settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    """Now, timezone-aware UTC: every timestamp of the app (column defaults included)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()


def sqlite_busy_timeout_ms() -> int:
    """The app's SQLITE_BUSY_TIMEOUT_MS (settings, instance config or environment)."""
    if has_app_context():
        return current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", settings.SQLITE_BUSY_TIMEOUT_MS)
    return settings.SQLITE_BUSY_TIMEOUT_MS


_READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    """WAL, foreign keys and a busy timeout on every SQLite connection; we issue BEGIN ourselves."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={sqlite_busy_timeout_ms()}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    """Writers take the write lock at their transaction's start (BEGIN IMMEDIATE): a deferred
    transaction that reads then writes gets "database is locked" despite the busy timeout.
    Read-only requests stay deferred so that they never queue behind writers. SQLite's BEGIN
    itself is issued just before the transaction's first statement (`_sqlite_begin`), so that
    the lock is not held while SQLAlchemy prepares that statement (a third of the time a
    posted idea held it)."""
    if conn.dialect.name != "sqlite":
        return
    read_only = has_request_context() and request.method in _READ_ONLY_METHODS
    conn.info[_PENDING_BEGIN] = "BEGIN" if read_only else "BEGIN IMMEDIATE"


_PENDING_BEGIN = "sqlite_pending_begin"


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_begin(conn, _cursor, _statement, _parameters, _context, _many):
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
    single write lock is held only while the request writes, not while it validates (under a
    hall's load, two worker processes queued for the lock while it was held through the Python
    work). What was loaded stays loaded. A write must then re-check, in its own statement,
    whatever it relies on of what was read (`submit_idea` checks that the event is still open
    in its INSERT). On PostgreSQL, which locks rows, not the database: nothing."""
    if not has_request_context() or request.method in _READ_ONLY_METHODS:
        yield  # a GET's transaction is a plain one anyway
        return
    g.sqlite_reads_first = True
    try:
        yield
    finally:
        g.sqlite_reads_first = False


SQLITE_WRITE_NAP_MS = 2


def _begin_immediate(conn) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in naps of at most 2 ms. SQLite's own busy
    handler sleeps 1, 2, 5, 10, … 100 ms between tries, so a writer that arrives behind a few
    others oversleeps by tens of milliseconds while the lock is free (under a hall's load: a
    fifth of the CPU idle, and the tail of every write). The busy timeout is short only while
    waiting here; the whole wait still ends with "database is locked" after the usual timeout."""
    raw = conn.connection.dbapi_connection
    timeout_ms = sqlite_busy_timeout_ms()
    deadline = time.monotonic() + timeout_ms / 1000
    raw.execute(f"PRAGMA busy_timeout={SQLITE_WRITE_NAP_MS}")
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


def render_migration_item(type_, obj, autogen_context):
    """Alembic writes our UTCDateTime as a plain timezone-aware DateTime in revisions."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
