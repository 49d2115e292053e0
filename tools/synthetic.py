"""A deterministic synthetic tour, written straight into the database with bulk inserts.

12 events × N ideas × J judges × C criteria (default 300 × 7 × 6 = 151,200 scores), every judge
scoring every idea of their event on a submitted sheet. With `realistic=True` (the benchmarks),
also what a real tour leaves behind: judges' comments on half the sheets, an e-mail in the
outbox per idea with an address, attachment metadata on a third of the ideas, and one audit
entry per tap and per submitted sheet. `ideas=3000` is ten times the tour (36,000 ideas,
1.5 M scores); rows go to the database in chunks, never as a list of the whole tour. The same seed gives the same tour, so
benchmarks and load tests compare like with like. Shared by `bench/` and `tests/load/`.

    from tools.synthetic import generate_tour
    tour = generate_tour(ideas=300, judges=7, seed=2025)   # inside an app context

or, into the database named by DATABASE_URL (migrated first):

    python -m tools.synthetic --ideas 300 --judges 7
"""

from __future__ import annotations

import argparse
import random
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from accounts.models import User
from accounts.states import Role
from audit.models import AuditEntry
from competitions.defaults import build_default_rubric
from competitions.models import Competition, Criterion, Event, JuryMember
from competitions.states import EventState
from extensions import db
from jobs.models import OutboxEmail
from jobs.states import OutboxState
from judging.models import Score, ScoreSheet
from judging.scoring import sheet_score
from judging.services import criterion_specs
from judging.states import SheetState
from submissions.models import AGE_BRACKETS, GENDERS, LEAD_STATUSES, SECTORS, Idea
from submissions.states import Eligibility, IdeaSource, TeamKind

PASSWORD = "Synthetique-2025!"

# The twelve stops: city, Arabic name, region and province (HCP codes, `places.reference`).
CITIES = (
    ("Tanger", "طنجة", "01", "01.511"),  # Tanger-Assilah
    ("Oujda", "وجدة", "02", "02.411"),  # Oujda-Angad
    ("Fès", "فاس", "03", "03.231"),
    ("Rabat", "الرباط", "04", "04.421"),
    ("Béni Mellal", "بني ملال", "05", "05.091"),
    ("Casablanca", "الدار البيضاء", "06", "06.141"),
    ("Marrakech", "مراكش", "07", "07.351"),
    ("Errachidia", "الرشيدية", "08", "08.201"),
    ("Agadir", "أكادير", "09", "09.001"),  # Agadir-Ida-Ou-Tanane
    ("Guelmim", "كلميم", "10", "10.261"),
    ("Laâyoune", "العيون", "11", "11.321"),
    ("Dakhla", "الداخلة", "12", "12.391"),  # Oued Ed-Dahab
)
_PRODUCTS = (
    "couscous",
    "huile d'argan",
    "miel",
    "safran",
    "dattes",
    "fromage de chèvre",
    "tapis",
    "poterie",
    "sardines",
    "plantes aromatiques",
    "figues de Barbarie",
    "amandes",
)
_ACTIVITIES = (
    "Coopérative de",
    "Unité de transformation de",
    "Atelier de",
    "Circuit court de",
    "Plateforme numérique de vente de",
    "Séchoir solaire pour",
)


@dataclass
class SyntheticTour:
    """What was generated: ids to drive benchmarks and tests, and the sizes."""

    competition_id: int
    event_ids: list[int]
    organiser_id: int
    organiser_email: str
    judge_ids: dict[int, list[int]]  # event id → judge user ids
    judge_emails: dict[int, list[str]] = field(default_factory=dict)
    ideas: int = 0
    sheets: int = 0
    scores: int = 0
    password: str = PASSWORD

    def summary(self) -> str:
        return (
            f"{len(self.event_ids)} events, {self.ideas} ideas, {self.sheets} sheets, "
            f"{self.scores} scores"
        )


def _rubric(criteria: int):
    """The default rubric, cut down or extended (copies of the last criteria) to `criteria`."""
    rubric = build_default_rubric()
    rubric.name = f"{rubric.name} (synthétique)"
    while len(rubric.criteria) > criteria:
        rubric.criteria.pop()
    base = list(rubric.criteria)
    while len(rubric.criteria) < criteria:
        source = base[len(rubric.criteria) % len(base)]
        n = len(rubric.criteria)
        rubric.criteria.append(
            Criterion(
                position=n,
                key=f"extra_{n}",
                name={lang: f"{text} {n}" for lang, text in source.name.items()},
                description=dict(source.description),
                descriptors=dict(source.descriptors),
                weight=1.0,
                scale_min=source.scale_min,
                scale_max=source.scale_max,
                half_points=False,
                tiebreak_order=None,
            )
        )
    return rubric


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
    return text or "0"


