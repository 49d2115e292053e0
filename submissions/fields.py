"""The fields of an idea, their labels, and the one validation used by the form, the kiosk,
assisted entry and the paper import: raw text in, clean values (or a message per field) out."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from competitions.defaults import REGION_NAMES
from refusals import Refusal
from submissions.models import AGE_BRACKETS, GENDERS, LEAD_STATUSES, SECTORS
from submissions.states import Eligibility, IdeaSource, TeamKind

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
    "region": _l("Region where it would run"),
    "province": _l("Province"),
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
# Free text fields, with their maximum lengths (the database's, or a sane cap for long text).
TEXT_FIELDS = {
    "title": 200,
    "problem": 10_000,
    "solution": 10_000,
    "province": 100,
    "beneficiaries": 5_000,
    "local_resources": 5_000,
    "cooperative_name": 200,
    "lead_name": 200,
    "other_members": 5_000,
}
REQUIRED_TEXT = ("title", "problem", "solution", "province", "lead_name")
CHOICE_FIELDS = {
    "sector": SECTORS,
    "region": REGION_NAMES,
    "team_kind": TeamKind.values(),
    "lead_gender": GENDERS,
    "lead_age_bracket": AGE_BRACKETS,
    "lead_status": LEAD_STATUSES,
}
REQUIRED_CHOICES = ("sector", "region", "team_kind")
AMOUNT_FIELDS = ("budget_mad", "financing_sought_mad")
COUNT_FIELDS = ("expected_jobs", "cooperative_members")
REQUIRED = (*REQUIRED_TEXT, *REQUIRED_CHOICES, "lead_phone", "consent")
# Fields an organiser may correct after submission (typos); the first correction keeps the original.
CORRECTABLE = (
    "title",
    "problem",
    "solution",
    "province",
    "beneficiaries",
    "local_resources",
    "cooperative_name",
    "lead_name",
    "other_members",
)

MAX_AMOUNT = 10**12  # a trillion dirhams: anything above is a typo
MAX_COUNT = 100_000
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_]+")
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


class FieldError(Refusal):
    """A message about one field's value, in the user's language."""


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits (typed on Arabic keyboards) as 0-9."""
    return text.translate(_DIGITS)


