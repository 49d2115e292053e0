"""Financing: the catalogue of programmes and partners, each project's matches, its applications,
and the totals asked and granted.

Plain functions in the domain's words: they validate (fieldtypes), write, flush and audit; the
caller commits. Refusals are BankValidationError (field → message, 422) or BankError kinds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from bank import changes
from bank.eligibility import Verdict, is_eligible, verdicts
from bank.models import BankProject, FinancingApplication, FinancingProgramme, Partner
from bank.services import AMOUNT, BankValidationError
from bank.states import Decision, LegalForm, PartnerKind, ProgrammeKind, TargetGroup
from extensions import db
from fieldtypes import (
    Amount,
    Choice,
    Choices,
    Day,
    Email,
    FieldError,
    FieldType,
    Integer,
    Phone,
    Text,
    max_lengths,
    parse_fields,
)
from places.reference import regions
from submissions.models import SECTORS

MAX_ASKED_MAD = 10**10  # ten billion dirhams: beyond it, a typing error


class WebAddress(Text):
    """A web address to show as a link: http(s) only, never javascript: or data:."""

    def parse(self, raw):
        value = super().parse(raw)
        if value and not value.lower().startswith(("https://", "http://")):
            raise FieldError(_l("Give the address starting with https://."))
        return value


def _region_codes() -> list[str]:
    return [region.code for region in regions()]


def _contacts(model) -> dict[str, FieldType]:
    return {
        "contact_name": Text.of(model.contact_name, empty=None),
        "contact_email": Email(model.contact_email.type.length),
        "contact_phone": Phone(),
        "website": WebAddress(model.website.type.length, empty=None),
    }


PROGRAMME_TYPES: dict[str, FieldType] = {
    "name": Text.of(FinancingProgramme.name, required=True),
    "funder": Text.of(FinancingProgramme.funder),
    "kind": Choice(ProgrammeKind, required=True),
    "description": Text.of(FinancingProgramme.description, max_length=3000),
    "sectors": Choices(SECTORS),
    "regions": Choices([]),  # filled on first use: the reference is read lazily
    "legal_forms": Choices(LegalForm),
    "target_groups": Choices(TargetGroup),
    "min_amount_mad": AMOUNT,
    "max_amount_mad": AMOUNT,
    "own_contribution_pct": Integer(0, 100),
    "open_until": Day(),
    **_contacts(FinancingProgramme),
}
PARTNER_TYPES: dict[str, FieldType] = {
    "name": Text.of(Partner.name, required=True),
    "kind": Choice(PartnerKind, required=True),
    "services": Text.of(Partner.services, max_length=3000),
    "sectors": Choices(SECTORS),
    "regions": Choices([]),
    **_contacts(Partner),
}
APPLICATION_TYPES: dict[str, FieldType] = {
    "amount_asked_mad": Amount(MAX_ASKED_MAD, required=True),
    "filed_on": Day(required=True),
    "note": Text.of(FinancingApplication.note, max_length=2000),
}
DECISION_TYPES: dict[str, FieldType] = {
    "decision": Choice(Decision, required=True),
    "decided_on": Day(),
    "amount_granted_mad": Amount(MAX_ASKED_MAD),
    "note": Text.of(FinancingApplication.note, max_length=2000),
}
MAX_LENGTHS = {
    **max_lengths(PROGRAMME_TYPES),
    **{f"partner_{k}": v for k, v in max_lengths(PARTNER_TYPES).items()},
    **{f"application_{k}": v for k, v in max_lengths(APPLICATION_TYPES).items()},
}
LIST_FIELDS = ("sectors", "regions", "legal_forms", "target_groups")


def _with_regions(types: dict[str, FieldType]) -> dict[str, FieldType]:
    return {**types, "regions": Choices(_region_codes())}


def _is_yes(raw) -> bool:
    return raw is True or (isinstance(raw, str) and raw.strip().lower() in ("yes", "on", "1"))


def _name_taken(model, name: str, own_id: int | None) -> bool:
    query = select(model.id).where(func.lower(model.name) == name.lower())
    if own_id is not None:
        query = query.where(model.id != own_id)
    return db.session.execute(query.limit(1)).first() is not None


# ---- the catalogue -------------------------------------------------------------------------


def save_programme(programme: FinancingProgramme | None, data: Mapping, by) -> FinancingProgramme:
    """Create (programme None) or change a financing programme; every change is audited."""
    values, errors = parse_fields(_with_regions(PROGRAMME_TYPES), data)
    values["is_open"] = _is_yes(data.get("is_open"))
    low, high = values.get("min_amount_mad"), values.get("max_amount_mad")
    if low is not None and high is not None and low > high:
        errors["max_amount_mad"] = str(_l("The largest amount is below the smallest."))
    if values.get("name") and _name_taken(
        FinancingProgramme, values["name"], programme.id if programme else None
    ):
        errors["name"] = str(_l("A programme of that name is already in the catalogue."))
    return _save_entry(FinancingProgramme, programme, values, errors, "financing_programme", by)


def save_partner(partner: Partner | None, data: Mapping, by) -> Partner:
    """Create (partner None) or change a partner; every change is audited."""
    values, errors = parse_fields(_with_regions(PARTNER_TYPES), data)
    if values.get("name") and _name_taken(Partner, values["name"], partner.id if partner else None):
        errors["name"] = str(_l("A partner of that name is already in the catalogue."))
    return _save_entry(Partner, partner, values, errors, "partner", by)


def _save_entry(model, entry, values: dict, errors: dict, entity: str, by):
    """Write a catalogue entry (a new one when `entry` is None) once its values are checked;
    the creation or each change is audited."""
    if errors:
        raise BankValidationError(errors)
    created = entry is None
    if created:
        entry = model()
        db.session.add(entry)
    old, new = changes.apply(entry, values)
    db.session.flush()
    if new:
        changes.audit(
            entity,
            entry.id,
            "created" if created else "updated",
            by=by,
            project=None,
            old=None if created else old,
            new=new,
        )
    return entry


def programmes() -> list[FinancingProgramme]:
    return list(db.session.scalars(select(FinancingProgramme).order_by(FinancingProgramme.name)))


def partners() -> list[Partner]:
    return list(db.session.scalars(select(Partner).order_by(Partner.name)))


def open_in_region(region_code: str, *, today: date) -> list[FinancingProgramme]:
    """The programmes open now to projects of a region (national ones included)."""
    return [
        p
        for p in programmes()
        if p.is_open
        and (p.open_until is None or p.open_until >= today)
        and (not p.regions or region_code in p.regions)
    ]


def partners_in_region(region_code: str) -> list[Partner]:
    return [p for p in partners() if not p.regions or region_code in p.regions]


# ---- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    programme: FinancingProgramme
    verdicts: list[Verdict]

    @property
    def eligible(self) -> bool:
        return is_eligible(self.verdicts)

    @property
    def reasons(self) -> list[Verdict]:
        """What stands in the way (rules not met, then figures missing)."""
        return [v for v in self.verdicts if v.met is False] + [
            v for v in self.verdicts if v.met is None
        ]


def matches_for(project: BankProject, *, today: date, lang: str) -> list[Match]:
    """Every programme of the catalogue against a project: eligible ones first, then by name."""
    found = [Match(p, verdicts(project, p, today=today, lang=lang)) for p in programmes()]
    return sorted(found, key=lambda m: (not m.eligible, m.programme.name.lower()))


def eligible_projects(
    programme: FinancingProgramme, *, today: date, lang: str
) -> list[BankProject]:
    """The bank's projects a programme could finance today, best ranked first."""
    projects = db.session.scalars(
        select(BankProject).order_by(BankProject.is_winner.desc(), BankProject.title)
    )
    return [
        project
        for project in projects
        if is_eligible(verdicts(project, programme, today=today, lang=lang))
    ]


