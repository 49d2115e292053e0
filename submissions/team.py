"""An idea's team: its members besides the lead (name, role, gender, age bracket, optional
phone, each consenting), read from the form's rows, and the counts the bank and the reports
carry (members, women, young people: under 35, as the bank's `youth_members`)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select

from extensions import db, utcnow
from fieldtypes import Choice, Phone, Text, parse_fields
from submissions.fields import is_yes
from submissions.models import AGE_BRACKETS, GENDERS, Idea, TeamMember

MAX_MEMBERS = 12  # besides the lead
FORM_ROWS = 4  # rows of the form without script ("add a member" shows more, up to MAX_MEMBERS)
YOUNG = frozenset({"under_25", "25_34"})
WOMAN = "female"

LABELS = {
    "name": _l("Full name"),
    "role": _l("Role in the team"),
    "gender": _l("Gender"),
    "age_bracket": _l("Age"),
    "phone": _l("Phone (optional)"),
    "consent": _l("This member agrees to be named in the idea"),
}
TYPES = {
    "name": Text.of(TeamMember.name, required=True),
    "role": Text.of(TeamMember.role),
    "gender": Choice(GENDERS),
    "age_bracket": Choice(AGE_BRACKETS),
    "phone": Phone(),
}


@dataclass(frozen=True)
class TeamCounts:
    """An idea's team in figures, its lead included."""

    members: int
    women: int
    youth: int


def field_name(row: int, field: str) -> str:
    return f"member-{row}-{field}"


def _typed(raw: dict, row: int) -> dict:
    return {field: raw.get(field_name(row, field)) for field in (*TYPES, "consent")}


def check_members(raw: dict) -> tuple[list[dict], dict]:
    """(members to store, {field name: message}) of the form's member rows. A row left blank is
    skipped; a row begun needs a name and the member's consent."""
    members, errors = [], {}
    for row in range(MAX_MEMBERS):
        typed = _typed(raw, row)
        if not any(str(v or "").strip() for k, v in typed.items() if k != "consent"):
            continue
        values, row_errors = parse_fields(TYPES, typed)
        if not is_yes(typed.get("consent")):
            row_errors["consent"] = _l("Tick the box: this member must agree to be named.")
        for field, message in row_errors.items():
            errors[field_name(row, field)] = message
        if not row_errors:
            members.append({**values, "position": len(members) + 1})
    return members, errors


def store_members(idea_id: int, members: list[dict]) -> None:
    now = utcnow()
    for member in members:
        db.session.add(TeamMember(idea_id=idea_id, consent_at=now, **member))
    if members:
        db.session.flush()


def copy_members(from_idea_id: int, to_idea_id: int) -> None:
    """An idea carried into another event (the national final) takes its team along."""
    for member in members_of(from_idea_id):
        db.session.add(
            TeamMember(
                idea_id=to_idea_id, position=member.position, name=member.name,
                role=member.role, gender=member.gender, age_bracket=member.age_bracket,
                phone=member.phone, consent_at=member.consent_at,
            )
        )  # fmt: skip


def members_of(idea_id: int) -> list[TeamMember]:
    return list(
        db.session.scalars(
            select(TeamMember).where(TeamMember.idea_id == idea_id).order_by(TeamMember.position)
        )
    )


def counts_of(idea_ids) -> dict[int, TeamCounts]:
    """{idea id: TeamCounts} in two grouped queries, whatever the number of ideas. `idea_ids`
    is the ids, or a SELECT of `Idea.id` from the ideas (an event's 3,000 ideas: no list of
    bound ids to send)."""
    if isinstance(idea_ids, Select):
        ids = idea_ids
    else:
        ids = list(idea_ids)
        if not ids:
            return {}
    women = func.sum(case((TeamMember.gender == WOMAN, 1), else_=0))
    youth = func.sum(case((TeamMember.age_bracket.in_(YOUNG), 1), else_=0))
    members = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(TeamMember.idea_id, func.count(), women, youth)
            .where(TeamMember.idea_id.in_(ids))
            .group_by(TeamMember.idea_id)
        )
    }
    leads = db.session.execute(
        # A SELECT of ideas keeps its own conditions (an event's: its index, not the whole
        # table scanned to match the ids, as `IN (SELECT ...)` was on PostgreSQL).
        ids.with_only_columns(Idea.id, Idea.lead_gender, Idea.lead_age_bracket)
        if isinstance(ids, Select)
        else select(Idea.id, Idea.lead_gender, Idea.lead_age_bracket).where(Idea.id.in_(ids))
    )
    counts = {}
    for idea_id, gender, age in leads:
        count, w, y = members.get(idea_id, (0, 0, 0))
        counts[idea_id] = TeamCounts(
            members=1 + int(count),
            women=int(w or 0) + (gender == WOMAN),
            youth=int(y or 0) + (age in YOUNG),
        )
    return counts


def team_counts(idea: Idea) -> TeamCounts:
    return counts_of([idea.id])[idea.id]


def erase_members(idea_id: int) -> int:
    """An idea's personal data are erased: its members' names and phones go (their gender and
    age bracket stay, as the lead's do, for the counts). Returns the members erased."""
    erased = 0
    for member in members_of(idea_id):
        if member.name or member.phone or member.role:
            member.name, member.role, member.phone = "", "", None
            erased += 1
    return erased
