"""The demo tour: the 12 real stops of 2025 (Oujda 3 April … Agadir 15 May), the default rubric,
an organiser, three judges per stop, sample ideas in Arabic and French, and some scores.

Idempotent: everything is looked up by its natural key (slug, e-mail, the idea's submit token,
(idea, judge) for sheets) and only what is missing is created; nothing already there is changed,
so an organiser's work on the demo survives a second run.
"""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from accounts.models import User
from accounts.services import create_user
from accounts.states import Role
from audit.services import record
from competitions import services
from competitions.models import Competition, Event, JuryMember
from competitions.states import EventState
from demo.questions import seed_questions
from extensions import db, utcnow
from judging.models import Score, ScoreSheet
from judging.services import seal_sheet
from judging.states import SheetState
from places import reference as places
from submissions.models import Idea
from submissions.receipts import new_receipt_code
from submissions.states import Eligibility, IdeaSource, TeamKind

REGIONS_CSV = Path(__file__).with_name("regions.csv")
COMPETITION = {
    "name": "Idéathon — Banque des projets coopératifs 2025",
    "name_ar": "أيدياثون — بنك المشاريع التعاونية 2025",
    "name_en": "Ideathon — Cooperative Project Bank 2025",
    "slug": "ideathon-2025",
    "year": 2025,
}
FIRST_DAY, LAST_DAY = date(2025, 4, 3), date(2025, 5, 15)
ORGANISER = ("organisateur@ideathon.ma", "Nadia Bennani", "Organisateur-2025!")
JURY_PASSWORD = "Jury-Demo-2025!"

# How far along each stop is: the first ones have ideas and scores, the rest are being prepared.
# Oujda is seeded in deliberation, then deliberated and published by the seed itself (winners,
# validated minutes, frozen results) and its winners promoted into the project bank.
STATES = {
    1: EventState.DELIBERATION,
    2: EventState.DELIBERATION,
    3: EventState.JUDGING,
    4: EventState.OPEN,
}
IDEAS_PER_STOP = {1: 6, 2: 6, 3: 6, 4: 4}
SCORED_STOPS = {1: True, 2: True, 3: False}  # order → every sheet submitted?
FINAL = {
    "slug": "finale-nationale-2025",
    "city": "Rabat",
    "city_ar": "الرباط",
    "city_en": "Rabat",
    "region_code": "04",  # Rabat-Salé-Kénitra
    "venue": "Bibliothèque nationale du Royaume du Maroc",
    "venue_ar": "المكتبة الوطنية للمملكة المغربية",
    "venue_en": "National Library of the Kingdom of Morocco",
    "date": date(2025, 5, 30),
    "tour_order": 13,
}

# Each stop's venue in French, Arabic and English, and the cities' English names (the Arabic
# ones are in regions.csv): the demo reads in one language throughout, whichever is chosen.
VENUES = {
    "Oujda": ("Technopole d'Oujda", "تكنوقطب وجدة", "Oujda Technopole"),
    "Casablanca": (
        "Maison de l'économie sociale et solidaire",
        "دار الاقتصاد الاجتماعي والتضامني",
        "House of the Social and Solidarity Economy",
    ),
    "Dakhla": (
        "Centre régional d'investissement",
        "المركز الجهوي للاستثمار",
        "Regional Investment Centre",
    ),
    "Rabat": (
        "Bibliothèque nationale du Royaume",
        "المكتبة الوطنية للمملكة",
        "National Library of the Kingdom",
    ),
    "Laâyoune": ("Palais des congrès", "قصر المؤتمرات", "Congress Palace"),
    "Fès": ("Chambre d'artisanat", "غرفة الصناعة التقليدية", "Chamber of Crafts"),
    "Guelmim": ("Maison des jeunes", "دار الشباب", "Youth Centre"),
    "Errachidia": ("Complexe culturel", "المركب الثقافي", "Cultural Complex"),
    "Marrakech": ("Cité de l'innovation", "مدينة الابتكار", "Innovation City"),
    "Béni Mellal": ("Chambre de commerce", "غرفة التجارة", "Chamber of Commerce"),
    "Tanger": (
        "Palais des arts et de la culture",
        "قصر الفنون والثقافة",
        "Palace of Arts and Culture",
    ),
    "Agadir": (
        "Cité de l'innovation Souss-Massa",
        "مدينة الابتكار سوس ماسة",
        "Souss-Massa Innovation City",
    ),
}
CITIES_EN = {"Laâyoune": "Laayoune", "Fès": "Fez", "Marrakech": "Marrakesh",
             "Béni Mellal": "Beni Mellal", "Tanger": "Tangier"}  # fmt: skip
