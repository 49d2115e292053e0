"""The project bank: promotion from published events, editing, search and the public record.

Plain functions in the domain's words: they validate, write, flush and audit; the caller commits.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit.services import record
from bank.folding import query_words
from bank.models import BankProject
from bank.states import BankStatus
from competitions.models import Event
from competitions.states import EventState
from extensions import db
from judging.models import ResultEntry, WinnerChoice
from refusals import BadRequest, Conflict, Refusal
from submissions.models import SECTORS, Idea

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


def _team_text(idea: Idea) -> str:
    lines = [idea.lead_name.strip()] if idea.lead_name else []
    lines += [line.strip() for line in (idea.other_members or "").splitlines() if line.strip()]
    return "\n".join(lines)


def project_from_idea(idea: Idea, entry: ResultEntry | None, event: Event) -> BankProject:
    """A new bank project holding what the bank needs of an idea and of its result."""
    summary = "\n\n".join(part.strip() for part in (idea.problem, idea.solution) if part)
    return BankProject(
        idea_id=idea.id,
        origin_event_id=event.id,
        origin_rank=entry.rank if entry else None,
        raw_score=entry.raw_score if entry else None,
        normalised_score=entry.normalised_score if entry else None,
        is_winner=bool(entry.is_winner) if entry else False,
        title=idea.title[:200],
        summary=summary,
        sector=idea.sector,
        region=idea.region,
        province=idea.province,
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


def _candidates(event: Event, include_bank_worthy: bool) -> list[tuple[Idea, ResultEntry | None]]:
    """The event's winners (frozen results), then its bank-worthy ideas if asked, each once."""
    entries = db.session.scalars(
        select(ResultEntry).where(ResultEntry.event_id == event.id).order_by(ResultEntry.rank)
    ).all()
    by_idea = {entry.idea_id: entry for entry in entries}
    if entries:
        winners = [(entry.idea, entry) for entry in entries if entry.is_winner]
    else:  # results not frozen as rows: the deliberation's choices still name the winners
        choices = db.session.scalars(
            select(WinnerChoice).where(WinnerChoice.event_id == event.id).order_by(WinnerChoice.id)
        ).all()
        winners = [(choice.idea, None) for choice in choices]
    chosen = list(winners)
    if include_bank_worthy:
        worthy = db.session.scalars(
            select(Idea)
            .where(Idea.event_id == event.id, Idea.bank_worthy.is_(True))
            .order_by(Idea.id)
        ).all()
        chosen += [(idea, by_idea.get(idea.id)) for idea in worthy]
    unique, seen = [], set()
    for idea, entry in chosen:
        if idea.id not in seen:
            seen.add(idea.id)
            unique.append((idea, entry))
    return unique


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
    for idea, entry in _candidates(event, include_bank_worthy):
        existing = _existing_project(idea)
        if existing is not None:
            already.append(existing)
            continue
        project = project_from_idea(idea, entry, event)
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

# field → (maximum length, required)
TEXT_FIELDS: dict[str, tuple[int, bool]] = {
    "title": (200, True),
    "summary": (5000, False),
    "region": (100, True),
    "province": (100, True),
    "target_group": (2000, False),
    "team": (2000, False),
    "cooperative_name": (200, False),
    "contact_name": (200, False),
    "contact_phone": (20, False),
    "contact_email": (254, False),
    "products": (2000, False),
    "customers": (2000, False),
    "revenue_sources": (2000, False),
    "main_costs": (2000, False),
    "break_even": (200, False),
    "partners": (2000, False),
}
AMOUNT_FIELDS = ("budget_mad", "financing_sought_mad")
COUNT_FIELDS = ("expected_jobs",)
NULLABLE_TEXT = ("cooperative_name", "contact_name", "contact_phone", "contact_email")
EDITABLE = (*TEXT_FIELDS, "sector", "status", *AMOUNT_FIELDS, *COUNT_FIELDS, "financing_sources")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_GROUPING = re.compile(r"[\s\u00a0\u202f.,']")  # thousands separators people type


