"""The jury's paper fallback: a score-sheet workbook to fill by hand and its all-or-nothing import."""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import User, utcnow
from audit.services import record
from competitions.models import Event
from exports.cells import is_risky, set_safe_value
from extensions import db
from fieldtypes import FieldError
from i18n import localized
from judging.models import Score, ScoreSheet
from judging.services import COMMENT, JudgingConflict, JudgingError, check_value, format_mark
from judging.states import SheetState
from submissions.models import Idea

FIXED = 3  # receipt code, title, judge e-mail


def column_title(criterion, lang: str = "fr") -> str:
    """e.g. `Impact social (1–5, ×3)`."""
    return f"{localized(criterion.name, lang)} ({criterion.scale_min}–{criterion.scale_max}, ×{format_mark(criterion.weight)})"


def _sheets(event: Event):
    query = (
        select(ScoreSheet, Idea.receipt_code, Idea.title, User.email)
        .options(selectinload(ScoreSheet.scores))  # every sheet's marks: no query per row
        .join(Idea, Idea.id == ScoreSheet.idea_id)
        .join(User, User.id == ScoreSheet.judge_id)
        .where(ScoreSheet.event_id == event.id)
        .order_by(Idea.is_calibration.desc(), Idea.id, User.email)
    )
    return db.session.execute(query).all()


def write_score_sheet(event: Event, path: str | Path) -> Path:
    """One row per (idea, assigned judge), an empty column per criterion; returns the path."""
    criteria = event.rubric.criteria
    wb = Workbook()
    ws = wb.active
    ws.title = str(_l("Scores"))
    fixed = [str(_l("Receipt code")), str(_l("Idea")), str(_l("Judge e-mail"))]
    headers = fixed + [column_title(c) for c in criteria] + [str(_l("Comment"))]
    for col, title in enumerate(headers, start=1):
        set_safe_value(ws.cell(row=1, column=col), title)
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = 14 if col != 2 else 40
    hidden = str(_l("[blind]"))
    for row, (sheet, code, title, email) in enumerate(_sheets(event), start=2):
        for col, value in enumerate((code, hidden if event.blind else title, email), start=1):
            set_safe_value(ws.cell(row=row, column=col), value)
        if sheet.status == SheetState.SUBMITTED:
            values = {s.criterion_id: s.value for s in sheet.scores}
            for k, criterion in enumerate(criteria):
                if criterion.id in values:
                    ws.cell(row=row, column=FIXED + 1 + k, value=values[criterion.id])
    ws.freeze_panes = "D2"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def import_score_sheet(event: Event, file, by, source: str = "import") -> int:
    """Import a filled score sheet as submitted sheets. All or nothing: the first bad cell is
    named (`D4: score must be between 1 and 5`) and nothing is written."""
    if not event.is_judging:
        raise JudgingConflict(_l("Scores can only change while the event is in judging."))
    try:
        ws = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise JudgingError(_l("This file is not an Excel workbook (.xlsx).")) from None
    criteria = event.rubric.criteria
    sheets = {(code, email.lower()): sheet for sheet, code, _t, email in _sheets(event)}
    rows = list(ws.iter_rows(values_only=True))
    if not rows or len(rows[0]) < FIXED + len(criteria):
        raise JudgingError(_l("This is not the score sheet of this event (columns are missing)."))
    expected = [column_title(c) for c in criteria]
    if [str(h or "").strip() for h in rows[0][FIXED : FIXED + len(criteria)]] != expected:
        raise JudgingError(_l("This is not the score sheet of this event (columns are missing)."))

    planned = []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (FIXED + len(criteria) + 1 - len(row))
        code, email = str(cells[0] or "").strip(), str(cells[2] or "").strip().lower()
        marks = cells[FIXED : FIXED + len(criteria)]
        if not code and not email and all(m in (None, "") for m in marks):
            continue
        sheet = sheets.get((code, email))
        if sheet is None:
            raise JudgingError(
                _l(
                    "Row %(row)s: no assigned sheet for %(code)s and %(email)s.",
                    row=number,
                    code=code,
                    email=email,
                )
            )
        if sheet.status == SheetState.SUBMITTED:
            raise JudgingError(_l("Row %(row)s: this sheet is already submitted.", row=number))
        values = []
        for k, (criterion, mark) in enumerate(zip(criteria, marks, strict=True)):
            cell = f"{get_column_letter(FIXED + 1 + k)}{number}"
            if mark is None or str(mark).strip() == "":
                raise JudgingError(_l("%(cell)s: score is missing.", cell=cell))
            try:
                values.append((criterion, check_value(criterion, mark)))
            except JudgingError as error:
                raise JudgingError(
                    _l("%(cell)s: %(reason)s", cell=cell, reason=error.message)
                ) from None
        cell = f"{get_column_letter(FIXED + len(criteria) + 1)}{number}"
        try:
            comment = COMMENT.parse(cells[FIXED + len(criteria)]) or None
        except FieldError as error:
            raise JudgingError(
                _l("%(cell)s: %(reason)s", cell=cell, reason=error.message)
            ) from None
        planned.append((sheet, values, comment))
    if not planned:
        raise JudgingError(_l("The file holds no scores."))

    for sheet, values, comment in planned:
        existing = {s.criterion_id: s for s in sheet.scores}
        for criterion, value in values:
            score = existing.get(criterion.id)
            old = score.value if score else None
            if score is None:
                db.session.add(Score(sheet_id=sheet.id, criterion_id=criterion.id, value=value))
            else:
                score.value = value
            record(
                "score", sheet.id, "score", by=by, event_id=event.id, source=source,
                old={"criterion": criterion.key, "value": old},
                new={"criterion": criterion.key, "value": value, "idea_id": sheet.idea_id},
            )  # fmt: skip
        if comment is not None:
            sheet.comment = comment
        sheet.status = SheetState.SUBMITTED
        sheet.submitted_at = utcnow()
        record(
            "sheet",
            sheet.id,
            "submit",
            by=by,
            event_id=event.id,
            source=source,
            new={"status": SheetState.SUBMITTED},
        )
    from judging.services import lock_rubric

    lock_rubric(event.rubric)
    db.session.flush()
    return len(planned)


def csv_safe(value):
    """A CSV cell that a spreadsheet program will not run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if is_risky(text) else text


def user_names(entries) -> dict[int, str]:
    ids = {e.user_id for e in entries if e.user_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
