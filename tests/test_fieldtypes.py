"""Each field type once, with every kind of bad input: empty, too long (at the limit and one
past it), wrong digits, negative, overflow, wrong format, control characters, not a string."""

from datetime import date

import pytest

from fieldtypes import (
    Amount,
    Choice,
    Day,
    Email,
    FieldError,
    Integer,
    Number,
    Phone,
    Text,
    max_lengths,
    parse_fields,
)
from submissions.models import Idea


@pytest.fixture(autouse=True)
def english(app):
    """Messages read in English (their msgids), so that each refusal is named."""
    with app.test_request_context("/?lang=en"):
        yield


def refusal(kind, raw) -> str:
    with pytest.raises(FieldError) as caught:
        kind.parse(raw)
    return str(caught.value)


NOT_STRINGS = [True, [1], {"a": 1}, b"12", object()]


# --- Text ---------------------------------------------------------------------------------------


def test_text_takes_its_limit_from_the_column():
    assert Text.of(Idea.title).max_length == 200
    assert Text.of(Idea.ineligible_reason).max_length == 500
    assert Text.of(Idea.problem, max_length=10_000).max_length == 10_000
    with pytest.raises(TypeError):
        Text.of(Idea.problem)  # an unbounded column needs a cap


def test_text_accepts_its_limit_and_refuses_one_more_character():
    kind = Text(10)
    assert kind.parse("é" * 10) == "é" * 10
    assert refusal(kind, "é" * 11) == "At most 10 characters (11 typed)."


def test_text_strips_control_characters_and_outer_spaces_but_keeps_line_breaks():
    assert Text(50).parse("  a\x00b\x1bc\x7f\r\nd\te  ") == "abc\r\nd\te"
    # stripped characters do not count towards the limit
    assert Text(3).parse("a\x00\x00b\x00c") == "abc"


def test_text_empty_is_the_empty_value_or_refused_when_required():
    assert Text(10).parse("   ") == ""
    assert Text(10, empty=None).parse(None) is None
    assert Text(10, empty=None).parse("\x00 ") is None
    assert refusal(Text(10, required=True), " \x00 ") == "This field is required."


def test_text_reads_a_number_cell_as_text_and_refuses_other_types():
    assert Text(10).parse(12.0) == "12"
    assert Text(10).parse(7) == "7"
    for raw in NOT_STRINGS:
        assert refusal(Text(10), raw) == "Enter text."


# --- Amount -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("250000", 250_000),
        ("٢٥٠٠٠٠", 250_000),
        ("۲۵۰۰۰۰", 250_000),
        ("1 250 000 MAD", 1_250_000),
        ("1\u00a0250\u202f000\u2009mad", 1_250_000),
        ("250'000", 250_000),
        ("250’000", 250_000),
        ("250.000", 250_000),
        ("1,250,000", 1_250_000),
        ("250 000,00", 250_000),
        ("300000 DH", 300_000),
        ("300000Dhs", 300_000),
        ("٥٠٠٠ درهم", 5_000),
        ("0", 0),
        (250_000, 250_000),
        (250_000.0, 250_000),
        (10**12, 10**12),
    ],
)
def test_amount_reads_dirhams_as_people_write_them(raw, value):
    assert Amount().parse(raw) == value


def test_amount_empty_is_none_or_refused_when_required():
    assert Amount().parse("") is None
    assert Amount().parse(None) is None
    assert refusal(Amount(required=True), "  ") == "This field is required."


@pytest.mark.parametrize("raw", ["-5", "−5", "- 250 000", -5])
def test_amount_refuses_negatives(raw):
    assert refusal(Amount(), raw) == "Enter an amount of 0 or more."


@pytest.mark.parametrize("raw", ["12,5", "250000.50", 12.5])
def test_amount_refuses_centimes(raw):
    assert refusal(Amount(), raw) == "Enter a whole number of dirhams, without centimes."


@pytest.mark.parametrize(
    "raw", ["abc", "MAD", "2 50000", "1e5", "¹²", "①", "12-3", "१२३", "250 000 EUR", *NOT_STRINGS]
)
def test_amount_refuses_wrong_formats_wrong_digits_and_other_types(raw):
    assert refusal(Amount(), raw) == "Enter an amount in dirhams, e.g. 250 000."


def test_amount_refuses_more_than_its_maximum():
    assert Amount(maximum=1000).parse("1 000") == 1000
    assert refusal(Amount(maximum=1000), "1 001") == "At most 1\u202f000 MAD."
    assert refusal(Amount(), "9" * 40) == "At most 1\u202f000\u202f000\u202f000\u202f000 MAD."


def test_amount_ignores_control_characters():
    assert Amount().parse("250\x00 000") == 250_000


# --- Integer ------------------------------------------------------------------------------------


def test_integer_accepts_its_bounds_and_refuses_beyond():
    kind = Integer(1, 50)
    assert kind.parse("1") == 1
    assert kind.parse("٥٠") == 50
    assert kind.parse(50.0) == 50
    for raw in ("0", "51", "-3", 10**30):
        assert refusal(kind, raw) == "Enter a whole number from 1 to 50."