def parse_whole(value, *, maximum: int = MAX_AMOUNT_MAD) -> int | None:
    """A whole, non-negative number typed by a person ('250 000' is fine); None when empty.

    Raises ValueError for anything else (negative, decimal, letters, too large).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text:
            return None
        if re.search(r"[.,]\d{1,2}$", text) and not re.search(r"[.,]\d{3}$", text):
            raise ValueError(text)  # 12.5 or 12,50: not whole dirhams
        text = _GROUPING.sub("", text)
        if not text.isdigit() or not text.isascii():
            raise ValueError(text)
        number = int(text)
    if number < 0 or number > maximum:
        raise ValueError(value)
    return number


def _amount_error() -> str:
    return _("Enter a whole number of dirhams, 0 or more (for example 250000).")


def clean_financing(rows: Sequence) -> tuple[list[dict], str | None]:
    """[(source, amount), …] or [{"source":…, "amount_mad":…}] → clean list; blank rows dropped."""
    cleaned: list[dict] = []
    for row in rows:
        if isinstance(row, Mapping):
            name, amount = row.get("source"), row.get("amount_mad")
        else:
            name, amount = row
        name = (name or "").strip()
        if not name and (amount is None or str(amount).strip() == ""):
            continue
        if not name:
            return [], _("Each financing source needs a name (INDH, microcredit, a partner…).")
        if len(name) > 100:
            return [], _("A financing source's name is limited to %(n)d characters.", n=100)
        try:
            value = parse_whole(amount)
        except ValueError:
            return [], _amount_error()
        if value is None:
            return [], _("Give the amount in dirhams for %(source)s.", source=name)
        cleaned.append({"source": name, "amount_mad": value})
    if len(cleaned) > MAX_FINANCING_ROWS:
        return [], _("At most %(n)d financing sources.", n=MAX_FINANCING_ROWS)
    return cleaned, None


def clean_project_data(data: Mapping) -> tuple[dict, dict[str, str]]:
    """Check an edit: returns (values, errors); only the fields present in `data` are checked."""
    values: dict = {}
    errors: dict[str, str] = {}
    for name, (limit, required) in TEXT_FIELDS.items():
        if name not in data:
            continue
        text = (data.get(name) or "").replace("\r\n", "\n").strip()
        if required and not text:
            errors[name] = _("This field is required.")
        elif len(text) > limit:
            errors[name] = _("At most %(n)d characters (%(got)d typed).", n=limit, got=len(text))
        elif name == "contact_email" and text and not _EMAIL.match(text):
            errors[name] = _("Enter a valid e-mail address.")
        else:
            values[name] = text or (None if name in NULLABLE_TEXT else "")
    if "sector" in data:
        if data.get("sector") in SECTORS:
            values["sector"] = data["sector"]
        else:
            errors["sector"] = _("Choose a sector from the list.")
    if "status" in data:
        if BankStatus.parse(data.get("status")) is not None:
            values["status"] = data["status"]
        else:
            errors["status"] = _("Unknown status. Choose one of the list.")
    for name in AMOUNT_FIELDS:
        if name in data:
            try:
                values[name] = parse_whole(data.get(name))
            except ValueError:
                errors[name] = _amount_error()
    for name in COUNT_FIELDS:
        if name in data:
            try:
                values[name] = parse_whole(data.get(name), maximum=100_000)
            except ValueError:
                errors[name] = _("Enter a whole number, 0 or more.")
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
    old, new = {}, {}
    for name, value in values.items():
        current = getattr(project, name)
        if current != value:
            old[name], new[name] = current, value
            setattr(project, name, value)
    if new:
        db.session.flush()
        record(
            "bank_project",
            project.id,
            "status_changed" if set(new) == {"status"} else "updated",
            by=by,
            event_id=project.origin_event_id,
            old=old,
            new=new,
            source=source,
        )
    return new


def financing_available(project: BankProject) -> int:
    return sum(int(row.get("amount_mad") or 0) for row in project.financing_sources or [])


# ---------------------------------------------------------------------------------------------
# Search


@dataclass
class BankFilters:
    q: str = ""
    region: str = ""
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


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def _positive_int(args: Mapping, name: str, default: int, maximum: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not raw.isascii() or not 1 <= int(raw) <= maximum:
        raise BankQueryError(
            _l(
                "The parameter %(name)s must be a whole number from 1 to %(max)d.",
                name=name,
                max=maximum,
            ),
            field=name,
        )
    return int(raw)


def parse_filters(args: Mapping, *, max_per_page: int = MAX_PER_PAGE) -> BankFilters:
    """Read filters from query parameters; raises BankQueryError with a clear message."""
    filters = BankFilters(
        q=(args.get("q") or "").strip()[:200],
        region=(args.get("region") or "").strip()[:100],
        province=(args.get("province") or "").strip()[:100],
        sector=(args.get("sector") or "").strip(),
        status=(args.get("status") or "").strip(),
    )
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
            setattr(filters, name, parse_whole(args.get(name)))
        except ValueError:
            raise BankQueryError(
                _l(
                    "The parameter %(name)s must be a whole number of dirhams, 0 or more.",
                    name=name,
                )
            ) from None
    if (
        filters.min_budget is not None
        and filters.max_budget is not None
        and filters.min_budget > filters.max_budget
    ):
        raise BankQueryError(_l("The minimum budget is larger than the maximum budget."))
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
        query = query.where(BankProject.region == filters.region)
    if filters.province:
        query = query.where(BankProject.province == filters.province)
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


def filter_choices() -> dict:
    """The regions and provinces present in the bank, for the filter lists."""
    regions = db.session.scalars(
        select(BankProject.region).distinct().order_by(BankProject.region)
    ).all()
    provinces = db.session.scalars(
        select(BankProject.province).distinct().order_by(BankProject.province)
    ).all()
    return {"regions": list(regions), "provinces": list(provinces)}


# ---------------------------------------------------------------------------------------------
# The public record: what anyone may see (no contact, no team names)


def public_record(project: BankProject) -> dict:
    """A project without personal data, for the public pages and the JSON feed."""
    event = project.origin_event
    return {
        "id": project.id,
        "title": project.title,
        "summary": project.summary,
        "sector": project.sector,
        "region": project.region,
        "province": project.province,
        "target_group": project.target_group,
        "expected_jobs": project.expected_jobs,
        "budget_mad": project.budget_mad,
        "financing_sought_mad": project.financing_sought_mad,
        "cooperative_name": project.cooperative_name,
        "business_model": {
            "products": project.products,
            "customers": project.customers,
            "revenue_sources": project.revenue_sources,
            "main_costs": project.main_costs,
            "break_even": project.break_even,
        },
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
            "rank": project.origin_rank,
            "raw_score": project.raw_score,
            "normalised_score": project.normalised_score,
            "is_winner": project.is_winner,
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