# The provinces the demo's ideas come from (HCP codes), by stop; elsewhere the region's first.
PROVINCES = {
    "Oujda": ["02.411", "02.113", "02.275"],  # Oujda-Angad, Berkane, Jerada
    "Casablanca": ["06.141", "06.371", "06.181"],  # Casablanca, Mohammadia, El Jadida
    "Dakhla": ["12.391", "12.066"],  # Oued Ed-Dahab, Aousserd
}
JUDGES = [
    "Rachid El Amrani",
    "Fatima Zahra Idrissi",
    "Youssef Tazi",
    "Khadija Ouazzani",
    "Mehdi Berrada",
    "Salma Chraibi",
    "Hamid Benjelloun",
    "Naima El Fassi",
    "Omar Lahlou",
    "Zineb Alaoui",
    "Abdellah Sebti",
    "Houda Kettani",
    "Driss Bennis",
    "Loubna Mernissi",
    "Karim Naciri",
    "Imane Squalli",
    "Said Belkadi",
    "Asmae Lamrani",
    "Hicham Bouzid",
    "Meryem Zniber",
    "Aziz Filali",
    "Sanaa El Ouafi",
    "Mustapha Guessous",
    "Hanane Tahiri",
    "Brahim Ait Lahcen",
    "Siham Amrani",
    "Adil Belhaj",
    "Rajae Skalli",
    "Nabil Cherkaoui",
    "Latifa Bouhlal",
    "Jamal Ait Ouarab",
    "Souad Hilali",
    "Younes Akhannouch",
    "Ilham Jebli",
    "Tarik Ennaji",
    "Amina Ait Baha",
]

