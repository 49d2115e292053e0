"""Field types: what a person or a spreadsheet cell may give for a value, parsed one way.

Every form and every Excel import cleans its values through these types, so that a budget of
'٢٥٠٠٠٠', '1 250 000 MAD' or "250'000" means the same thing (or is refused with the same message)
everywhere. Each type has `parse(raw) -> value` and raises `FieldError`, whose message is lazily
translated; `parse_fields` runs a set of types over a mapping and gathers every message at once.

Ground floor: nothing here knows a package above it. A text limit is read from its column
(`Text.of(Idea.title)`), so that it is written once, in the model.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from places import reference as places
from refusals import Refusal

# Arabic-Indic (Arabic keyboards) and Eastern Arabic-Indic (Persian keyboards) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Control characters no one types; tabs and line breaks are kept (NUL makes PostgreSQL raise).
# Lone surrogates (a JSON "\\ud800") cannot be encoded in UTF-8 for either database.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Between groups of three digits: spaces of every width, dots, commas, apostrophes (typed,
# typographic, or the Arabic thousands separator).
_GROUP = r"[\s\u00a0\u2009\u202f.,'\u2019\u066c]"
_WHOLE = re.compile(rf"[0-9]{{1,3}}(?:{_GROUP}[0-9]{{3}})+|[0-9]+")
# Centimes written after the dirhams: '250 000,00' or '1250.5'.
_CENTIMES = re.compile(
    rf"(?P<whole>[0-9]{{1,3}}(?:{_GROUP}[0-9]{{3}})+|[0-9]+)[.,\u066b](?P<cents>[0-9]{{1,2}})"
)
_CURRENCY = re.compile(r"(?i)\s*(?:mad|dhs?|dirhams?|درهم|دراهم)\.?$")
_MINUS = re.compile(r"^[-\u2212\u2012\u2013]\s*")


class FieldError(Refusal):
    """One value refused (422); `message` is lazily translated (shown in the reader's language)."""


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits (typed on Arabic keyboards) as 0-9."""
    return text.translate(_DIGITS)


def strip_control(text: str) -> str:
    """Text without the control characters no one types (tabs and line breaks are kept) and
    without lone surrogates."""
    return _CONTROL.sub("", text)


def _grouped(number: int) -> str:
    """1234567 as '1 234 567' (narrow no-break spaces, as the |mad filter writes it)."""
    return f"{number:,}".replace(",", "\u202f")


def _short(number: float) -> str:
    return f"{number:g}"


def _cell_text(raw, refusal) -> str:
    """A value given as text: a str, or a number from a spreadsheet cell (12.0 reads as '12').
    Anything else (a list, a dict, a boolean, bytes) is refused with `refusal`."""
    if isinstance(raw, bool):
        raise FieldError(refusal)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int | float):
        return str(raw)
    if not isinstance(raw, str):
        raise FieldError(refusal)
    return raw


class FieldType:
    """A value's parser. `required=False` turns an empty value into `empty`."""

    required: bool = False
    empty = None

    def parse(self, raw):
        raise NotImplementedError

    def _missing(self):
        if self.required:
            raise FieldError(_l("This field is required."))
        return self.empty

    @staticmethod
    def _blank(raw) -> bool:
        return raw is None or (isinstance(raw, str) and not strip_control(raw).strip())


class Text(FieldType):
    """Free text, stripped of control characters and outer spaces, at most `max_length`
    characters (the column's length: `Text.of(Model.column)`)."""

    def __init__(self, max_length: int, *, required: bool = False, empty: str | None = ""):
        self.max_length = max_length
        self.required = required
        self.empty = empty

    @classmethod
    def of(cls, column, *, max_length: int | None = None, **options) -> "Text":
        """The type of a String(n) column, limited to n; an unbounded Text column needs
        `max_length` (a sane cap) instead."""
        length = getattr(column.type, "length", None)
        if length is None and max_length is None:
            raise TypeError(f"{column} has no length: give max_length")
        return cls(min(n for n in (length, max_length) if n is not None), **options)

    def parse(self, raw) -> str | None:
        text = _cell_text(raw if raw is not None else "", _l("Enter text."))
        text = strip_control(text).strip()
        if not text:
            return self._missing()
        if len(text) > self.max_length:
            raise FieldError(
                _l(
                    "At most %(max)s characters (%(got)s typed).",
                    max=_grouped(self.max_length),
                    got=_grouped(len(text)),
                )
            )
        return text


def _whole_text(raw, refusal, decimals) -> tuple[str, bool]:
    """(digits, negative) of a whole number as people write it; FieldError(`decimals`) for a
    fraction, FieldError(`refusal`) for anything else."""
    text = strip_control(ascii_digits(_cell_text(raw, refusal))).strip()
    negative = bool(_MINUS.match(text))
    text = _MINUS.sub("", text)
    if _WHOLE.fullmatch(text):
        return re.sub(r"[^0-9]", "", text), negative
    centimes = _CENTIMES.fullmatch(text)
    if centimes and not int(centimes["cents"]):
        return re.sub(r"[^0-9]", "", centimes["whole"]), negative  # '250 000,00': whole dirhams
    raise FieldError(decimals if centimes else refusal)


class Integer(FieldType):
    """A whole number from `low` to `high` ('1 200', '١٢٠٠' and a spreadsheet's 12.0 too)."""

    def __init__(self, low: int, high: int, *, required: bool = False):
        self.low, self.high, self.required = low, high, required

    def _out_of_range(self):
        return _l(
            "Enter a whole number from %(low)s to %(high)s.",
            low=_grouped(self.low),
            high=_grouped(self.high),
        )

    def parse(self, raw) -> int | None:
        if self._blank(raw):
            return self._missing()
        decimals = _l("Enter a whole number, without decimals.")
        if isinstance(raw, float) and not raw.is_integer():
            raise FieldError(decimals)
        digits, negative = _whole_text(raw, _l("Enter a whole number."), decimals)
        number = -int(digits) if negative else int(digits)
        if not self.low <= number <= self.high:
            raise FieldError(self._out_of_range())
        return number


class Amount(FieldType):
    """Whole dirhams, 0 to `maximum`: '250000', '250 000', '250.000', "250'000", '٢٥٠٠٠٠',
    '1 250 000 MAD', '300 000 DH', '٥٠٠٠ درهم'. A separator stands between groups of three
    digits only ('2 50000' is refused: a typo, not a number); centimes other than ',00' and
    negative amounts are refused."""

    def __init__(self, maximum: int = 10**12, *, required: bool = False):
        self.maximum, self.required = maximum, required

    def parse(self, raw) -> int | None:
        if self._blank(raw):
            return self._missing()
        decimals = _l("Enter a whole number of dirhams, without centimes.")
        if isinstance(raw, float) and not raw.is_integer():
            raise FieldError(decimals)
        refusal = _l("Enter an amount in dirhams, e.g. 250 000.")
        text = _CURRENCY.sub("", _cell_text(raw, refusal)) if isinstance(raw, str) else raw
        if self._blank(text):
            raise FieldError(refusal)
        digits, negative = _whole_text(text, refusal, decimals)
        number = int(digits)
        if negative and number:
            raise FieldError(_l("Enter an amount of 0 or more."))
        if number > self.maximum:
            raise FieldError(
                _l(
                    "At most %(max)s MAD.",
                    max=_grouped(self.maximum),
                )
            )
        return number


class Number(FieldType):
    """A decimal number (point or comma) with `low < value <= high` (e.g. a weight)."""

    def __init__(self, low: float, high: float, *, required: bool = False):
        self.low, self.high, self.required = low, high, required

    def parse(self, raw) -> float | None:
        if self._blank(raw):
            return self._missing()
        refusal = _l("Enter a number, e.g. 2 or 1.5.")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            number = float(raw)
        else:
            text = ascii_digits(_cell_text(raw, refusal)).strip().replace(",", ".")
            if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
                raise FieldError(refusal)
            number = float(text)
        if not self.low < number <= self.high:
            raise FieldError(
                _l(
                    "Enter a number greater than %(low)s and at most %(high)s.",
                    low=_short(self.low),
                    high=_short(self.high),
                )
            )
        return number


class Phone(FieldType):
    """A Moroccan number — 06…/07… mobile, 05… landline, +212…, 00212…, 212…, with spaces,
    dashes, dots or brackets, in any digits — as E.164 (+212XXXXXXXXX)."""

    def __init__(self, *, required: bool = False):
        self.required = required

    def parse(self, raw) -> str | None:
        if self._blank(raw):
            return self._missing()
        refusal = _l("Enter a Moroccan phone number, e.g. 06 12 34 56 78 or +212 6 12 34 56 78.")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            text = _cell_text(raw, refusal)
            if len(text) == 9:
                text = "0" + text  # a cell holding a number lost its leading 0
        else:
            text = _cell_text(raw, refusal)
        text = re.sub(r"[\s\u00a0\u2009\u202f\-./()_]", "", ascii_digits(strip_control(text)))
        if text.startswith("+212"):
            rest = text[4:]
        elif text.startswith("00212"):
            rest = text[5:]
        elif text.startswith("212") and len(text) == 12:
            rest = text[3:]
        elif text.startswith("0"):
            rest = text[1:]
        else:
            raise FieldError(refusal)
        if len(rest) == 10 and rest.startswith("0"):
            rest = rest[1:]  # +212 06…: the national 0 kept by habit
        if not re.fullmatch(r"[567][0-9]{8}", rest):
            raise FieldError(refusal)
        return "+212" + rest


class Email(FieldType):
    """An e-mail address (syntax only, no DNS), normalised, at most `max_length` characters."""

    def __init__(self, max_length: int = 254, *, required: bool = False):
        self.max_length, self.required = max_length, required

    def parse(self, raw) -> str | None:
        if self._blank(raw):
            return self._missing()
        refusal = _l("Enter a valid e-mail address.")
        text = strip_control(_cell_text(raw, refusal)).strip()
        if len(text) > self.max_length:
            raise FieldError(refusal)
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            raise FieldError(refusal) from None


class Choice(FieldType):
    """One of the codes of `options` (a labels mapping, a sequence or an enum)."""

    def __init__(self, options: Iterable, *, required: bool = False):
        self.options = options
        self.required = required

    def _codes(self) -> set[str]:
        return {str(getattr(option, "value", option)) for option in self.options}

    def parse(self, raw) -> str | None:
        if self._blank(raw):
            if self.required:
                raise FieldError(_l("Choose one of the options in the list."))
            return None
        if not isinstance(raw, str) or strip_control(raw).strip() not in self._codes():
            raise FieldError(_l("Choose one of the options in the list."))
        return strip_control(raw).strip()


class Choices(Choice):
    """Several codes of `options` (a list, as a form's checkboxes give it; a text of codes
    separated by commas is read too): the codes in the options' order, each once."""

    empty: list = []

    def parse(self, raw) -> list[str]:
        if isinstance(raw, str):
            raw = raw.split(",")
        picked = [strip_control(str(r)).strip() for r in raw or () if not self._blank(r)]
        if not picked:
            if self.required:
                raise FieldError(_l("Choose at least one of the options in the list."))
            return []
        codes = [str(getattr(option, "value", option)) for option in self.options]
        if any(code not in codes for code in picked):
            raise FieldError(_l("Choose one of the options in the list."))
        return [code for code in codes if code in picked]


class Day(FieldType):
    """A calendar date: a date, or text as ISO (2025-03-14) or as written in Morocco (14/03/2025)."""

    def __init__(self, *, required: bool = False):
        self.required = required

    def parse(self, raw) -> date | None:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        if self._blank(raw):
            return self._missing()
        refusal = _l("Enter a date, e.g. 14/03/2025.")
        text = ascii_digits(strip_control(_cell_text(raw, refusal))).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise FieldError(refusal)


def max_lengths(types: Mapping[str, FieldType]) -> dict[str, int]:
    """{field: its limit in characters} of the texts and e-mails among `types` (a form's
    maxlength attributes, so that a limit is written once)."""
    return {name: kind.max_length for name, kind in types.items() if hasattr(kind, "max_length")}


def parse_fields(
    types: Mapping[str, FieldType], raw: Mapping, *, only_present: bool = False
) -> tuple[dict, dict]:
    """(values, {field: message}) of `raw` through `types`; every field is parsed so that all
    the messages can be shown at once. `only_present` skips the fields absent from `raw`."""
    values: dict = {}
    errors: dict = {}
    for name, kind in types.items():
        if only_present and name not in raw:
            continue
        try:
            values[name] = kind.parse(raw.get(name))
        except FieldError as error:
            errors[name] = error.message
    return values, errors


PLACE_FIELDS = ("region_code", "province_code", "commune_code")
_PLACE_TEXT_MAX = 200  # the longest name of the reference is far shorter: more is not a place


def _place_text(raw) -> str:
    if raw is None or isinstance(raw, bool):
        return ""
    return strip_control(str(raw)).strip()


def _find_place(text: str, level: str, parent: str | None) -> str | None:
    """A code of `level` meant by `text` (the code itself, or a name in French or Arabic: case,
    accents and hyphens do not matter), looked for under `parent` first, then anywhere."""
    if len(text) > _PLACE_TEXT_MAX:
        return None
    if level == "region" and text.isdigit():
        text = text.zfill(2)  # a spreadsheet reads the code 04 as the number 4
    if places.is_code(text, level):
        return text
    if level == "region":
        return places.find_region(text)
    if level == "province":
        return (parent and places.find_province(text, parent)) or places.find_province(text)
    return (parent and places.find_commune(text, parent)) or places.find_commune(text)


def parse_places(raw: Mapping, *, required: bool = True) -> tuple[dict, dict]:
    """(codes, {field: message}) of a region, its province and (optional) one of its communes:
    `region_code`, `province_code`, `commune_code` in `raw`, each a code of the HCP reference
    or, in an imported sheet, its name. A province must lie in the region, a commune in the
    province."""
    texts = {name: _place_text(raw.get(name)) for name in PLACE_FIELDS}
    values: dict = dict.fromkeys(PLACE_FIELDS)
    errors: dict = {}
    region = texts["region_code"]
    if region:
        values["region_code"] = _find_place(region, "region", None)
        if not values["region_code"]:
            errors["region_code"] = _l("Choose one of the 12 regions in the list.")
    elif required:
        errors["region_code"] = _l("Choose the region.")
    province = texts["province_code"]
    if province:
        code = _find_place(province, "province", values["region_code"])
        if not code:
            errors["province_code"] = _l("Choose one of the provinces in the list.")
        elif values["region_code"] and places.region_of(code) != values["region_code"]:
            errors["province_code"] = _l(
                "This province is not in the region chosen: choose one of its provinces."
            )
        values["province_code"] = code
    elif required:
        errors["province_code"] = _l("Choose the province.")
    commune = texts["commune_code"]
    if commune:
        code = _find_place(commune, "commune", values["province_code"])
        found = places.place(code)
        if not found:
            errors["commune_code"] = _l("Choose one of the communes in the list, or none.")
        elif values["province_code"] and found.parent != values["province_code"]:
            errors["commune_code"] = _l(
                "This commune is not in the province chosen: choose one of its communes."
            )
        values["commune_code"] = code
    return values, errors
