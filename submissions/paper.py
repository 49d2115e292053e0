"""Paper fallback: an Excel template to type paper forms into, and its all-or-nothing import."""

from __future__ import annotations

import hashlib
from io import BytesIO
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from competitions.models import Event

if TYPE_CHECKING:  # openpyxl is imported where a workbook is read or built (5 MB a process)
    from openpyxl import Workbook
from exports.cells import set_safe_value
from exports.printing import set_up_pages
from exports.unpacked import WORKBOOK_MAX_UNPACKED, unpacks_beyond
from i18n import current_language
from places import reference as places
from refusals import Refusal
from submissions.fields import (
    AGE_LABELS,
    GENDER_LABELS,
    LABELS,
    REQUIRED,
    SECTOR_LABELS,
    STATUS_LABELS,
    TEAM_LABELS,
    clean_idea,
)
from submissions.models import Question
from submissions.questions import check_answers, questions_of
from submissions.services import Receipt, submit_idea
from submissions.states import IdeaSource, QuestionKind

# The template's columns, in order (A, B, C, …). Row 1 holds the headers; ideas start on row 2.
COLUMNS = (
    "title",
    "problem",
    "solution",
    "sector",
    "region_code",
    "province_code",
    "commune_code",
    "beneficiaries",
    "local_resources",
    "expected_jobs",
    "budget_mad",
    "financing_sought_mad",
    "team_kind",
    "cooperative_name",
    "cooperative_members",
    "lead_name",
    "lead_phone",
    "lead_email",
    "lead_gender",
    "lead_age_bracket",
    "lead_status",
    "other_members",
    "consent",
)
CHOICE_LABELS = {
    "sector": SECTOR_LABELS,
    "team_kind": TEAM_LABELS,
    "lead_gender": GENDER_LABELS,
    "lead_age_bracket": AGE_LABELS,
    "lead_status": STATUS_LABELS,
}
LIST_COLUMNS = (
    "sector",
    "region_code",
    "province_code",
    "team_kind",
    "lead_gender",
    "lead_age_bracket",
    "lead_status",
    "consent",
)
YES = _l("yes")
NO = _l("no")
MAX_ROWS = 5000
TOO_LARGE = _l(
    "This workbook is too large once unpacked (more than %(mb)d MB): "
    "remove what is not the ideas, or split it into several files.",
    mb=WORKBOOK_MAX_UNPACKED // (1024 * 1024),
)
LANGS = ("fr", "ar", "en")


class ImportRejected(Refusal):
    """The sheet was refused as a whole; `messages` name each bad cell."""

    def __init__(self, messages: list):
        super().__init__(_l("Nothing was imported."))
        self.messages = messages


def letter(field: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMNS.index(field) + 1)


def _choice_options(field: str) -> list[str]:
    """What the drop-down of a column offers, in the current language."""
    if field == "region_code":
        return [region.name(current_language()) for region in places.regions()]
    if field == "province_code":
        return [province.name(current_language()) for province in places.provinces()]
    if field == "consent":
        return [str(YES), str(NO)]
    return [str(label) for label in CHOICE_LABELS[field].values()]


def paper_questions(event_id: int) -> list[Question]:
    """The event's questions a paper form can answer (a file cannot be typed in a cell)."""
    return [q for q in questions_of(event_id) if q.kind != QuestionKind.FILE]


def _question_header(question: Question, language: str) -> str:
    return str(question.wording_in(language)) + (" *" if question.required else "")


def _question_options(question: Question, language: str) -> list[str]:
    if question.kind == QuestionKind.YES_NO:
        return [str(YES), str(NO)]
    return [str(question.option_label(o["code"], language)) for o in question.options or ()]


def build_template(language: str | None = None, asked: list[Question] = ()) -> Workbook:
    """The workbook participants' paper forms are typed into, in `language` (ar, fr, en; the
    current language by default), with a column per question of `asked` (an event's
    `paper_questions`) after the fixed ones."""
    if language in LANGS:
        with force_locale(language):
            return _build_template(language, asked)
    return _build_template(current_language(), asked)


