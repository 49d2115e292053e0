"""The audit log as people read it: every action recorded anywhere has a sentence; the event's
log shows names, translated sentences and field names, Arabic as Arabic, and is filtered, paged
and exported in full with names."""

import ast
import csv
import io
import json
from pathlib import Path

from sqlalchemy import select

from audit.history import action_text, changes, decoded, is_described
from audit.models import AuditEntry
from audit.services import record
from extensions import db
from judging import services
from tests.builders import make_user
from tests.judging.conftest import build_judging, fill, sheet_of

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"tests", "node_modules", "migrations", ".venv", "bench"}

# Calls whose entity or action is not written where `record` is called: the function that
# calls it, and every (entity, action) it can record. A new one must be added here.
COMPUTED = {
    ("bank/financing.py", "_save_entry"): {
        ("financing_programme", "created"),
        ("financing_programme", "updated"),
        ("partner", "created"),
        ("partner", "updated"),
    },
    ("submissions/services.py", "_set_field"): {("idea", "duplicate"), ("idea", "bank_worthy")},
    ("submissions/privacy.py", "decide_deletion"): {
        ("deletion_request", "approved"),
        ("deletion_request", "refused"),
    },
    ("accounts/views.py", "_audit_sign_in"): {
        ("user", "sign_in"),
        ("user", "sign_in_failed"),
        ("user", "sign_in_refused"),
    },
    ("core/privacy.py", "_audit_download"): {
        ("idea", "download_attachment"),
        ("export", "export"),
    },
}