# Realistic ideas across the sectors, in the language their team wrote them.
IDEAS = [
    dict(
        locale="ar",
        sector="agriculture",
        title="تعاونية لتثمين الصبار وإنتاج زيت بذوره",
        problem="تضيع ثمار الصبار في الدواوير بسبب غياب وحدات التحويل، والنساء بلا دخل قار.",
        solution="وحدة تعاونية لعصر بذور الصبار وإنتاج الزيت والمربى وبيعها للتعاونيات والمتاجر.",
        beneficiaries="24 امرأة قروية و6 شباب",
        local_resources="الصبار البلدي ومياه الأمطار المجمعة",
        expected_jobs=12,
        budget_mad=480_000,
        financing_sought_mad=300_000,
        team_kind=TeamKind.GROUP,
        lead_name="فاطمة الزهراء بوعزة",
        lead_gender="female",
        lead_age_bracket="35_44",
        lead_status="job_seeker",
    ),
    dict(
        locale="fr",
        sector="handicrafts",
        title="Atelier coopératif de tapis en laine teinte aux plantes",
        problem="Les tisseuses vendent leurs tapis aux intermédiaires à bas prix, sans marque ni traçabilité.",
        solution="Un atelier commun avec teinture végétale, étiquette collective et vente en ligne aux touristes.",
        beneficiaries="18 tisseuses de la commune",
        local_resources="Laine de brebis locale, garance, henné",
        expected_jobs=9,
        budget_mad=320_000,
        financing_sought_mad=200_000,
        team_kind=TeamKind.COOPERATIVE,
        cooperative_name="Coopérative Nour Tissage",
        cooperative_members=18,
        lead_name="Aïcha Ouhaddou",
        lead_gender="female",
        lead_age_bracket="45_plus",
        lead_status="cooperative_member",
    ),
    dict(
        locale="fr",
        sector="tourism",
        title="Gîtes ruraux et circuits de randonnée gérés par les jeunes du douar",
        problem="Les randonneurs traversent la vallée sans y dormir ni dépenser ; les jeunes partent en ville.",
        solution="Rénover trois maisons en pisé en gîtes, former des guides locaux et vendre des circuits.",
        beneficiaries="12 jeunes et 30 familles hôtes",
        local_resources="Maisons en pisé, paysages, cuisine locale",
        expected_jobs=15,
        budget_mad=900_000,
        financing_sought_mad=600_000,
        team_kind=TeamKind.GROUP,
        lead_name="Yassine Oubella",
        lead_gender="male",
        lead_age_bracket="25_34",
        lead_status="job_seeker",
    ),
    dict(
        locale="ar",
        sector="fishing",
        title="تعاونية لتجفيف وتعليب السمك التقليدي للصيادين الصغار",
        problem="يبيع الصيادون الصغار السمك بثمن زهيد عند وفرة الصيد ويضيع جزء منه.",
        solution="وحدة تجفيف بالطاقة الشمسية وتعليب يحترم معايير السلامة الصحية مع علامة تجارية.",
        beneficiaries="40 صيادا و15 امرأة من أسرهم",
        local_resources="سمك السردين والأنشوبة، الشمس",
        expected_jobs=20,
        budget_mad=1_200_000,
        financing_sought_mad=800_000,
        team_kind=TeamKind.COOPERATIVE,
        cooperative_name="تعاونية البحر الأزرق",
        cooperative_members=40,
        lead_name="محمد الصافي",
        lead_gender="male",
        lead_age_bracket="45_plus",
        lead_status="cooperative_member",
    ),
    dict(
        locale="fr",
        sector="services",
        title="Crèche coopérative pour les ouvrières agricoles",
        problem="Les ouvrières des exploitations n'ont aucune solution de garde : les aînées quittent l'école.",
        solution="Une crèche tenue par des éducatrices formées, payée par les familles et les exploitations.",
        beneficiaries="60 enfants, 50 mères ouvrières",
        local_resources="Local communal, éducatrices du quartier",
        expected_jobs=8,
        budget_mad=260_000,
        financing_sought_mad=150_000,
        team_kind=TeamKind.GROUP,
        lead_name="Samira Haddou",
        lead_gender="female",
        lead_age_bracket="25_34",
        lead_status="project_holder",
    ),
    dict(
        locale="ar",
        sector="digital",
        title="منصة رقمية لبيع منتوجات التعاونيات مباشرة للمستهلك",
        problem="لا تصل منتوجات التعاونيات إلى زبناء المدن ويأخذ الوسطاء معظم الهامش.",
        solution="تطبيق وموقع للطلب والأداء عند التسليم مع شبكة توصيل مشتركة بين التعاونيات.",
        beneficiaries="30 تعاونية في الجهة",
        local_resources="منتوجات مجالية، شباب مكونون في المعلوميات",
        expected_jobs=7,
        budget_mad=350_000,
        financing_sought_mad=250_000,
        team_kind=TeamKind.GROUP,
        lead_name="أيوب الإدريسي",
        lead_gender="male",
        lead_age_bracket="under_25",
        lead_status="job_seeker",
    ),
    dict(
        locale="fr",
        sector="agriculture",
        title="Pépinière coopérative d'arganiers et de caroubiers",
        problem="Les plants adaptés à la sécheresse manquent et viennent de loin, à un prix élevé.",
        solution="Une pépinière goutte-à-goutte qui produit 50 000 plants par an pour les agriculteurs voisins.",
        beneficiaries="200 petits agriculteurs",
        local_resources="Semences locales, eau de puits partagée",
        expected_jobs=10,
        budget_mad=540_000,
        financing_sought_mad=350_000,
        team_kind=TeamKind.GROUP,
        lead_name="Hassan Ait Ali",
        lead_gender="male",
        lead_age_bracket="35_44",
        lead_status="job_seeker",
    ),
    dict(
        locale="ar",
        sector="handicrafts",
        title="ورشة تعاونية لصناعة الفخار المزخرف وتسويقه",
        problem="الحرفيون الشباب يهجرون الفخار لضعف المداخيل وغياب التكوين في التصميم.",
        solution="ورشة مشتركة بفرن غازي اقتصادي وتكوين في التصميم وبيع للفنادق والمتاجر.",
        beneficiaries="14 حرفيا شابا",
        local_resources="طين المنطقة والخبرة التقليدية",
        expected_jobs=14,
        budget_mad=410_000,
        financing_sought_mad=280_000,
        team_kind=TeamKind.GROUP,
        lead_name="عبد الرحيم الوزاني",
        lead_gender="male",
        lead_age_bracket="25_34",
        lead_status="job_seeker",
    ),
    dict(
        locale="fr",
        sector="fishing",
        title="Ferme coopérative d'huîtres et de palourdes en lagune",
        problem="Les pêcheurs à pied dépendent de ressources sauvages en baisse.",
        solution="Des parcs conchylicoles gérés en coopérative, avec une station de purification partagée.",
        beneficiaries="25 pêcheurs à pied, dont 10 femmes",
        local_resources="Lagune, naissain local",
        expected_jobs=18,
        budget_mad=1_500_000,
        financing_sought_mad=1_000_000,
        team_kind=TeamKind.COOPERATIVE,
        cooperative_name="Coopérative Lagune Verte",
        cooperative_members=25,
        lead_name="Mbarek Lahbib",
        lead_gender="male",
        lead_age_bracket="45_plus",
        lead_status="cooperative_member",
    ),
    dict(
        locale="ar",
        sector="tourism",
        title="دار ضيافة تعاونية لتجربة الحياة البدوية",
        problem="السياح يمرون بالمنطقة دون تجربة محلية أصيلة ولا يستفيد منها السكان.",
        solution="مخيم بخيام تقليدية وجولات على الجمال وطبخ محلي تديره نساء وشباب الجماعة.",
        beneficiaries="20 أسرة",
        local_resources="الخيام التقليدية، الإبل، الطبخ الصحراوي",
        expected_jobs=11,
        budget_mad=700_000,
        financing_sought_mad=450_000,
        team_kind=TeamKind.GROUP,
        lead_name="خديجة السالك",
        lead_gender="female",
        lead_age_bracket="35_44",
        lead_status="project_holder",
    ),
    dict(
        locale="fr",
        sector="services",
        title="Service coopératif de collecte et tri des déchets recyclables",
        problem="Les déchets plastiques s'accumulent et les récupérateurs informels n'ont aucune protection.",
        solution="Organiser les récupérateurs en coopérative avec un centre de tri et des contrats communaux.",
        beneficiaries="35 récupérateurs informels",
        local_resources="Déchets plastiques et cartons du quartier",
        expected_jobs=35,
        budget_mad=850_000,
        financing_sought_mad=500_000,
        team_kind=TeamKind.GROUP,
        lead_name="Abdelkader Mansouri",
        lead_gender="male",
        lead_age_bracket="35_44",
        lead_status="job_seeker",
    ),
    dict(
        locale="fr",
        sector="digital",
        title="Réparation et reconditionnement de smartphones par des jeunes diplômés",
        problem="Les téléphones usagés sont jetés alors que les familles n'ont pas les moyens d'en racheter.",
        solution="Un atelier coopératif de réparation, garantie de six mois et formation d'apprentis.",
        beneficiaries="10 jeunes diplômés sans emploi",
        local_resources="Appareils usagés collectés localement",
        expected_jobs=10,
        budget_mad=220_000,
        financing_sought_mad=150_000,
        team_kind=TeamKind.GROUP,
        lead_name="Soukaina Belhaj",
        lead_gender="female",
        lead_age_bracket="under_25",
        lead_status="job_seeker",
    ),
]