def _build_template(language: str, asked: list[Question] = ()) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ideas")
    lists = workbook.create_sheet("Lists")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D1E7DD")
    for index, field in enumerate(COLUMNS, start=1):
        header = str(LABELS[field]) + (" *" if field in REQUIRED else "")
        cell = sheet.cell(row=1, column=index)
        set_safe_value(cell, header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = 28 if index <= 3 else 18
    sheet.freeze_panes = "A2"
    # Phones keep their leading 0 when the column is text.
    for row in range(2, MAX_ROWS + 2):
        sheet[f"{letter('lead_phone')}{row}"].number_format = "@"
    for position, field in enumerate(LIST_COLUMNS, start=1):
        options = _choice_options(field)
        column = get_column_letter(position)
        for row, option in enumerate(options, start=1):
            set_safe_value(lists.cell(row=row, column=position), option)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${column}$1:${column}${len(options)}",
            allow_blank=field not in REQUIRED,
            showErrorMessage=True,
        )
        validation.add(f"{letter(field)}2:{letter(field)}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    for offset, question in enumerate(asked):
        index = len(COLUMNS) + offset + 1
        cell = sheet.cell(row=1, column=index)
        set_safe_value(cell, _question_header(question, language))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        column_letter = get_column_letter(index)
        sheet.column_dimensions[column_letter].width = 24
        options = _question_options(question, language)
        if question.kind not in (QuestionKind.CHOICE, QuestionKind.YES_NO) or not options:
            continue
        position = len(LIST_COLUMNS) + offset + 1
        column = get_column_letter(position)
        for row, option in enumerate(options, start=1):
            set_safe_value(lists.cell(row=row, column=position), option)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${column}$1:${column}${len(options)}",
            allow_blank=not question.required,
            showErrorMessage=True,
        )
        validation.add(f"{column_letter}2:{column_letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"

    notes = workbook.create_sheet(_("Instructions"))
    lines = [
        _("How to fill in this sheet"),
        _("One idea per row, starting on row 2 of the first sheet. Do not change the headers."),
        _("Columns marked * are required."),
        _(
            "Choose sector, region, province, team, gender, age, status and consent from the "
            "drop-down lists."
        ),
        _(
            "Commune (optional): its name as the HCP writes it, in French or Arabic; it must "
            "be in the province of the row."
        ),
        _("Amounts are whole dirhams (250 000); jobs and members are whole numbers."),
        _("Phones: 06…, 07…, 05… or +212…."),
        _("Consent: write yes only if the participant signed the consent on the paper form."),
        _(
            "The import is all or nothing: if one cell is wrong, nothing is imported and every "
            "wrong cell is listed."
        ),
    ]
    for row, line in enumerate(lines, start=1):
        set_safe_value(notes.cell(row=row, column=1), line)
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    notes.sheet_view.rightToLeft = sheet.sheet_view.rightToLeft
    set_up_pages(sheet, footer=_("Ideas typed from paper forms"), language=language)
    return workbook


def _choice_lookup() -> dict:
    """{field: {label or code in any language (lower case): code}} (places are read by name or
    code in `clean_idea`)."""
    lookup: dict = {}
    for field, labels in CHOICE_LABELS.items():
        mapping = lookup.setdefault(field, {})
        for code, label in labels.items():
            mapping[code.lower()] = code
            for lang in LANGS:
                with force_locale(lang):
                    mapping[str(label).strip().lower()] = code
    return lookup


def _title_key(value) -> str:
    """A header compared loosely: spaces, case and the required mark (*) do not matter."""
    return " ".join(str(value or "").replace("*", " ").split()).casefold()


def _column_map(header) -> tuple[dict[str, int], list[str]]:
    """{field: 0-based column} found by each column's title (in any language) in the first
    row, and a message per missing column."""
    found = {}
    for index, value in enumerate(header):
        found.setdefault(_title_key(value), index)
    columns, missing = {}, []
    for field in COLUMNS:
        titles = set()
        for lang in LANGS:
            with force_locale(lang):
                titles.add(_title_key(str(LABELS[field])))
        index = next((found[t] for t in titles if t in found), None)
        if index is None:
            missing.append(
                _l("Column '%(column)s' is missing from the first row.", column=LABELS[field])
            )
        else:
            columns[field] = index
    return columns, missing


def _question_columns(header, asked: list[Question]) -> dict[str, int]:
    """{question's field name: 0-based column} of the questions whose column is there (found
    by its wording in any language); a template made before a question was added has none."""
    found = {}
    for index, value in enumerate(header):
        found.setdefault(_title_key(value), index)
    columns = {}
    for question in asked:
        titles = {_title_key(str(question.wording_in(lang))) for lang in LANGS}
        index = next((found[t] for t in titles if t and t in found), None)
        if index is not None:
            columns[question.field_name] = index
    return columns


def read_rows(data: bytes, asked: list[Question] = ()) -> tuple[list[tuple[int, dict]], dict]:
    """(row number, {field: cell value}) for every non-empty row of the first sheet, and
    {field: 0-based column}, columns being found by their titles (the questions of `asked`
    by their wording, each under its field name)."""
    from openpyxl import load_workbook

    if unpacks_beyond(data):
        raise ImportRejected([TOO_LARGE])
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise ImportRejected([_l("This file is not an Excel workbook (.xlsx).")]) from None
    if not workbook.worksheets:
        raise ImportRejected([_l("The sheet has no ideas (they start on row 2).")])
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(lines, ())
        if all(v is None for v in header):
            raise ImportRejected([_l("The sheet has no ideas (they start on row 2).")])
        columns, missing = _column_map(header)
        if missing:
            raise ImportRejected(missing)
        columns.update(_question_columns(header, asked))
        rows = []
        for number, values in enumerate(lines, start=2):
            values = tuple(values)
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRejected([_l("At most %(n)s ideas per file.", n=MAX_ROWS)])
            row = {f: values[i] if i < len(values) else None for f, i in columns.items()}
            rows.append((number, row))
    except ImportRejected:
        raise
    except Exception:  # a damaged part of the file: say so rather than fail
        raise ImportRejected(
            [_l("This workbook cannot be read: save it again as .xlsx.")]
        ) from None
    finally:
        workbook.close()
    return rows, columns


def _answer_messages(number: int, raw: dict, columns: dict, asked: list[Question]) -> list:
    from openpyxl.utils import get_column_letter

    _values, errors = check_answers(asked, raw)
    messages = []
    for question in asked:
        if question.field_name in errors:
            column = columns.get(question.field_name)
            cell = f"{get_column_letter(column + 1)}{number}" if column is not None else number
            messages.append(
                _l(
                    "%(cell)s (%(field)s): %(message)s",
                    cell=cell,
                    field=str(question.wording_in()),
                    message=errors[question.field_name],
                )
            )
    return messages


def check_rows(
    rows: list[tuple[int, dict]], columns: dict[str, int], asked: list[Question] = ()
) -> list[str]:
    """Every bad cell, named (e.g. 'J7 (Estimated budget (MAD)): Enter a whole number.'), and
    every idea typed twice (same title and lead's phone), naming both rows; the answers to the
    questions of `asked` are checked as the form checks them."""
    from openpyxl.utils import get_column_letter

    lookup = _choice_lookup()
    messages = []
    seen: dict[tuple, int] = {}
    for number, raw in rows:
        for field, mapping in lookup.items():
            value = raw.get(field)
            if isinstance(value, str) and value.strip():
                raw[field] = mapping.get(value.strip().lower(), value.strip())
        values, errors = clean_idea(raw)
        for field in COLUMNS:
            if field in errors:
                messages.append(
                    _l(
                        "%(cell)s (%(field)s): %(message)s",
                        cell=f"{get_column_letter(columns[field] + 1)}{number}",
                        field=LABELS[field],
                        message=errors[field],
                    )
                )
        messages += _answer_messages(number, raw, columns, asked)
        if "title" in errors or "lead_phone" in errors:
            continue
        key = (" ".join(values["title"].split()).casefold(), values["lead_phone"])
        if key in seen:
            messages.append(
                _l(
                    "Rows %(first)d and %(row)d: the same idea twice (same title and phone).",
                    first=seen[key],
                    row=number,
                )
            )
        else:
            seen[key] = number
    return messages


def import_ideas(event: Event, data: bytes, by=None) -> tuple[list[Receipt], int]:
    """Import a filled template: all ideas or none. Returns (receipts of the new ideas, rows
    already imported before): each row's token derives from the file and row, so importing a
    file twice adds nothing."""
    asked = paper_questions(event.id)
    rows, columns = read_rows(data, asked)
    if not rows:
        raise ImportRejected([_l("The sheet has no ideas (they start on row 2).")])
    messages = check_rows(rows, columns, asked)
    if messages:
        raise ImportRejected(messages)
    digest = hashlib.sha256(data).hexdigest()
    created, repeated = [], 0
    for number, raw in rows:
        token = hashlib.sha256(f"{event.id}:{digest}:{number}".encode()).hexdigest()
        receipt = submit_idea(event, raw, token, source=IdeaSource.IMPORT, by=by)
        if receipt.created:
            created.append(receipt)
        else:
            repeated += 1
    return created, repeated
