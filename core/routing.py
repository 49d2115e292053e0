"""Path values the database can hold: `<int:…>` stops at PostgreSQL's `integer` (2^31 - 1) and a
text segment (`<slug>`) holds no control character (PostgreSQL refuses NUL), so either is a
page that does not exist (404), never an overflow or a refused query (a 500)."""

from flask import Flask
from werkzeug.routing import IntegerConverter, UnicodeConverter

DATABASE_ID_MAX = 2**31 - 1


class DatabaseId(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DATABASE_ID_MAX)
        super().__init__(map, *args, **kwargs)


class PathText(UnicodeConverter):
    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


def register_converters(app: Flask) -> None:
    """Before any route is added: every `<int:…>` of every blueprint becomes a `DatabaseId`,
    every `<name>` and `<string:…>` a `PathText`."""
    app.url_map.converters.update(int=DatabaseId, default=PathText, string=PathText)


def database_id(text: str) -> int:
    """A posted id (`request.form.get("idea_id", type=database_id)`): an id outside the
    database's range raises ValueError, which `type=` turns into "not given"."""
    number = int(text)
    if not 0 < number <= DATABASE_ID_MAX:
        raise ValueError(text)
    return number
