"""What the steps that cannot be undone will do, said on their confirmation pages.

Closing judging lists the sheets still missing, by judge and idea; publishing names what becomes
public and how many results e-mails will leave; validating the minutes names what becomes
locked. Everything here only reads (the pages are GETs).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from competitions.models import Event
from competitions.states import EventState
from extensions import db
from jobs.outbox import external_url
from judging.models import ScoreSheet
from judging.services import progress_matrix
from judging.states import SheetState
from submissions.models import Idea


def missing_sheets(event: Event) -> dict:
    """The sheets not submitted yet: {"done": n, "total": n, "percent": n, "by_judge":
    [(judge, [idea, ...]), ...]} (judges and ideas in the progress page's order)."""
    matrix = progress_matrix(event)
    total, done = db.session.execute(
        select(
            func.count(ScoreSheet.id).filter(ScoreSheet.status.in_(SheetState.LIVE)),
            func.count(ScoreSheet.id).filter(ScoreSheet.status == SheetState.SUBMITTED),
        ).where(ScoreSheet.event_id == event.id)
    ).one()
    waiting: dict[int, list[Idea]] = {}
    for judge_id, idea in db.session.execute(
        select(ScoreSheet.judge_id, Idea)
        .join(Idea, Idea.id == ScoreSheet.idea_id)
        .where(ScoreSheet.event_id == event.id, ScoreSheet.status.in_(SheetState.UNSUBMITTED))
        .order_by(Idea.is_calibration.desc(), Idea.id)
    ):
        waiting.setdefault(judge_id, []).append(idea)
    by_judge = [(judge, waiting[judge.id]) for judge in matrix["judges"] if judge.id in waiting]
    return {
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 100,
        "by_judge": by_judge,
    }


def results_emails_count(event: Event) -> int:
    """How many results e-mails publishing sends: one per idea with an address, the
    calibration idea left out (`judging.outcome.announce_results` sends them)."""
    return db.session.scalar(
        select(func.count(Idea.id)).where(
            Idea.event_id == event.id,
            Idea.lead_email.is_not(None),
            Idea.lead_email != "",
            Idea.is_calibration.is_(False),
        )
    )


def _idea_label(idea: Idea) -> str:
    return f"{idea.receipt_code} {idea.title}"


def closing_notices(event: Event) -> list[dict]:
    missing = missing_sheets(event)
    notices = [
        {
            "text": str(
                _l(
                    "%(percent)s %% of the score sheets are submitted (%(done)s of %(total)s).",
                    percent=missing["percent"],
                    done=missing["done"],
                    total=missing["total"],
                )
            ),
            "items": [],
        }
    ]
    if missing["by_judge"]:
        notices.append(
            {
                "text": str(_l("Sheets still missing, by judge:")),
                "items": [
                    f"{judge.name}: " + "; ".join(_idea_label(idea) for idea in ideas)
                    for judge, ideas in missing["by_judge"]
                ],
            }
        )
    else:
        notices.append({"text": str(_l("Every score sheet is submitted.")), "items": []})
    return notices


def publishing_notices(event: Event) -> list[dict]:
    results = external_url("judging.results", slug=event.slug)
    api = external_url("judging.api_ranking", slug=event.slug)
    emails = results_emails_count(event)
    return [
        {
            "text": str(_l("These become public, for anyone, and stay so:")),
            "items": [
                str(_l("the winners, on the results page %(url)s", url=results)),
                str(
                    _l("the ranking with every idea's scores, in the ranking API %(url)s", url=api)
                ),
            ],
        },
        {
            "text": str(
                _l(
                    "%(n)s results e-mails will leave, one per idea with an e-mail address.",
                    n=emails,
                )
            ),
            "items": [],
        },
    ]


def move_notices(event: Event, new_state: str) -> list[dict]:
    """What a move of the event will do, for its confirmation page (a notice provider)."""
    if (event.state, new_state) == (EventState.JUDGING, EventState.DELIBERATION):
        return closing_notices(event)
    if (event.state, new_state) == (EventState.DELIBERATION, EventState.PUBLISHED):
        return publishing_notices(event)
    return []


VALIDATION_LOCKS = (
    _l("the winners and the reasons of any choice outside the top places;"),
    _l("the ranking method;"),
    _l("the notes of the discussion;"),
    _l("every input of the ranking: the event can no longer go back to judging."),
)
