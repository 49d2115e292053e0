import html

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from bank.models import BankProject
from bank.services import BankValidationError, promote_winners, update_project
from extensions import db
from tests.builders import make_user


@pytest.fixture
def project(app, published):
    promote_winners(published["event"], None)
    db.session.commit()
    return db.session.scalar(
        select(BankProject).where(BankProject.idea_id == published["winner"].id)
    )


def _form(project, **changes) -> dict:
    """The edit form as the browser sends it, with the project's current values."""
    data = {
        name: "" if getattr(project, name) is None else str(getattr(project, name))
        for name in (
            "title",
            "summary",
            "sector",
            "region_code",
            "province_code",
            "commune_code",
            "target_group",
            "team",
            "cooperative_name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "products",
            "customers",
            "revenue_sources",
            "main_costs",
            "break_even",
            "partners",
            "status",
            "budget_mad",
            "financing_sought_mad",
            "expected_jobs",
            "members_count",  # carried from the idea's team on promotion
            "women_members",
            "youth_members",
        )
    }
    data["financing_source"] = [row["source"] for row in project.financing_sources]
    data["financing_amount"] = [str(row["amount_mad"]) for row in project.financing_sources]
    data.update(changes)
    return data


def _audits(project_id):
    return db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "bank_project", AuditEntry.entity_id == project_id)
        .where(AuditEntry.action != "promoted")
        .order_by(AuditEntry.id)
    ).all()


def test_organiser_edits_the_business_model_and_every_change_is_logged(client, login, project):
    organiser = login(make_user())
    response = client.post(
        f"/tour/bank/{project.id}/edit",
        data=_form(
            project,
            products="Couscous roulé à la main",
            customers="Épiceries fines, hôtels",
            break_even="18 mois",
            status="support",
            budget_mad="300 000",
            financing_source=["INDH", "Microcrédit", ""],
            financing_amount=["200000", "50 000", ""],
            partners="Association Tanmia",
        ),
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(BankProject, project.id)
    assert saved.products == "Couscous roulé à la main"
    assert saved.status == "support" and saved.budget_mad == 300_000
    assert saved.financing_sources == [
        {"source": "INDH", "amount_mad": 200_000},
        {"source": "Microcrédit", "amount_mad": 50_000},
    ]
    assert "tanmia" in saved.search_text  # partners are searchable
    (entry,) = _audits(project.id)
    assert entry.user_id == organiser.id and entry.action == "updated"
    assert entry.old["status"] == "idea" and entry.new["status"] == "support"
    assert entry.old["budget_mad"] == 250_000 and entry.new["budget_mad"] == 300_000
    assert entry.old["products"] == "" and entry.new["products"] == "Couscous roulé à la main"
    assert set(entry.new) == {
        "products",
        "customers",
        "break_even",
        "status",
        "budget_mad",
        "financing_sources",
        "partners",
    }


def test_status_moves_back_to_correct_a_mistake(app, project):
    organiser = make_user()
    update_project(project, {"status": "funded"}, organiser)
    update_project(project, {"status": "founded"}, organiser)
    db.session.commit()
    assert project.status == "founded"
    entries = _audits(project.id)
    assert [(e.old["status"], e.new["status"]) for e in entries] == [
        ("idea", "funded"),
        ("funded", "founded"),
    ]
    assert {e.action for e in entries} == {"status_changed"}


def test_saving_without_change_logs_nothing(client, login, project):
    login(make_user())
    response = client.post(
        f"/tour/bank/{project.id}/edit", data=_form(project), follow_redirects=True
    )
    assert "Rien n'a été modifié" in html.unescape(response.get_data(as_text=True))
    assert _audits(project.id) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"budget_mad": "-5000"}, "budget_mad", "montant de 0 ou plus"),
        ({"financing_sought_mad": "12.50"}, "financing_sought_mad", "nombre entier de dirhams"),
        ({"budget_mad": "beaucoup"}, "budget_mad", "montant en dirhams"),
        ({"expected_jobs": "-1"}, "expected_jobs", "nombre entier de 0 à 100\u202f000"),
        ({"status": "closed"}, "status", "Choisissez une des options de la liste"),
        ({"sector": "mining"}, "sector", "Choisissez une des options de la liste"),
        ({"title": "  "}, "title", "Ce champ est obligatoire"),
        ({"title": "x" * 201}, "title", "200 caractères au maximum (201 saisis)"),
        ({"break_even": "y" * 201}, "break_even", "200 caractères au maximum"),
        ({"contact_email": "pas-un-mail"}, "contact_email", "adresse e-mail valide"),
        ({"region_code": ""}, "region_code", "Choisissez la région."),
        ({"region_code": "x" * 5000}, "region_code", "Choisissez une des 12 régions de la liste."),
        ({"province_code": "09.581"}, "province_code", "n'est pas dans la région choisie"),
        ({"province_code": "99.999"}, "province_code", "Choisissez une des provinces de la liste."),
        ({"commune_code": "02.113.01.01"}, "commune_code", "n'est pas dans la province choisie"),
        (
            {"financing_source": ["INDH"], "financing_amount": ["-300"]},
            "financing_sources",
            "montant de 0 ou plus",
        ),
        (
            {"financing_source": [""], "financing_amount": ["300"]},
            "financing_sources",
            "doit avoir un nom",
        ),
        (
            {"financing_source": ["INDH"], "financing_amount": [""]},
            "financing_sources",
            "Indiquez le montant en dirhams pour INDH",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, login, project, changes, field, message
):
    login(make_user())
    before = (project.title, project.budget_mad, project.status, project.sector)
    response = client.post(
        f"/tour/bank/{project.id}/edit", data=_form(project, products="Nouveau", **changes)
    )
    assert response.status_code == 422
    body = html.unescape(response.get_data(as_text=True))
    assert message in body
    assert "Corrigez les champs signalés en rouge" in body
    assert "Nouveau" in body  # what was typed is kept in the form
    db.session.expire_all()
    saved = db.session.get(BankProject, project.id)
    assert (saved.title, saved.budget_mad, saved.status, saved.sector) == before
    assert saved.products == ""
    assert _audits(project.id) == []


