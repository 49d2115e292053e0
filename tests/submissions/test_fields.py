"""The shared checks of an idea's fields (the types themselves: tests/test_fieldtypes.py)."""

from submissions.fields import clean_idea
from tests.submissions.conftest import form_data


def test_text_is_kept_exactly_except_surrounding_whitespace(app):
    text = "  ⵜⴰⵎⴰⵣⵉⵖⵜ — تعاونية «الأمل»\nligne 2 : été  "
    values, errors = clean_idea(form_data(problem=text))
    assert not errors
    assert values["problem"] == text.strip()


def test_a_cooperative_needs_its_name(app):
    _values, errors = clean_idea(form_data(team_kind="cooperative", cooperative_name=""))
    assert set(errors) == {"cooperative_name"}
