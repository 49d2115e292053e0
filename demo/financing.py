"""The demo's catalogue of financing programmes and partners, and what the demo's bank projects
applied for: credible, not authoritative (amounts and rules are illustrative of each kind of
programme; an organiser edits the catalogue on /tour/bank/financing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bank import financing
from bank.models import BankProject, FinancingApplication, FinancingProgramme, Partner
from extensions import db

PROGRAMMES = (
    {
        "name": "INDH – Programme 3 : revenu et inclusion économique des jeunes",
        "funder": "Initiative nationale pour le développement humain (province)",
        "kind": "public",
        "description": "Subvention aux activités génératrices de revenus portées par des jeunes, "
        "en coopérative ou en association, avec l'accompagnement des plateformes des jeunes.",
        "legal_forms": ["unregistered", "cooperative", "association"],
        "target_groups": ["youth"],
        "min_amount_mad": "10 000",
        "max_amount_mad": "200 000",
        "own_contribution_pct": "10",
        "website": "https://www.indh.ma",
    },
    {
        "name": "Intelaka",
        "funder": "Tamwilcom et banques partenaires",
        "kind": "guarantee",
        "description": "Prêt bancaire garanti à taux réduit pour créer ou développer une "
        "très petite entreprise, une coopérative ou une activité d'auto-entrepreneur.",
        "legal_forms": ["self_employed", "company", "cooperative"],
        "max_amount_mad": "1 200 000",
        "website": "https://www.tamwilcom.ma",
    },
    {
        "name": "Mourafaka – accompagnement des coopératives nouvelles",
        "funder": "Office du développement de la coopération (ODCo)",
        "kind": "odco",
        "description": "Formation, appui à la constitution, au plan d'affaires et à la "
        "commercialisation pendant les premières années de la coopérative.",
        "legal_forms": ["unregistered", "cooperative"],
        "website": "https://www.odco.gov.ma",
    },
    {
        "name": "Fonds régional d'économie sociale de l'Oriental",
        "funder": "Conseil régional de l'Oriental",
        "kind": "regional",
        "description": "Cofinancement d'équipements pour les coopératives de la région.",
        "sectors": ["agriculture", "agrifood", "handicrafts", "tourism"],
        "regions": ["02"],
        "legal_forms": ["cooperative", "association"],
        "min_amount_mad": "50 000",
        "max_amount_mad": "500 000",
        "own_contribution_pct": "20",
    },
    {
        "name": "Génération Green – jeunes entrepreneurs agricoles",
        "funder": "Ministère de l'Agriculture",
        "kind": "public",
        "description": "Appui aux jeunes qui créent une activité agricole ou agro-alimentaire.",
        "sectors": ["agriculture", "agrifood"],
        "legal_forms": ["unregistered", "cooperative", "self_employed"],
        "target_groups": ["youth"],
        "max_amount_mad": "250 000",
    },
    {
        "name": "Microcrédit Al Amana",
        "funder": "Al Amana Microfinance",
        "kind": "microcredit",
        "description": "Petits prêts pour démarrer une activité, sans garantie réelle.",
        "legal_forms": ["self_employed", "unregistered", "cooperative"],
        "max_amount_mad": "150 000",
    },
    {
        "name": "Fonds régional Dakhla-Oued Ed-Dahab : pêche artisanale et tourisme",
        "funder": "Conseil régional de Dakhla-Oued Ed-Dahab",
        "kind": "regional",
        "sectors": ["fishing", "tourism"],
        "regions": ["12"],
        "legal_forms": ["cooperative"],
        "min_amount_mad": "100 000",
        "max_amount_mad": "800 000",
        "own_contribution_pct": "15",
    },
)

PARTNERS = (
    {"name": "ANAPEC – agence de l'Oriental", "kind": "public_agency", "regions": ["02"],
     "services": "Ateliers de création d'entreprise et suivi des porteurs de projet."},
    {"name": "Réseau Entreprendre Maroc", "kind": "incubator",
     "services": "Prêt d'honneur et mentorat par des chefs d'entreprise."},
    {"name": "Direction régionale de l'agriculture de l'Oriental", "kind": "ministry_office",
     "regions": ["02"], "sectors": ["agriculture", "agrifood"],
     "services": "Conseil technique, labels et accès aux aides du Plan Maroc Vert."},
    {"name": "Délégation régionale de l'artisanat", "kind": "ministry_office",
     "sectors": ["handicrafts"], "services": "Salons, labels et formation des artisanes."},
    {"name": "INJAZ Al-Maghrib", "kind": "ngo", "services": "Formation des jeunes à l'entrepreneuriat."},
)  # fmt: skip

# What the demo's promoted winners are, and what they asked for.
PROJECT_FACTS = {
    "legal_form": "cooperative",
    "members_count": 7,
    "women_members": 5,
    "youth_members": 4,
}


def seed_accompaniment(organiser) -> None:
    """Each promoted project gets the organiser as adviser and its path; the first steps of the
    first projects are done (one of them late on the next), so the dashboard has something to
    show."""
    from bank import accompaniment

    today = date.today()
    for n, project in enumerate(db.session.scalars(select(BankProject).order_by(BankProject.id))):
        if project.milestones:
            continue
        accompaniment.assign_adviser(project, organiser.id, organiser)
        start = today - timedelta(days=100 - 20 * n)
        project.created_at = datetime.combine(start, time(9), tzinfo=UTC)
        accompaniment.plan_path(project, organiser, start=start)
        for milestone in project.milestones[: max(0, 3 - n)]:
            milestone.done_on = min(milestone.due_on - timedelta(days=5), today)
        if n == 0:  # the first project's training comes with its attendance sheet
            _seed_document(project.milestones[0], organiser)
    db.session.flush()


def _seed_document(milestone, organiser) -> None:
    """A one-page PDF kept with a milestone (`bank.documents`, in the configured file store)."""
    from io import BytesIO

    from pypdf import PdfWriter

    from bank import documents

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    documents.add_document(milestone, buffer, "feuille-de-presence-formation.pdf", organiser)


def seed_plans() -> None:
    """The promoted projects get a financial plan built on their sector's usual lines, split
    over their budget, with three years that break even in the third."""
    from bank import plan

    for project in db.session.scalars(select(BankProject)):
        if project.financial_plan or not project.budget_mad:
            continue
        lines = plan.template_lines(project.sector)
        share = project.budget_mad // len(lines)
        for line in lines:
            line["amount_mad"] = share
        lines[-1]["amount_mad"] += project.budget_mad - share * len(lines)
        yearly = project.budget_mad // 2
        jobs = project.expected_jobs or 4
        project.financial_plan = {
            "investment": lines,
            "years": [
                {"revenue_mad": yearly, "costs_mad": yearly * 3 // 4, "jobs": max(1, jobs // 2)},
                {"revenue_mad": yearly * 3 // 2, "costs_mad": yearly, "jobs": jobs},
                {"revenue_mad": yearly * 5 // 2, "costs_mad": yearly, "jobs": jobs},
            ],
        }
    db.session.flush()


def seed_financing(organiser) -> None:
    """Fill the catalogue (what is missing of it) and the first projects' applications."""
    have = set(db.session.scalars(select(FinancingProgramme.name)))
    for row in PROGRAMMES:
        if row["name"] not in have:
            financing.save_programme(None, {"is_open": "yes", **row}, organiser)
    known = set(db.session.scalars(select(Partner.name)))
    for row in PARTNERS:
        if row["name"] not in known:
            financing.save_partner(None, row, organiser)
    db.session.flush()
    if db.session.scalar(select(FinancingApplication.id).limit(1)):
        return
    projects = list(db.session.scalars(select(BankProject).order_by(BankProject.id)))
    today = date.today()
    for n, project in enumerate(projects):
        for key, value in PROJECT_FACTS.items():
            if getattr(project, key) is None:
                setattr(project, key, value)
        if n > 2:
            continue
        db.session.flush()
        fits = [
            m.programme
            for m in financing.matches_for(project, today=today, lang="fr")
            if m.eligible
        ]
        if not fits:
            continue
        sought = project.financing_sought_mad or 150_000
        filed = {"programme_id": str(fits[0].id), "amount_asked_mad": str(sought),
                 "filed_on": (today - timedelta(days=60 - 10 * n)).isoformat()}  # fmt: skip
        application = financing.file_application(project, filed, organiser, today=today)
        if n == 0:
            financing.decide_application(
                application,
                {"decision": "granted", "decided_on": (today - timedelta(days=20)).isoformat(),
                 "amount_granted_mad": str(application.amount_asked_mad * 3 // 4)},
                organiser,
                today=today,
            )  # fmt: skip
    db.session.flush()
