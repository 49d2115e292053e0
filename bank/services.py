"""The project bank: promotion from published events, editing, search and the public record.

Plain functions in the domain's words: they validate, write, flush and audit; the caller commits.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit.services import record
from bank import changes
from bank import plan as financial_plan
from bank.folding import query_words
from bank.models import BankProject
from bank.states import BankStatus, LegalForm
from competitions.models import Event
from competitions.states import EventState
from extensions import db
from fieldtypes import (
    PLACE_FIELDS,
    Amount,
    Choice,
    Email,
    FieldError,
    FieldType,
    Integer,
    Phone,
    Text,
    max_lengths,
    parse_fields,
    parse_places,
)
from i18n import format_mad
from judging.results import ResultRow, event_winners, results_in_force
from paging import Page
from places import reference as places
from refusals import BadRequest, Conflict, Refusal
from submissions.models import SECTORS, Idea
from submissions.team import members_of, team_counts

# A published event keeps its results when it is archived: both can feed the bank.
MAX_AMOUNT_MAD = 10**12  # a trillion dirhams: beyond it, a typing error
MAX_FINANCING_ROWS = 20
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


class BankError(Refusal):
    """A user-facing reason why a bank operation was refused."""


class PromotionError(BankError, Conflict):
    """The event cannot feed the bank in its state (409)."""


class BankQueryError(BankError, BadRequest):
    """A bad filter or paging parameter (browse pages and the JSON feed): 400."""


class BankValidationError(BankError):
    """Bad values in an edit; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_l("Please correct the fields marked in red."), errors=errors)


# ---------------------------------------------------------------------------------------------
# Promotion


def _existing_project(idea: Idea) -> BankProject | None:
    """The project already made from this idea, or from the idea it was carried from (final)."""
    seen: set[int] = set()
    current: Idea | None = idea
    while current is not None and current.id not in seen:
        seen.add(current.id)
        project = db.session.scalar(select(BankProject).where(BankProject.idea_id == current.id))
        if project is not None:
            return project
        current = db.session.get(Idea, current.carried_from_id) if current.carried_from_id else None
    return None


def promoted_ideas(idea_ids) -> set[int]:
    """The ideas among `idea_ids` promoted to the bank, directly or through the idea carried
    into the final (either way): their personal data are kept past the event's retention."""
    ids = set(idea_ids)
    related = db.session.execute(
        select(Idea.id, Idea.carried_from_id).where(
            (Idea.id.in_(ids) & Idea.carried_from_id.is_not(None)) | Idea.carried_from_id.in_(ids)
        )
    ).all()
    linked = {i for pair in related for i in pair} | ids
    in_bank = set(
        db.session.scalars(select(BankProject.idea_id).where(BankProject.idea_id.in_(linked)))
    )
    promoted = ids & in_bank
    for idea_id, carried_from in related:
        if idea_id in in_bank or carried_from in in_bank:
            promoted |= {idea_id, carried_from} & ids
    return promoted


def forget_contact(idea: Idea, *, by=None, reason: str, **_) -> dict:
    """An idea's personal data were erased at the participant's request: the bank's copy of
    them (the contact and the team) goes too."""
    project = _existing_project(idea)
    if project is None or not (project.contact_name or project.contact_phone or project.team):
        return {}
    project.contact_name = project.contact_phone = project.contact_email = None
    project.team = ""
    return {"bank_project_contact_erased": project.id}


def _team_text(idea: Idea) -> str:
    lines = [idea.lead_name.strip()] if idea.lead_name else []
    lines += [line.strip() for line in (idea.other_members or "").splitlines() if line.strip()]
    lines += [f"{m.name} ({m.role})" if m.role else m.name for m in members_of(idea.id) if m.name]
    return "\n".join(lines)


def _copy_result(project: BankProject, row: ResultRow | None) -> None:
    project.origin_rank = row.rank if row else None
    project.raw = row.raw if row else None
    project.score_100 = row.score_100 if row else None
    project.mean_z = row.mean_z if row else None
    project.is_winner = bool(row.is_winner) if row else False


