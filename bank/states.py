"""The project bank's vocabulary: how far a project has come since the ideathon."""

from vocabulary import Vocabulary


class BankStatus(Vocabulary):
    """idea → support → cooperative founded → funded → active"""

    IDEA = "idea"
    SUPPORT = "support"
    FOUNDED = "founded"
    FUNDED = "funded"
    ACTIVE = "active"


class LegalForm(Vocabulary):
    """What a project is, legally, when it applies for financing."""

    UNREGISTERED = "unregistered"  # project holders, not registered yet
    COOPERATIVE = "cooperative"
    ASSOCIATION = "association"
    SELF_EMPLOYED = "self_employed"  # auto-entrepreneur
    COMPANY = "company"


class TargetGroup(Vocabulary):
    """Whom a programme is for; a project is women-led or young when at least half of its
    members are women, or aged 18 to 34."""

    WOMEN = "women"
    YOUTH = "youth"


class ProgrammeKind(Vocabulary):
    PUBLIC = "public"  # INDH, ministries
    GUARANTEE = "guarantee"  # Tamwilcom's guaranteed loans (Intelaka)
    MICROCREDIT = "microcredit"
    REGIONAL = "regional"  # a regional council's fund
    ODCO = "odco"  # the cooperative development office's own support
    PRIVATE = "private"  # foundations, companies


class PartnerKind(Vocabulary):
    NGO = "ngo"
    INCUBATOR = "incubator"
    MINISTRY_OFFICE = "ministry_office"
    PUBLIC_AGENCY = "public_agency"
    LENDER = "lender"  # a bank or a microfinance institution
    OTHER = "other"


class Decision(Vocabulary):
    """A financing application's outcome."""

    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class MilestoneKind(Vocabulary):
    """The path from a winning idea to a working cooperative, in order."""

    TRAINING = "training"
    BUSINESS_PLAN = "business_plan"
    STATUTES = "statutes"
    REGISTRATION = "registration"  # the cooperative is registered
    FINANCING_FILE = "financing_file"
    FINANCING_OBTAINED = "financing_obtained"
    ACTIVITY_STARTED = "activity_started"
