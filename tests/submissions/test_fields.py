"""The shared checks of an idea's fields: phones, amounts, required fields."""

import pytest

from submissions.fields import FieldError, clean_idea, normalise_phone, parse_whole_number
from tests.submissions.conftest import form_data


@pytest.mark.parametrize(
    "typed",
    [
        "0612345678",
        "06 12 34 56 78",
        "06-12-34-56-78",
        "06.12.34.56.78",
        "+212612345678",
        "+212 6 12 34 56 78",
        "00212612345678",
        "00 212 6 12 34 56 78",
        "+212 (0)6 12 34 56 78",
        "٠٦١٢٣٤٥٦٧٨",
        612345678,
    ],
)
def test_moroccan_mobile_numbers_are_normalised(typed):
    assert normalise_phone(typed) == "+212612345678"


def test_07_mobiles_and_05_landlines_are_accepted():
    assert normalise_phone("07 00 11 22 33") == "+212700112233"
    assert normalise_phone("0536 12 34 56") == "+212536123456"


@pytest.mark.parametrize(
    "typed", ["12345", "0812345678", "061234567", "06123456789", "+33612345678", "phone", "+212"]
)
def test_other_numbers_are_refused(typed):
    with pytest.raises(FieldError):
        normalise_phone(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("250 000", 250_000),
        ("250\u202f000", 250_000),
        ("250.000", 250_000),
        ("250,000", 250_000),
        ("1 250 000 MAD", 1_250_000),
        ("0", 0),
        ("", None),
        ("  ", None),
        (300000, 300_000),
        (300000.0, 300_000),
        ("٢٥٠٠٠٠", 250_000),
    ],
)
def test_amounts_are_whole_dirhams_as_people_write_them(typed, value):
    assert parse_whole_number(typed, maximum=10**12) == value


@pytest.mark.parametrize("typed", ["-5", "12,5", "2.5", "abc", "1e6", 2.5, "¹", "①", "2²"])
def test_bad_amounts_are_refused(typed):
    with pytest.raises(FieldError):
        parse_whole_number(typed, maximum=10**12)


def test_text_is_kept_exactly_except_surrounding_whitespace(app):
    text = "  ⵜⴰⵎⴰⵣⵉⵖⵜ — تعاونية «الأمل»\nligne 2 : été  "
    values, errors = clean_idea(form_data(problem=text))
    assert not errors
    assert values["problem"] == text.strip()


def test_a_cooperative_needs_its_name(app):
    _values, errors = clean_idea(form_data(team_kind="cooperative", cooperative_name=""))
    assert set(errors) == {"cooperative_name"}
