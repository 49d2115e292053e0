"""The application factory: configuration layers, extensions, blueprints, commands."""

import functools
import json
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import paging
import settings
import sqlite_locking
from extensions import (
    babel,
    csrf,
    db,
    limiter,
    login_manager,
    mail,
    migrate,
    render_migration_item,
)
from i18n import register_template_helpers, select_locale
from vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent
# Packages in dependency order (lower floors first); each may have models, views, cli, translations.
PACKAGES = (
    "storage",
    "exports",
    "accounts",
    "audit",
    "jobs",
    "core",
    "competitions",
    "emailtemplates",
    "submissions",
    "registration",
    "judging",
    "stage",
    "bank",
    "audience",
    "reporting",
    "demo",
)

_ENV_STRINGS = (
    "SECRET_KEY",
    "REDIS_URL",
    "MAIL_SERVER",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER",
    "EXTERNAL_BASE_URL",
    "APP_ENV",
    "SUBMIT_LIMITS_PER_ADDRESS",
    "SUBMIT_LIMITS_PER_EVENT",
    "REGISTER_LIMITS_PER_ADDRESS",
    "REGISTER_LIMITS_PER_EVENT",
    "AUDIENCE_LIMITS_PER_ADDRESS",
    "AUDIENCE_LIMITS_PER_DEVICE",
    "FILE_STORE",
    "RELEASE",
    "IDEA_FORM_VERSION",
)
_ENV_INTS = ("MAIL_PORT", "PROXY_HOPS")
APP_ENVS = ("development", "test", "production")
MIN_SECRET_KEY_BYTES = 32
_KEY_ADVICE = (
    "Set the SECRET_KEY environment variable (or instance/config.py) to a long random value, "
    "e.g. python -c 'import secrets; print(secrets.token_hex(32))'."
)
_ENV_BOOLS = ("MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_SUPPRESS_SEND")


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: settings.py → instance/config.py → environment (or test_config)."""
    app = Flask(
        __name__,
        instance_path=instance_path
        or os.environ.get("IDEATHON_INSTANCE")
        or str(ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.from_object(settings)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        load_environment(app.config, os.environ)
    else:
        app.config.from_mapping(test_config)
    finalise_config(app)
    register_extensions(app)
    register_blueprints(app)
    register_hooks()
    register_commands(app)
    register_vocabularies(app)
    return app


def load_environment(config, environ) -> None:
    """Environment variables override everything else (the deploy's own settings)."""
    for key in _ENV_STRINGS:
        if environ.get(key):
            config[key] = environ[key]
    for key in _ENV_INTS:
        if environ.get(key):
            config[key] = int(environ[key])
    for key in _ENV_BOOLS:
        if environ.get(key):
            config[key] = environ[key].strip().lower() in {"1", "true", "yes", "on"}
    if environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]


def normalise_database_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def finalise_config(app: Flask) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    config = app.config
    uri = config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = f"sqlite:///{Path(app.instance_path) / 'ideathon.sqlite3'}"
    uri = normalise_database_url(uri)
    config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # JSON columns keep text as text: an Arabic reason is stored (and exported) as Arabic, not
    # as "\\u0635" escapes.
    options.setdefault("json_serializer", functools.partial(json.dumps, ensure_ascii=False))
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": config["SQLITE_BUSY_TIMEOUT_MS"] / 1000})
    else:
        options.setdefault("pool_pre_ping", True)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    config.setdefault("EXPORTS_DIR", str(Path(app.instance_path) / "exports"))
    config.setdefault("UPLOADS_DIR", str(Path(app.instance_path) / "uploads"))
    config.setdefault(
        "BANK_DOCUMENTS_DIR", str(Path(config["UPLOADS_DIR"]).parent / "bank-documents")
    )
    config["RATELIMIT_STORAGE_URI"] = (
        config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"
    )
    if config.get("PROXY_HOPS"):
        hops = config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    if check_environment(config) == "production":
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True

    directories = ["translations"] + [
        f"{name}/translations" for name in PACKAGES if (ROOT / name / "translations").is_dir()
    ]
    config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)


def check_environment(config) -> str:
    """The deploy's APP_ENV, refused when unknown (a misspelt `Production` must not quietly run
    without the production guard); in production, a SECRET_KEY of at least 32 bytes."""
    env = config.get("APP_ENV") or "development"
    if env not in APP_ENVS:
        raise RuntimeError(
            f"Refusing to start: unknown APP_ENV {env!r}. "
            f"Use one of: {', '.join(APP_ENVS)} (lower case)."
        )
    if env == "production":
        key = config.get("SECRET_KEY") or ""
        if key == settings.DEFAULT_SECRET_KEY:
            raise RuntimeError(
                "Refusing to start in production with the default SECRET_KEY. " + _KEY_ADVICE
            )
        if len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
            raise RuntimeError(
                f"Refusing to start in production with a SECRET_KEY shorter than "
                f"{MIN_SECRET_KEY_BYTES} bytes. " + _KEY_ADVICE
            )
    return env


def register_extensions(app: Flask) -> None:
    # Every package's models, so that the metadata (and Alembic) sees every table.
    for name in PACKAGES:
        if (ROOT / name / "models.py").exists():
            __import__(f"{name}.models")
    sqlite_locking.install()  # before the engine is made
    db.init_app(app)
    migrate.init_app(
        app, db, render_as_batch=True, compare_type=True, render_item=render_migration_item
    )
    limiter.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    register_template_helpers(app)
    app.jinja_env.globals["page_url"] = paging.page_url

    from accounts.services import load_user

    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None


def register_blueprints(app: Flask) -> None:
    from core.routing import register_converters

    register_converters(app)
    for name in PACKAGES:
        if (ROOT / name / "views.py").exists():
            module = __import__(f"{name}.views", fromlist=["bp"])
            app.register_blueprint(module.bp)
    from core.errors import register_error_handlers
    from core.headers import register_security_headers

    register_error_handlers(app)
    register_security_headers(app)


def register_hooks() -> None:
    """Each package's `hooks.register()`, lower floors first: the one place where a package
    hooks into a lower one (its registries and signals). Registering twice changes nothing."""
    for name in PACKAGES:
        if (ROOT / name / "hooks.py").exists():
            __import__(f"{name}.hooks", fromlist=["register"]).register()


def register_commands(app: Flask) -> None:
    for name in PACKAGES:
        if (ROOT / name / "cli.py").exists():
            module = __import__(f"{name}.cli", fromlist=["commands"])
            for command in module.commands:
                app.cli.add_command(command)


def vocabularies() -> list[type[Vocabulary]]:
    """Every vocabulary defined in a package's `states.py`, lower floors first."""
    found = []
    for name in PACKAGES:
        if (ROOT / name / "states.py").exists():
            module = __import__(f"{name}.states", fromlist=["*"])
            found += [
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and issubclass(value, Vocabulary)
                and value.__module__ == module.__name__
            ]
    return found


def register_vocabularies(app: Flask) -> None:
    """Every vocabulary as a template global, so that a template names `EventState.OPEN` (or a
    model's predicate, `event.accepts_ideas`), never the bare word."""
    for vocabulary in vocabularies():
        app.jinja_env.globals[vocabulary.__name__] = vocabulary
