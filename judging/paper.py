"""The jury's paper fallback: a score-sheet workbook to fill by hand and its all-or-nothing import."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import User
from audit.services import record
from competitions.models import Event
from exports.cells import is_risky, set_safe_value
from exports.printing import set_up_pages
from exports.unpacked import WORKBOOK_MAX_UNPACKED, unpacks_beyond
from extensions import db
from fieldtypes import FieldError
from i18n import event_city, localized
from judging.models import Score, ScoreSheet
from judging.services import (
    COMMENT,
    JudgingConflict,
    JudgingError,
    check_unlocked,
    check_value,
    format_mark,
    lock_rubric,
    seal_sheet,
)
from judging.states import SheetState
from submissions.models import Idea

FIXED = 3  # receipt code, title, judge e-mail


def column_title(criterion, lang: str = "fr") -> str:
    """e.g. `Impact social (1–5, ×3)`."""
    return f"{localized(criterion.name, lang)} ({criterion.scale_min}–{criterion.scale_max}, ×{format_mark(criterion.weight)})"


def _sheets(event: Event, *, for_writing: bool = False):
    """The event's sheets with their idea's code and title and their judge's e-mail. Writing
    (an import) locks them first, as a tap does, so a tablet never races the import."""
    query = (
        select(ScoreSheet, Idea.receipt_code, Idea.title, User.email)
        .options(selectinload(ScoreSheet.scores))  # every sheet's marks: no query per row
        .join(Idea, Idea.id == ScoreSheet.idea_id)
        .join(User, User.id == ScoreSheet.judge_id)
        .where(ScoreSheet.event_id == event.id)
        .order_by(Idea.is_calibration.desc(), Idea.id, User.email)
    )
    if for_writing:
        query = query.with_for_update(of=ScoreSheet)
    return db.session.execute(query).all()


def write_score_sheet(event: Event, path: str | Path, language: str = "fr") -> Path:
    """One row per (idea, judge on the jury), an empty column per criterion (the marks and
    comment of a submitted sheet are filled in, so the file imports back as it is), with its
    titles in `language` (ar, fr, en: the import reads any of them)."""
    with force_locale(language):
        return _write_score_sheet(event, Path(path), language)


def _write_score_sheet(event: Event, path: Path, language: str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    criteria = event.rubric.criteria
    wb = Workbook()
    ws = wb.active
    ws.title = str(_l("Scores"))
    fixed = [str(_l("Receipt code")), str(_l("Idea")), str(_l("Judge e-mail"))]
    headers = fixed + [column_title(c, language) for c in criteria] + [str(_l("Comment"))]
    for col, title in enumerate(headers, start=1):
        set_safe_value(ws.cell(row=1, column=col), title)
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = 14 if col != 2 else 40
    hidden = str(_l("[blind]"))
    rows = [r for r in _sheets(event) if r[0].status in SheetState.LIVE]
    for row, (sheet, code, title, email) in enumerate(rows, start=2):
        for col, value in enumerate((code, hidden if event.blind else title, email), start=1):
            set_safe_value(ws.cell(row=row, column=col), value)
        if sheet.status == SheetState.SUBMITTED:
            values = {s.criterion_id: s.value for s in sheet.scores}
            for k, criterion in enumerate(criteria):
                if criterion.id in values:
                    ws.cell(row=row, column=FIXED + 1 + k, value=values[criterion.id])
            if sheet.comment:
                set_safe_value(ws.cell(row=row, column=FIXED + 1 + len(criteria)), sheet.comment)
    ws.freeze_panes = "D2"
    set_up_pages(ws, footer=f"{ws.title} – {event_city(event)}", language=language)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# --- Import ---------------------------------------------------------------------------------------

MAX_PROBLEMS = 100  # a file of garbage is not listed cell by cell past this
MAX_SHOWN = 60  # characters of a cell's text quoted back in a message
_FIXED_TITLES = {"code": _l("Receipt code"), "email": _l("Judge e-mail"), "comment": _l("Comment")}


@dataclass
class PaperImport:
    """What an import did: sheets submitted, rows of submitted sheets found identical (skipped),
    rows left blank (sheets not scored on paper yet)."""

    imported: int = 0
    unchanged: int = 0
    blank: int = 0


class PaperSheetRefused(JudgingError):
    """The whole file was refused; `problems` lists every bad cell, row or column at once."""

    def __init__(self, problems: list[str]):
        super().__init__(
            ngettext(
                "The file was not imported: %(num)d problem to fix.",
                "The file was not imported: %(num)d problems to fix.",
                len(problems),
            )
        )
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([str(self.message), *(f"- {p}" for p in self.problems)])


def _title_key(value) -> str:
    return " ".join(str(value or "").split()).casefold()


def _in_every_language(text) -> set[str]:
    """A lazy text's forms in every language of the site (a sheet printed in French imports
    from a page in Arabic)."""
    forms = set()
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            forms.add(_title_key(str(text)))
    return forms


def _shown(value) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _columns(header, criteria) -> tuple[dict, list[str]]:
    """{"code"|"email"|"comment"|criterion id: (0-based index, title)} from the first row,
    and a problem per missing column (the comment column may be left out)."""
    titles = {}
    for index, value in enumerate(header):
        titles.setdefault(_title_key(value), index)
    wanted = [(key, _in_every_language(text), str(text)) for key, text in _FIXED_TITLES.items()]
    for criterion in criteria:
        forms = {_title_key(column_title(criterion, lang)) for lang in ("fr", "ar", "en")}
        wanted.append((criterion.id, forms, column_title(criterion)))
    columns, missing = {}, []
    for key, forms, title in wanted:
        index = next((titles[f] for f in forms if f in titles), None)
        if index is not None:
            columns[key] = (index, title)
        elif key != "comment":
            missing.append(_l("Column '%(column)s' is missing from the first row.", column=title))
    return columns, missing


def _open_rows(file):
    """The rows (as cells) of the score sheet in the workbook: the first sheet whose first row
    has a receipt-code column, else the first sheet. JudgingError when it cannot be read, or
    when it unpacks beyond WORKBOOK_MAX_UNPACKED (refused before any parsing)."""
    from openpyxl import load_workbook

    data = file.read()
    if unpacks_beyond(data):
        raise JudgingError(
            _l(
                "This workbook is too large once unpacked (more than %(mb)d MB): "
                "keep only the score sheet in it.",
                mb=WORKBOOK_MAX_UNPACKED // (1024 * 1024),
            )
        )
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise JudgingError(_l("This file is not an Excel workbook (.xlsx).")) from None
    sheets = workbook.worksheets
    if not sheets:
        raise JudgingError(_l("The workbook has no sheet of scores."))
    codes = _in_every_language(_FIXED_TITLES["code"])
    try:
        for sheet in sheets:
            first = next(sheet.iter_rows(max_row=1, values_only=True), ())
            if any(_title_key(v) in codes for v in first):
                return list(sheet.iter_rows())
        return list(sheets[0].iter_rows())
    except Exception:  # a damaged part of the file: say so rather than fail
        raise JudgingError(_l("This workbook cannot be read: save it again as .xlsx.")) from None


def _cell(row, index):
    """(value, is_formula) of a row's cell; an absent cell is empty. Text is stripped."""
    if index >= len(row):
        return None, False
    cell = row[index]
    value = getattr(cell, "value", None)
    formula = getattr(cell, "data_type", None) == "f"
    if isinstance(value, str):
        value = value.strip() or None
    return value, formula