def _ids(model, rows: list[dict]) -> list[int]:
    """Bulk insert and return the new ids in the order of `rows`."""
    if not rows:
        return []
    result = db.session.execute(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]


def generate_tour(
    *,
    events: int = 12,
    ideas: int = 300,
    judges: int = 7,
    criteria: int = 6,
    seed: int = 2025,
    state: str = EventState.JUDGING,
    with_scores: bool = True,
    sheets: bool = True,
    prefix: str = "syn",
    realistic: bool = False,
) -> SyntheticTour:
    """Write a whole synthetic tour in the current app context and commit it.

    `state` is the state of every event; `with_scores=False` writes empty sheets in state
    "assigned" (an event being judged), and `sheets=False` no sheets at all. `prefix` keeps slugs, e-mails and receipt codes apart when several tours
    share one database. `realistic` adds comments, e-mails, attachment metadata and audit
    entries (see the module's docstring)."""
    if not 1 <= events <= len(CITIES):
        raise ValueError(f"events must be between 1 and {len(CITIES)}")
    rng = random.Random(seed)
    now = datetime.now(UTC)
    password_hash = generate_password_hash(PASSWORD)

    rubric = _rubric(criteria)
    competition = Competition(
        name=f"Idéathon synthétique {seed}", slug=f"{prefix}-{seed}", year=2025, rubric=rubric
    )
    db.session.add(competition)
    organiser_email = f"{prefix}-organiser@example.ma"
    organiser = User(
        email=organiser_email,
        name="Organisatrice synthétique",
        role=Role.ORGANISER,
        password_hash=password_hash,
        locale="fr",
    )
    db.session.add(organiser)
    db.session.flush()
    criteria_rows = [(c.id, c.scale_min, c.scale_max) for c in rubric.criteria]

    event_rows = []
    for n in range(events):
        city, city_ar, region, _province = CITIES[n]
        event_rows.append(
            dict(
                competition_id=competition.id,
                slug=f"{prefix}-{seed}-{n + 1:02d}",
                tour_order=n + 1,
                city=city,
                city_ar=city_ar,
                region_code=region,
                venue="Maison des jeunes",
                date=date(2025, 3, 1) + timedelta(days=7 * n),
                capacity=None,
                winners_count=3,
                languages="ar,fr",
                state=state,
                is_final=False,
                judges_per_idea=judges,
                min_judges=min(2, judges),
                split_panels=False,
                ranking_method=None,
                blind=False,
                created_at=now,
            )
        )
    event_ids = _ids(Event, event_rows)

    user_rows = []
    for n in range(len(event_ids)):
        for j in range(judges):
            user_rows.append(
                dict(
                    email=f"{prefix}-jury-{n + 1:02d}-{j + 1}@example.ma",
                    name=f"Juge {j + 1} de {CITIES[n][0]}",
                    role=Role.JURY,
                    password_hash=password_hash,
                    locale="ar" if j % 2 else "fr",
                    active=True,
                    created_at=now,
                )
            )
    user_ids = _ids(User, user_rows)
    judge_ids = {
        event_id: user_ids[n * judges : (n + 1) * judges] for n, event_id in enumerate(event_ids)
    }
    judge_emails = {
        event_id: [r["email"] for r in user_rows[n * judges : (n + 1) * judges]]
        for n, event_id in enumerate(event_ids)
    }
    db.session.execute(
        insert(JuryMember),
        [
            dict(event_id=event_id, user_id=user_id, panel=1, is_president=(k == 0))
            for event_id, members in judge_ids.items()
            for k, user_id in enumerate(members)
        ],
    )

    # Receipt codes unlike real ones (no clash with new_receipt_code) and apart per tour.
    tag = _base36(zlib.crc32(f"{prefix}-{seed}".encode()) % 36**4).rjust(4, "0")
    idea_rows = []
    for n, event_id in enumerate(event_ids):
        city, _city_ar, region, province = CITIES[n]
        for i in range(ideas):
            budget = rng.randrange(50, 2_000) * 1_000
            idea_rows.append(
                dict(
                    event_id=event_id,
                    receipt_code=f"{tag}{n + 1:02d}-{i + 1:05d}",
                    submit_token=f"{prefix}-{seed}-{n + 1}-{i + 1}",
                    source=rng.choice(IdeaSource.TYPED_IN_A_FORM),
                    locale=rng.choice(("ar", "fr")),
                    created_at=now,
                    title=f"{rng.choice(_ACTIVITIES)} {rng.choice(_PRODUCTS)} à {city} {i + 1}",
                    problem="Les femmes et les jeunes de la commune n'ont pas de revenu régulier.",
                    solution="Transformer et vendre les produits du terroir en coopérative.",
                    sector=rng.choice(SECTORS),
                    region_code=region,
                    province_code=province,
                    beneficiaries="Femmes rurales, jeunes diplômés",
                    local_resources=rng.choice(_PRODUCTS),
                    expected_jobs=rng.randrange(1, 40),
                    budget_mad=budget,
                    financing_sought_mad=budget // 2,
                    team_kind=rng.choice(TeamKind.values()),
                    lead_name=f"Porteur·se {n + 1}-{i + 1}",
                    lead_phone=f"+2126{rng.randrange(10**8):08d}",
                    lead_gender=rng.choice(GENDERS),
                    lead_age_bracket=rng.choice(AGE_BRACKETS),
                    lead_status=rng.choice(LEAD_STATUSES),
                    other_members="",
                    lead_email=(
                        f"porteur-{n + 1}-{i + 1}@example.ma" if realistic and i % 2 else None
                    ),
                    attachment_path=(
                        f"{prefix}/{n + 1:02d}/{i + 1:05d}.pdf"
                        if realistic and i % 3 == 0
                        else None
                    ),
                    attachment_name=(f"dossier-{i + 1}.pdf" if realistic and i % 3 == 0 else None),
                    attachment_mime=("application/pdf" if realistic and i % 3 == 0 else None),
                    consent_at=now,
                    eligibility=Eligibility.ELIGIBLE,
                    is_calibration=False,
                    bank_worthy=False,
                )
            )
    idea_ids = _ids(Idea, idea_rows)
    if realistic:
        _outbox(idea_rows, idea_ids, now)

    tour = SyntheticTour(
        competition_id=competition.id,
        event_ids=event_ids,
        organiser_id=organiser.id,
        organiser_email=organiser_email,
        judge_ids=judge_ids,
        judge_emails=judge_emails,
        ideas=len(idea_ids),
    )
    if not sheets:
        db.session.commit()
        return tour

    sheet_rows = []
    for n, event_id in enumerate(event_ids):
        for idea_id in idea_ids[n * ideas : (n + 1) * ideas]:
            for judge_id in judge_ids[event_id]:
                sheet_rows.append(
                    dict(
                        event_id=event_id,
                        idea_id=idea_id,
                        judge_id=judge_id,
                        status=SheetState.SUBMITTED if with_scores else SheetState.ASSIGNED,
                        comment=(
                            _comment(rng)
                            if realistic and with_scores and rng.random() < 0.5
                            else ""
                        ),
                        submitted_at=now if with_scores else None,
                        updated_at=now,
                    )
                )
    if not with_scores:
        tour.sheets = len(_ids(ScoreSheet, sheet_rows))
        db.session.commit()
        return tour

    # Each idea has a true quality, each judge a bias (severe or lenient): the two ranking
    # methods then disagree a little, as they do in real juries. Each sheet keeps what it
    # counts for, as `judging.services.seal_sheet` does when a judge submits it.
    quality = {idea_id: rng.gauss(0, 1) for idea_id in idea_ids}
    bias = {uid: rng.gauss(0, 0.6) for uid in user_ids}
    specs = criterion_specs(rubric)
    marks = []
    for sheet in sheet_rows:
        base = 3 + quality[sheet["idea_id"]] + bias[sheet["judge_id"]]
        given = {
            criterion_id: float(min(high, max(low, round(base + rng.gauss(0, 0.8)))))
            for criterion_id, low, high in criteria_rows
        }
        marks.append(given)
        sheet["score"] = sheet_score(given, specs)
        sheet["marks"] = {str(criterion_id): value for criterion_id, value in given.items()}
    sheet_ids = _ids(ScoreSheet, sheet_rows)
    tour.sheets = len(sheet_ids)
    keys = {c.id: c.key for c in rubric.criteria}
    scores, score_rows, audit_rows = 0, [], []
    for sheet_id, sheet, given in zip(sheet_ids, sheet_rows, marks, strict=True):
        for criterion_id, value in given.items():
            score_rows.append(
                dict(sheet_id=sheet_id, criterion_id=criterion_id, value=value, updated_at=now)
            )
            if realistic:  # the tap that gave the mark, as `judging.tap` records it
                key = keys[criterion_id]
                audit_rows.append(
                    _entry(sheet, sheet_id, now, "score", "score",
                           {"criterion": key, "value": None},
                           {"criterion": key, "value": value, "idea_id": sheet["idea_id"]})
                )  # fmt: skip
        if realistic:
            audit_rows.append(
                _entry(sheet, sheet_id, now, "sheet", "submit",
                       {"status": SheetState.DRAFT},
                       {"status": SheetState.SUBMITTED, "idea_id": sheet["idea_id"]})
            )  # fmt: skip
        if len(score_rows) >= CHUNK:
            scores += _flush(score_rows, audit_rows)
    scores += _flush(score_rows, audit_rows)
    db.session.commit()
    _analyze()
    tour.scores = scores
    return tour


