"""Calibration that calibrates: each judge's marks on the calibration idea side by side, and each
judge's mean and spread as judging goes, so that a harsh or lenient judge stands out early.

A judge stands out when far from the median of the judges: more than FAR_POINTS (out of 100)
for a score or a mean, more than FAR_SHARE of a criterion's scale for a mark. With fewer than
three judges there is no median to stand out from.
"""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import User
from competitions.models import Event, JuryMember
from extensions import db
from judging.models import Score, ScoreSheet
from judging.services import event_ranking
from submissions.models import Idea

FAR_POINTS = 15.0
FAR_SHARE = 0.25


def median(values: list[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def far_from_median(values: dict, tolerance: float) -> set:
    """The keys whose value is more than `tolerance` away from the median of all values."""
    if len(values) < 3:
        return set()
    centre = median(list(values.values()))
    return {key for key, value in values.items() if abs(value - centre) > tolerance}


def _sheet_score(criteria, marks: dict[int, float]) -> float | None:
    """A complete sheet's score out of 100 (the ranking's weighted formula); None if incomplete."""
    if any(c.id not in marks for c in criteria) or not criteria:
        return None
    weights = sum(c.weight for c in criteria)
    total = sum(
        c.weight * (marks[c.id] - c.scale_min) / (c.scale_max - c.scale_min) for c in criteria
    )
    return 100.0 * total / weights


def calibration_figures(event: Event) -> dict:
    """The calibration idea's marks per criterion and judge (with their medians and the judges
    far from them), and each judge's mean and spread over their submitted sheets."""
    judges = list(
        db.session.scalars(
            select(User)
            .join(JuryMember, JuryMember.user_id == User.id)
            .where(JuryMember.event_id == event.id)
            .order_by(User.name, User.id)
        )
    )
    criteria = list(event.rubric.criteria) if event.rubric else []
    idea = db.session.scalar(select(Idea).where(Idea.event_id == event.id, Idea.is_calibration))
    marks: dict[int, dict[int, float]] = {}  # judge id → criterion id → mark
    status: dict[int, str] = {}
    if idea is not None:
        rows = db.session.execute(
            select(ScoreSheet.judge_id, ScoreSheet.status, Score.criterion_id, Score.value)
            .outerjoin(Score, Score.sheet_id == ScoreSheet.id)
            .where(ScoreSheet.idea_id == idea.id)
        )
        for judge_id, sheet_status, criterion_id, value in rows:
            status[judge_id] = sheet_status
            if criterion_id is not None:
                marks.setdefault(judge_id, {})[criterion_id] = value
    rows = []
    for criterion in criteria:
        values = {
            j.id: marks[j.id][criterion.id] for j in judges if criterion.id in marks.get(j.id, {})
        }
        tolerance = FAR_SHARE * (criterion.scale_max - criterion.scale_min)
        rows.append(
            {
                "criterion": criterion,
                "marks": values,
                "median": median(list(values.values())),
                "far": far_from_median(values, tolerance),
            }
        )
    scores = {
        j.id: score
        for j in judges
        if (score := _sheet_score(criteria, marks.get(j.id, {}))) is not None
    }
    names = {j.id: j.name for j in judges}
    spread = [
        dict(figures, name=names.get(figures["judge_id"], "?"))
        for figures in event_ranking(event, consistency=True)["judges"]
    ]
    far_means = far_from_median({f["judge_id"]: f["mean"] for f in spread}, FAR_POINTS)
    for figures in spread:
        figures["far"] = figures["judge_id"] in far_means
    spread.sort(key=lambda f: f["name"])
    return {
        "idea": idea,
        "judges": judges,
        "status": status,
        "rows": rows,
        "scores": scores,
        "scores_median": median(list(scores.values())),
        "scores_far": far_from_median(scores, FAR_POINTS),
        "spread": spread,
        "means_median": median([f["mean"] for f in spread]),
        "far_points": FAR_POINTS,
    }  # fmt: skip