def normalise_phone(text) -> str:
    """A Moroccan number (06…, 07…, 05… landline, +212…, 00212…, spaces/dashes/dots allowed)
    as +212XXXXXXXXX."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = str(int(text))  # a spreadsheet cell holding a number lost its leading 0
        if len(text) == 9:
            text = "0" + text
    raw = _SPACES.sub("", ascii_digits(str(text or "")))
    raw = re.sub(r"[-./()]", "", raw)
    if raw.startswith("+212"):
        rest = raw[4:]
    elif raw.startswith("00212"):
        rest = raw[5:]
    elif raw.startswith("212") and len(raw) == 12:
        rest = raw[3:]
    elif raw.startswith("0"):
        rest = raw[1:]
    else:
        rest = None
    if rest is not None and len(rest) == 10 and rest.startswith("0"):
        rest = rest[1:]  # +212 06…: the national 0 kept by habit
    if rest is None or not re.fullmatch(r"[567]\d{8}", rest):
        raise FieldError(
            _l("Enter a Moroccan phone number, e.g. 06 12 34 56 78 or +212 6 12 34 56 78.")
        )
    return "+212" + rest


def parse_whole_number(value, *, maximum: int, what: str = "amount") -> int | None:
    """A whole number ≥ 0 as people write it ('250 000', '250.000'); None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldError(_l("Enter a whole number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise FieldError(_l("Enter a whole number, without decimals."))
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _SPACES.sub("", ascii_digits(str(value)))
        if what == "amount":
            text = re.sub(r"(?i)(mad|dhs?|درهم)$", "", text)
        if not text:
            return None
        if _THOUSANDS.match(text):
            text = re.sub(r"[.,]", "", text)
        if re.fullmatch(r"-\d+([.,]\d+)?", text):
            raise FieldError(_l("Enter 0 or more."))
        if re.fullmatch(r"\d+[.,]\d+", text):
            raise FieldError(_l("Enter a whole number, without decimals."))
        if not text.isdecimal():  # isdigit() would let "¹" or "①" through to int(): a 500
            raise FieldError(_l("Enter a whole number."))
        number = int(text)
    if number < 0:
        raise FieldError(_l("Enter 0 or more."))
    if number > maximum:
        raise FieldError(_l("This number is too large."))
    return number


def strip_control(text: str) -> str:
    """Text without the control characters no one types (tabs and line breaks are kept)."""
    return _CONTROL_CHARACTERS.sub("", text)


def _text(value) -> str:
    """User text exactly as typed, minus leading and trailing whitespace and control characters
    (a NUL is refused by PostgreSQL: fuzzing found a 500)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_control(str(value)).strip()


def _choice(field: str, value) -> str | None:
    text = _text(value)
    if not text:
        return None
    if text not in CHOICE_FIELDS[field]:
        raise FieldError(_l("Choose one of the options in the list."))
    return text


def clean_idea(raw: dict, *, require_consent: bool = True) -> tuple[dict, dict]:
    """(values for an Idea, {field: message}). Nothing is stored here; every field is checked so
    that all the messages can be shown at once."""
    values: dict = {}
    errors: dict = {}
    for field, max_length in TEXT_FIELDS.items():
        text = _text(raw.get(field))
        if not text and field in REQUIRED_TEXT:
            errors[field] = _l("This field is required.")
        elif len(text) > max_length:
            errors[field] = _l("Keep it under %(max)s characters.", max=max_length)
        values[field] = text
    for field in CHOICE_FIELDS:
        try:
            values[field] = _choice(field, raw.get(field))
        except FieldError as error:
            errors[field] = error.args[0]
            continue
        if values[field] is None and field in REQUIRED_CHOICES:
            errors[field] = _l("Choose one of the options.")
    for field in AMOUNT_FIELDS:
        try:
            values[field] = parse_whole_number(raw.get(field), maximum=MAX_AMOUNT)
        except FieldError as error:
            errors[field] = error.args[0]
    for field in COUNT_FIELDS:
        try:
            values[field] = parse_whole_number(raw.get(field), maximum=MAX_COUNT, what="count")
        except FieldError as error:
            errors[field] = error.args[0]
    if values.get("team_kind") == TeamKind.COOPERATIVE and not values["cooperative_name"]:
        errors.setdefault("cooperative_name", _l("Give the name of the cooperative."))
    if values.get("team_kind") == TeamKind.GROUP:
        values["cooperative_name"] = values["cooperative_name"] or None
    phone = (
        _text(raw.get("lead_phone"))
        if not isinstance(raw.get("lead_phone"), int | float)
        else raw["lead_phone"]
    )
    if phone in ("", None):
        errors["lead_phone"] = _l("This field is required.")
    else:
        try:
            values["lead_phone"] = normalise_phone(phone)
        except FieldError as error:
            errors["lead_phone"] = error.args[0]
    email = _text(raw.get("lead_email"))
    values["lead_email"] = None
    if email:
        try:
            values["lead_email"] = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["lead_email"] = _l("This e-mail address is not valid (or leave it empty).")
        if len(email) > 254:
            errors["lead_email"] = _l("This e-mail address is not valid (or leave it empty).")
    if require_consent and not is_yes(raw.get("consent")):
        errors["consent"] = _l(
            "Your consent is needed to process your idea (Law 09-08 on personal data)."
        )
    return values, errors


def is_yes(value) -> bool:
    """A ticked checkbox or a 'yes' cell, in any of our languages."""
    if value is True:
        return True
    return _text(value).lower() in {"y", "yes", "on", "1", "true", "oui", "o", "نعم", "x"}
