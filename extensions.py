"""Flask extensions, created unbound so that nothing needs to import the app."""

import gc
from datetime import UTC, datetime

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, registry

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


def driver_rows(statement, block: int = 2000):
    """A read's rows as the driver gives them (plain tuples: no result row object each), taken
    a block at a time, for long reads of plain numbers and text (SQLAlchemy's type processing
    is skipped: SQLite returns dates as text). Keep the statement to one event's rows: on
    PostgreSQL the driver receives them at once (a server-side cursor would be read ahead by
    SQLAlchemy, out of this reach)."""
    result = db.session.connection().execute(statement)
    try:
        while rows := result.cursor.fetchmany(block):
            yield from rows
    finally:
        result.close()


def settle_process() -> None:
    """Called once a serving process has loaded the app (gunicorn's `post_worker_init`, the
    job worker before its first job): what startup made (modules, the app, SQLAlchemy's
    mappings: 160,000 objects) moves out of the garbage collector's sight, so that a full
    collection during a request walks only what requests made. A cold ranking of ten times the
    tour spent 0.17 s in such collections (docs/performance.md, 2026-12-01, fourth session)."""
    gc.collect()
    gc.freeze()


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()


def render_migration_item(type_, obj, autogen_context):
    """Alembic writes our UTCDateTime as a plain timezone-aware DateTime in revisions."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Rate limits (public submissions): Redis when REDIS_URL is set, memory otherwise (app.py).
limiter = Limiter(key_func=get_remote_address)