def _tour_stops() -> list[dict]:
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["tour_order"]))
    span = (LAST_DAY - FIRST_DAY).days
    for index, row in enumerate(rows):
        row["date"] = FIRST_DAY + timedelta(days=round(index * span / (len(rows) - 1)))
    return rows


def _competition() -> Competition:
    competition = db.session.scalar(
        select(Competition).where(Competition.slug == COMPETITION["slug"])
    )
    if competition is None:
        return services.create_competition(COMPETITION)
    _fill_missing(competition, COMPETITION, ("name_ar", "name_en"))
    return competition


def _fill_missing(record_, values, fields) -> None:
    """A demo seeded before names had Arabic and English gets them; a name typed is kept."""
    for field in fields:
        if getattr(record_, field) is None and values.get(field):
            setattr(record_, field, values[field])


def _names(stop: dict) -> dict:
    """A stop's city and venue in the three languages."""
    city = stop["city_fr"]
    venue = VENUES.get(city, (None, None, None))
    return {
        "city": city,
        "city_ar": stop["city_ar"],
        "city_en": CITIES_EN.get(city, city),
        "venue": venue[0],
        "venue_ar": venue[1],
        "venue_en": venue[2],
    }


def _user(email: str, name: str, role: str, password: str) -> tuple[User, bool]:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is not None:
        return user, False
    return create_user(email, name, role, password, "fr"), True