def project_from_idea(idea: Idea, row: ResultRow | None, event: Event) -> BankProject:
    """A new bank project holding what the bank needs of an idea and of its official result."""
    summary = "\n\n".join(part.strip() for part in (idea.problem, idea.solution) if part)
    project = BankProject(
        idea_id=idea.id,
        receipt_code=idea.receipt_code,
        origin_event_id=event.id,
        title=idea.title[:200],
        summary=summary,
        sector=idea.sector,
        region_code=idea.region_code,
        province_code=idea.province_code,
        commune_code=idea.commune_code,
        place_note=idea.place_note,
        target_group=idea.beneficiaries or "",
        expected_jobs=idea.expected_jobs,
        budget_mad=idea.budget_mad,
        financing_sought_mad=idea.financing_sought_mad,
        team=_team_text(idea),
        cooperative_name=idea.cooperative_name,
        contact_name=idea.lead_name,
        contact_phone=idea.lead_phone,
        contact_email=idea.lead_email,
        financing_sources=[],
        status=BankStatus.IDEA,
    )
    counts = team_counts(idea)
    project.members_count = counts.members
    project.women_members = counts.women
    project.youth_members = counts.youth
    _copy_result(project, row)
    return project


def _candidates(event: Event, include_bank_worthy: bool) -> list[tuple[Idea, ResultRow | None]]:
    """The event's winners (results in force), then its bank-worthy ideas if asked, each once."""
    official = results_in_force(event)
    rows = {row.idea_id: row for row in official.rows} if official else {}
    ids = [row.idea_id for row in event_winners(event)]
    if include_bank_worthy:
        ids += db.session.scalars(
            select(Idea.id)
            .where(Idea.event_id == event.id, Idea.bank_worthy.is_(True))
            .order_by(Idea.id)
        ).all()
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(ids)))}
    return [(ideas[idea_id], rows.get(idea_id)) for idea_id in dict.fromkeys(ids)]


def refresh_results(event: Event, **_) -> None:
    """A new version of the event's results is in force: the bank's copies follow it."""
    official = results_in_force(event)
    if official is None:
        return
    projects = db.session.scalars(
        select(BankProject).where(BankProject.origin_event_id == event.id)
    ).all()
    for project in projects:
        _copy_result(project, official.row(project.idea_id))
    db.session.flush()


def promote_winners(
    event: Event, by, include_bank_worthy: bool = False, *, source: str = "web"
) -> dict:
    """Copy a published event's winners (and bank-worthy ideas) into the bank.

    Idempotent: an idea already in the bank (directly or through the idea it was carried from)
    is left as it is, so organisers' edits are never overwritten. Returns the counts and projects.
    """
    if not event.results_public:
        raise PromotionError(
            _l(
                "Only a published event can feed the bank: %(city)s is not published yet.",
                city=event.city,
            )
        )
    created: list[BankProject] = []
    already: list[BankProject] = []
    for idea, row in _candidates(event, include_bank_worthy):
        existing = _existing_project(idea)
        if existing is not None:
            already.append(existing)
            continue
        project = project_from_idea(idea, row, event)
        db.session.add(project)
        db.session.flush()
        record(
            "bank_project",
            project.id,
            "promoted",
            by=by,
            event_id=event.id,
            new={
                "idea_id": idea.id,
                "title": project.title,
                "origin_rank": project.origin_rank,
                "is_winner": project.is_winner,
            },
            source=source,
        )
        created.append(project)
    return {
        "created": len(created),
        "already": len(already),
        "projects": created + already,
    }


# ---------------------------------------------------------------------------------------------
# Editing

