"""What the simulated clients do: a participant submitting an idea through the public form, a
jury member signing in. Shared by the benchmarks and the load tests."""

from __future__ import annotations

import secrets
from datetime import date
from urllib.parse import urlencode, urlsplit

from bench.http import RECEIPT, Client, OperationError, hidden_inputs
from competitions.states import EventState

REGION = "02"  # L'Oriental (HCP code)


def idea_form(n: int, region: str = REGION) -> dict:
    """A valid idea as the public form posts it (number n makes it distinct)."""
    return {
        "title": f"Coopérative de couscous n° {n}",
        "problem": "Les femmes rurales de la commune n'ont pas de revenu régulier.",
        "solution": "Une coopérative qui roule, sèche et vend du couscous artisanal.",
        "sector": "agrifood",
        "region_code": region,
        "province_code": "02.411",  # Oujda-Angad
        "beneficiaries": "Femmes rurales",
        "local_resources": "Blé dur local",
        "expected_jobs": "8",
        "budget_mad": "250000",
        "financing_sought_mad": "150000",
        "team_kind": "group",
        "lead_name": f"Fatima Zahra {n}",
        "lead_phone": f"06{n % 10**8:08d}",
        "lead_gender": "female",
        "lead_age_bracket": "25_34",
        "lead_status": "job_seeker",
        "consent": "y",
    }


def local_path(location: str) -> str:
    """The path (and query) of a redirect's Location, absolute or not."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def submit_path(slug: str) -> str:
    return f"/e/{slug}/submit"


def fetch_form(client: Client, slug: str) -> dict:
    """GET the form: its hidden fields (csrf_token, submit_token)."""
    page = client.get(submit_path(slug))
    if page.status != 200:
        raise OperationError(f"GET form: {page.status}")
    return hidden_inputs(page.text)


def post_idea(client: Client, slug: str, hidden: dict, n: int) -> str:
    """POST one idea with the given hidden fields; return the receipt code shown for it."""
    return receipt_of(client, client.post_form(submit_path(slug), {**hidden, **idea_form(n)}))


def receipt_of(client: Client, response) -> str:
    """The receipt code that the answer to an idea's POST leads to."""
    if response.status in (301, 302, 303):
        match = RECEIPT.search(response.location)
        if match:
            return match.group(0)
        response = client.get(local_path(response.location))
    if response.status != 200:
        raise OperationError(f"POST idea: {response.status} {response.text[:200]!r}")
    match = RECEIPT.search(response.text)
    if not match:
        raise OperationError("no receipt code on the page after submitting")
    return match.group(0)


def new_submit_token() -> str:
    """A one-time submit token as the form carries it. The server takes it as an idempotency key
    (any well-formed one), so a client posting idea after idea can make its own."""
    return secrets.token_urlsafe(24)


def open_form(client: Client, slug: str) -> None:
    """Open the form once (cookies, CSRF token), for `post_another_idea`."""
    client.state["hidden"] = fetch_form(client, slug)


NUMBERED_FIELDS = tuple(k for k, v in idea_form(0).items() if idea_form(1)[k] != v)


def post_another_idea(client: Client, slug: str, n: int) -> str:
    """POST one more idea from a form opened before: its CSRF token, a new submit token. The
    fields that are the same in every idea are encoded once per client: a phone encodes its
    form on its own processor, while these clients share the server's two cores."""
    fixed = client.state.get("fixed_fields")
    if fixed is None:
        fields = {**client.state["hidden"], **idea_form(0)}
        for name in (*NUMBERED_FIELDS, "submit_token"):
            fields.pop(name, None)
        fixed = client.state["fixed_fields"] = urlencode(fields)
    idea = idea_form(n)
    changing = {"submit_token": new_submit_token(), **{k: idea[k] for k in NUMBERED_FIELDS}}
    body = f"{fixed}&{urlencode(changing)}"
    return receipt_of(client, client.post_form(submit_path(slug), body))


def submit_idea(client: Client, slug: str, n: int) -> str:
    """One participant: GET the form (tokens), POST the idea, read the receipt code."""
    return post_idea(client, slug, fetch_form(client, slug), n)


def sign_in(client: Client, email: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page = client.get("/login")
    hidden = hidden_inputs(page.text)
    response = client.post_form("/login", {**hidden, "email": email, "password": password})
    if response.status not in (302, 303):
        raise OperationError(f"sign-in of {email}: {response.status}")


def open_event(app, *, slug: str = "oujda-live", city: str = "Oujda", state: str = EventState.OPEN):
    """Create a competition (default rubric) and one event in `state` in the app's database."""
    from competitions.defaults import build_default_rubric
    from competitions.models import Competition, Event
    from extensions import db

    with app.app_context():
        competition = Competition(
            name="Idéathon charge", slug=f"{slug}-tour", year=2025, rubric=build_default_rubric()
        )
        event = Event(
            competition=competition,
            slug=slug,
            tour_order=1,
            city=city,
            city_ar="وجدة",
            region_code=REGION,
            venue="Maison des jeunes",
            date=date(2025, 4, 3),
            state=state,
        )
        db.session.add(event)
        db.session.commit()
        return event.id
