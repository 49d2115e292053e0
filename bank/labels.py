"""Names shown for the bank's codes (statuses, sectors), translated at display time."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "idea": _l("Idea"),
    "support": _l("Being supported"),
    "founded": _l("Cooperative founded"),
    "funded": _l("Funded"),
    "active": _l("Active"),
}

SECTOR_LABELS = {
    "agriculture": _l("Agriculture"),
    "handicrafts": _l("Handicrafts"),
    "tourism": _l("Tourism"),
    "fishing": _l("Fishing"),
    "agrifood": _l("Agri-food"),
    "services": _l("Services"),
    "digital": _l("Digital"),
    "environment": _l("Environment"),
    "other": _l("Other"),
}

# Financing programmes offered in the form's list (free text is accepted too).
FINANCING_SUGGESTIONS = (
    "INDH",
    "Programme régional",
    "Microcrédit",
    "Intelaka",
    "ODCo",
    "Partenaire privé",
)


def status_label(code: str | None) -> str:
    return str(STATUS_LABELS.get(code, code or ""))


def sector_label(code: str | None) -> str:
    return str(SECTOR_LABELS.get(code, code or ""))