def test_integer_refuses_decimals_wrong_formats_and_other_types():
    assert refusal(Integer(0, 10), "2.5") == "Enter a whole number, without decimals."
    assert refusal(Integer(0, 10), 2.5) == "Enter a whole number, without decimals."
    for raw in ("two", "1e3", "²", "3 MAD", *NOT_STRINGS):
        assert refusal(Integer(0, 10), raw) == "Enter a whole number."


def test_integer_empty_is_none_or_refused_when_required():
    assert Integer(0, 10).parse(" ") is None
    assert refusal(Integer(0, 10, required=True), None) == "This field is required."


def test_integer_reads_thousands_as_people_write_them():
    assert Integer(0, 100_000).parse("1 200") == 1200


# --- Number -------------------------------------------------------------------------------------


def test_number_reads_point_or_comma_and_checks_its_bounds():
    kind = Number(0, 100)
    assert kind.parse("1,5") == 1.5
    assert kind.parse("١.٥") == 1.5
    assert kind.parse(100) == 100.0
    for raw in ("0", "-1", "100.5", 1e300):
        assert refusal(kind, raw) == "Enter a number greater than 0 and at most 100."
    for raw in ("abc", "1.2.3", "nan", "inf", *NOT_STRINGS):
        assert refusal(kind, raw) == "Enter a number, e.g. 2 or 1.5."
    assert refusal(Number(0, 1, required=True), "") == "This field is required."


# --- Phone --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("06 12 34 56 78", "+212612345678"),
        ("07-12-34-56-78", "+212712345678"),
        ("05.36.12.34.56", "+212536123456"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("+212 (0)6 12 34 56 78", "+212612345678"),
        ("00212712345678", "+212712345678"),
        ("212612345678", "+212612345678"),
        ("٠٦١٢٣٤٥٦٧٨", "+212612345678"),
        ("۰۶۱۲۳۴۵۶۷۸", "+212612345678"),
        (612345678, "+212612345678"),  # a spreadsheet cell lost the leading 0
        (612345678.0, "+212612345678"),
        ("06\x0012345678", "+212612345678"),
    ],
)
def test_phone_normalises_moroccan_numbers_to_e164(raw, value):
    assert Phone().parse(raw) == value


@pytest.mark.parametrize(
    "raw",
    ["0812345678", "061234567", "06123456789", "+33612345678", "phone", "06 12 34 56 7x", "-0612"]
    + NOT_STRINGS,
)
def test_phone_refuses_what_is_not_a_moroccan_number(raw):
    assert refusal(Phone(), raw).startswith("Enter a Moroccan phone number")


def test_phone_empty_is_none_or_refused_when_required():
    assert Phone().parse("") is None
    assert refusal(Phone(required=True), "  ") == "This field is required."


# --- Email, Choice, Day -------------------------------------------------------------------------


def test_email_is_normalised_and_bad_or_too_long_addresses_refused():
    assert Email().parse(" Amina@Example.MA ") == "Amina@example.ma"
    assert Email().parse("") is None
    at_limit = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "ma"
    assert len(at_limit) <= 254 and Email().parse(at_limit)
    assert Email().parse("a@b.ma\x00") == "a@b.ma"
    for raw in ("amina", "a@", "a b@c.ma", "a@b@c.ma", "x" * 250 + "@b.ma", *NOT_STRINGS):
        assert refusal(Email(), raw) == "Enter a valid e-mail address."
    assert refusal(Email(required=True), None) == "This field is required."


def test_choice_accepts_a_code_of_its_options_only():
    kind = Choice({"raw": "Raw", "normalised": "Normalised"})
    assert kind.parse("raw") == "raw"
    assert kind.parse("") is None
    for raw in ("Raw", "other", "raw\x00x", *NOT_STRINGS):
        assert refusal(kind, raw) == "Choose one of the options in the list."
    assert refusal(Choice(["a"], required=True), "") == "Choose one of the options in the list."


def test_day_reads_iso_and_moroccan_dates():
    assert Day().parse(date(2025, 3, 14)) == date(2025, 3, 14)
    assert Day().parse("2025-03-14") == date(2025, 3, 14)
    assert Day().parse("١٤/٠٣/٢٠٢٥") == date(2025, 3, 14)
    assert Day().parse("") is None
    for raw in ("31/02/2025", "14.03.2025", "tomorrow", *NOT_STRINGS):
        assert refusal(Day(), raw) == "Enter a date, e.g. 14/03/2025."
    assert refusal(Day(required=True), None) == "This field is required."


def test_parse_fields_gathers_every_message_and_skips_absent_fields_when_asked():
    types = {"name": Text(5, required=True), "budget": Amount(), "jobs": Integer(0, 9)}
    values, errors = parse_fields(types, {"name": "toolong", "budget": "1 000 DH", "jobs": "x"})
    assert values == {"budget": 1000}
    assert set(errors) == {"name", "jobs"}
    values, errors = parse_fields(types, {"budget": "5"}, only_present=True)
    assert (values, errors) == ({"budget": 5}, {})


def test_max_lengths_lists_the_limits_of_texts_and_emails_only():
    types = {"title": Text.of(Idea.title), "email": Email(254), "budget": Amount()}
    assert max_lengths(types) == {"title": 200, "email": 254}
