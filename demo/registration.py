"""The demo's registration: Laâyoune (being prepared) takes registrations before the day, with
a full house, a waiting list and a few people already checked in at a rehearsal."""

from sqlalchemy import func, select

from competitions.services import get_event
from extensions import db
from registration import services
from registration.models import Registrant

SLUG = "laayoune-2025"
CAPACITY = 24
PEOPLE = (  # name, gender, age bracket, status
    ("Mariem Ould Ahmed", "female", "under_25", "job_seeker"),
    ("Salek Ould Sidi", "male", "25_34", "project_holder"),
    ("Fatimetou Lahbib", "female", "25_34", "cooperative_member"),
    ("Brahim Ma El Ainine", "male", "35_44", "cooperative_member"),
    ("Aicha Bouya", "female", "under_25", "job_seeker"),
    ("Mohamed Lamine Salem", "male", "under_25", "job_seeker"),
    ("Khadijatou Ahmed Baba", "female", "45_plus", "cooperative_member"),
    ("Sidi Mohamed Boukhari", "male", "25_34", "project_holder"),
    ("Nana Mint Ely", "female", "35_44", "project_holder"),
    ("Ahmed Salem Bachir", "unspecified", "25_34", "job_seeker"),
)
REGISTRANTS = 28  # four more than the places: a waiting list
CHECKED_IN = 9


def seed_registration(organiser) -> int:
    """Open Laâyoune's registration and fill it; returns the registrants created (0 once done)."""
    event = get_event(SLUG)
    if event is None or db.session.scalar(
        select(func.count(Registrant.id)).where(Registrant.event_id == event.id)
    ):
        return 0
    services.configure(event, {"is_open": "y", "capacity": str(CAPACITY)}, by=organiser)
    created = []
    for n in range(REGISTRANTS):
        name, gender, age, status = PEOPLE[n % len(PEOPLE)]
        data = {
            "name": name if n < len(PEOPLE) else f"{name} {n // len(PEOPLE) + 1}",
            "phone": f"0661{n:06d}",
            "gender": gender,
            "age_bracket": age,
            "status": status,
            "consent": "y",
        }
        created.append(services.register(event, data, locale="ar" if n % 3 == 0 else "fr"))
    for registrant in created[:CHECKED_IN]:
        services.check_in(event, registrant.code, by=organiser)
    services.cancel(created[CHECKED_IN], by=organiser)  # the first waiting takes the place
    db.session.flush()
    return len(created)
