"""What programme reports use on a bank record: the receipt code back to the rankings, members,
beneficiaries, the funding split, the stop and the year; in the feed without personal data."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from bank.models import BankProject
from bank.services import promote_winners, update_project
from extensions import db
from tests.bank.conftest import SEEDED_EMAIL, SEEDED_PHONE
from tests.builders import make_user
from tests.conftest import ROOT


def test_promotion_keeps_the_receipt_code_the_key_back_to_the_rankings(app, published):
    promote_winners(published["event"], None)
    db.session.commit()
    project = db.session.query(BankProject).filter_by(idea_id=published["winner"].id).one()
    assert project.receipt_code == published["winner"].receipt_code


def test_the_funding_split_must_add_up_to_the_budget(app):
    project = BankProject(title="Gîte", sector="tourism", region_code="09", province_code="09.581")
    db.session.add(project)
    db.session.commit()
    organiser = make_user()
    split = {
        "budget_mad": "400 000",
        "funding_programme_mad": "300 000",
        "funding_holder_mad": "60 000",
        "funding_partners_mad": "40 000",
    }
    update_project(project, split, organiser)
    assert project.funding_holder_mad == 60_000
    from bank.services import BankValidationError

    with pytest.raises(BankValidationError) as refused:
        update_project(project, {**split, "funding_partners_mad": "10 000"}, organiser)
    assert "funding_programme_mad" in refused.value.errors
    with pytest.raises(BankValidationError) as refused:
        update_project(project, {"members_count": "4", "women_members": "5"}, organiser)
    assert "women_members" in refused.value.errors


def test_the_feed_has_counts_split_stop_and_year_but_no_personal_data(client, published):
    promote_winners(published["event"], None)
    project = db.session.query(BankProject).filter_by(idea_id=published["winner"].id).one()
    update_project(
        project,
        {
            "members_count": "6",
            "women_members": "4",
            "youth_members": "3",
            "beneficiaries_count": "120",
        },
        make_user(),
    )
    db.session.commit()
    record = client.get(f"/api/bank/projects/{project.id}").get_json()
    assert record["members"] == {"count": 6, "women": 4, "youth": 3}
    assert record["beneficiaries_count"] == 120
    assert record["origin"]["year"] == published["event"].date.year
    body = client.get("/api/bank/projects?per_page=100").get_data(as_text=True)
    for secret in (SEEDED_PHONE, SEEDED_EMAIL, "Amina", project.receipt_code):
        assert secret not in body


def test_the_migration_gives_existing_projects_their_receipt_code(app, published):
    directory = str(ROOT / "migrations")
    promote_winners(published["event"], None)
    db.session.commit()
    project_id = db.session.query(BankProject).filter_by(idea_id=published["winner"].id).one().id
    db.session.remove()
    downgrade(directory=directory, revision="level_descriptors")
    try:
        upgrade(directory=directory, revision="portal")
        with db.engine.connect() as conn:
            code = conn.execute(
                text("SELECT receipt_code FROM bank_projects WHERE id = :id"), {"id": project_id}
            ).scalar()
        assert code == published["winner"].receipt_code
    finally:
        upgrade(directory=directory)


def test_the_bank_workbook_carries_the_report_data_and_the_receipt_code_only_with_contacts(
    app, published, tmp_path
):
    from openpyxl import load_workbook

    from bank.workbook import write_bank_workbook

    promote_winners(published["event"], None)
    project = db.session.query(BankProject).filter_by(idea_id=published["winner"].id).one()
    project.members_count, project.women_members, project.beneficiaries_count = 6, 4, 120
    project.financial_plan = {
        "investment": [{"label": "Local", "amount_mad": 100}],
        "years": [{"revenue_mad": 200, "costs_mad": 50, "jobs": 2}],
    }
    db.session.commit()
    for include_contact in (True, False):
        path = tmp_path / f"bank-{include_contact}.xlsx"
        write_bank_workbook(path, [project], lang="fr", include_contact=include_contact)
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        header = next(row for row in rows if row and "Titre" in row)
        line = rows[rows.index(header) + 1]
        cells = dict(zip(header, line, strict=False))
        assert cells["Membres"] == 6 and cells["Dont femmes"] == 4
        assert cells["Bénéficiaires (nombre de personnes)"] == 120
        assert cells["Année d'équilibre"] == 1 and cells["Année"] == published["event"].date.year
        assert ("Code de reçu" in header) is include_contact
