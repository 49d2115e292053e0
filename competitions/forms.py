"""Organiser forms of the tour. Types are parsed here; domain rules live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from competitions.defaults import REGIONS
from competitions.states import RankingMethod
from i18n import LANGUAGE_NAMES

LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


class WholeNumberField(IntegerField):
    """An integer field whose error says what to type."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] not in ("", None):
            try:
                self.data = int(valuelist[0].strip())
            except ValueError:
                self.data = None
                raise ValueError(_l("Enter a whole number.")) from None


class NumberField(FloatField):
    """A decimal number, typed with a point or a comma (1.5 or 1,5)."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] not in ("", None):
            try:
                self.data = float(valuelist[0].strip().replace(",", "."))
            except ValueError:
                self.data = None
                raise ValueError(_l("Enter a number, e.g. 2 or 1.5.")) from None


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CompetitionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    year = WholeNumberField(_l("Year"), validators=[InputRequired()])
    slug = StringField(_l("Address (slug)"), validators=[Optional(), Length(max=80)])


class EventForm(FlaskForm):
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    city_ar = StringField(_l("City in Arabic"), validators=[Optional(), Length(max=100)])
    region = SelectField(
        _l("Region"),
        validate_choice=False,
        choices=[SelectChoice("", "—")] + [SelectChoice(r, r) for r in REGIONS],
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    date = DateField(_l("Date"), validators=[InputRequired()])
    capacity = WholeNumberField(_l("Capacity"), validators=[Optional()])
    winners_count = WholeNumberField(
        _l("Number of winners"), default=3, validators=[InputRequired()]
    )
    languages = MultiCheckboxField(
        _l("Languages accepted"), choices=LANGUAGE_CHOICES, default=["ar", "fr"]
    )
    slug = StringField(_l("Public address (slug)"), validators=[Optional(), Length(max=80)])
    tour_order = WholeNumberField(_l("Order in the tour"), validators=[Optional()])
    is_final = BooleanField(_l("National final"))
    judges_per_idea = WholeNumberField(
        _l("Judges per idea (K)"), default=3, validators=[InputRequired()]
    )
    min_judges = WholeNumberField(
        _l("Minimum judges to be ranked"), default=2, validators=[InputRequired()]
    )
    split_panels = BooleanField(_l("Split the ideas across panels"))
    ranking_method = SelectField(
        _l("Ranking method"),
        validate_choice=False,
        choices=[
            SelectChoice("", _l("Automatic")),
            SelectChoice(RankingMethod.RAW, _l("Raw weighted average")),
            SelectChoice(RankingMethod.NORMALISED, _l("Normalised per judge")),
        ],
    )
    blind = BooleanField(_l("Blind judging (judges do not see the team)"))
    share_ranks = BooleanField(_l("Tell each participant the rank of their idea"))
    share_feedback = BooleanField(_l("Send each participant the jury's comments (anonymous)"))

    def data_for_service(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class CriterionForm(FlaskForm):
    key = StringField(_l("Key"), validators=[Optional(), Length(max=40)])
    name_fr = StringField(_l("Name (French)"), validators=[Length(max=200)])
    name_ar = StringField(_l("Name (Arabic)"), validators=[Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=200)])
    description_fr = TextAreaField(_l("Description (French)"), validators=[Length(max=2000)])
    description_ar = TextAreaField(_l("Description (Arabic)"), validators=[Length(max=2000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Length(max=2000)])
    low_fr = TextAreaField(
        _l("What the lowest score looks like (French)"), validators=[Length(max=1000)]
    )
    low_ar = TextAreaField(
        _l("What the lowest score looks like (Arabic)"), validators=[Length(max=1000)]
    )
    low_en = TextAreaField(
        _l("What the lowest score looks like (English)"), validators=[Length(max=1000)]
    )
    high_fr = TextAreaField(
        _l("What the highest score looks like (French)"), validators=[Length(max=1000)]
    )
    high_ar = TextAreaField(
        _l("What the highest score looks like (Arabic)"), validators=[Length(max=1000)]
    )
    high_en = TextAreaField(
        _l("What the highest score looks like (English)"), validators=[Length(max=1000)]
    )
    weight = NumberField(_l("Weight"), default=1.0, validators=[InputRequired()])
    scale_min = WholeNumberField(_l("Scale from"), default=1, validators=[InputRequired()])
    scale_max = WholeNumberField(_l("Scale to"), default=5, validators=[InputRequired()])
    half_points = BooleanField(_l("Half points allowed"))
    tiebreak_order = WholeNumberField(_l("Tie-break order (1 = first)"), validators=[Optional()])

    TEXTS = ("name", "description", "low", "high")

    def data_for_service(self) -> dict:
        data = {
            key: getattr(self, key).data
            for key in ("key", "weight", "scale_min", "scale_max", "half_points", "tiebreak_order")
        }
        for group in self.TEXTS:
            data[group] = {
                lang: getattr(self, f"{group}_{lang}").data for lang in ("fr", "ar", "en")
            }
        return data

    def fill(self, values: dict) -> None:
        for key in ("key", "weight", "scale_min", "scale_max", "half_points", "tiebreak_order"):
            getattr(self, key).data = values.get(key)
        for group in self.TEXTS:
            for lang in ("fr", "ar", "en"):
                getattr(self, f"{group}_{lang}").data = (values.get(group) or {}).get(lang, "")


class JuryForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name (for a new account)"), validators=[Optional(), Length(max=200)])
    panel = WholeNumberField(_l("Panel"), default=1, validators=[InputRequired()])
    is_president = BooleanField(_l("President of the panel"))
    locale = SelectField(
        _l("Language of the jury member"),
        validate_choice=False,
        choices=[SelectChoice("", "—"), *LANGUAGE_CHOICES],
    )
