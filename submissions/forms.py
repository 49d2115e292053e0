"""The idea form, used to render the page and to give back what was typed; the checks
themselves live in `submissions.fields.clean_idea` (shared with the paper import)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from fieldtypes import max_lengths
from i18n import current_language
from places import reference as places
from submissions.fields import (
    AGE_LABELS,
    CORRECTABLE,
    ELIGIBILITY_LABELS,
    GENDER_LABELS,
    INELIGIBLE_REASON,
    LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    TEAM_LABELS,
    TYPES,
)
from submissions.states import TeamKind

_BLANK = SelectChoice("", _l("Choose…"))
MAX = max_lengths(TYPES)


def _choices(labels: dict, blank: bool = True) -> list[SelectChoice]:
    options = [SelectChoice(code, label) for code, label in labels.items()]
    return [_BLANK, *options] if blank else options


def _numeric(**extra) -> dict:
    return {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", **extra}


class IdeaForm(FlaskForm):
    submit_token = HiddenField()
    title = StringField(LABELS["title"], render_kw={"maxlength": MAX["title"]})
    problem = TextAreaField(LABELS["problem"], render_kw={"rows": 4, "maxlength": MAX["problem"]})
    solution = TextAreaField(
        LABELS["solution"], render_kw={"rows": 4, "maxlength": MAX["solution"]}
    )
    sector = SelectField(LABELS["sector"], choices=_choices(SECTOR_LABELS))
    region_code = SelectField(LABELS["region_code"], choices=[], validate_choice=False)
    province_code = SelectField(LABELS["province_code"], choices=[], validate_choice=False)
    commune_code = SelectField(LABELS["commune_code"], choices=[], validate_choice=False)
    beneficiaries = TextAreaField(
        LABELS["beneficiaries"], render_kw={"rows": 2, "maxlength": MAX["beneficiaries"]}
    )
    local_resources = TextAreaField(
        LABELS["local_resources"], render_kw={"rows": 2, "maxlength": MAX["local_resources"]}
    )
    expected_jobs = StringField(LABELS["expected_jobs"], render_kw=_numeric())
    budget_mad = StringField(LABELS["budget_mad"], render_kw=_numeric(placeholder="250\u00a0000"))
    financing_sought_mad = StringField(
        LABELS["financing_sought_mad"], render_kw=_numeric(placeholder="150\u00a0000")
    )
    team_kind = RadioField(
        LABELS["team_kind"], choices=_choices(TEAM_LABELS, blank=False), default=TeamKind.GROUP
    )
    cooperative_name = StringField(
        LABELS["cooperative_name"], render_kw={"maxlength": MAX["cooperative_name"]}
    )
    cooperative_members = StringField(LABELS["cooperative_members"], render_kw=_numeric())
    lead_name = StringField(
        LABELS["lead_name"], render_kw={"maxlength": MAX["lead_name"], "autocomplete": "name"}
    )
    lead_phone = StringField(
        LABELS["lead_phone"],
        render_kw={
            "inputmode": "tel",
            "autocomplete": "tel",
            "placeholder": "06\u00a012\u00a034\u00a056\u00a078",
            "dir": "ltr",
        },
    )
    lead_email = StringField(
        LABELS["lead_email"],
        render_kw={
            "inputmode": "email",
            "autocomplete": "email",
            "dir": "ltr",
            "maxlength": MAX["lead_email"],
        },
    )
    lead_gender = SelectField(LABELS["lead_gender"], choices=_choices(GENDER_LABELS))
    lead_age_bracket = SelectField(LABELS["lead_age_bracket"], choices=_choices(AGE_LABELS))
    lead_status = SelectField(LABELS["lead_status"], choices=_choices(STATUS_LABELS))
    other_members = TextAreaField(
        LABELS["other_members"], render_kw={"rows": 2, "maxlength": MAX["other_members"]}
    )
    attachment = FileField(
        _l("Attachment (optional): PDF or photo"),
        render_kw={"accept": "application/pdf,image/png,image/jpeg"},
    )
    consent = BooleanField(
        _l(
            "I agree that my personal data be processed to take part in this competition and "
            "to be contacted about my idea (Law 09-08)."
        )
    )

    def __init__(self, *args, assisted: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        set_place_choices(self, current_language())
        if assisted:
            self.consent.label.text = _l(
                "The participant agrees, after I read it to them, that their personal data be "
                "processed for this competition (Law 09-08)."
            )


def set_place_choices(form, lang: str) -> None:
    """The region, province and commune lists of a form, names in `lang`: every province under
    its region's name (a script narrows the list to the chosen region), the communes of the
    chosen province (a script fetches them when the province changes)."""
    form.region_code.choices = [
        _BLANK,
        *(SelectChoice(r.code, r.name(lang)) for r in places.regions()),
    ]
    form.province_code.choices = {
        None: [_BLANK],
        **{
            r.name(lang): [SelectChoice(p.code, p.name(lang)) for p in places.provinces(r.code)]
            for r in places.regions()
        },
    }
    province = form.province_code.data
    form.commune_code.choices = [
        SelectChoice("", _l("None in particular")),
        *(
            SelectChoice(c.code, c.name(lang))
            for c in (places.communes(province) if places.is_code(province, "province") else ())
        ),
    ]


class EligibilityForm(FlaskForm):
    eligibility = RadioField(_l("Eligibility"), choices=_choices(ELIGIBILITY_LABELS, blank=False))
    reason = StringField(
        _l("Reason (required when not eligible)"),
        render_kw={"maxlength": INELIGIBLE_REASON.max_length},
    )


class DuplicateForm(FlaskForm):
    original_code = StringField(
        _l("Receipt code of the original idea"), render_kw={"dir": "ltr", "placeholder": "OUJ-7K3D"}
    )


class CorrectionForm(FlaskForm):
    pass


for _name in CORRECTABLE:
    if _name in ("problem", "solution", "beneficiaries", "local_resources", "other_members"):
        _field = TextAreaField(LABELS[_name], render_kw={"rows": 3, "maxlength": MAX[_name]})
    else:
        _field = StringField(LABELS[_name], render_kw={"maxlength": MAX[_name]})
    setattr(CorrectionForm, _name, _field)


class LookupForm(FlaskForm):
    code = StringField(
        _l("Receipt code"),
        render_kw={
            "dir": "ltr",
            "placeholder": "OUJ-7K3D",
            "autocomplete": "off",
            "autocapitalize": "characters",
        },
    )
    phone = StringField(
        _l("Phone number given with the idea"),
        render_kw={
            "dir": "ltr",
            "inputmode": "tel",
            "placeholder": "06\u00a012\u00a034\u00a056\u00a078",
        },
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("Excel file (.xlsx) filled from the template"),
        render_kw={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )
