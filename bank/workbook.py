"""The bank workbook: one sheet of projects, streamed row by row (flat memory) through the
shared streaming helper of `exports.workbook` (frozen header, filter, formats, RTL, safe text)."""

from flask_babel import force_locale
from flask_babel import gettext as _

from bank.labels import legal_form_label, sector_label, status_label
from bank.models import BankProject
from bank.plan import figures as plan_figures
from bank.services import all_matching, financing_available, parse_filters
from exports import personal
from exports.workbook import Column, WorkbookWriter
from i18n import LANGUAGE_NAMES, current_language, event_city
from judging.results import FIGURE_LABELS
from places.reference import place_name

LANGS = tuple(LANGUAGE_NAMES)


def _financing_text(project: BankProject) -> str:
    return "; ".join(
        f"{row.get('source')}: {row.get('amount_mad')}" for row in project.financing_sources or []
    )


def _columns(include_contact: bool) -> list[tuple[Column, object]]:
    """(column, value getter) pairs — headers translated at call time."""
    columns = [
        (Column("ID", "int", 8), lambda p: p.id),
        (Column(_("Title"), width=40, wrap=True), lambda p: p.title),
        (Column(_("Summary"), width=60, wrap=True), lambda p: p.summary),
        (Column(_("Sector"), width=16), lambda p: sector_label(p.sector)),
        (Column(_("Region code"), width=8), lambda p: p.region_code),
        (Column(_("Region"), width=24), lambda p: place_name(p.region_code, current_language())),
        (Column(_("Province code"), width=10), lambda p: p.province_code),
        (
            Column(_("Province"), width=20),
            lambda p: place_name(p.province_code, current_language()),
        ),
        (Column(_("Commune code"), width=14), lambda p: p.commune_code),
        (Column(_("Commune"), width=20), lambda p: place_name(p.commune_code, current_language())),
        (Column(_("Target group"), width=30, wrap=True), lambda p: p.target_group),
        (Column(_("Expected jobs"), "count"), lambda p: p.expected_jobs),
        (Column(_("Budget (MAD)"), "mad"), lambda p: p.budget_mad),
        (Column(_("Financing sought (MAD)"), "mad"), lambda p: p.financing_sought_mad),
        (Column(_("Financing available (MAD)"), "mad"), financing_available),
        (Column(_("Financing sources"), width=36, wrap=True), _financing_text),
        (Column(_("Status"), width=18), lambda p: status_label(p.status)),
        (Column(_("Cooperative"), width=24), lambda p: p.cooperative_name),
        (Column(_("Products or services"), width=30, wrap=True), lambda p: p.products),
        (Column(_("Customers"), width=30, wrap=True), lambda p: p.customers),
        (Column(_("Revenue sources"), width=30, wrap=True), lambda p: p.revenue_sources),
        (Column(_("Main costs"), width=30, wrap=True), lambda p: p.main_costs),
        (Column(_("Break-even"), width=20), lambda p: p.break_even),
        (Column(_("Potential partners"), width=30, wrap=True), lambda p: p.partners),
        (
            Column(_("Origin event"), width=16),
            lambda p: str(event_city(p.origin_event)) if p.origin_event else None,
        ),
        (Column(_("Rank"), "int", 8), lambda p: p.origin_rank),
        (Column(str(FIGURE_LABELS["score_100"]), "score"), lambda p: p.score_100),
        (Column(str(FIGURE_LABELS["mean_z"]), "score"), lambda p: p.mean_z),
        (Column(str(FIGURE_LABELS["raw"]), "score"), lambda p: p.raw),
        (Column(_("Winner"), width=10), lambda p: _("Yes") if p.is_winner else _("No")),
        (
            Column(_("Year"), "int", 8),
            lambda p: p.origin_event.date.year if p.origin_event and p.origin_event.date else None,
        ),
        (Column(_("Legal form"), width=20), lambda p: legal_form_label(p.legal_form) or None),
        (Column(_("Members"), "count"), lambda p: p.members_count),
        (Column(_("Of whom women"), "count"), lambda p: p.women_members),
        (Column(_("Of whom aged 18 to 34"), "count"), lambda p: p.youth_members),
        (Column(_("Beneficiaries (number of people)"), "count"), lambda p: p.beneficiaries_count),
        (Column(_("By financing programmes"), "mad"), lambda p: p.funding_programme_mad),
        (Column(_("By the holders"), "mad"), lambda p: p.funding_holder_mad),
        (Column(_("By partners"), "mad"), lambda p: p.funding_partners_mad),
        (Column(_("Channels"), width=30, wrap=True), lambda p: p.channels),
        (Column(_("Key resources"), width=30, wrap=True), lambda p: p.resources),
        (
            Column(_("Investment"), "mad"),
            lambda p: plan_figures(p.financial_plan).investment_mad or None,
        ),
        (
            Column(_("Break-even year"), "int", 10),
            lambda p: plan_figures(p.financial_plan).break_even_year,
        ),
    ]
    if include_contact:
        columns += [
            (Column(_("Receipt code"), width=12), lambda p: p.receipt_code),
            (Column(_("Team"), width=30, wrap=True), lambda p: p.team),
            (Column(_("Contact name"), width=24), lambda p: p.contact_name),
            (Column(_("Contact phone"), width=16), lambda p: p.contact_phone),
            (Column(_("Contact e-mail"), width=28), lambda p: p.contact_email),
        ]
    return columns


def write_bank_workbook(target, projects, *, lang: str = "fr", include_contact: bool = True):
    """Write the bank to `target` (a path or a binary file); returns the number of projects.

    Contact columns (personal data) only when `include_contact`: organisers' exports.
    """
    lang = lang if lang in LANGS else "fr"
    count = 0
    with force_locale(lang):
        columns = _columns(include_contact)
        title = _("Project bank")
        with WorkbookWriter(target, title=title, language=lang) as book:
            notice = str(personal.NOTICE) if include_contact else ""
            sheet = book.open_sheet(title, [column for column, _get in columns], notice=notice)
            for project in projects:
                sheet.append([get(project) for _column, get in columns])
                count += 1
    return count


def export_builder(path, params: dict, locale: str, progress) -> None:
    """The jobs package's background builder for kind "bank": params are the bank's filters."""
    filters = parse_filters({key: str(value) for key, value in (params or {}).items()})
    lang = (locale or "fr").split("_")[0]
    write_bank_workbook(path, all_matching(filters), lang=lang, include_contact=True)
    progress(100)