def test_the_place_is_chosen_from_the_lists_and_logged(client, login, project):
    login(make_user())
    response = client.post(
        f"/tour/bank/{project.id}/edit",
        data=_form(project, region_code="09", province_code="09.581", commune_code=""),
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(BankProject, project.id)
    assert (saved.region_code, saved.province_code, saved.commune_code) == ("09", "09.581", None)
    (entry,) = _audits(project.id)
    assert entry.old["province_code"] == "02.411" and entry.new["province_code"] == "09.581"
    page = client.get(f"/tour/bank/{project.id}/edit?lang=ar").get_data(as_text=True)
    assert '<option value="09.581" selected>تيزنيت</option>' in page
    assert 'data-communes-url="/places/PROVINCE/communes.json"' in page


def test_service_reports_every_bad_field_at_once(app, project):
    with pytest.raises(BankValidationError) as error:
        update_project(project, {"budget_mad": "-1", "status": "closed"}, None)
    assert set(error.value.errors) == {"budget_mad", "status"}


def test_edit_form_shows_the_contact_and_financing_rows(client, login, project):
    login(make_user())
    update_project(project, {"financing_sources": [("INDH", "120000")]}, None)
    db.session.commit()
    body = client.get(f"/tour/bank/{project.id}/edit").get_data(as_text=True)
    assert 'value="INDH"' in body and 'value="120000"' in body
    assert project.contact_phone in body
    assert 'name="status" id="status-idea" value="idea" checked' in body


def test_edit_is_closed_to_jury_members(client, login, project):
    login(make_user("jury"))
    response = client.post(f"/tour/bank/{project.id}/edit", data={"status": "active"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(BankProject, project.id).status == "idea"


def test_edit_needs_the_csrf_token(client, login, project, csrf_on):
    login(make_user())
    response = client.post(f"/tour/bank/{project.id}/edit", data=_form(project, status="active"))
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(BankProject, project.id).status == "idea"
