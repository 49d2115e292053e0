"""The messages organisers may rewrite and, for each, the variables its text may use: a label, a
sample for the preview, and how the value is read from what the sender passes (its context).
Only these plain values (text, numbers, yes/no, a list of texts) reach a template: never a
record, so no template can reach beyond them."""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from i18n import event_city
from jobs.outbox import external_url


@dataclass(frozen=True)
class Variable:
    label: object  # lazy text
    read: object  # context -> value
    sample: object  # event -> value, for the preview and the test send


@dataclass(frozen=True)
class Kind:
    label: object
    variables: dict


def _city(context):
    return str(event_city(context["event"]))


def _date(context):
    return format_date(context["event"].date, "long")


def _sample_city(event):
    return str(event_city(event))


def _sample_date(event):
    return format_date(event.date or date.today(), "long")


_FOLLOW = Variable(
    _l("Address where participants follow their idea"),
    lambda c: external_url("submissions.receipt_lookup"),
    lambda e: external_url("submissions.receipt_lookup"),
)
_CITY = Variable(_l("City of the event"), _city, _sample_city)
_DATE = Variable(_l("Date of the event"), _date, _sample_date)


def _idea(attribute, label, sample):
    return Variable(label, lambda c: getattr(c["idea"], attribute) or "", lambda e: sample)


_NAME = _idea("lead_name", _l("Name of the team lead"), "Fatima Zahra")
_TITLE = _idea("title", _l("Title of the idea"), "Coopérative de couscous")
_CODE = _idea("receipt_code", _l("Receipt code"), "OUJ-7K3D")

KINDS = {
    "receipt": Kind(
        _l("Receipt of an idea"),
        {
            "name": _NAME,
            "idea_title": _TITLE,
            "receipt_code": _CODE,
            "city": _CITY,
            "event_date": _DATE,
            "follow_url": _FOLLOW,
        },
    ),
    "registration_ticket": Kind(
        _l("Registration ticket"),
        {
            "name": Variable(
                _l("Name of the registrant"), lambda c: c["registrant"].name, lambda e: "Amina"
            ),
            "city": _CITY,
            "event_date": _DATE,
            "code": Variable(
                _l("Registration code"), lambda c: c["registrant"].code, lambda e: "K7D3M-9QX2A"
            ),
            "ticket_url": Variable(
                _l("Address of the ticket (its QR code)"),
                lambda c: external_url(
                    "registration.ticket", slug=c["event"].slug, code=c["registrant"].code
                ),
                lambda e: external_url("registration.ticket", slug=e.slug, code="K7D3M-9QX2A"),
            ),
            "idea_form_url": Variable(
                _l("Address of the idea form, filled in from the registration"),
                lambda c: external_url(
                    "submissions.submit", slug=c["event"].slug, registration=c["registrant"].code
                ),
                lambda e: external_url(
                    "submissions.submit", slug=e.slug, registration="K7D3M-9QX2A"
                ),
            ),
            "has_place": Variable(
                _l("Yes when a place is held (no: on the waiting list)"),
                lambda c: c["registrant"].has_place,
                lambda e: True,
            ),
            "waiting_position": Variable(
                _l("Rank on the waiting list"), lambda c: c.get("position"), lambda e: None
            ),
            "promoted": Variable(
                _l("Yes when a freed place was just given"),
                lambda c: bool(c.get("promoted")),
                lambda e: False,
            ),
        },
    ),
    "results": Kind(
        _l("Results"),
        {
            "name": _NAME,
            "idea_title": _TITLE,
            "receipt_code": _CODE,
            "city": _CITY,
            "is_winner": Variable(
                _l("Yes when the idea won"), lambda c: bool(c.get("is_winner")), lambda e: True
            ),
            "rank": Variable(_l("Rank of the idea"), lambda c: c.get("rank"), lambda e: 2),
            "comments": Variable(
                _l("The jury's comments (a list)"),
                lambda c: [str(x) for x in c.get("comments") or []],
                lambda e: ["Projet solide, marché local identifié."],
            ),
            "certificate_url": Variable(
                _l("Address of the certificate (PDF)"),
                lambda c: c.get("certificate_url") or "",
                lambda e: external_url("submissions.receipt_lookup"),
            ),
            "follow_url": _FOLLOW,
        },
    ),
    "jury_reminder": Kind(
        _l("Reminder to judges"),
        {
            "name": Variable(_l("Name of the judge"), lambda c: c["user"].name, lambda e: "Karim"),
            "city": _CITY,
            "done": Variable(_l("Sheets submitted"), lambda c: c.get("done"), lambda e: 3),
            "total": Variable(_l("Sheets to score"), lambda c: c.get("total"), lambda e: 8),
            "login_url": Variable(
                _l("Address of the judge's sheets"),
                lambda c: c.get("login_url") or "",
                lambda e: external_url("judging.my_events"),
            ),
        },
    ),
}


def values_of(kind: str, context: dict) -> dict:
    """The variables' values for a message being sent."""
    return {name: variable.read(context) for name, variable in KINDS[kind].variables.items()}


def sample_values(kind: str, event) -> dict:
    """Sample values for the preview and the test send (the event's own city and date)."""
    return {name: variable.sample(event) for name, variable in KINDS[kind].variables.items()}