AMOUNT = Amount(MAX_AMOUNT_MAD)
# Every editable field's type: a text's limit is its column's (long text columns get a cap).
TYPES: dict[str, FieldType] = {
    "title": Text.of(BankProject.title, required=True),
    "summary": Text.of(BankProject.summary, max_length=5000),
    "target_group": Text.of(BankProject.target_group, max_length=2000),
    "team": Text.of(BankProject.team, max_length=2000),
    "cooperative_name": Text.of(BankProject.cooperative_name, empty=None),
    "contact_name": Text.of(BankProject.contact_name, empty=None),
    "contact_phone": Phone(),
    "contact_email": Email(BankProject.contact_email.type.length),
    "products": Text.of(BankProject.products, max_length=2000),
    "customers": Text.of(BankProject.customers, max_length=2000),
    "revenue_sources": Text.of(BankProject.revenue_sources, max_length=2000),
    "main_costs": Text.of(BankProject.main_costs, max_length=2000),
    "break_even": Text.of(BankProject.break_even),
    "partners": Text.of(BankProject.partners, max_length=2000),
    "channels": Text.of(BankProject.channels, max_length=2000),
    "resources": Text.of(BankProject.resources, max_length=2000),
    "sector": Choice(SECTORS, required=True),
    "status": Choice(BankStatus, required=True),
    "budget_mad": AMOUNT,
    "financing_sought_mad": AMOUNT,
    "expected_jobs": Integer(0, 100_000),
    "legal_form": Choice(LegalForm),
    "members_count": Integer(1, 100_000),
    "women_members": Integer(0, 100_000),
    "youth_members": Integer(0, 100_000),
    "beneficiaries_count": Integer(0, 10_000_000),
    "funding_programme_mad": AMOUNT,
    "funding_holder_mad": AMOUNT,
    "funding_partners_mad": AMOUNT,
}
FUNDING = ("funding_programme_mad", "funding_holder_mad", "funding_partners_mad")
EDITABLE = (*TYPES, *PLACE_FIELDS, "financing_sources")
FINANCING_SOURCE = Text(100)
MAX_LENGTHS = {**max_lengths(TYPES), "financing_source": FINANCING_SOURCE.max_length}


def clean_financing(rows: Sequence) -> tuple[list[dict], str | None]:
    """[(source, amount), …] or [{"source":…, "amount_mad":…}] → clean list; blank rows dropped."""
    cleaned: list[dict] = []
    for row in rows:
        if isinstance(row, Mapping):
            name, amount = row.get("source"), row.get("amount_mad")
        else:
            name, amount = row
        try:
            name = FINANCING_SOURCE.parse(name)
            value = AMOUNT.parse(amount)
        except FieldError as error:
            return [], error.message
        if not name and value is None:
            continue
        if not name:
            return [], _("Each financing source needs a name (INDH, microcredit, a partner…).")
        if value is None:
            return [], _("Give the amount in dirhams for %(source)s.", source=name)
        cleaned.append({"source": name, "amount_mad": value})
    if len(cleaned) > MAX_FINANCING_ROWS:
        return [], _("At most %(n)d financing sources.", n=MAX_FINANCING_ROWS)
    return cleaned, None


def projects_to_place() -> list[BankProject]:
    """Projects whose typed place could not be read when places became HCP codes: `place_note`
    keeps what was typed until an organiser chooses the place (`update_project`)."""
    return list(
        db.session.scalars(
            select(BankProject).where(BankProject.place_note.is_not(None)).order_by(BankProject.id)
        )
    )


def clean_project_data(data: Mapping) -> tuple[dict, dict[str, str]]:
    """Check an edit: returns (values, errors); only the fields present in `data` are checked."""
    values, errors = parse_fields(TYPES, data, only_present=True)
    if any(name in data for name in PLACE_FIELDS):
        places, place_errors = parse_places(data)
        values.update(places, place_note=None)  # a place chosen: nothing left to correct
        errors.update(place_errors)
    members = values.get("members_count")
    for name in ("women_members", "youth_members"):
        if members is not None and (values.get(name) or 0) > members:
            errors[name] = str(_l("More than the %(n)d members.", n=members))
    split = [values.get(name) for name in FUNDING]
    budget = values.get("budget_mad")
    if None not in split and budget and sum(split) != budget and not errors:
        errors["funding_programme_mad"] = str(
            _l(
                "The funding split adds up to %(total)s but the budget is %(budget)s.",
                total=format_mad(sum(split)),
                budget=format_mad(budget),
            )
        )
    if "financing_sources" in data:
        rows, error = clean_financing(data.get("financing_sources") or [])
        if error:
            errors["financing_sources"] = error
        else:
            values["financing_sources"] = rows
    return values, errors


