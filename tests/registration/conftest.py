"""Builders for the registration tests: an event with its registration form open."""

import itertools

from extensions import db
from registration import services
from tests.builders import make_event

_phones = itertools.count(10_000_000)


def open_registration(capacity=None, **event_fields):
    event = make_event(**event_fields)
    services.configure(
        event, {"is_open": "y", "capacity": "" if capacity is None else str(capacity)}, by=None
    )
    db.session.commit()
    return event


def person(**overrides) -> dict:
    """What someone types on the registration form (a fresh phone each time)."""
    data = {
        "name": "Khadija Alaoui",
        "phone": f"06{next(_phones):08d}",
        "email": "khadija@example.ma",
        "gender": "female",
        "age_bracket": "under_25",
        "status": "job_seeker",
        "consent": "y",
    }
    data.update(overrides)
    return data


def register(event, **overrides):
    registrant = services.register(event, person(**overrides))
    db.session.commit()
    return registrant