def _words(node) -> set | None:
    """The strings an argument can be: a literal, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _words(node.body), _words(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


# Modules whose own function passes on what its callers name (`bank.changes.audit`): their
# callers are read instead.
RECORDERS = {"bank/changes.py"}


def _records(func) -> bool:
    """A call that writes an audit entry: `record(...)`, `record_access(...)`, `changes.audit(...)`."""
    if isinstance(func, ast.Name):
        return func.id in ("record", "record_access")
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "audit"
        and isinstance(func.value, ast.Name)
        and func.value.id == "changes"
    )


def recorded_actions() -> tuple[set, list]:
    """Every (entity, action) the code records, and the calls it cannot read."""
    found, unread = set(), []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIP or relative.parts[0].startswith("."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and _records(node.func)) or len(node.args) < 3:
                    continue
                if function.name in ("record", "record_access") or str(relative) in RECORDERS:
                    continue
                entities, actions = _words(node.args[0]), _words(node.args[2])
                key = (str(relative), function.name)
                if entities is None or actions is None:
                    if key in COMPUTED:
                        found |= COMPUTED[key]
                    else:
                        unread.append(f"{relative}:{node.lineno}")
                    continue
                found |= {(entity, action) for entity in entities for action in actions}
    return found, unread


def test_every_recorded_action_has_a_sentence(app):
    found, unread = recorded_actions()
    assert not unread, f"write these actions as literals or add them to COMPUTED: {unread}"
    assert len(found) > 50, found
    missing = sorted(pair for pair in found if not is_described(*pair))
    assert not missing, f"describe these in the package's audit_actions.py: {missing}"


def test_the_computed_calls_listed_still_exist():
    sources = {path: (ROOT / path).read_text(encoding="utf-8") for path, _ in COMPUTED}
    for path, function in COMPUTED:
        assert f"def {function}(" in sources[path], (path, function)


def test_an_undescribed_action_is_caught(app):
    assert not is_described("event", "teleport")
    assert action_text("event", "teleport") == "event · teleport"


def test_old_escaped_arabic_is_read_as_arabic():
    assert decoded("\\u0635\\u062f\\u064a\\u0642") == "صديق"
    assert decoded("plain") == "plain"


def test_changes_name_fields_and_translate_words(app):
    with app.test_request_context("/?lang=en"):
        rows = changes({"state": "open"}, {"state": "judging"})
        assert [(r.field, r.before, r.after) for r in rows] == [
            ("Step", "Open for ideas", "Judging")
        ]


def _log(client, event, query=""):
    return client.get(f"/judging/{event.slug}/audit{query}")


def test_the_log_reads_as_sentences_with_names_and_arabic_text(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    organiser = make_user("organiser", name="Samira Organisatrice")
    fill(sheet_of(ideas[0], judges[0]), 3)
    services.declare_conflict(sheet_of(ideas[1], judges[1]), "صديق العائلة", by=judges[1])
    db.session.commit()
    login(organiser)
    page = _log(client, event, "?lang=ar").get_data(as_text=True)
    assert "صديق العائلة" in page and "\\u0635" not in page
    assert judges[0].name in page and "Samira Organisatrice" in page
    assert "jury #None" not in page and '"criterion"' not in page
    assert str(action_text("score", "score")) in page  # a sentence, in Arabic
    assert ideas[0].receipt_code in page
    raw = (
        db.session.connection()
        .exec_driver_sql("SELECT new FROM audit_entries WHERE action = 'conflict'")
        .scalar()
    )  # stored as text on SQLite (PostgreSQL hands back the JSON decoded)
    assert "صديق" in (raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False))


def test_the_log_is_filtered_by_who_what_idea_and_text(app, client, login):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    fill(sheet_of(ideas[0], judges[0]), 3)
    fill(sheet_of(ideas[1], judges[1]), 4)
    organiser = make_user("organiser")
    login(organiser)
    by_judge = _log(client, event, f"?by={judges[1].id}&lang=en").get_data(as_text=True)
    assert ideas[1].receipt_code in by_judge and ideas[0].receipt_code not in by_judge
    by_idea = _log(client, event, f"?idea={ideas[0].receipt_code}&lang=en").get_data(as_text=True)
    assert ideas[0].receipt_code in by_idea and ideas[1].receipt_code not in by_idea
    submits = _log(client, event, "?action=sheet:submit&lang=en").get_data(as_text=True)
    assert "Submitted a score sheet" in submits and "Gave a mark" not in submits.split("<tbody>")[1]
    unknown = _log(client, event, "?idea=ZZZ-0000&lang=en")
    assert unknown.status_code == 422 and "ZZZ-0000" in unknown.get_data(as_text=True)
    bad_day = _log(client, event, "?from=31/02/2025&lang=en")
    assert bad_day.status_code == 422
    future = _log(client, event, "?from=2999-01-01&lang=en").get_data(as_text=True)
    assert "No entry matches these filters." in future


def test_the_log_is_paged_and_keeps_its_filters_in_the_links(app, client, login):
    event, _ideas, _judges = build_judging(n_ideas=1, n_judges=1)
    for n in range(120):
        record("event", event.id, "notes", event_id=event.id, new={"notes": f"note {n}"})
    db.session.commit()
    login(make_user("organiser"))
    first = _log(client, event, "?action=event:notes&lang=en").get_data(as_text=True)
    assert "note 119" in first and "note 69" not in first  # newest first, 50 a page
    assert "action=event%3Anotes&amp;page=2" in first
    third = _log(client, event, "?action=event:notes&page=3&lang=en").get_data(as_text=True)
    assert "note 0" in third and "note 20" not in third
    assert 'aria-current="page"' in third


def test_the_csv_keeps_every_entry_with_names_and_arabic(app, client, login):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 3)
    record(
        "event", event.id, "notes", event_id=event.id, by=judges[0], new={"notes": "ملاحظة"},
        note="=1+1",
    )  # fmt: skip
    db.session.commit()
    login(make_user("organiser"))
    response = _log(client, event, "?format=csv&lang=en")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["When (UTC)", "Who", "Account id", "What"]
    total = db.session.scalar(
        select(db.func.count()).select_from(AuditEntry).where(AuditEntry.event_id == event.id)
    )
    assert len(body) == total
    assert all(row[1] == judges[0].name for row in body if row[2] == str(judges[0].id))
    notes = next(row for row in body if row[4] == "event:notes")
    assert "ملاحظة" in notes[11] and notes[11].startswith("{")
    assert notes[7] == "'=1+1"  # a spreadsheet program does not run it