def update_project(project: BankProject, data: Mapping, by, *, source: str = "web") -> dict:
    """Apply an organiser's edit; every changed field is logged old → new. Returns the changes.

    Raises BankValidationError (nothing changed) when a value is refused.
    """
    values, errors = clean_project_data(data)
    if errors:
        raise BankValidationError(errors)
    old, new = changes.apply(project, values)
    if new:
        db.session.flush()
        changes.audit(
            "bank_project",
            project.id,
            "status_changed" if set(new) == {"status"} else "updated",
            by=by,
            project=project,
            old=old,
            new=new,
            source=source,
        )
    return new


def update_plan(project: BankProject, form, by) -> bool:
    """Replace the project's financial plan with the one typed (`form`: the plan page's lists);
    audited; whether it changed. Raises BankValidationError with each line's message."""
    plan, errors = financial_plan.clean_plan(
        form.getlist("investment_label"),
        form.getlist("investment_amount"),
        form.getlist("revenue"),
        form.getlist("costs"),
        form.getlist("jobs"),
        budget_mad=project.budget_mad,
    )
    if errors:
        raise BankValidationError(errors)
    if plan == (project.financial_plan or {}):
        return False
    old, project.financial_plan = project.financial_plan, plan
    db.session.flush()
    changes.audit(
        "bank_project",
        project.id,
        "plan",
        by=by,
        project=project,
        old={"financial_plan": old},
        new={"financial_plan": plan},
    )
    return True


def financing_available(project: BankProject) -> int:
    return sum(int(row.get("amount_mad") or 0) for row in project.financing_sources or [])


# ---------------------------------------------------------------------------------------------
# Search


@dataclass
class BankFilters:
    q: str = ""
    region: str = ""  # HCP codes
    province: str = ""
    sector: str = ""
    status: str = ""
    min_budget: int | None = None
    max_budget: int | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def as_args(self, **overrides) -> dict:
        """The filters as query parameters (empty ones left out), for links and `next`."""
        args = {
            "q": self.q,
            "region": self.region,
            "province": self.province,
            "sector": self.sector,
            "status": self.status,
            "min_budget": self.min_budget,
            "max_budget": self.max_budget,
            "page": self.page,
            "per_page": self.per_page if self.per_page != DEFAULT_PER_PAGE else None,
        }
        args.update(overrides)
        return {key: value for key, value in args.items() if value not in (None, "")}

    @property
    def crossed_budgets(self) -> bool:
        """A minimum above the maximum: a range no project is in (the page says so; the feed
        answers an empty page, a valid answer to a valid question)."""
        return (
            self.min_budget is not None
            and self.max_budget is not None
            and self.min_budget > self.max_budget
        )

    @property
    def active(self) -> bool:
        return bool(
            self.q
            or self.region
            or self.province
            or self.sector
            or self.status
            or self.min_budget is not None
            or self.max_budget is not None
        )


def _positive_int(args: Mapping, name: str, default: int, maximum: int) -> int:
    try:
        value = Integer(1, maximum).parse(args.get(name))
    except FieldError:
        raise BankQueryError(
            _l(
                "The parameter %(name)s must be a whole number from 1 to %(max)d.",
                name=name,
                max=maximum,
            ),
            field=name,
        ) from None
    return default if value is None else value


FILTER_LIMITS = {"q": 200, "region": 100, "province": 100}


