"""Every text a user may type, at its limit (kept) and one character past it (refused with a
clear message, nothing stored, what was typed given back, never a 500). Run on PostgreSQL too:
there a text too long for its column would raise where SQLite stores it."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bank.models import BankProject, FinancingApplication, FinancingProgramme, Partner
from competitions.models import Competition, Criterion, Event, Rubric
from competitions.states import EventState
from emailtemplates.models import EmailTemplate
from extensions import db
from judging import paper
from judging.models import (
    Conflict,
    Deliberation,
    ScoreSheet,
    ShortlistEntry,
    SpecialPrize,
    WinnerChoice,
)
from judging.states import PrizeRule
from registration.models import Registrant
from submissions import questions
from submissions.models import Answer, DeletionRequest, Idea, Question, TeamMember
from tests.builders import make_bank_project, make_competition, make_event, make_idea, make_user
from tests.judging.conftest import build_judging, fill, set_state, sheet_of
from tests.registration.conftest import open_registration, person
from tests.submissions.conftest import form_data

TOO_LONG = "au maximum"  # "At most %(max)s characters (%(got)s typed)." in French


def text_of(length: int) -> str:
    """Latin and Arabic letters: a database counting bytes instead of characters would fail."""
    return ("éب" * length)[:length]


def email_of(length: int) -> str:
    """A valid address of exactly `length` characters (labels of at most 63)."""
    local, left = "a" * 64, length - 64 - 1 - 3  # '@' and '.ma'
    labels = []
    while left > 63:
        labels.append("b" * 62)
        left -= 63
    labels.append("b" * left)
    return f"{local}@{'.'.join(labels)}.ma"


@dataclass
class Sent:
    response: object
    stored: Callable[[], object]  # the value in the database now (None: nothing stored)


# --- One sender per route: (client, login, field, value) → Sent ------------------------------


def idea_form(client, login, field, value):
    event = make_event()
    extra = {"team_kind": "cooperative"} if field == "cooperative_name" else {}
    response = client.post(
        f"/e/{event.slug}/submit",
        data=form_data(**{field: value}, **extra),
        content_type="multipart/form-data",
    )

    def stored():
        idea = db.session.scalar(select(Idea).where(Idea.event_id == event.id))
        return getattr(idea, field) if idea else None

    return Sent(response, stored)


def idea_correction(client, login, field, value):
    event = make_event()
    idea = make_idea(event, cooperative_name="Al Amal")
    login(make_user())
    response = client.post(
        f"/tour/events/{event.slug}/ideas/{idea.id}/correct", data={field: value}
    )
    return Sent(response, lambda: _fresh(Idea, idea.id, field))


def ineligibility(client, login, field, value):
    event = make_event()
    idea = make_idea(event, eligibility="pending")
    login(make_user())
    response = client.post(
        f"/tour/events/{event.slug}/ideas/{idea.id}/eligibility",
        data={"eligibility": "ineligible", "reason": value},
    )
    return Sent(response, lambda: _fresh(Idea, idea.id, "ineligible_reason"))


def deletion_reason(client, login, field, value):
    idea = make_idea(make_event())
    response = client.post(
        "/privacy/my-data/delete",
        data={"code": idea.receipt_code, "phone": "0612345678", "reason": value},
    )
    return Sent(response, lambda: db.session.scalar(select(DeletionRequest.reason)))


def deletion_refusal(client, login, field, value):
    idea = make_idea(make_event())
    request = DeletionRequest(idea_id=idea.id, event_id=idea.event_id)
    db.session.add(request)
    db.session.commit()
    login(make_user())
    response = client.post(
        f"/tour/privacy/requests/{request.id}/refuse",
        data={"reason": value},
        follow_redirects=True,
    )
    return Sent(response, lambda: _fresh(DeletionRequest, request.id, "refusal_reason"))


def judge_comment(client, login, field, value):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    response = client.post(f"/jury/sheets/{sheet.id}/score", json={"comment": value})
    return Sent(response, lambda: _fresh(ScoreSheet, sheet.id, "comment") or None)


def conflict_reason(client, login, field, value):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    login(judges[0])
    response = client.post(
        f"/jury/sheets/{sheet.id}/conflict", data={"reason": value}, follow_redirects=True
    )
    return Sent(response, lambda: db.session.scalar(select(Conflict.reason)))


def organiser_conflict_reason(client, login, field, value):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, state=EventState.OPEN)
    login(make_user())
    response = client.post(
        f"/judging/{event.slug}/conflicts",
        data={"judge_id": judges[0].id, "idea_id": ideas[0].id, "reason": value},
        follow_redirects=True,
    )
    return Sent(response, lambda: db.session.scalar(select(Conflict.reason)))


def in_deliberation():
    """Two ideas scored 5 and 3 by two judges, in deliberation, one winner."""
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2, winners_count=1)
    for idea, mark in zip(ideas, (5, 3), strict=True):
        for judge in judges:
            fill(sheet_of(idea, judge), mark)
    set_state(event, "deliberation")
    return event, ideas


def deliberation_text(client, login, field, value):
    event, _ideas = in_deliberation()
    login(make_user())
    route = "notes" if field == "notes" else "method"
    data = {field: value, "method": "normalised"}
    response = client.post(f"/judging/{event.slug}/{route}", data=data)
    return Sent(response, lambda: db.session.scalar(select(getattr(Deliberation, field))) or None)


def override_reason(client, login, field, value):
    event, ideas = in_deliberation()
    login(make_user())
    response = client.post(
        f"/judging/{event.slug}/winners",
        data={"winner": [ideas[0].id, ideas[1].id], f"reason_{ideas[1].id}": value},
        follow_redirects=True,
    )
    return Sent(
        response,
        lambda: db.session.scalar(
            select(WinnerChoice.override_reason).where(WinnerChoice.idea_id == ideas[1].id)
        ),
    )


def paper_score_comment(client, login, field, value):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    columns = paper.FIXED + len(event.rubric.criteria)
    with tempfile.TemporaryDirectory() as folder:
        path = paper.write_score_sheet(event, Path(folder) / "scores.xlsx")
        workbook = load_workbook(path)
        for column in range(paper.FIXED + 1, columns + 1):
            workbook.active.cell(row=2, column=column, value=3)
        workbook.active.cell(row=2, column=columns + 1, value=value)
        workbook.save(path)
        login(make_user())
        response = client.post(
            f"/judging/{event.slug}/import-scores",
            data={"file": (BytesIO(path.read_bytes()), "scores.xlsx")},
            follow_redirects=True,
        )
    return Sent(response, lambda: db.session.scalar(select(ScoreSheet.comment)) or None)


def prize_form(client, login, field, value):
    event = make_event(state=EventState.JUDGING)
    login(make_user())
    data = {"name": "Prix", "rule": PrizeRule.WOMEN_LED, field: value}
    response = client.post(f"/events/{event.slug}/prizes", data=data, follow_redirects=True)
    return Sent(response, lambda: db.session.scalar(select(getattr(SpecialPrize, field))))


def shortlist_reason(client, login, field, value):
    from judging import rounds

    event, ideas, judges = build_judging(n_ideas=3, n_judges=2)
    for idea, mark in zip(ideas, (5, 4, 3), strict=True):
        for judge in judges:
            fill(sheet_of(idea, judge), mark)
    rounds.save_pitch_round(
        event, {"shortlist_size": "1", "pitch_minutes": "5", "questions_minutes": "3"}, judges[0]
    )
    db.session.commit()
    login(make_user())
    data = {"idea_id": [ideas[0].id, ideas[2].id], "reason": value, "confirm": "yes"}
    response = client.post(f"/events/{event.slug}/rounds/start", data=data)
    return Sent(
        response,
        lambda: db.session.scalar(
            select(ShortlistEntry.reason).where(ShortlistEntry.idea_id == ideas[2].id)
        ),
    )


def triage_comment(client, login, field, value):
    from judging import rounds

    event = make_event(state=EventState.JUDGING)
    idea = make_idea(event)
    organiser = login(make_user())
    rounds.save_pitch_round(
        event,
        {"shortlist_size": "1", "pitch_minutes": "5", "questions_minutes": "3",
         "triage_rubric_id": str(event.rubric.id)},
        organiser,
    )  # fmt: skip
    db.session.commit()
    response = client.post(f"/events/{event.slug}/triage/{idea.id}", data={"comment": value})
    return Sent(response, lambda: db.session.scalar(select(ScoreSheet.comment)) or None)


def bank_edit(client, login, field, value):
    project, data = make_bank_project()
    login(make_user())
    if field == "financing_source":
        data.update(financing_source=[value], financing_amount=["1000"])
    else:
        data[field] = value
    response = client.post(f"/tour/bank/{project.id}/edit", data=data)

    def stored():
        db.session.expire_all()
        project_now = db.session.get(BankProject, project.id)
        if field == "financing_source":
            rows = project_now.financing_sources
            return rows[0]["source"] if rows else None
        return getattr(project_now, field) or None

    return Sent(response, stored)


def event_form(client, login, field, value):
    competition = make_competition()
    login(make_user())
    data = {
        "city": "Oujda",
        "region_code": "02",
        "date": "2025-04-03",
        "winners_count": "3",
        "languages": ["ar", "fr"],
        "judges_per_idea": "3",
        "min_judges": "2",
        field: value,
    }
    response = client.post(f"/tour/competitions/{competition.slug}/events/new", data=data)
    return Sent(
        response,
        lambda: db.session.scalar(
            select(getattr(Event, field)).where(Event.competition_id == competition.id)
        ),
    )


def competition_form(client, login, field, value):
    login(make_user())
    data = {"name": "Idéathon", "year": "2026", field: value}
    response = client.post("/tour/competitions/new", data=data)
    return Sent(response, lambda: db.session.scalar(select(getattr(Competition, field))))


def rubric_name_form(client, login, field, value):
    rubric = make_competition().rubric
    login(make_user())
    data = {"name": "Grille", "name_ar": "", "name_en": "", field: value}
    response = client.post(f"/tour/rubrics/{rubric.id}/name", data=data)
    return Sent(response, lambda: _fresh(Rubric, rubric.id, field))


def criterion_form(client, login, field, value):
    competition = make_competition()
    rubric = db.session.scalar(select(Rubric).where(Rubric.id == competition.rubric_id))
    login(make_user())
    data = {"name_fr": "Ancrage", "weight": "1", "scale_min": "1", "scale_max": "5"}
    data[field] = value
    response = client.post(f"/tour/rubrics/{rubric.id}/criteria/new", data=data)

    def stored():
        criterion = db.session.scalar(
            select(Criterion)
            .where(Criterion.rubric_id == rubric.id)
            .order_by(Criterion.id.desc())
            .limit(1)
        )
        if field == "key":
            return criterion.key
        group, lang = field.rsplit("_", 1)
        if group.startswith("level_"):
            texts = criterion.descriptor(group.removeprefix("level_"))
        else:
            texts = {"name": criterion.name, "description": criterion.description}[group]
        return (texts or {}).get(lang)

    return Sent(response, stored)


def jury_form(client, login, field, value):
    event = make_event()
    login(make_user())
    data = {"email": "nouveau@example.ma", "name": "Nouveau", "panel": "1", field: value}
    response = client.post(f"/tour/events/{event.slug}/jury", data=data)
    from accounts.models import User

    return Sent(
        response,
        lambda: db.session.scalar(select(getattr(User, field)).where(User.role == "jury")),
    )


def invitation_form(client, login, field, value):
    login(make_user())
    data = {"email": "nouveau@example.ma", "name": "Nouveau", "role": "viewer", field: value}
    response = client.post("/tour/accounts/invite", data=data)
    from accounts.models import User

    return Sent(
        response,
        lambda: db.session.scalar(select(getattr(User, field)).where(User.role == "viewer")),
    )


def question_form(client, login, field, value):
    event = make_event()
    login(make_user())
    data = {"text": "Question ?", "kind": "short_text", field: value}
    response = client.post(f"/tour/events/{event.slug}/questions", data=data)
    return Sent(
        response,
        lambda: db.session.scalar(
            select(getattr(Question, field)).where(Question.event_id == event.id)
        ),
    )


def team_member(client, login, field, value):
    event = make_event()
    typed_ = {"member-0-name": "Sara", "member-0-consent": "y", f"member-0-{field}": value}
    response = client.post(
        f"/e/{event.slug}/submit", data=form_data(**typed_), content_type="multipart/form-data"
    )
    return Sent(response, lambda: db.session.scalar(select(getattr(TeamMember, field))))


def question_answer(client, login, field, value):
    """`field` is the question's kind: its answer's default limit."""
    event = make_event()
    question = questions.add_question(event.id, {"text": "Q", "kind": field}, by=make_user())
    db.session.commit()
    response = client.post(
        f"/e/{event.slug}/submit",
        data=form_data(**{question.field_name: value}),
        content_type="multipart/form-data",
    )
    return Sent(response, lambda: db.session.scalar(select(Answer.value)))


def registration_form(client, login, field, value):
    event = open_registration()
    data = person(**{field: value})
    response = client.post(f"/e/{event.slug}/register", data=data)
    return Sent(response, lambda: db.session.scalar(select(getattr(Registrant, field))))


def email_template_form(client, login, field, value):
    event = make_event()
    login(make_user())
    data = {"action": "save", "subject": "Reçu", "body": "Bonjour", field: value}
    response = client.post(f"/e/{event.slug}/emails/receipt/fr", data=data)
    return Sent(response, lambda: db.session.scalar(select(getattr(EmailTemplate, field))))


def _fresh(model, id_, field):
    db.session.expire_all()
    return getattr(db.session.get(model, id_), field)


# --- The table: (route, field, limit, message on limit + 1) ----------------------------------

IDEA_TEXTS = {
    "title": 200,
    "problem": 10_000,
    "solution": 10_000,
    "beneficiaries": 5_000,
    "local_resources": 5_000,
    "cooperative_name": 200,
    "lead_name": 200,
    "other_members": 5_000,
}
BANK_TEXTS = {
    "channels": 2_000,
    "resources": 2_000,
    "title": 200,
    "summary": 5_000,
    "target_group": 2_000,
    "team": 2_000,
    "cooperative_name": 200,
    "contact_name": 200,
    "products": 2_000,
    "customers": 2_000,
    "revenue_sources": 2_000,
    "main_costs": 2_000,
    "break_even": 200,
    "partners": 2_000,
    "financing_source": 100,
}


def programme_form(client, login, field, value):
    login(make_user())
    data = {"name": "INDH", "kind": "public", field: value}
    response = client.post("/tour/bank/programmes/new", data=data)

    def stored():
        programme = db.session.scalar(select(FinancingProgramme))
        return getattr(programme, field) if programme else None

    return Sent(response, stored)


def partner_form(client, login, field, value):
    login(make_user())
    data = {"name": "ANAPEC", "kind": "public_agency", field: value}
    response = client.post("/tour/bank/partners/new", data=data)

    def stored():
        partner = db.session.scalar(select(Partner))
        return getattr(partner, field) if partner else None

    return Sent(response, stored)


def application_form(client, login, field, value):
    project, _ = make_bank_project()
    programme = FinancingProgramme(name="INDH", kind="public")
    db.session.add(programme)
    db.session.commit()
    login(make_user())
    data = {"programme_id": programme.id, "amount_asked_mad": "100000", "filed_on": "2025-03-01"}
    response = client.post(f"/tour/bank/{project.id}/applications", data={**data, field: value})
    return Sent(response, lambda: db.session.scalar(select(FinancingApplication.note)))


CATALOGUE_TEXTS = {"name": 200, "contact_name": 200, "website": 300}

LIMITS = [
    *((idea_form, field, limit, TOO_LONG) for field, limit in IDEA_TEXTS.items()),
    (idea_form, "lead_email", 254, "adresse e-mail valide"),
    *((idea_correction, field, limit, TOO_LONG) for field, limit in IDEA_TEXTS.items()),
    (ineligibility, "reason", 500, TOO_LONG),
    (deletion_reason, "reason", 1_000, TOO_LONG),
    (deletion_refusal, "reason", 1_000, TOO_LONG),
    (judge_comment, "comment", 5_000, TOO_LONG),
    (paper_score_comment, "comment", 5_000, TOO_LONG),
    (triage_comment, "comment", 5_000, TOO_LONG),
    (conflict_reason, "reason", 1_000, TOO_LONG),
    (organiser_conflict_reason, "reason", 1_000, TOO_LONG),
    (override_reason, "reason", 2_000, TOO_LONG),
    (deliberation_text, "notes", 20_000, TOO_LONG),
    (deliberation_text, "method_reason", 1_000, TOO_LONG),
    *((bank_edit, field, limit, TOO_LONG) for field, limit in BANK_TEXTS.items()),
    (bank_edit, "contact_email", 254, "adresse e-mail valide"),
    *((programme_form, field, limit, TOO_LONG) for field, limit in CATALOGUE_TEXTS.items()),
    (programme_form, "funder", 200, TOO_LONG),
    (programme_form, "description", 3_000, TOO_LONG),
    (programme_form, "contact_email", 254, "adresse e-mail valide"),
    *((partner_form, field, limit, TOO_LONG) for field, limit in CATALOGUE_TEXTS.items()),
    (partner_form, "services", 3_000, TOO_LONG),
    (application_form, "note", 2_000, TOO_LONG),
    (event_form, "city", 100, TOO_LONG),
    (event_form, "city_ar", 100, TOO_LONG),
    (event_form, "city_en", 100, TOO_LONG),
    (event_form, "venue", 200, TOO_LONG),
    (event_form, "venue_ar", 200, TOO_LONG),
    (event_form, "venue_en", 200, TOO_LONG),
    (event_form, "slug", 80, "minuscules"),
    (competition_form, "name", 200, TOO_LONG),
    (competition_form, "name_ar", 200, TOO_LONG),
    (competition_form, "name_en", 200, TOO_LONG),
    (competition_form, "slug", 80, "minuscules"),
    (rubric_name_form, "name", 200, TOO_LONG),
    (rubric_name_form, "name_ar", 200, TOO_LONG),
    (rubric_name_form, "name_en", 200, TOO_LONG),
    (criterion_form, "name_fr", 200, TOO_LONG),
    (criterion_form, "name_ar", 200, TOO_LONG),
    (criterion_form, "description_en", 2_000, TOO_LONG),
    (criterion_form, "level_1_fr", 1_000, TOO_LONG),
    (criterion_form, "level_3_en", 1_000, TOO_LONG),
    (criterion_form, "level_5_ar", 1_000, TOO_LONG),
    (criterion_form, "key", 40, TOO_LONG),
    (jury_form, "name", 200, TOO_LONG),
    (jury_form, "email", 254, "adresse e-mail valide"),
    (invitation_form, "name", 200, TOO_LONG),
    (invitation_form, "email", 254, "adresse e-mail valide"),
    (question_form, "text", 500, TOO_LONG),
    (question_form, "text_ar", 500, TOO_LONG),
    (question_form, "text_en", 500, TOO_LONG),
    (team_member, "name", 200, TOO_LONG),
    (team_member, "role", 100, TOO_LONG),
    (question_answer, "short_text", 200, TOO_LONG),
    (question_answer, "long_text", 2_000, TOO_LONG),
    (prize_form, "name", 200, TOO_LONG),
    (prize_form, "name_ar", 200, TOO_LONG),
    (prize_form, "name_en", 200, TOO_LONG),
    (shortlist_reason, "reason", 2_000, TOO_LONG),
    (registration_form, "name", 200, TOO_LONG),
    (registration_form, "email", 254, "adresse e-mail valide"),
    (email_template_form, "subject", 200, TOO_LONG),
    (email_template_form, "body", 10_000, TOO_LONG),
]
# Values whose form is constrained: an address, a key, an e-mail.
SHAPED = {"slug": lambda n: "a" * n, "key": lambda n: "k" * n}
FLASHED = (
    conflict_reason,
    organiser_conflict_reason,
    paper_score_comment,
    deletion_refusal,
    prize_form,
)  # refused with a flash after a 303 (see below)


def typed(field: str, length: int) -> str:
    if field == "website":
        return ("https://" + "a" * length)[:length]
    if field in SHAPED:
        return SHAPED[field](length)
    if "email" in field:
        return email_of(length)
    return text_of(length)


def _ids(row):
    return f"{row[0].__name__}-{row[1]}-{row[2]}"


@pytest.mark.parametrize(("send", "field", "limit", "message"), LIMITS, ids=map(_ids, LIMITS))
def test_a_text_at_its_limit_is_kept(client, login, send, field, limit, message):
    value = typed(field, limit)
    sent = send(client, login, field, value)
    assert sent.response.status_code in (200, 302, 303), sent.response.status_code
    assert sent.stored() == value


@pytest.mark.parametrize(("send", "field", "limit", "message"), LIMITS, ids=map(_ids, LIMITS))
def test_a_text_one_past_its_limit_is_refused_clearly_and_nothing_is_stored(
    client, login, send, field, limit, message
):
    value = typed(field, limit + 1)
    sent = send(client, login, field, value)
    body = sent.response.get_data(as_text=True)
    if send in FLASHED:
        # These refuse with a flash on the page they redirect to (the view idiom of judging;
        # the browser's maxlength keeps a typed text from reaching the limit).
        assert sent.response.status_code == 200 and sent.response.history[0].status_code == 303
    else:
        assert 400 <= sent.response.status_code < 500, sent.response.status_code
        if send is not judge_comment:  # the tablet keeps the text; the JSON says why
            assert value in body, "what was typed is given back"
    assert message in body
    assert sent.stored() != value
