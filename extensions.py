"""Flask extensions, created unbound so that nothing needs to import the app."""

import sqlite3
import threading
from datetime import UTC, datetime

from flask import has_request_context, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.pool import Pool

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

SQLITE_BUSY_TIMEOUT_MS = 15_000
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
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class SQLiteWriteTurns:
    """SQLite lets one writer at a time. Threads of this process wait for their turn here, and
    are woken the moment it is free, instead of in SQLite's busy handler, which sleeps 1, 2, 5,
    10… ms between tries whatever happens meanwhile (under a hall's load, that left a fifth of
    the CPU idle and added up to 250 ms to a tap). One turn per database file; other processes
    still meet in SQLite's lock and busy timeout.

    A turn is taken just before BEGIN IMMEDIATE and given back when the transaction ends (commit
    or rollback, or the connection going back to the pool, closed or invalidated). A thread that
    waits longer than the busy timeout goes on without its turn: SQLite then decides, as it did
    without turns, so a mistake here can slow a write down but never hang it."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.fallbacks = 0  # writers that went on without their turn (the tests expect none)
        self._locks: dict[str, threading.Lock] = {}
        self._held: dict[object, threading.Lock] = {}  # DBAPI connection → the turn it holds
        self._guard = threading.Lock()

    def _lock(self, database: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(database, threading.Lock())

    def take(self, database: str | None, dbapi_connection) -> None:
        if not database or database == ":memory:" or dbapi_connection in self._held:
            return  # a private in-memory database, or this connection's turn already
        lock = self._lock(database)
        if lock.acquire(timeout=self.timeout):
            self._held[dbapi_connection] = lock
        else:
            self.fallbacks += 1

    def give_back(self, dbapi_connection) -> None:
        lock = self._held.pop(dbapi_connection, None)
        if lock is not None:
            lock.release()

    def is_free(self, database: str) -> bool:
        return not self._lock(database).locked()


sqlite_write_turns = SQLiteWriteTurns(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    """Writers take the write lock up front (BEGIN IMMEDIATE): a deferred transaction that reads
    then writes gets "database is locked" despite the busy timeout. Read-only requests stay
    deferred so that they never queue behind writers."""
    if conn.dialect.name != "sqlite":
        return
    read_only = has_request_context() and request.method in _READ_ONLY_METHODS
    if not read_only:
        sqlite_write_turns.take(conn.engine.url.database, conn.connection.dbapi_connection)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _sqlite_on_end(conn):
    if conn.dialect.name == "sqlite" and not conn.invalidated:
        sqlite_write_turns.give_back(conn.connection.dbapi_connection)


@event.listens_for(Pool, "checkin")
@event.listens_for(Pool, "reset")
@event.listens_for(Pool, "close")
@event.listens_for(Pool, "invalidate")
def _sqlite_on_release(dbapi_connection, *_args):
    if dbapi_connection is not None:
        sqlite_write_turns.give_back(dbapi_connection)


def render_migration_item(type_, obj, autogen_context):
    """Alembic writes our UTCDateTime as a plain timezone-aware DateTime in revisions."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
