"""Small builders for tests: make_user(...), make_event(...), make_idea(...)."""

import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from accounts.models import User, UserEvent
from competitions.defaults import build_default_rubric
from competitions.models import Competition, Event, JuryMember
from competitions.states import EventState
from extensions import db
from submissions.models import Idea

_seq = itertools.count(1)
PASSWORD = "Tablette-2025!"
_HASH = {}


def _hash(password: str) -> str:
    # Hashing is deliberately slow; tests reuse one hash per password.
    if password not in _HASH:
        _HASH[password] = generate_password_hash(password)
    return _HASH[password]


def make_user(
    role="organiser",
    email=None,
    name=None,
    password=PASSWORD,
    locale=None,
    region_code=None,
    events=(),
) -> User:
    """An account; a coordinator's `region_code`, a facilitator's `events`."""
    n = next(_seq)
    user = User(
        email=email or f"{role}{n}@example.ma",
        name=name or f"{role.title()} {n}",
        role=role,
        password_hash=_hash(password) if password else None,
        locale=locale,
        region_code=region_code,
    )
    db.session.add(user)
    db.session.flush()
    db.session.add_all(UserEvent(user_id=user.id, event_id=event.id) for event in events)
    db.session.commit()
    return user


def make_competition(**fields) -> Competition:
    n = next(_seq)
    competition = Competition(
        name=fields.pop("name", f"Idéathon {n}"),
        slug=fields.pop("slug", f"ideathon-{n}"),
        year=fields.pop("year", 2025),
        rubric=fields.pop("rubric", None) or build_default_rubric(),
        **fields,
    )
    db.session.add(competition)
    db.session.commit()
    return competition


def make_event(competition=None, state=EventState.OPEN, **fields) -> Event:
    n = next(_seq)
    competition = competition or make_competition()
    event = Event(
        competition=competition,
        slug=fields.pop("slug", f"ville{n}-2025"),
        tour_order=fields.pop("tour_order", n % 1000),  # the event form takes 0 to 1000
        city=fields.pop("city", "Oujda"),
        city_ar=fields.pop("city_ar", "وجدة"),
        region_code=fields.pop("region_code", "02"),  # L'Oriental
        venue=fields.pop("venue", "Maison des jeunes"),
        date=fields.pop("date", date(2025, 4, 3)),
        state=state,
        **fields,
    )
    db.session.add(event)
    db.session.commit()
    return event


def add_jury(event, user, panel=1, is_president=False) -> JuryMember:
    member = JuryMember(event=event, user=user, panel=panel, is_president=is_president)
    db.session.add(member)
    db.session.commit()
    return member


def make_idea(event, **fields) -> Idea:
    n = next(_seq)
    values = dict(
        receipt_code=f"TST-{n:04d}",
        title=f"Coopérative de couscous {n}",
        problem="Les femmes rurales n'ont pas de revenu régulier.",
        solution="Une coopérative qui roule et vend du couscous artisanal.",
        sector="agrifood",
        region_code=event.region_code,
        province_code="02.411",  # Oujda-Angad
        beneficiaries="Femmes rurales",
        local_resources="Blé dur local",
        expected_jobs=8,
        budget_mad=250_000,
        financing_sought_mad=150_000,
        team_kind="group",
        lead_name="Fatima Zahra",
        lead_phone="+212612345678",
        lead_gender="female",
        lead_age_bracket="25_34",
        lead_status="job_seeker",
        eligibility="eligible",
    )
    values.update(fields)
    idea = Idea(event=event, **values)
    db.session.add(idea)
    db.session.commit()
    return idea


def selects_for(client, path: str) -> int:
    """How many SELECTs one GET of `path` runs, starting with nothing cached (for N+1 tests)."""
    from sqlalchemy import event as sa_event

    db.session.close()
    statements = []

    def seen(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", seen)
    return len(statements)


def sqlite_write_lock_state(path: str) -> str:
    """ "free" if another process could take SQLite's write lock on the file at this moment
    (it tries BEGIN IMMEDIATE without waiting), else SQLite's error ("database is locked")."""
    import sqlite3

    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "free"
    except sqlite3.OperationalError as error:
        return str(error)
    finally:
        other.close()


def add_result(
    event, idea, rank, is_winner, *, raw=70.0, mean_z=0.8, ranked=True, number=1, method="raw"
):
    """A line of the event's published results (version `number`, made when first needed)."""
    from accounts.models import utcnow
    from judging.models import ResultEntry, ResultVersion
    from judging.scoring import display_100

    version = db.session.query(ResultVersion).filter_by(event_id=event.id, number=number).first()
    if version is None:
        now = utcnow()
        version = ResultVersion(
            event_id=event.id, number=number, method=method, validated_at=now, published_at=now
        )
        db.session.add(version)
        db.session.flush()
    entry = ResultEntry(
        version_id=version.id, idea_id=idea.id, rank=rank if ranked else None, raw=raw,
        mean_z=mean_z, score_100=display_100(mean_z), judges=3, ranked=ranked,
        not_ranked_reason=None if ranked else "too_few_judges", is_winner=is_winner,
    )  # fmt: skip
    db.session.add(entry)
    db.session.commit()
    return entry


def inflate_cell(path, placeholder: str, size: int) -> bytes:
    """The .xlsx at `path` with the text `placeholder` (in whichever part holds it) grown to
    `size` characters: a small file that unpacks to a huge cell, written a megabyte at a time
    so that the test itself never holds it."""
    import io
    import zipfile

    output = io.BytesIO()
    deflated = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(output, "w", deflated) as target:
        for info in source.infolist():
            data = source.read(info)
            if placeholder.encode() not in data:
                target.writestr(info, data)
                continue
            before, after = data.split(placeholder.encode(), 1)
            grown = zipfile.ZipInfo(info.filename, info.date_time)
            grown.compress_type = deflated
            with target.open(grown, "w", force_zip64=True) as part:
                part.write(before)
                for start in range(0, size, 1 << 20):
                    part.write(b"A" * min(1 << 20, size - start))
                part.write(after)
    return output.getvalue()


def make_bank_project(**fields):
    """A bank project (committed) and the edit form's fields that keep it as it is."""
    from bank.models import BankProject  # the bank is the top floor: only its tests need it

    values = {
        "title": "Miel",
        "sector": "agriculture",
        "region_code": "02",  # L'Oriental
        "province_code": "02.113",  # Berkane
        **fields,
    }
    project = BankProject(**values)
    db.session.add(project)
    db.session.commit()
    form = {key: values[key] for key in ("title", "sector", "region_code", "province_code")}
    return project, {**form, "status": "idea"}
