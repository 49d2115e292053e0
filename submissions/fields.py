"""The fields of an idea, their labels and types (`fieldtypes`), and the one validation used by
the form, the kiosk, assisted entry and the paper import: raw text in, clean values (or a message
per field) out."""

import hashlib
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldtypes import (
    Amount,
    Choice,
    Email,
    Integer,
    Phone,
    Text,
    parse_fields,
    parse_places,
    strip_control,
)
from submissions.models import AGE_BRACKETS, GENDERS, LEAD_STATUSES, SECTORS, Idea
from submissions.states import Eligibility, IdeaSource, TeamKind

MAX_COUNT = 100_000  # jobs or members: anything above is a typo

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
GENDER_LABELS = {"female": _l("Woman"), "male": _l("Man"), "unspecified": _l("Prefer not to say")}
AGE_LABELS = {
    "under_25": _l("Under 25"),
    "25_34": _l("25 to 34"),
    "35_44": _l("35 to 44"),
    "45_plus": _l("45 and over"),
}
STATUS_LABELS = {
    "job_seeker": _l("Job seeker"),
    "cooperative_member": _l("Member of a cooperative"),
    "project_holder": _l("Project holder"),
}
TEAM_LABELS = {
    TeamKind.COOPERATIVE: _l("An existing cooperative"),
    TeamKind.GROUP: _l("A group that wants to found a cooperative"),
}
SOURCE_LABELS = {
    IdeaSource.FORM: _l("Online form"),
    IdeaSource.KIOSK: _l("Kiosk"),
    IdeaSource.ASSISTED: _l("Assisted entry"),
    IdeaSource.IMPORT: _l("Paper (imported)"),
    IdeaSource.FINAL: _l("Carried into the final"),
}
ELIGIBILITY_LABELS = {
    Eligibility.PENDING: _l("Not yet checked"),
    Eligibility.ELIGIBLE: _l("Eligible for the jury"),
    Eligibility.INELIGIBLE: _l("Not eligible"),
}

LABELS = {
    "title": _l("Title of the idea"),
    "problem": _l("The problem"),
    "solution": _l("The proposed solution"),
    "sector": _l("Sector"),
    "region_code": _l("Region where it would run"),
    "province_code": _l("Province or prefecture"),
    "commune_code": _l("Commune (optional)"),
    "beneficiaries": _l("Target beneficiaries"),
    "local_resources": _l("Local resources it builds on"),
    "expected_jobs": _l("Expected jobs"),
    "budget_mad": _l("Estimated budget (MAD)"),
    "financing_sought_mad": _l("Financing sought (MAD)"),
    "team_kind": _l("The team is"),
    "cooperative_name": _l("Name of the cooperative"),
    "cooperative_members": _l("Number of members"),
    "lead_name": _l("Full name of the team lead"),
    "lead_phone": _l("Phone"),
    "lead_email": _l("E-mail (optional)"),
    "lead_gender": _l("Gender"),
    "lead_age_bracket": _l("Age"),
    "lead_status": _l("Status"),
    "other_members": _l("Other team members"),
    "consent": _l("Consent"),
}
# Pages show an amount with its unit (`|mad`, in the reader's language): their label omits it.
SHOWN_LABELS = {
    **LABELS,
    "place_note": _l("Place as typed (to correct)"),
    "budget_mad": _l("Estimated budget"),
    "financing_sought_mad": _l("Financing sought"),
}
# Every field's type: a text's limit is its column's (long text columns get a sane cap).
TYPES = {
    "title": Text.of(Idea.title, required=True),
    "problem": Text.of(Idea.problem, max_length=10_000, required=True),
    "solution": Text.of(Idea.solution, max_length=10_000, required=True),
    "sector": Choice(SECTORS, required=True),
    "beneficiaries": Text.of(Idea.beneficiaries, max_length=5_000),
    "local_resources": Text.of(Idea.local_resources, max_length=5_000),
    "expected_jobs": Integer(0, MAX_COUNT),
    "budget_mad": Amount(),
    "financing_sought_mad": Amount(),
    "team_kind": Choice(TeamKind, required=True),
    "cooperative_name": Text.of(Idea.cooperative_name),
    "cooperative_members": Integer(0, MAX_COUNT),
    "lead_name": Text.of(Idea.lead_name, required=True),
    "lead_phone": Phone(required=True),
    "lead_email": Email(Idea.lead_email.type.length),
    "lead_gender": Choice(GENDERS),
    "lead_age_bracket": Choice(AGE_BRACKETS),
    "lead_status": Choice(LEAD_STATUSES),
    "other_members": Text.of(Idea.other_members, max_length=5_000),
}
INELIGIBLE_REASON = Text.of(Idea.ineligible_reason)
REQUIRED = (
    *(name for name, kind in TYPES.items() if kind.required),
    "region_code",
    "province_code",
    "consent",
)
# Fields an organiser may correct after submission (typos); the first correction keeps the original.
CORRECTABLE = (
    "title",
    "problem",
    "solution",
    "beneficiaries",
    "local_resources",
    "cooperative_name",
    "lead_name",
    "other_members",
)
# The correctable fields the jury scored (a correction changes what was judged).
SCORED_FIELDS = frozenset({"title", "problem", "solution", "beneficiaries", "local_resources"})


def clean_idea(raw: dict, *, require_consent: bool = True) -> tuple[dict, dict]:
    """(values for an Idea, {field: message}). Nothing is stored here; every field is checked so
    that all the messages can be shown at once."""
    values, errors = parse_fields(TYPES, raw)
    places, place_errors = parse_places(raw)
    values.update(places)
    errors.update(place_errors)
    if values.get("team_kind") == TeamKind.COOPERATIVE and not values.get("cooperative_name"):
        errors.setdefault("cooperative_name", _l("Give the name of the cooperative."))
    if values.get("team_kind") == TeamKind.GROUP:
        values["cooperative_name"] = values.get("cooperative_name") or None
    if require_consent and not is_yes(raw.get("consent")):
        errors["consent"] = _l(
            "Your consent is needed to process your idea (Law 09-08 on personal data)."
        )
    return values, errors


def is_yes(value) -> bool:
    """A ticked checkbox or a 'yes' cell, in any of our languages."""
    if value is True:
        return True
    text = value if isinstance(value, str) else str(value or "")
    return strip_control(text).strip().lower() in {
        "y",
        "yes",
        "on",
        "1",
        "true",
        "oui",
        "o",
        "نعم",
        "x",
    }


@cache
def _fields_digest() -> str:
    parts = []
    for name, kind in TYPES.items():
        rules = {
            key: list(map(str, value)) if key == "options" else value
            for key, value in vars(kind).items()
        }
        parts.append(f"{name}:{type(kind).__name__}:{sorted(rules.items())}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def form_version() -> str:
    """The idea form's version: a digest of its fields and their rules (setting
    IDEA_FORM_VERSION replaces it). A form sent with another version was made for another
    schema: it is refused, and the tablet keeps its data (docs/offline.md)."""
    return current_app.config.get("IDEA_FORM_VERSION") or _fields_digest()