def _event(competition: Competition, stop: dict) -> tuple[Event, bool]:
    order = int(stop["tour_order"])
    slug = f"{services.slugify(stop['city_fr'])}-2025"
    event = services.get_event(slug)
    if event is not None:
        _fill_missing(event, _names(stop), ("city_ar", "city_en", "venue_ar", "venue_en"))
        return event, False
    event = services.create_event(
        competition,
        {
            **_names(stop),
            "region_code": stop["region_code"],
            "date": stop["date"],
            "capacity": 150,
            "winners_count": 3,
            "languages": ["ar", "fr"],
            "slug": slug,
            "tour_order": order,
            "judges_per_idea": 3,
            "min_judges": 2,
        },
        source="seed",
    )
    state = STATES.get(order, EventState.DRAFT)
    if state != EventState.DRAFT:
        # The demo starts part-way through the tour: the state is set, not walked step by step.
        record(
            "event",
            event.id,
            "state",
            event_id=event.id,
            source="seed",
            old={"state": EventState.DRAFT},
            new={"state": state},
        )
        event.state = state
    return event, True


def _receipt_code(city: str) -> str:
    while True:
        code = new_receipt_code(city)
        if not db.session.scalar(select(Idea.id).where(Idea.receipt_code == code)):
            return code


def _ideas(event: Event, count: int, offset: int) -> tuple[list[Idea], int]:
    ideas, created = [], 0
    provinces = PROVINCES.get(event.city) or [places.provinces(event.region_code)[0].code]
    for n in range(count):
        token = f"demo-{event.slug}-{n + 1}"
        idea = db.session.scalar(select(Idea).where(Idea.submit_token == token))
        if idea is None:
            spec = dict(IDEAS[(offset + n) % len(IDEAS)])
            idea = Idea(
                event=event,
                submit_token=token,
                receipt_code=_receipt_code(event.city),
                source=IdeaSource.FORM,
                region_code=event.region_code,
                province_code=provinces[n % len(provinces)],
                lead_phone=f"+2126{61_000_000 + offset * 100 + n:08d}",
                eligibility=Eligibility.ELIGIBLE,
                consent_at=utcnow(),
                **spec,
            )
            db.session.add(idea)
            created += 1
        ideas.append(idea)
    db.session.flush()
    return ideas, created