def _check_marks(number, criteria, marks, comment, problem):
    """The row's marks checked against the rubric ([(criterion, value)], or None after naming
    each bad cell) and its comment cleaned."""
    checked, ok = [], True
    for criterion, mark in zip(criteria, marks, strict=True):
        if mark is None:
            problem(number, criterion.id, _l("empty"))
            ok = False
            continue
        try:
            checked.append((criterion, check_value(criterion, mark)))
        except JudgingError as error:
            problem(number, criterion.id, error.message)
            ok = False
    if comment is not None:
        try:
            comment = COMMENT.parse(comment) or None
        except FieldError as error:
            problem(number, "comment", error.message)
            ok = False
    return (checked if ok else None), comment


def _same_as_submitted(number, sheet, checked, comment, problem) -> bool:
    """Whether a row holds what its submitted sheet holds; each different cell is named."""
    stored = {s.criterion_id: s.value for s in sheet.scores}
    same = True
    for criterion, value in checked:
        if stored.get(criterion.id) != value:
            same = False
            problem(number, criterion.id, _l(
                "this sheet is already submitted with %(stored)s; the file says %(value)s.",
                stored=format_mark(stored[criterion.id]) if criterion.id in stored else "—",
                value=format_mark(value),
            ))  # fmt: skip
    if comment and comment != (sheet.comment or ""):
        same = False
        problem(number, "comment", _l("this sheet is already submitted with another comment."))
    return same


def _submit(event: Event, planned, by, source: str) -> None:
    """Write the checked rows: marks (each audited old → new), comment, submitted."""
    for sheet, values, comment in planned:
        existing = {s.criterion_id: s for s in sheet.scores}
        marks = {criterion_id: score.value for criterion_id, score in existing.items()}
        for criterion, value in values:
            score = existing.get(criterion.id)
            old = score.value if score else None
            if score is None:
                db.session.add(Score(sheet_id=sheet.id, criterion_id=criterion.id, value=value))
            else:
                score.value = value
            marks[criterion.id] = value
            record(
                "score", sheet.id, "score", by=by, event_id=event.id, source=source,
                old={"criterion": criterion.key, "value": old},
                new={"criterion": criterion.key, "value": value, "idea_id": sheet.idea_id},
            )  # fmt: skip
        old_comment = sheet.comment
        if comment:
            sheet.comment = comment
        old_status = sheet.status
        seal_sheet(sheet, marks)
        record(
            "sheet", sheet.id, "submit", by=by, event_id=event.id, source=source,
            old={"status": old_status, "comment": old_comment},
            new={"status": SheetState.SUBMITTED, "idea_id": sheet.idea_id, "comment": sheet.comment},
        )  # fmt: skip
    if planned:
        lock_rubric(event.rubric)
    db.session.flush()


