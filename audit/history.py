"""The audit log as people read it: a sentence for each recorded action, a name for each field
of its before → after, values shown as text (Arabic kept as Arabic).

The audit log sits below the packages that write in it, so each package describes its own
actions and fields from its `hooks.register()` (`describe_actions`, `describe_fields`); a test
fails when an action recorded anywhere has no sentence."""

import json
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

_ACTIONS: dict[tuple[str, str], object] = {}  # (entity, action) → lazy sentence
_FIELDS: dict[str, object] = {}  # a key of `old` / `new` → lazy name
_VALUES: dict[str, dict[str, object]] = {}  # a key → {stored word: lazy label}

# Entries written before the log kept text as text hold Arabic as "\u0635..." escapes.
_ESCAPED = re.compile(r"\\u[0-9a-fA-F]{4}")


def describe_actions(actions: dict) -> None:
    """Name what each recorded action did ({entity: {action: lazy sentence}})."""
    for entity, sentences in actions.items():
        for action, sentence in sentences.items():
            _ACTIONS[(entity, action)] = sentence


def describe_fields(names: dict, values: dict | None = None) -> None:
    """Name the keys of the entries' before/after ({key: lazy name}) and, for keys holding a
    closed set of words, each word ({key: {word: lazy label}})."""
    _FIELDS.update(names)
    for key, labels in (values or {}).items():
        _VALUES.setdefault(key, {}).update(labels)


def is_described(entity: str, action: str) -> bool:
    return (entity, action) in _ACTIONS


def described_actions() -> list[tuple[str, str, str]]:
    """Every described (entity, action, sentence), sorted by sentence: the action filter."""
    rows = [(entity, action, str(text)) for (entity, action), text in _ACTIONS.items()]
    return sorted(rows, key=lambda row: row[2].casefold())


def action_text(entity: str, action: str) -> str:
    """The sentence for an action; an undescribed one (an old entry) shows its codes."""
    sentence = _ACTIONS.get((entity, action))
    return str(sentence) if sentence is not None else f"{entity} · {action}"


def is_about(entry, *, entity: str) -> bool:
    """Whether an entry's record is of this kind (an idea, a judge on the jury...)."""
    return entry.entity == entity


def field_name(key: str) -> str:
    name = _FIELDS.get(key)
    return str(name) if name is not None else key.replace("_", " ")


def readable(value) -> str:
    """A stored value as text: text kept as typed (old escapes decoded), yes/no, lists and
    mappings spelt out, nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_name(str(k))}: {readable(v)}" for k, v in value.items())
    if isinstance(value, str):
        return decoded(value)
    return str(value)


def decoded(text: str) -> str:
    """A text with "\\u0635"-style escapes read back as the characters they stand for."""
    if not _ESCAPED.search(text):
        return text
    try:
        return json.loads(f'"{text}"')
    except ValueError:
        return _ESCAPED.sub(lambda m: chr(int(m.group(0)[2:], 16)), text)


@dataclass(frozen=True)
class Change:
    field: str  # the field's name in the reader's language
    before: str  # "" when the entry has no value before (a creation)
    after: str  # "" when it has none after

    @property
    def same(self) -> bool:
        """The value is context (the criterion of a mark), not a change."""
        return self.before == self.after or not self.before or not self.after


def changes(old: dict | None, new: dict | None, references: dict | None = None) -> list[Change]:
    """The fields an entry names, each with its value before and after, in the order they were
    recorded. `references` maps a key to {stored id: label} (an idea's receipt code, a judge's
    name) for ids the reader would not know."""
    old, new = old or {}, new or {}
    references = references or {}
    rows = []
    for key in list(dict.fromkeys([*old, *new])):
        rows.append(
            Change(
                field_name(key),
                _value(key, old.get(key), references) if key in old else "",
                _value(key, new.get(key), references) if key in new else "",
            )
        )
    return rows


def _value(key: str, value, references: dict) -> str:
    known = references.get(key)
    if known is not None:
        if isinstance(value, list):
            return ", ".join(str(known.get(item, item)) for item in value) or "—"
        if value in known:
            return known[value]
    labels = _VALUES.get(key)
    if labels and isinstance(value, str) and value in labels:
        return str(labels[value])
    return readable(value)


def text_of(value) -> str:
    """The JSON of a value with its text as text (the CSV's full data)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, default=str)