def _analyze() -> None:
    """PostgreSQL's planner statistics, as autovacuum keeps them on a live database: a tour
    written in one go is otherwise planned as empty tables (252,000 submitted sheets estimated
    at 1 row, a nested loop instead of a hash join: 0.26 s instead of 0.05 s for the export's
    judges). SQLite keeps no statistics unless asked, on a live database too: left as is."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


CHUNK = 20_000
_COMMENTS = (
    "Idée solide, ancrée dans le territoire ; le budget paraît optimiste pour la première année.",
    "Bonne connaissance du marché local. Préciser le circuit de distribution et les partenaires.",
    "Impact social réel pour les femmes de la commune, mais la viabilité reste à démontrer.",
    "فكرة جيدة ومرتبطة بالموارد المحلية، لكن خطة التمويل تحتاج إلى توضيح أكثر.",
    "Équipe motivée ; il manque une étude des coûts de transport vers les villes voisines.",
    "المشروع واقعي ويخلق فرص شغل للشباب، ينصح بالتواصل مع تعاونيات المنطقة.",
    "Projet innovant mais dépendant d'une seule matière première saisonnière.",
)


def _comment(rng: random.Random) -> str:
    """A judge's comment of one to three sentences, French or Arabic."""
    return " ".join(rng.sample(_COMMENTS, rng.randint(1, 3)))


