"""Accompaniment: each project's adviser and its path of milestones from a winning idea to a
working cooperative (training, business plan, statutes, registration, financing file, financing
obtained, activity started); reminders of overdue milestones; where every project stands.

Plain functions: they validate, write, flush and audit; the caller commits (but for the worker's
`remind_overdue_sweep`, which runs in its own transaction).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import User
from accounts.permissions import can
from accounts.states import Permission, Role
from bank import changes
from bank.labels import MILESTONE_LABELS
from bank.models import BankProject, Milestone
from bank.services import BankValidationError
from bank.states import MilestoneKind
from extensions import db
from fieldtypes import Day, Text, parse_fields
from jobs.models import OutboxEmail
from jobs.outbox import external_url, queue_email

PATH: tuple[MilestoneKind, ...] = tuple(MilestoneKind)
# Days after the start of the path by which each milestone is planned (an adviser moves them).
PLANNED_DAYS = {
    MilestoneKind.TRAINING: 30,
    MilestoneKind.BUSINESS_PLAN: 60,
    MilestoneKind.STATUTES: 90,
    MilestoneKind.REGISTRATION: 120,
    MilestoneKind.FINANCING_FILE: 150,
    MilestoneKind.FINANCING_OBTAINED: 240,
    MilestoneKind.ACTIVITY_STARTED: 300,
}
MILESTONE_TYPES = {
    "due_on": Day(),
    "done_on": Day(),
    "note": Text.of(Milestone.note, max_length=2000),
}
ADVISER_ROLES = (Role.ORGANISER, Role.COORDINATOR, Role.FACILITATOR)


def advisers() -> list[User]:
    """The accounts that may advise a project (organisers, coordinators and facilitators)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(ADVISER_ROLES), User.active.is_(True))
            .order_by(User.name)
        )
    )


def assign_adviser(project: BankProject, adviser_id, by) -> None:
    """Give the project its adviser (None: nobody yet), audited."""
    adviser = None
    if adviser_id not in (None, ""):
        allowed = {user.id: user for user in advisers()}
        try:
            adviser = allowed.get(int(adviser_id))
        except (TypeError, ValueError):
            adviser = None
        if adviser is None:
            raise BankValidationError(
                {"adviser_id": str(_l("Choose one of the options in the list."))}
            )
    if project.adviser_id == (adviser.id if adviser else None):
        return
    old = project.adviser_id
    project.adviser = adviser
    db.session.flush()
    changes.audit(
        "bank_project",
        project.id,
        "adviser",
        by=by,
        project=project,
        old={"adviser_id": old},
        new={"adviser_id": project.adviser_id},
    )


def plan_path(project: BankProject, by, *, start: date) -> list[Milestone]:
    """Give the project every milestone of the path it lacks, planned from `start`."""
    have = {m.kind for m in project.milestones}
    added = []
    for position, kind in enumerate(PATH):
        if kind in have:
            continue
        milestone = Milestone(
            kind=kind, position=position, due_on=start + timedelta(days=PLANNED_DAYS[kind]), note=""
        )
        project.milestones.append(milestone)
        added.append(milestone)
    if added:
        db.session.flush()
        changes.audit(
            "bank_project",
            project.id,
            "path_planned",
            by=by,
            project=project,
            new={m.kind: m.due_on for m in added},
        )
    return added


def update_milestone(milestone: Milestone, data: Mapping, by, *, today: date) -> dict:
    """Change a milestone's planned date, its date done (never in the future) or its note."""
    values, errors = parse_fields(MILESTONE_TYPES, data)
    if values.get("done_on") and values["done_on"] > today:
        errors["done_on"] = str(_l("A milestone cannot be done in the future."))
    if errors:
        raise BankValidationError(errors)
    values["note"] = values["note"] or ""
    old, new = changes.apply(milestone, values)
    if new:
        db.session.flush()
        changes.audit(
            "milestone", milestone.id, "updated", by=by, project=milestone.project, old=old, new=new
        )
    return new


# ---- reminders -----------------------------------------------------------------------------


def overdue_milestones(today: date) -> list[Milestone]:
    """Milestones past their planned date and not done, of projects that have an adviser."""
    return list(
        db.session.scalars(
            select(Milestone)
            .join(BankProject, BankProject.id == Milestone.project_id)
            .where(
                Milestone.done_on.is_(None),
                Milestone.due_on < today,
                BankProject.adviser_id.is_not(None),
            )
            .options(selectinload(Milestone.project).selectinload(BankProject.adviser))
            .order_by(Milestone.due_on)
        )
    )


