"""Names shown for the bank's codes (statuses; sectors and regions from submissions)."""

from flask_babel import lazy_gettext as _l

from bank.states import (
    BankStatus,
    Decision,
    LegalForm,
    MilestoneKind,
    PartnerKind,
    ProgrammeKind,
    TargetGroup,
)
from submissions.fields import SECTOR_LABELS  # one list of sector names for the whole app

STATUS_LABELS = {
    BankStatus.IDEA: _l("Idea"),
    BankStatus.SUPPORT: _l("Being supported"),
    BankStatus.FOUNDED: _l("Cooperative founded"),
    BankStatus.FUNDED: _l("Funded"),
    BankStatus.ACTIVE: _l("Active"),
}

LEGAL_FORM_LABELS = {
    LegalForm.UNREGISTERED: _l("Project holders (not registered yet)"),
    LegalForm.COOPERATIVE: _l("Cooperative"),
    LegalForm.ASSOCIATION: _l("Association"),
    LegalForm.SELF_EMPLOYED: _l("Auto-entrepreneur"),
    LegalForm.COMPANY: _l("Company"),
}
TARGET_GROUP_LABELS = {
    TargetGroup.WOMEN: _l("women-led projects"),
    TargetGroup.YOUTH: _l("young people (18 to 34)"),
}
PROGRAMME_KIND_LABELS = {
    ProgrammeKind.PUBLIC: _l("Public programme"),
    ProgrammeKind.GUARANTEE: _l("Guaranteed loan"),
    ProgrammeKind.MICROCREDIT: _l("Microcredit"),
    ProgrammeKind.REGIONAL: _l("Regional council"),
    ProgrammeKind.ODCO: _l("ODCo support"),
    ProgrammeKind.PRIVATE: _l("Foundation or company"),
}
PARTNER_KIND_LABELS = {
    PartnerKind.NGO: _l("Association or NGO"),
    PartnerKind.INCUBATOR: _l("Incubator"),
    PartnerKind.MINISTRY_OFFICE: _l("Ministry's regional office"),
    PartnerKind.PUBLIC_AGENCY: _l("Public agency"),
    PartnerKind.LENDER: _l("Bank or microfinance"),
    PartnerKind.OTHER: _l("Other"),
}
MILESTONE_LABELS = {
    MilestoneKind.TRAINING: _l("Training"),
    MilestoneKind.BUSINESS_PLAN: _l("Business plan"),
    MilestoneKind.STATUTES: _l("Statutes"),
    MilestoneKind.REGISTRATION: _l("Cooperative registered"),
    MilestoneKind.FINANCING_FILE: _l("Financing file"),
    MilestoneKind.FINANCING_OBTAINED: _l("Financing obtained"),
    MilestoneKind.ACTIVITY_STARTED: _l("Activity started"),
}
DECISION_LABELS = {
    Decision.PENDING: _l("Pending"),
    Decision.GRANTED: _l("Granted"),
    Decision.REFUSED: _l("Refused"),
    Decision.WITHDRAWN: _l("Withdrawn"),
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


def legal_form_label(code: str | None) -> str:
    return str(LEGAL_FORM_LABELS.get(code, code or ""))


def target_group_label(code: str | None) -> str:
    return str(TARGET_GROUP_LABELS.get(code, code or ""))


__all__ = [
    "DECISION_LABELS",
    "LEGAL_FORM_LABELS",
    "MILESTONE_LABELS",
    "PARTNER_KIND_LABELS",
    "PROGRAMME_KIND_LABELS",
    "SECTOR_LABELS",
    "STATUS_LABELS",
    "TARGET_GROUP_LABELS",
    "legal_form_label",
    "sector_label",
    "status_label",
    "target_group_label",
]
