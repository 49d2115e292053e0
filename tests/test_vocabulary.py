"""Every closed set of stored words is said once, in its package's `states.py`: no code and no
template compares, assigns or returns one of those words as a bare string, and each vocabulary
matches the CheckConstraint of the column that stores it."""

import ast
import io
import re
import tokenize

import pytest
from sqlalchemy import inspect

from accounts.models import LoginLink, User
from accounts.states import LinkRevoked, Role
from app import ROOT, vocabularies
from bank.models import BankProject
from bank.states import BankStatus
from competitions.models import Event
from competitions.states import EventState, RankingMethod
from extensions import db
from jobs.models import ExportJob, OutboxEmail
from jobs.states import ExportState, OutboxState
from judging.models import Certificate, Deliberation, ResultEntry, ResultVersion, ScoreSheet
from judging.states import CertificateKind, NotRanked, SheetState, ValidationMode
from submissions.models import Idea
from submissions.states import Eligibility, IdeaSource, TeamKind

SKIPPED_DIRS = {"tests", "migrations", "node_modules", ".venv", ".git", "instance"}

# Words that are also something else, where that something else is compared: (file, part of
# the line, word). A URL's triage action is named like what it sets, but it is not stored; an
# audit entry's source is an open set ("web", "cli", a tablet's id...).
NOT_STATES = {
    ("submissions/views.py", 'elif action == "duplicate":', "duplicate"),
    ("submissions/views.py", 'if action == "duplicate" else None', "duplicate"),
    ("submissions/views.py", 'elif action == "calibration":', "calibration"),
    ("judging/paper.py", 'source: str = "import"', "import"),
    # The results e-mail's kind and template are named like the idea's standing they announce.
    ("judging/outcome.py", 'kind="results",', "results"),
    ("judging/outcome.py", 'template="results",', "results"),
    # Jinja's own test names, kept in the e-mail templates' sandbox.
    ("emailtemplates/sandbox.py", '"none", "number", "string")', "number"),
    # The e-mail template page's buttons (save, back to the default text, test send).
    ("emailtemplates/views.py", 'if action == "reset":', "reset"),
}
# Keyword arguments whose words are names of other things: a relationship, a page's anchor,
# an audit entry's action or entity.
OTHER_KEYWORDS = {"back_populates", "_anchor", "action", "entity"}


WORDS = {member.value for vocabulary in vocabularies() for member in vocabulary}


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(relative.parts[:-1]) or relative.name == "states.py":
            continue
        if relative.as_posix() == "vocabulary.py":
            continue
        yield relative


def template_files():
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            yield path.relative_to(ROOT)


def bare_words_in_python(source: str) -> list[tuple[int, str]]:
    """(line, word) of each vocabulary word compared (`==`, `!=`, `in (…)`, `.in_(…)`),
    assigned or passed by keyword (`=`), or returned."""
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE}
        and token.type not in {tokenize.INDENT, tokenize.DEDENT}
    ]
    found = []
    membership_depth = None  # bracket depth inside an `in (…)`, `.in_(…)` or `== (…)`
    depth = 0
    for i, token in enumerate(tokens):
        if token.type == tokenize.OP and token.string in {"(", "[", "{"}:
            depth += 1
            before = tokens[i - 1] if i else None
            membership = {"in", "in_", "==", "!="}  # `in (…)`, `.in_(…)`, `== (…)`
            if membership_depth is None and before is not None and before.string in membership:
                membership_depth = depth
        elif token.type == tokenize.OP and token.string in {")", "]", "}"}:
            if membership_depth == depth:
                membership_depth = None
            depth -= 1
        if token.type != tokenize.STRING:
            continue
        try:
            word = ast.literal_eval(token.string)
        except (ValueError, SyntaxError):
            continue
        if not isinstance(word, str) or word not in WORDS:
            continue
        before = tokens[i - 1].string if i else ""
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if before == "=" and i > 1 and tokens[i - 2].string in OTHER_KEYWORDS:
            continue
        if (
            before in {"==", "!=", "=", "return"}
            or after in {"==", "!=", "in"}
            or membership_depth is not None
        ):
            found.append((token.start[0], word))
    return found


_JINJA = re.compile(r"{[{%](.*?)[%}]}", re.S)
_QUOTED = r"""['"](%s)['"]"""


def bare_words_in_template(text: str) -> list[tuple[int, str]]:
    words = "|".join(re.escape(word) for word in sorted(WORDS))
    patterns = [
        re.compile(r"(?:==|!=)\s*" + _QUOTED % words),
        re.compile(_QUOTED % words + r"\s*(?:==|!=|\bin\b)"),
        re.compile(r"\bin\s*[(\[][^)\]]*?" + _QUOTED % words),
        re.compile(r"(?<![=!<>])=\s*" + _QUOTED % words),  # url_for(..., status='sent'), set
    ]
    found = []
    for block in _JINJA.finditer(text):
        for pattern in patterns:
            for match in pattern.finditer(block.group(1)):
                line = text.count("\n", 0, block.start(1) + match.start()) + 1
                found.append((line, match.group(1)))
    return found


def test_no_vocabulary_word_is_compared_or_stored_bare():
    hits = []
    for relative in python_files():
        lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
        for line, word in bare_words_in_python((ROOT / relative).read_text(encoding="utf-8")):
            text = lines[line - 1].strip()
            if any(
                (relative.as_posix(), word) == (path, allowed_word) and part in text
                for path, part, allowed_word in NOT_STATES
            ):
                continue
            hits.append(f"{relative}:{line}: {word!r}: {text}")
    for relative in template_files():
        text = (ROOT / relative).read_text(encoding="utf-8")
        lines = text.splitlines()
        for line, word in bare_words_in_template(text):
            hits.append(f"{relative}:{line}: {word!r}: {lines[line - 1].strip()[:120]}")
    assert not hits, "bare vocabulary words (name the member or a predicate):\n" + "\n".join(hits)


