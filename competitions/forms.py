"""Organiser forms of the tour: they render and give back what was typed; the services parse
it through `fieldtypes` (limits, numbers in any digits) and apply the domain's rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice

from competitions.jury import SUBMITTED_CHOICES
from competitions.states import RankingMethod
from i18n import LANGUAGE_NAMES, current_language
from places import reference as places

LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def number_field(label, *, inputmode: str = "numeric", **kwargs) -> StringField:
    """A number typed as text: the service parses it (`fieldtypes`), Arabic digits included."""
    return StringField(label, render_kw={"inputmode": inputmode, "dir": "ltr"}, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CompetitionForm(FlaskForm):
    name = StringField(_l("Name (French)"))
    name_ar = StringField(_l("Name (Arabic)"), render_kw={"dir": "rtl", "lang": "ar"})
    name_en = StringField(_l("Name (English)"), render_kw={"dir": "ltr", "lang": "en"})
    year = number_field(_l("Year"))
    slug = StringField(_l("Address (slug)"))


class RubricNameForm(FlaskForm):
    name = StringField(_l("Name (French)"))
    name_ar = StringField(_l("Name (Arabic)"), render_kw={"dir": "rtl", "lang": "ar"})
    name_en = StringField(_l("Name (English)"), render_kw={"dir": "ltr", "lang": "en"})


class EventForm(FlaskForm):
    city = StringField(_l("City (French)"))
    city_ar = StringField(_l("City (Arabic)"), render_kw={"dir": "rtl", "lang": "ar"})
    city_en = StringField(_l("City (English)"), render_kw={"dir": "ltr", "lang": "en"})
    region_code = SelectField(_l("Region"), validate_choice=False, choices=[])
    venue = StringField(_l("Venue (French)"))
    venue_ar = StringField(_l("Venue (Arabic)"), render_kw={"dir": "rtl", "lang": "ar"})
    venue_en = StringField(_l("Venue (English)"), render_kw={"dir": "ltr", "lang": "en"})
    date = StringField(_l("Date"), render_kw={"type": "date"})
    capacity = number_field(_l("Capacity"))
    winners_count = number_field(_l("Number of winners"), default=3)
    languages = MultiCheckboxField(
        _l("Languages accepted"), choices=LANGUAGE_CHOICES, default=["ar", "fr"]
    )
    slug = StringField(_l("Public address (slug)"))
    tour_order = number_field(_l("Order in the tour"))
    is_final = BooleanField(_l("National final"))
    judges_per_idea = number_field(_l("Judges per idea (K)"), default=3)
    min_judges = number_field(_l("Minimum judges to be ranked"), default=2)
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
    retention_months = number_field(
        _l("Months the participants' personal data are kept after publication"), default=12
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.region_code.choices = [
            SelectChoice("", "—"),
            *(SelectChoice(r.code, r.name(lang)) for r in places.regions()),
        ]

    def data_for_service(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class CriterionForm(FlaskForm):
    """A criterion: its texts in each language, its scale and a descriptor per whole level.
    Build it with `for_levels(levels)`: the level fields depend on the scale."""

    key = StringField(_l("Key"))
    name_fr = StringField(_l("Name (French)"))
    name_ar = StringField(_l("Name (Arabic)"))
    name_en = StringField(_l("Name (English)"))
    description_fr = TextAreaField(_l("Description (French)"))
    description_ar = TextAreaField(_l("Description (Arabic)"))
    description_en = TextAreaField(_l("Description (English)"))
    weight = number_field(_l("Weight"), inputmode="decimal", default=1.0)
    scale_min = number_field(_l("Scale from"), default=1)
    scale_max = number_field(_l("Scale to"), default=5)
    half_points = BooleanField(_l("Half points allowed"))
    tiebreak_order = number_field(_l("Tie-break order (1 = first)"))

    TEXTS = ("name", "description")
    LANGS = ("fr", "ar", "en")
    levels: tuple[int, ...] = ()

    @classmethod
    def for_levels(cls, levels, **kwargs) -> "CriterionForm":
        """The form with a descriptor field `level_<n>_<lang>` for each whole level given."""
        fields = {
            f"level_{level}_{lang}": TextAreaField(
                _l("What a score of %(level)s looks like", level=level),
                render_kw={"rows": 2},
            )
            for level in levels
            for lang in cls.LANGS
        }
        form_class = type("CriterionLevelsForm", (cls,), {**fields, "levels": tuple(levels)})
        return form_class(**kwargs)

    def level_field(self, level: int, lang: str):
        return self[f"level_{level}_{lang}"]

    def data_for_service(self) -> dict:
        data = {
            key: getattr(self, key).data
            for key in ("key", "weight", "scale_min", "scale_max", "half_points", "tiebreak_order")
        }
        for group in self.TEXTS:
            data[group] = {lang: getattr(self, f"{group}_{lang}").data for lang in self.LANGS}
        data["descriptors"] = {
            str(level): {lang: self.level_field(level, lang).data for lang in self.LANGS}
            for level in self.levels
        }
        return data

    def fill(self, values: dict) -> None:
        for key in ("key", "weight", "scale_min", "scale_max", "half_points", "tiebreak_order"):
            getattr(self, key).data = values.get(key)
        for group in self.TEXTS:
            for lang in self.LANGS:
                getattr(self, f"{group}_{lang}").data = (values.get(group) or {}).get(lang, "")
        descriptors = values.get("descriptors") or {}
        for level in self.levels:
            for lang in self.LANGS:
                self.level_field(level, lang).data = (descriptors.get(str(level)) or {}).get(
                    lang, ""
                )


class JuryForm(FlaskForm):
    email = EmailField(_l("E-mail"))
    name = StringField(_l("Name (for a new account)"))
    panel = number_field(_l("Panel"), default=1)
    is_president = BooleanField(_l("Chair of the panel"))
    locale = SelectField(
        _l("Language of the jury member"),
        validate_choice=False,
        choices=[SelectChoice("", "—"), *LANGUAGE_CHOICES],
    )


class JuryRemovalForm(FlaskForm):
    """The removal's confirmation: what becomes of the judge's submitted sheets (no default;
    the service refuses a missing or unknown choice)."""

    submitted = RadioField(
        _l("The judge's submitted sheets"),
        choices=[SelectChoice(key, label) for key, label in SUBMITTED_CHOICES.items()],
        validate_choice=False,
    )
