"""Financing: eligibility rules (each alone and combined), the catalogue, applications and
decisions, the totals, and the pages that show them."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from audit.models import AuditEntry
from bank import financing
from bank.eligibility import is_eligible, verdicts
from bank.models import BankProject, FinancingApplication, FinancingProgramme, Partner
from bank.services import BankValidationError
from extensions import db
from tests.builders import make_user

TODAY = date(2026, 5, 1)


def programme(**rules):
    base = dict(
        is_open=True,
        open_until=None,
        sectors=[],
        regions=[],
        legal_forms=[],
        target_groups=[],
        min_amount_mad=None,
        max_amount_mad=None,
        own_contribution_pct=None,
    )
    return SimpleNamespace(**{**base, **rules})


def project(**fields):
    base = dict(
        sector="agriculture",
        region_code="02",
        legal_form="cooperative",
        budget_mad=400_000,
        financing_sought_mad=300_000,
        members_count=8,
        women_members=5,
        youth_members=2,
    )
    return SimpleNamespace(**{**base, **fields})


def check(p, pr):
    found = verdicts(p, pr, today=TODAY, lang="fr")
    return found, is_eligible(found)


def rule(found, key):
    return next(v for v in found if v.rule == key)


def test_a_programme_without_rules_takes_every_project(app):
    found, eligible = check(project(), programme())
    assert eligible and [v.rule for v in found] == ["open"]


@pytest.mark.parametrize(
    ("rules", "fields", "key", "met"),
    [
        ({"is_open": False}, {}, "open", False),
        ({"open_until": TODAY - timedelta(days=1)}, {}, "open", False),
        ({"open_until": TODAY}, {}, "open", True),
        ({"sectors": ["agriculture", "handicrafts"]}, {}, "sector", True),
        ({"sectors": ["tourism"]}, {}, "sector", False),
        ({"regions": ["02"]}, {}, "region", True),
        ({"regions": ["02"]}, {"region_code": "02"}, "region", True),
        ({"regions": ["09"]}, {}, "region", False),
        ({"regions": ["09"]}, {"region_code": None, "place_note": "Atlantide"}, "region", None),
        ({"legal_forms": ["cooperative"]}, {}, "legal_form", True),
        ({"legal_forms": ["company"]}, {}, "legal_form", False),
        ({"legal_forms": ["cooperative"]}, {"legal_form": None}, "legal_form", None),
        ({"min_amount_mad": 100_000, "max_amount_mad": 300_000}, {}, "amount", True),
        ({"max_amount_mad": 200_000}, {}, "amount", False),
        ({"min_amount_mad": 500_000}, {}, "amount", False),
        ({"max_amount_mad": 200_000}, {"financing_sought_mad": None}, "amount", None),
        ({"own_contribution_pct": 25}, {}, "own_contribution", True),  # 100k of 400k
        ({"own_contribution_pct": 30}, {}, "own_contribution", False),
        ({"own_contribution_pct": 10}, {"budget_mad": None}, "own_contribution", None),
        ({"target_groups": ["women"]}, {}, "target_group", True),  # 5 of 8
        ({"target_groups": ["youth"]}, {}, "target_group", False),  # 2 of 8
        ({"target_groups": ["youth", "women"]}, {}, "target_group", True),  # either
        ({"target_groups": ["youth"]}, {"youth_members": 4}, "target_group", True),  # half
        ({"target_groups": ["women"]}, {"members_count": None}, "target_group", None),
    ],
)
def test_each_rule_alone(app, rules, fields, key, met):
    with app.test_request_context():
        found, eligible = check(project(**fields), programme(**rules))
        verdict = rule(found, key)
        assert verdict.met is met, verdict.message
        assert verdict.message
        assert eligible is (met is True and all(v.met for v in found))


def test_rules_combined_every_one_must_be_met_and_each_failure_is_said(app):
    strict = programme(
        sectors=["agriculture"],
        regions=["02"],
        legal_forms=["cooperative"],
        max_amount_mad=250_000,
        own_contribution_pct=10,
        target_groups=["youth"],
    )
    with app.test_request_context():
        found, eligible = check(project(), strict)
        assert not eligible
        failed = {v.rule for v in found if v.met is False}
        assert failed == {"amount", "target_group"}
        found, eligible = check(project(financing_sought_mad=250_000, youth_members=4), strict)
        assert eligible, [v.message for v in found]


def test_reasons_are_in_the_readers_language(app):
    with app.test_request_context("/?lang=ar"):
        found = verdicts(project(), programme(regions=["09"]), today=TODAY, lang="ar")
        assert "سوس" in rule(found, "region").message


# ---- the catalogue ---------------------------------------------------------------------


PROGRAMME_FORM = {
    "name": "Intelaka",
    "funder": "Tamwilcom",
    "kind": "guarantee",
    "sectors": ["agriculture", "handicrafts"],
    "regions": [],
    "legal_forms": ["cooperative", "self_employed"],
    "target_groups": [],
    "min_amount_mad": "10 000",
    "max_amount_mad": "1 200 000",
    "own_contribution_pct": "",
    "is_open": "yes",
    "open_until": "",
    "website": "https://www.tamwilcom.ma",
}


def test_an_organiser_adds_a_programme_and_it_is_audited(app):
    organiser = make_user()
    saved = financing.save_programme(None, PROGRAMME_FORM, organiser)
    db.session.commit()
    assert saved.min_amount_mad == 10_000 and saved.max_amount_mad == 1_200_000
    assert saved.sectors == ["agriculture", "handicrafts"] and saved.is_open
    entry = db.session.query(AuditEntry).filter_by(entity="financing_programme").one()
    assert entry.action == "created"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "lottery"}, "kind"),
        ({"sectors": ["space"]}, "sectors"),
        ({"regions": ["13"]}, "regions"),
        ({"legal_forms": ["club"]}, "legal_forms"),
        ({"min_amount_mad": "2 000 000"}, "max_amount_mad"),
        ({"min_amount_mad": "dix mille"}, "min_amount_mad"),
        ({"own_contribution_pct": "120"}, "own_contribution_pct"),
        ({"open_until": "31/02/2026"}, "open_until"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_a_bad_programme_is_refused_with_the_field_at_fault(app, change, field):
    with pytest.raises(BankValidationError) as refused:
        financing.save_programme(None, {**PROGRAMME_FORM, **change}, make_user())
    assert field in refused.value.errors


def test_two_programmes_cannot_share_a_name(app):
    organiser = make_user()
    financing.save_programme(None, PROGRAMME_FORM, organiser)
    with pytest.raises(BankValidationError) as refused:
        financing.save_programme(None, {**PROGRAMME_FORM, "name": "INTELAKA"}, organiser)
    assert "name" in refused.value.errors


def test_partners_are_saved_and_checked(app):
    organiser = make_user()
    partner = financing.save_partner(
        None, {"name": "Réseau Entreprendre", "kind": "incubator", "regions": ["02"]}, organiser
    )
    assert partner.regions == ["02"]
    assert financing.partners_in_region("02") == [partner]
    assert financing.partners_in_region("09") == []
    with pytest.raises(BankValidationError):
        financing.save_partner(None, {"name": "X", "kind": "cartel"}, organiser)


# ---- applications and totals ---------------------------------------------------------


@pytest.fixture
def funded(app):
    organiser = make_user()
    indh = financing.save_programme(
        None, {"name": "INDH", "kind": "public", "regions": ["02"], "is_open": "yes"}, organiser
    )
    coop = BankProject(
        title="Miel de thym",
        sector="agriculture",
        region_code="02",
        province_code="02.113",
        financing_sought_mad=300_000,
        budget_mad=400_000,
    )
    db.session.add(coop)
    db.session.commit()
    return SimpleNamespace(organiser=organiser, indh=indh, coop=coop)


def _file(funded, **change):
    data = {
        "programme_id": str(funded.indh.id),
        "amount_asked_mad": "300 000",
        "filed_on": "2026-03-01",
        "note": "",
    }
    return financing.file_application(
        funded.coop, {**data, **change}, funded.organiser, today=TODAY
    )


def test_an_application_is_filed_then_granted_and_totalled(funded):
    application = _file(funded)
    changes = financing.decide_application(
        application,
        {"decision": "granted", "decided_on": "2026-04-10", "amount_granted_mad": "250000"},
        funded.organiser,
        today=TODAY,
    )
    db.session.commit()
    assert changes["decision"] == "granted" and application.amount_granted_mad == 250_000
    totals = financing.financing_totals()
    assert totals.overall.asked == 300_000 and totals.overall.granted == 250_000
    assert totals.by_region["02"].granted_count == 1
    assert totals.by_sector["agriculture"].applications == 1
    assert totals.by_programme[funded.indh.id].granted == 250_000
    actions = [
        e.action for e in db.session.query(AuditEntry).filter_by(entity="financing_application")
    ]
    assert actions == ["filed", "decided"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"programme_id": "999"}, "programme_id"),
        ({"amount_asked_mad": ""}, "amount_asked_mad"),
        ({"amount_asked_mad": "0"}, "amount_asked_mad"),
        ({"amount_asked_mad": "-5"}, "amount_asked_mad"),
        ({"filed_on": "2030-01-01"}, "filed_on"),
        ({"filed_on": "hier"}, "filed_on"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_a_bad_application_is_refused(funded, change, field):
    with pytest.raises(BankValidationError) as refused:
        _file(funded, **change)
    assert field in refused.value.errors


@pytest.mark.parametrize(
    ("decision", "field"),
    [
        ({"decision": "granted", "decided_on": "2026-04-10"}, "amount_granted_mad"),
        (
            {"decision": "granted", "decided_on": "2026-04-10", "amount_granted_mad": "400000"},
            "amount_granted_mad",
        ),
        ({"decision": "refused"}, "decided_on"),
        ({"decision": "refused", "decided_on": "2026-02-01"}, "decided_on"),  # before filing
        ({"decision": "refused", "decided_on": "2027-01-01"}, "decided_on"),  # future
        ({"decision": "maybe"}, "decision"),
    ],
)
def test_a_bad_decision_is_refused_and_changes_nothing(funded, decision, field):
    application = _file(funded)
    db.session.commit()
    with pytest.raises(BankValidationError) as refused:
        financing.decide_application(application, decision, funded.organiser, today=TODAY)
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.get(FinancingApplication, application.id).decision == "pending"


def test_a_refusal_clears_any_amount_granted(funded):
    application = _file(funded)
    financing.decide_application(
        application,
        {"decision": "refused", "decided_on": "2026-04-01", "amount_granted_mad": "5"},
        funded.organiser,
        today=TODAY,
    )
    assert application.amount_granted_mad is None


# ---- pages -----------------------------------------------------------------------------


def test_the_public_catalogue_and_a_programmes_eligible_projects(client, funded):
    body = client.get("/bank/programmes").get_data(as_text=True)
    assert "INDH" in body
    page = client.get(f"/bank/programmes/{funded.indh.id}").get_data(as_text=True)
    assert "Miel de thym" in page
    assert client.get("/bank/programmes/999").status_code == 404


def test_a_projects_page_lists_its_matches_and_why_not(client, funded, login):
    financing.save_programme(
        None,
        {"name": "Tourisme rural", "kind": "regional", "sectors": ["tourism"]},
        funded.organiser,
    )
    db.session.commit()
    body = client.get(f"/bank/{funded.coop.id}").get_data(as_text=True)
    assert "INDH" in body and "Tourisme rural" in body
    assert "Pour les secteurs" in body  # why not: the sector, in French
    login(funded.organiser)
    organiser_page = client.get(f"/tour/bank/{funded.coop.id}").get_data(as_text=True)
    assert "Enregistrer la candidature" in organiser_page


def test_an_application_posted_with_a_mistake_shows_the_message_beside_its_field(
    client, funded, login
):
    login(funded.organiser)
    response = client.post(
        f"/tour/bank/{funded.coop.id}/applications",
        data={
            "programme_id": funded.indh.id,
            "amount_asked_mad": "trois cents",
            "filed_on": "2026-03-01",
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="e-new-amount_asked_mad"' in body and "trois cents" in body
    assert db.session.query(FinancingApplication).count() == 0
    good = client.post(
        f"/tour/bank/{funded.coop.id}/applications",
        data={
            "programme_id": funded.indh.id,
            "amount_asked_mad": "300000",
            "filed_on": "2026-03-01",
        },
    )
    assert good.status_code == 303


def test_organisers_edit_the_catalogue_through_its_forms(client, funded, login):
    login(funded.organiser)
    assert client.get("/tour/bank/financing").status_code == 200
    assert client.get("/tour/bank/programmes/new").status_code == 200
    created = client.post("/tour/bank/programmes/new", data={**PROGRAMME_FORM})
    assert created.status_code == 303
    assert db.session.query(FinancingProgramme).filter_by(name="Intelaka").one().regions == []
    refused = client.post("/tour/bank/partners/new", data={"name": "", "kind": "ngo"})
    assert refused.status_code == 422
    assert (
        client.post(
            "/tour/bank/partners/new", data={"name": "ANAPEC", "kind": "public_agency"}
        ).status_code
        == 303
    )
    assert db.session.query(Partner).count() == 1


def test_the_catalogue_is_for_organisers_to_edit(client, funded, login):
    assert client.get("/tour/bank/financing").status_code in (302, 303, 401, 403)
    login(make_user(role="jury", email="judge@example.ma"))
    assert client.post("/tour/bank/programmes/new", data=PROGRAMME_FORM).status_code == 403