# ---- applications --------------------------------------------------------------------------


def file_application(
    project: BankProject, data: Mapping, by, *, today: date
) -> FinancingApplication:
    """Record that a project applied to a programme (amount asked, date filed)."""
    types = {
        **APPLICATION_TYPES,
        "programme_id": Choice([str(p.id) for p in programmes()], required=True),
    }
    values, errors = parse_fields(types, data)
    if values.get("filed_on") and values["filed_on"] > today:
        errors["filed_on"] = str(_l("The date filed cannot be in the future."))
    if values.get("amount_asked_mad") == 0:
        errors["amount_asked_mad"] = str(_l("Give the amount asked, in dirhams."))
    if errors:
        raise BankValidationError(errors)
    application = FinancingApplication(
        project=project,
        programme_id=int(values["programme_id"]),
        amount_asked_mad=values["amount_asked_mad"],
        filed_on=values["filed_on"],
        note=values["note"] or "",
    )
    db.session.add(application)
    db.session.flush()
    changes.audit(
        "financing_application",
        application.id,
        "filed",
        by=by,
        project=project,
        new={
            "project_id": project.id,
            "programme_id": application.programme_id,
            "amount_asked_mad": application.amount_asked_mad,
            "filed_on": application.filed_on,
        },
    )
    return application