def remind_overdue(today: date) -> int:
    """Queue one e-mail to the adviser per overdue milestone and planned date: a milestone is
    reminded once (the outbox's dedupe key), again only if its date is moved and passes."""
    queued = 0
    due = overdue_milestones(today)
    keys = {m.id: f"milestone-overdue:{m.id}:{m.due_on.isoformat()}" for m in due}
    sent = set(
        db.session.scalars(
            select(OutboxEmail.dedupe_key).where(OutboxEmail.dedupe_key.in_(keys.values()))
        )
    )
    for milestone in due:
        project, adviser = milestone.project, milestone.project.adviser
        key = keys[milestone.id]
        if key in sent:
            continue
        if can(adviser, Permission.MANAGE_TOUR):
            link = external_url("bank.project", project_id=project.id) + "#path"
        else:  # an adviser who is not an organiser reaches the project's path as its adviser
            link = external_url("bank.advised_project", project_id=project.id)
            link += f"#milestone-{milestone.id}"
        email = queue_email(
            kind="milestone_overdue",
            to=adviser.email,
            locale=adviser.locale,
            template="milestone_overdue",
            context={
                "adviser": adviser,
                "project": project,
                "milestone": milestone,
                "stage": MILESTONE_LABELS[milestone.kind],
                "link": link,
                "my_projects": external_url("bank.advising"),
            },
            dedupe_key=key,
            event_id=project.origin_event_id,
        )
        queued += email is not None
    return queued


def remind_overdue_sweep() -> int:
    """The worker's periodic pass: queue the reminders due today and commit."""
    count = remind_overdue(date.today())
    db.session.commit()
    return count


# ---- where every project stands ------------------------------------------------------------


@dataclass
class ProjectStand:
    project: BankProject
    done: int
    next_milestone: Milestone | None
    overdue: bool


@dataclass
class Standing:
    rows: list[ProjectStand]
    by_region: dict[str | None, dict[str, int]] = field(default_factory=dict)
    by_stop: dict[str, dict[str, int]] = field(default_factory=dict)
    median_days: dict[str, float | None] = field(default_factory=dict)  # per milestone kind


def _stand(project: BankProject, today: date) -> ProjectStand:
    pending = [m for m in project.milestones if not m.done_on]
    return ProjectStand(
        project=project,
        done=len(project.milestones) - len(pending),
        next_milestone=pending[0] if pending else None,
        overdue=any(m.overdue(today) for m in pending),
    )


def advised_by(user, today: date) -> list[ProjectStand]:
    """The projects this account advises, each with what is next on its path and whether it is
    late (the adviser's "My projects")."""
    projects = db.session.scalars(
        select(BankProject)
        .where(BankProject.adviser_id == user.id)
        .options(selectinload(BankProject.milestones), selectinload(BankProject.origin_event))
        .order_by(BankProject.title, BankProject.id)
    )
    return [_stand(project, today) for project in projects]


def standing(today: date) -> Standing:
    """Every project with its path: how far it has come, what is next and whether it is late;
    counts by region and by stop; and how long each stage takes (median days from the previous
    milestone done, or from the project's entry in the bank, to this one)."""
    projects = list(
        db.session.scalars(
            select(BankProject)
            .options(
                selectinload(BankProject.milestones),
                selectinload(BankProject.origin_event),
                selectinload(BankProject.adviser),
            )
            .order_by(BankProject.title)
        )
    )
    rows, durations = [], defaultdict(list)
    by_region: dict = defaultdict(lambda: defaultdict(int))
    by_stop: dict = defaultdict(lambda: defaultdict(int))
    for project in projects:
        stand = _stand(project, today)
        done = [m for m in project.milestones if m.done_on]
        rows.append(stand)
        stage = stand.next_milestone.kind if stand.next_milestone else "complete"
        if not project.milestones:
            stage = "unplanned"
        by_region[project.region_code][stage] += 1
        stop = project.origin_event.city if project.origin_event else ""
        by_stop[stop][stage] += 1
        previous = project.created_at.date() if project.created_at else None
        for milestone in sorted(done, key=lambda m: m.position):
            if previous is not None:
                # A step done before the previous one (or before the project entered the bank)
                # took no time on the path.
                durations[milestone.kind].append(max(0, (milestone.done_on - previous).days))
            previous = milestone.done_on
    return Standing(
        rows=rows,
        by_region={k: dict(v) for k, v in by_region.items()},
        by_stop={k: dict(v) for k, v in by_stop.items()},
        median_days={
            kind: statistics.median(durations[kind]) if durations[kind] else None for kind in PATH
        },
    )