def import_score_sheet(event: Event, file, by, source: str = "import") -> PaperImport:
    """Import a filled score sheet as submitted sheets. All or nothing: every bad cell, row and
    missing column is listed at once (`PaperSheetRefused`) and nothing is written. Rows left
    blank are skipped; rows of sheets already submitted are skipped when they hold the same
    marks, refused (naming the cell) when they differ; a row twice is refused naming both."""
    from openpyxl.utils import get_column_letter

    if not event.is_judging:
        check_unlocked(event)
        raise JudgingConflict(_l("Scores can only change while the event is in judging."))
    rows = _open_rows(file)
    criteria = event.rubric.criteria
    if not rows:
        raise JudgingError(_l("The file holds no scores."))
    columns, missing = _columns([getattr(c, "value", None) for c in rows[0]], criteria)
    if missing:
        raise PaperSheetRefused(missing)

    sheets = {
        (code, email.lower()): sheet for sheet, code, _t, email in _sheets(event, for_writing=True)
    }
    problems: list = []
    result = PaperImport()
    planned, seen = [], {}

    def problem(number, key, text):

        index, title = columns[key]
        cell = f"{get_column_letter(index + 1)}{number}"
        problems.append(
            _l("Row %(row)d, column '%(column)s' (%(cell)s): %(problem)s",
               row=number, column=title, cell=cell, problem=text)
        )  # fmt: skip

    for number, row in enumerate(rows[1:], start=2):
        if len(problems) >= MAX_PROBLEMS:
            problems.append(_l("Only the first %(n)d problems are listed.", n=MAX_PROBLEMS))
            break
        values = {key: _cell(row, index) for key, (index, _title) in columns.items()}
        if all(value is None for value, _f in values.values()):
            continue  # an empty line
        for key, (_value, formula) in values.items():
            if formula:
                problem(number, key, _l("a formula: type the value itself"))
        if any(formula for _v, formula in values.values()):
            continue
        code = str(values["code"][0] or "")
        email = str(values["email"][0] or "").lower()
        for key, value in (("code", code), ("email", email)):
            if not value:
                problem(number, key, _l("empty"))
        if not code or not email:
            continue
        if (code, email) in seen:
            problems.append(
                _l("Rows %(first)d and %(row)d: the same idea (%(code)s) and judge (%(email)s) twice.",
                   first=seen[(code, email)], row=number, code=_shown(code), email=_shown(email))
            )  # fmt: skip
            continue
        seen[(code, email)] = number
        sheet = sheets.get((code, email))
        if sheet is None:
            problems.append(
                _l("Row %(row)d: no sheet of this event for the receipt code %(code)s and the judge %(email)s.",
                   row=number, code=_shown(code), email=_shown(email))
            )  # fmt: skip
            continue
        if sheet.status not in SheetState.LIVE:
            problems.append(
                _l("Row %(row)d: %(email)s is no longer on the jury of this event.",
                   row=number, email=_shown(email))
            )  # fmt: skip
            continue
        marks = [values[c.id][0] for c in criteria]
        comment = values.get("comment", (None, False))[0]
        if all(mark is None for mark in marks) and (
            comment is None or sheet.status == SheetState.SUBMITTED
        ):
            result.blank += 1  # not scored on paper (yet)
            continue
        checked, comment = _check_marks(number, criteria, marks, comment, problem)
        if checked is None:
            continue
        if sheet.status == SheetState.SUBMITTED:
            if _same_as_submitted(number, sheet, checked, comment, problem):
                result.unchanged += 1
            continue
        planned.append((sheet, checked, comment))
    if problems:
        raise PaperSheetRefused(problems)
    if not planned and not result.unchanged and not result.blank:
        raise JudgingError(_l("The file holds no scores."))

    _submit(event, planned, by, source)
    result.imported = len(planned)
    record(
        "event", event.id, "import_scores", by=by, event_id=event.id, source=source,
        new={"imported": result.imported, "unchanged": result.unchanged, "blank": result.blank},
    )  # fmt: skip
    return result


def import_summary(done: PaperImport) -> str:
    """e.g. `3 paper score sheets imported. 2 already submitted and identical (skipped).`"""
    parts = [
        ngettext(
            "%(num)d paper score sheet imported.",
            "%(num)d paper score sheets imported.",
            done.imported,
        )
    ]
    if done.unchanged:
        parts.append(
            ngettext(
                "%(num)d already submitted and identical (skipped).",
                "%(num)d already submitted and identical (skipped).",
                done.unchanged,
            )
        )
    if done.blank:
        parts.append(ngettext("%(num)d row left blank.", "%(num)d rows left blank.", done.blank))
    return " ".join(parts)


def csv_safe(value):
    """A CSV cell that a spreadsheet program will not run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if is_risky(text) else text
