"""The bank workbook: one sheet of projects, written row by row (flat memory), every text
through the formula-safe cell of `exports.cells`."""

from datetime import UTC, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bank.labels import sector_label, status_label
from bank.models import BankProject
from bank.services import financing_available
from exports.cells import safe_cell

MAD_FORMAT = '#,##0 "MAD"'
SCORE_FORMAT = "0.00"
LANGS = ("ar", "fr", "en")


def _financing_text(project: BankProject) -> str:
    return "; ".join(
        f"{row.get('source')}: {row.get('amount_mad')}" for row in project.financing_sources or []
    )


def _columns(include_contact: bool) -> list[tuple]:
    """(header, width, value getter, number format) — headers translated at call time."""
    columns = [
        ("ID", 8, lambda p: p.id, None),
        (_("Title"), 40, lambda p: p.title, None),
        (_("Summary"), 60, lambda p: p.summary, None),
        (_("Sector"), 16, lambda p: sector_label(p.sector), None),
        (_("Region"), 24, lambda p: p.region, None),
        (_("Province"), 20, lambda p: p.province, None),
        (_("Target group"), 30, lambda p: p.target_group, None),
        (_("Expected jobs"), 10, lambda p: p.expected_jobs, "0"),
        (_("Budget (MAD)"), 16, lambda p: p.budget_mad, MAD_FORMAT),
        (_("Financing sought (MAD)"), 16, lambda p: p.financing_sought_mad, MAD_FORMAT),
        (_("Financing available (MAD)"), 16, financing_available, MAD_FORMAT),
        (_("Financing sources"), 36, _financing_text, None),
        (_("Status"), 16, lambda p: status_label(p.status), None),
        (_("Cooperative"), 24, lambda p: p.cooperative_name, None),
        (_("Products or services"), 30, lambda p: p.products, None),
        (_("Customers"), 30, lambda p: p.customers, None),
        (_("Revenue sources"), 30, lambda p: p.revenue_sources, None),
        (_("Main costs"), 30, lambda p: p.main_costs, None),
        (_("Break-even"), 20, lambda p: p.break_even, None),
        (_("Potential partners"), 30, lambda p: p.partners, None),
        (_("Origin event"), 16, lambda p: p.origin_event.city if p.origin_event else None, None),
        (_("Rank"), 8, lambda p: p.origin_rank, "0"),
        (_("Raw score"), 10, lambda p: p.raw_score, SCORE_FORMAT),
        (_("Normalised score"), 10, lambda p: p.normalised_score, SCORE_FORMAT),
        (_("Winner"), 8, lambda p: _("Yes") if p.is_winner else _("No"), None),
    ]
    if include_contact:
        columns += [
            (_("Team"), 30, lambda p: p.team, None),
            (_("Contact name"), 24, lambda p: p.contact_name, None),
            (_("Contact phone"), 16, lambda p: p.contact_phone, None),
            (_("Contact e-mail"), 28, lambda p: p.contact_email, None),
        ]
    return columns


def write_bank_workbook(target, projects, *, lang: str = "fr", include_contact: bool = True):
    """Write the bank to `target` (a path or a binary file). Contact columns for organisers only."""
    lang = lang if lang in LANGS else "fr"
    with force_locale(lang):
        columns = _columns(include_contact)
        title = _("Project bank")
        workbook = Workbook(write_only=True)
        workbook.properties.title = title
        workbook.properties.creator = "Idéathon"
        workbook.properties.language = lang
        workbook.properties.created = datetime.now(UTC).replace(tzinfo=None)
        sheet = workbook.create_sheet(title[:31])
        sheet.sheet_view.rightToLeft = lang == "ar"
        sheet.freeze_panes = "A2"
        for index, (_header, width, _get, _fmt) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([safe_cell(sheet, header, font=Font(bold=True)) for header, *_r in columns])
        count = 0
        for project in projects:
            sheet.append([safe_cell(sheet, get(project), fmt) for _h, _w, get, fmt in columns])
            count += 1
        # The filter's range is written when the sheet closes, so it can follow the rows.
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
        workbook.save(target)
    return count