SINGLE_PARAMETERS = (
    *FILTER_LIMITS, "sector", "status", "min_budget", "max_budget", "page", "per_page",
)  # fmt: skip


def _read_place_filters(filters: BankFilters) -> None:
    """The region and province filters as HCP codes (a name, French or Arabic, is read too: a
    link written by hand); an unknown one is refused."""
    if filters.region:
        code = places.find_region(filters.region)
        if not code:
            raise BankQueryError(
                _l("Unknown region %(value)s: give its code, 01 to 12.", value=filters.region),
                field="region",
            )
        filters.region = code
    if filters.province:
        code = (
            filters.province
            if places.is_code(filters.province, "province")
            else places.find_province(filters.province, filters.region or None)
        )
        if not code:
            raise BankQueryError(
                _l(
                    "Unknown province %(value)s: give its code, e.g. 02.411.",
                    value=filters.province,
                ),
                field="province",
            )
        filters.province = code


def parse_filters(args: Mapping, *, max_per_page: int = MAX_PER_PAGE) -> BankFilters:
    """Read filters from query parameters; raises BankQueryError with a clear message."""
    getlist = getattr(args, "getlist", None)
    for name in SINGLE_PARAMETERS if getlist else ():
        if len(getlist(name)) > 1:
            raise BankQueryError(_l("Give the parameter %(name)s once.", name=name), field=name)
    texts = {}
    for name, limit in FILTER_LIMITS.items():
        value = (args.get(name) or "").strip()
        if len(value) > limit:
            raise BankQueryError(
                _l("The parameter %(name)s is at most %(max)d characters.", name=name, max=limit),
                field=name,
            )
        texts[name] = value
    filters = BankFilters(
        **texts,
        sector=args.get("sector") or "",  # a code, as the lists send it: nothing stripped
        status=args.get("status") or "",
    )
    _read_place_filters(filters)
    if filters.sector and filters.sector not in SECTORS:
        raise BankQueryError(
            _l(
                "Unknown sector %(value)s. Use one of: %(list)s.",
                value=filters.sector,
                list=", ".join(SECTORS),
            )
        )
    if filters.status and BankStatus.parse(filters.status) is None:
        raise BankQueryError(
            _l(
                "Unknown status %(value)s. Use one of: %(list)s.",
                value=filters.status,
                list=", ".join(BankStatus.values()),
            )
        )
    for name in ("min_budget", "max_budget"):
        try:
            setattr(filters, name, AMOUNT.parse(args.get(name)))
        except FieldError:
            raise BankQueryError(
                _l(
                    "The parameter %(name)s must be a whole number of dirhams, 0 or more.",
                    name=name,
                )
            ) from None
    filters.page = _positive_int(args, "page", 1, 1_000_000)
    filters.per_page = _positive_int(args, "per_page", DEFAULT_PER_PAGE, max_per_page)
    return filters


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered_query(filters: BankFilters):
    """SELECT of the projects matching the filters; the same SQL on SQLite and PostgreSQL. Each
    project's origin event comes with it (lists, exports and the feed name its city)."""
    query = select(BankProject).options(selectinload(BankProject.origin_event))
    if filters.region:
        query = query.where(BankProject.region_code == filters.region)
    if filters.province:
        query = query.where(BankProject.province_code == filters.province)
    if filters.sector:
        query = query.where(BankProject.sector == filters.sector)
    if filters.status:
        query = query.where(BankProject.status == filters.status)
    if filters.min_budget is not None:
        query = query.where(BankProject.budget_mad >= filters.min_budget)
    if filters.max_budget is not None:
        query = query.where(BankProject.budget_mad <= filters.max_budget)
    for word in query_words(filters.q):
        query = query.where(BankProject.search_text.like(f"%{_like_escape(word)}%", escape="\\"))
    return query


def search_projects(filters: BankFilters) -> Page:
    query = filtered_query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.order_by(BankProject.is_winner.desc(), BankProject.id.desc())
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    ).all()
    return Page(items=list(items), total=total, page=filters.page, per_page=filters.per_page)