def _entry(sheet: dict, sheet_id: int, at, entity: str, action: str, old, new) -> dict:
    return dict(
        at=at, user_id=sheet["judge_id"], event_id=sheet["event_id"], entity=entity,
        entity_id=sheet_id, action=action, old=old, new=new, note=None, source="web",
        address=None,
    )  # fmt: skip


def _flush(score_rows: list[dict], audit_rows: list[dict]) -> int:
    """Insert one chunk of marks (and their audit entries) and empty the lists."""
    count = len(score_rows)
    if score_rows:
        db.session.execute(insert(Score), score_rows)
    if audit_rows:
        db.session.execute(insert(AuditEntry), audit_rows)
    score_rows.clear()
    audit_rows.clear()
    return count


def _outbox(idea_rows: list[dict], idea_ids: list[int], now) -> None:
    """The receipt e-mail of every idea with an address, sent."""
    rows = []
    for row, idea_id in zip(idea_rows, idea_ids, strict=True):
        if not row["lead_email"]:
            continue
        text = (
            f"Bonjour {row['lead_name']},\n\nNous avons bien reçu votre idée « {row['title']} ». "
            f"Votre code de reçu est {row['receipt_code']} : gardez-le pour suivre votre idée.\n\n"
            "L'équipe de l'Idéathon"
        )
        rows.append(
            dict(
                dedupe_key=f"receipt:idea:{idea_id}", kind="receipt", recipient=row["lead_email"],
                locale=row["locale"], subject=f"Votre idée est bien reçue ({row['receipt_code']})",
                body_text=text, body_html="<p>" + text.replace("\n\n", "</p><p>") + "</p>",
                status=OutboxState.SENT, attempts=1, next_attempt_at=now, last_error=None,
                event_id=row["event_id"], created_at=now, sent_at=now,
            )
        )  # fmt: skip
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(OutboxEmail), rows[start : start + CHUNK])


def count_scores() -> int:
    return db.session.scalar(select(db.func.count(Score.id))) or 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=12)
    parser.add_argument("--ideas", type=int, default=300)
    parser.add_argument("--judges", type=int, default=7)
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--state", default=EventState.JUDGING, choices=EventState.values())
    parser.add_argument(
        "--realistic", action="store_true", help="comments, e-mails, attachments, audit entries"
    )
    parser.add_argument("--no-upgrade", action="store_true", help="the schema is already there")
    args = parser.parse_args(argv)

    import time

    from flask_migrate import upgrade

    from app import ROOT, create_app

    app = create_app()
    with app.app_context():
        if not args.no_upgrade:
            upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        tour = generate_tour(
            events=args.events,
            ideas=args.ideas,
            judges=args.judges,
            criteria=args.criteria,
            seed=args.seed,
            state=args.state,
            realistic=args.realistic,
        )
        print(f"{tour.summary()} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
