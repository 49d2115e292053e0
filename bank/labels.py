"""Names shown for the bank's codes (statuses; sectors and regions from submissions)."""

from flask_babel import lazy_gettext as _l

from bank.states import BankStatus
from competitions.defaults import region_label
from submissions.fields import SECTOR_LABELS  # one list of sector names for the whole app

STATUS_LABELS = {
    BankStatus.IDEA: _l("Idea"),
    BankStatus.SUPPORT: _l("Being supported"),
    BankStatus.FOUNDED: _l("Cooperative founded"),
    BankStatus.FUNDED: _l("Funded"),
    BankStatus.ACTIVE: _l("Active"),
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


__all__ = ["SECTOR_LABELS", "STATUS_LABELS", "region_label", "sector_label", "status_label"]