def _scores(
    event: Event, ideas: list[Idea], judges: list[User], *, complete: bool
) -> tuple[int, int]:
    """Sheets for every (idea, judge); all submitted when `complete`, else a mix of states."""
    criteria = event.rubric.criteria
    total = new = 0
    for i, idea in enumerate(ideas):
        for j, judge in enumerate(judges):
            sheet = db.session.scalar(
                select(ScoreSheet).where(
                    ScoreSheet.idea_id == idea.id, ScoreSheet.judge_id == judge.id
                )
            )
            if sheet is None:
                # Partial judging: submitted, half-filled drafts and untouched sheets.
                mix = (SheetState.SUBMITTED, SheetState.DRAFT, SheetState.ASSIGNED)
                stage = SheetState.SUBMITTED if complete else mix[(i + j) % 3]
                sheet = ScoreSheet(
                    event=event,
                    idea_id=idea.id,
                    judge_id=judge.id,
                    round_number=1,
                    status=SheetState.DRAFT if stage == SheetState.SUBMITTED else stage,
                )
                if stage == SheetState.SUBMITTED:
                    sheet.comment = (
                        "Projet solide, ancrage local clair."
                        if idea.locale == "fr"
                        else "مشروع واعد ومرتبط بالمجال."
                    )
                rng = random.Random(f"{idea.submit_token}/{judge.email}")
                filled = (
                    criteria
                    if stage == SheetState.SUBMITTED
                    else criteria[: len(criteria) // 2]
                    if stage == SheetState.DRAFT
                    else []
                )
                for criterion in filled:
                    sheet.scores.append(
                        Score(
                            criterion_id=criterion.id,
                            value=rng.randint(criterion.scale_min + 1, criterion.scale_max),
                        )
                    )
                    new += 1
                db.session.add(sheet)
                if stage == SheetState.SUBMITTED:  # as the judge's Submit does
                    seal_sheet(sheet, {s.criterion_id: s.value for s in sheet.scores})
            total += len(sheet.scores)
    if total:
        services.lock_rubric(event.rubric)
    db.session.flush()
    return total, new


def seed_demo() -> dict:
    """Create whatever of the demo tour is missing; returns a summary with the demo logins."""
    competition = _competition()
    organiser, _ = _user(ORGANISER[0], ORGANISER[1], Role.ORGANISER, ORGANISER[2])
    accounts = [(Role.ORGANISER, organiser.email, ORGANISER[2], "")]
    summary = {"events": 0, "ideas": 0, "new_ideas": 0, "scores": 0, "new_scores": 0}
    offset = 0
    for stop in _tour_stops():
        event, _ = _event(competition, stop)
        summary["events"] += 1
        order = int(stop["tour_order"])
        judges = []
        for n in range(3):
            city_key = services.slugify(stop["city_fr"]).replace("-", "")
            name = JUDGES[((order - 1) * 3 + n) % len(JUDGES)]
            judge, _ = _user(f"jury.{city_key}.{n + 1}@ideathon.ma", name, Role.JURY, JURY_PASSWORD)
            judges.append(judge)
            accounts.append((Role.JURY, judge.email, JURY_PASSWORD, event.slug))
            if not db.session.scalar(
                select(JuryMember.id).where(
                    JuryMember.event_id == event.id, JuryMember.user_id == judge.id
                )
            ):
                db.session.add(JuryMember(event=event, user=judge, panel=1, is_president=n == 0))
        db.session.flush()
        count = IDEAS_PER_STOP.get(order, 0)
        ideas, created = _ideas(event, count, offset)
        offset += count
        summary["ideas"] += len(ideas)
        summary["new_ideas"] += created
        seed_questions(event, ideas, organiser)  # Rabat's and Oujda's questions and teams
        if order in SCORED_STOPS:
            total, new = _scores(event, ideas, judges, complete=SCORED_STOPS[order])
            summary["scores"] += total
            summary["new_scores"] += new
        if order == 1:
            _publish_and_promote(event, organiser)
    from demo.financing import seed_accompaniment, seed_financing, seed_plans

    seed_financing(organiser)
    seed_accompaniment(organiser)
    seed_plans()
    from demo.registration import seed_registration

    summary["registrants"] = seed_registration(organiser)
    final, judges = _national_final(competition)
    from demo.rounds import seed_pitch_round

    seed_pitch_round(final, organiser)
    from demo.audience import seed_audience

    summary["audience_votes"] = seed_audience(organiser)  # on the final's shortlist
    accounts += [(Role.JURY, judge.email, JURY_PASSWORD, final.slug) for judge in judges]
    summary["accounts"] = accounts
    return summary


def _publish_and_promote(event: Event, organiser: User) -> None:
    """Deliberate the first stop the way organisers do (top N winners, minutes validated,
    published), then promote its winners into the bank; skipped once done."""
    from bank.services import promote_winners
    from judging import deliberation

    if not event.in_deliberation:
        return
    ranking = deliberation.event_ranking(event)
    deliberation.choose_winners(event, deliberation.default_winners(ranking), {}, organiser)
    president = services.jury_president(event)
    deliberation.validate_minutes(event, organiser, president_name=president.user.name)
    services.transition(event, EventState.PUBLISHED, organiser, source="seed")
    promote_winners(event, organiser, source="seed")
    db.session.flush()


def _national_final(competition: Competition) -> tuple[Event, list[User]]:
    """The tour ends with a national final in Rabat; its entrants are the stops' winners."""
    from judging.deliberation import carry_winners_to_final

    event = services.get_event(FINAL["slug"])
    if event is not None:
        _fill_missing(event, FINAL, ("city_ar", "city_en", "venue_ar", "venue_en"))
    else:
        event = services.create_event(
            competition,
            {**FINAL, "capacity": 60, "winners_count": 5, "languages": ["ar", "fr"],
             "judges_per_idea": 3, "min_judges": 2, "is_final": True},
            source="seed",
        )  # fmt: skip
    judges = []
    for n in range(3):
        name = JUDGES[(36 + n) % len(JUDGES)]
        judge, _ = _user(f"jury.finale.{n + 1}@ideathon.ma", name, Role.JURY, JURY_PASSWORD)
        judges.append(judge)
        if not db.session.scalar(
            select(JuryMember.id).where(
                JuryMember.event_id == event.id, JuryMember.user_id == judge.id
            )
        ):
            db.session.add(JuryMember(event=event, user=judge, panel=1, is_president=n == 0))
    if event.before_judging:
        carry_winners_to_final(event, None)
    db.session.flush()
    return event, judges