def decide_application(
    application: FinancingApplication, data: Mapping, by, *, today: date
) -> dict:
    """Record a programme's decision: granted (with the amount), refused, withdrawn or pending
    again. Returns what changed."""
    values, errors = parse_fields(DECISION_TYPES, data)
    decision, decided_on = values.get("decision"), values.get("decided_on")
    granted = values.get("amount_granted_mad")
    if decision == Decision.PENDING:
        values["decided_on"] = values["amount_granted_mad"] = None
    else:
        if decided_on is None and "decided_on" not in errors:
            errors["decided_on"] = str(_l("Give the date of the decision."))
        elif decided_on and decided_on < application.filed_on:
            errors["decided_on"] = str(_l("The decision cannot come before the application."))
        elif decided_on and decided_on > today:
            errors["decided_on"] = str(_l("The date of the decision cannot be in the future."))
    if decision == Decision.GRANTED:
        if not granted and "amount_granted_mad" not in errors:
            errors["amount_granted_mad"] = str(_l("Give the amount granted, in dirhams."))
        elif granted and granted > application.amount_asked_mad:
            errors["amount_granted_mad"] = str(_l("The amount granted is above the amount asked."))
    elif decision is not None:
        values["amount_granted_mad"] = None
    if errors:
        raise BankValidationError(errors)
    values["note"] = values["note"] or ""
    old, new = changes.apply(application, values)
    if new:
        db.session.flush()
        changes.audit(
            "financing_application",
            application.id,
            "decided",
            by=by,
            project=application.project,
            old=old,
            new=new,
        )
    return new


# ---- totals --------------------------------------------------------------------------------


@dataclass
class Total:
    applications: int = 0
    asked: int = 0
    granted: int = 0  # the amounts granted
    granted_count: int = 0
    pending: int = 0

    def add(self, decision: str, count: int, asked: int, granted: int) -> None:
        self.applications += count
        self.asked += asked
        if decision == Decision.GRANTED:
            self.granted += granted
            self.granted_count += count
        elif decision == Decision.PENDING:
            self.pending += count


@dataclass
class Totals:
    overall: Total = field(default_factory=Total)
    by_region: dict[str | None, Total] = field(default_factory=lambda: defaultdict(Total))
    by_sector: dict[str, Total] = field(default_factory=lambda: defaultdict(Total))
    by_programme: dict[int, Total] = field(default_factory=lambda: defaultdict(Total))


def financing_totals() -> Totals:
    """Financing asked and granted by region, sector and programme, in one grouped query."""
    rows = db.session.execute(
        select(
            BankProject.region_code,
            BankProject.sector,
            FinancingApplication.programme_id,
            FinancingApplication.decision,
            func.count(),
            func.sum(FinancingApplication.amount_asked_mad),
            func.coalesce(func.sum(FinancingApplication.amount_granted_mad), 0),
        )
        .join(BankProject, BankProject.id == FinancingApplication.project_id)
        .group_by(
            BankProject.region_code,
            BankProject.sector,
            FinancingApplication.programme_id,
            FinancingApplication.decision,
        )
    )
    totals = Totals()
    for region, sector, programme_id, decision, count, asked, granted in rows:
        figures = (decision, count, int(asked or 0), int(granted or 0))
        totals.overall.add(*figures)
        totals.by_region[region].add(*figures)
        totals.by_sector[sector].add(*figures)
        totals.by_programme[programme_id].add(*figures)
    return totals
