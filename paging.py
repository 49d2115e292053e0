"""Pages of a long list: `?page=` read the same way everywhere, one COUNT and one LIMIT/OFFSET
query per page whatever the number of rows, and links that keep the page's filters.

Measured reason (issue 21): unpaged, at 3,000 ideas in an event, the audit log took 9.5 s and
35.8 MB, the progress matrix 2.7 MB, deliberation 1.9 MB; a page of 50 rows costs two
statements and a few kilobytes, and the full data stay in the exports."""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import request
from sqlalchemy import func, select

PAGE_SIZE = 50
LAST_PAGE = 1_000_000  # beyond it a page number is noise (and an OFFSET would overflow)


def page_number(raw) -> int:
    """`?page=` as a page number: 1 for anything but a whole number from 1 on."""
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), LAST_PAGE)


@dataclass
class Page:
    items: list
    total: int  # rows matching, every page together
    page: int  # from 1
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

    @property
    def first(self) -> int:
        """Position of the page's first row (1-based; 0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def paginate(session, query, number: int, per_page: int = PAGE_SIZE) -> Page:
    """Page `number` of an ordered `query` of one entity (a page past the end shows the last)."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(number, max(1, math.ceil(total / per_page)))
    items = session.scalars(query.limit(per_page).offset((number - 1) * per_page))
    return Page(list(items), total, number, per_page)


def of_list(rows: list, number: int, per_page: int = PAGE_SIZE) -> Page:
    """A page of rows computed as a whole (a ranking), shown in part."""
    number = min(number, max(1, math.ceil(len(rows) / per_page)))
    start = (number - 1) * per_page
    return Page(rows[start : start + per_page], len(rows), number, per_page)


def page_url(number: int, anchor: str = "") -> str:
    """The current page's address at page `number`, its filters kept (`?lang=` is left out:
    the session remembers it); the links of `_pagination.html`."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "lang")]
    if number > 1:
        args.append(("page", str(number)))
    return request.path + ("?" + urlencode(args) if args else "") + anchor