def all_matching(filters: BankFilters) -> list[BankProject]:
    """Every project matching the filters, ignoring paging (exports)."""
    return list(db.session.scalars(filtered_query(filters).order_by(BankProject.id)))


def filter_choices(region_code: str = "") -> dict:
    """The regions and provinces present in the bank (codes; the provinces of `region_code`
    when one is chosen), for the filter lists."""
    rows = db.session.execute(
        select(BankProject.region_code, BankProject.province_code).distinct()
    ).all()
    regions = sorted({r for r, _ in rows if r})
    provinces = sorted({p for r, p in rows if p and region_code in ("", r)})
    return {"regions": regions, "provinces": provinces}


# ---------------------------------------------------------------------------------------------
# The public record: what anyone may see (no contact, no team names)


def _plan_record(project: BankProject) -> dict:
    figures = financial_plan.figures(project.financial_plan)
    return {
        "investment_mad": figures.investment_mad,
        "investment": list((project.financial_plan or {}).get("investment", [])),
        "years": [
            {
                "year": y.year,
                "revenue_mad": y.revenue_mad,
                "costs_mad": y.costs_mad,
                "result_mad": y.result_mad,
                "jobs": y.jobs,
            }
            for y in figures.years
        ],
        "break_even_year": figures.break_even_year,
    }


def place_record(code: str | None) -> dict | None:
    """A place of the feed and the exports: its HCP code and its names (French, Arabic)."""
    found = places.place(code)
    return {"code": code, "name_fr": found.name_fr, "name_ar": found.name_ar} if found else None


def public_record(project: BankProject) -> dict:
    """A project without personal data, for the public pages and the JSON feed."""
    event = project.origin_event
    return {
        "id": project.id,
        "title": project.title,
        "summary": project.summary,
        "sector": project.sector,
        "region": place_record(project.region_code),
        "province": place_record(project.province_code),
        "commune": place_record(project.commune_code),
        "target_group": project.target_group,
        "expected_jobs": project.expected_jobs,
        "budget_mad": project.budget_mad,
        "financing_sought_mad": project.financing_sought_mad,
        "cooperative_name": project.cooperative_name,
        "legal_form": project.legal_form,
        "members": {
            "count": project.members_count,
            "women": project.women_members,
            "youth": project.youth_members,
        },
        "beneficiaries_count": project.beneficiaries_count,
        "funding_split": {
            "programme_mad": project.funding_programme_mad,
            "holder_mad": project.funding_holder_mad,
            "partners_mad": project.funding_partners_mad,
        },
        "business_model": {
            "products": project.products,
            "customers": project.customers,
            "revenue_sources": project.revenue_sources,
            "main_costs": project.main_costs,
            "break_even": project.break_even,
            "channels": project.channels,
            "resources": project.resources,
        },
        "financial_plan": _plan_record(project),
        "financing_sources": [
            {"source": row.get("source"), "amount_mad": row.get("amount_mad")}
            for row in project.financing_sources or []
        ],
        "financing_available_mad": financing_available(project),
        "partners": project.partners,
        "status": project.status,
        "origin": {
            "event": event.slug if event else None,
            "city": event.city if event else None,
            "city_ar": event.city_ar if event else None,
            "year": event.date.year if event and event.date else None,
            "rank": project.origin_rank,
            "is_winner": project.is_winner,
            "score_100": project.score_100,
            "mean_z": project.mean_z,
            "raw": project.raw,
        },
        "updated_at": project.updated_at.isoformat() if project.updated_at else None,
    }


def promotable_events() -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.state.in_(EventState.RESULTS_PUBLIC))
            .order_by(Event.date, Event.tour_order)
        )
    )


def bank_counts_by_event() -> dict[int, int]:
    rows = db.session.execute(
        select(BankProject.origin_event_id, func.count()).group_by(BankProject.origin_event_id)
    ).all()
    return {event_id: count for event_id, count in rows if event_id is not None}