@pytest.mark.parametrize(
    "source, expected",
    [
        ('if event.state == "open":\n    pass\n', [(1, "open")]),
        ("x = sheet.status != 'submitted'\n", [(1, "submitted")]),
        ('ok = state in ("published", "archived")\n', [(1, "published"), (1, "archived")]),
        ('q = select(E).where(E.state.in_(("published",)))\n', [(1, "published")]),
        ('sheet = Sheet(status="assigned")\n', [(1, "assigned")]),
        ('if (old, new) == ("judging", "open"):\n', [(1, "judging"), (1, "open")]),
        ('def f():\n    return "too_few_judges"\n', [(2, "too_few_judges")]),
        ('open("x.txt", "w")\n', []),
        ('labels = {"draft": 1}\nrow["raw"]\n', []),
        ('# state == "open"\n', []),
    ],
)
def test_the_python_scan_finds_comparisons_not_other_uses(source, expected):
    assert bare_words_in_python(source) == expected


@pytest.mark.parametrize(
    "text, lines",
    [
        ("{% if event.state == 'published' %}", {1}),
        ('{% if sheet.status != "submitted" %}', {1}),
        ("\n{% elif event.state in ('draft', 'open') %}", {2}),
        ("{{ url_for('jobs.outbox', status='sent') }}", {1}),
        ('<details open><a href="{{ url }}">open</a>', set()),
        ('<option value="draft" {{ "selected" if x }}>', set()),
        ('<span class="state-draft">{{ labels["draft"] }}</span>', set()),
    ],
)
def test_the_template_scan_finds_comparisons_not_markup(text, lines):
    assert {line for line, _word in bare_words_in_template(text)} == lines


def check_values(model, column: str) -> set[str]:
    """The words a column's CheckConstraint allows (`column IN ('a','b')`)."""
    for constraint in model.__table__.constraints:
        sql = str(getattr(constraint, "sqltext", ""))
        match = re.fullmatch(rf"{column} IN \((.*)\)", sql.strip())
        if match:
            return set(re.findall(r"'([^']*)'", match.group(1)))
    raise AssertionError(f"{model.__tablename__}.{column} has no CheckConstraint IN (…)")


@pytest.mark.parametrize(
    "model, column, words",
    [
        (Event, "state", EventState.values()),
        (Event, "ranking_method", RankingMethod.values()),
        (Deliberation, "method", RankingMethod.values()),
        (Deliberation, "validation_mode", ValidationMode.values()),
        (ResultVersion, "method", RankingMethod.values()),
        (ResultVersion, "validation_mode", ValidationMode.values()),
        (ResultEntry, "not_ranked_reason", NotRanked.values()),
        (ScoreSheet, "status", tuple(SheetState.STORED)),
        (Idea, "eligibility", Eligibility.values()),
        (Idea, "source", IdeaSource.values()),
        (Idea, "team_kind", TeamKind.values()),
        (OutboxEmail, "status", OutboxState.values()),
        (ExportJob, "status", ExportState.values()),
        (BankProject, "status", BankStatus.values()),
        (User, "role", Role.values()),
        (LoginLink, "revoked_reason", LinkRevoked.values()),
        (Certificate, "kind", CertificateKind.values()),
    ],
)
def test_each_vocabulary_is_its_columns_check_constraint(model, column, words):
    assert check_values(model, column) == set(words)


@pytest.mark.parametrize(
    "table, column, words",
    [
        ("events", "state", EventState.values()),
        ("events", "ranking_method", RankingMethod.values()),
        ("deliberations", "method", RankingMethod.values()),
        ("deliberations", "validation_mode", ValidationMode.values()),
        ("result_versions", "method", RankingMethod.values()),
        ("result_versions", "validation_mode", ValidationMode.values()),
        ("result_entries", "not_ranked_reason", NotRanked.values()),
        ("score_sheets", "status", tuple(SheetState.STORED)),
        ("ideas", "eligibility", Eligibility.values()),
        ("ideas", "source", IdeaSource.values()),
        ("ideas", "team_kind", TeamKind.values()),
        ("outbox_emails", "status", OutboxState.values()),
        ("export_jobs", "status", ExportState.values()),
        ("bank_projects", "status", BankStatus.values()),
        ("users", "role", Role.values()),
        ("login_links", "revoked_reason", LinkRevoked.values()),
        ("certificates", "kind", CertificateKind.values()),
    ],
)
def test_the_migrated_database_holds_each_column_to_its_vocabulary(app, table, column, words):
    constraints = {c["name"]: c["sqltext"] for c in inspect(db.engine).get_check_constraints(table)}
    sql = constraints[f"ck_{table}_{column}"]
    assert set(re.findall(r"'([^']*)'", sql)) == set(words)


def test_templates_name_every_vocabulary(app):
    names = {vocabulary.__name__ for vocabulary in vocabularies()}
    assert names <= set(app.jinja_env.globals)
    assert (
        app.jinja_env.from_string(
            "{{ 'yes' if state == EventState.OPEN }}|{{ EventState.OPEN }}"
        ).render(state="open")
        == "yes|open"
    )
