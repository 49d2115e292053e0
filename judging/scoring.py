"""The ranking arithmetic, pure: plain numbers in, plain numbers out (no Flask, no SQLAlchemy).

For a rubric with criteria c, weights w_c > 0 and scale [lo_c, hi_c]:

- S_ij = 100 · Σ_c w_c·(s_ijc − lo_c)/(hi_c − lo_c) / Σ_c w_c, for submitted, complete sheets;
- R_i  = mean of S_ij over the judges of idea i (the raw score);
- z_ij = (S_ij − μ_j)/σ_j, μ_j and σ_j (population) over every sheet judge j submitted in the
  event, z_ij = 0 when σ_j = 0; N_i = mean of z_ij (the normalised score);
- the 0–100 display figure of N_i is 50 + 10·N_i clipped to [0, 100] (a "T-score": 50 is the
  average judge's average idea, each 10 points is one standard deviation of that judge's marks);
- ranking by the event's method (R or N) rounded to 4 decimals, ties broken by the higher raw
  mean on each tie-break criterion in order, still equal → shared rank (1, 2, 2, 4);
- not ranked: calibration, ineligible or duplicate ideas, and ideas with fewer submitted sheets
  than the event's minimum;
- judge consistency: Spearman correlation of a judge's S_ij with the mean of the other judges on
  the same ideas, for judges with at least 5 such ideas; below 0 is flagged.

One pass over the sheets; cost grows linearly with the number of sheets.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from competitions.states import RankingMethod
from judging.states import NotRanked

DECIMALS = 4
MIN_CONSISTENCY_IDEAS = 5


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: float
    lo: float
    hi: float
    tiebreak_order: int | None = None
    key: str = ""


@dataclass(frozen=True)
class IdeaSpec:
    id: int
    excluded: NotRanked | None = None  # one of NotRanked.EXCLUDED


class SheetScore(NamedTuple):
    """One submitted sheet reduced to what ranking needs (a tuple: cheap to build by thousands)."""

    idea_id: int
    judge_id: int
    score: float  # S_ij, 0–100
    tiebreaks: tuple[float, ...] = ()  # raw marks on the tie-break criteria, in order


@dataclass
class IdeaResult:
    idea_id: int
    judges: int = 0
    raw: float | None = None
    mean_z: float | None = None  # the normalised score: mean of the judge's z-scores
    score_100: float | None = None  # its readable form, 50 + 10 × mean_z clipped to 0–100
    tiebreaks: tuple[float | None, ...] = ()
    rank: int | None = None  # by the event's method
    rank_raw: int | None = None
    rank_normalised: int | None = None
    ranked: bool = False
    reason: str | None = None  # why not ranked


@dataclass
class JudgeStats:
    judge_id: int
    sheets: int
    mean: float
    sd: float
    compared: int = 0  # ideas also scored by another judge
    spearman: float | None = None

    @property
    def flagged(self) -> bool:
        return self.spearman is not None and self.spearman < 0


@dataclass
class Ranking:
    method: str
    ideas: list[IdeaResult] = field(default_factory=list)  # ranked (by rank) then not ranked
    judges: list[JudgeStats] = field(default_factory=list)

    @property
    def ranked(self) -> list[IdeaResult]:
        return [r for r in self.ideas if r.ranked]

    @property
    def not_ranked(self) -> list[IdeaResult]:
        return [r for r in self.ideas if not r.ranked]

    def by_idea(self) -> dict[int, IdeaResult]:
        return {r.idea_id: r for r in self.ideas}


def tiebreak_criteria(criteria: Iterable[CriterionSpec]) -> list[CriterionSpec]:
    return sorted(
        (c for c in criteria if c.tiebreak_order is not None), key=lambda c: c.tiebreak_order
    )


def sheet_score(values: Mapping[int, float], criteria: Iterable[CriterionSpec]) -> float | None:
    """S_ij of one sheet ({criterion id: mark}); None when a criterion is missing (unscored)."""
    total = weights = 0.0
    for c in criteria:
        value = values.get(c.id)
        if value is None:
            return None
        total += c.weight * (value - c.lo) / (c.hi - c.lo)
        weights += c.weight
    return 100.0 * total / weights if weights else None


def sheets_from_marks(
    marks: Iterable[tuple[int, int, int, float]], criteria: list[CriterionSpec]
) -> list[SheetScore]:
    """(idea, judge, criterion, mark) rows of submitted sheets → one SheetScore per complete sheet."""
    per_sheet: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for idea_id, judge_id, criterion_id, value in marks:
        per_sheet[(idea_id, judge_id)][criterion_id] = value
    order = tiebreak_criteria(criteria)
    sheets = []
    for (idea_id, judge_id), values in per_sheet.items():
        score = sheet_score(values, criteria)
        if score is not None:
            sheets.append(SheetScore(idea_id, judge_id, score, tuple(values[c.id] for c in order)))
    return sheets


def display_100(n: float | None) -> float | None:
    """The readable 0–100 figure of a normalised score: 50 + 10·N, clipped."""
    if n is None:
        return None
    return min(100.0, max(0.0, 50.0 + 10.0 * n))


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _average_ranks(values: list[float]) -> list[float]:
    """Ranks 1..n, ties sharing the mean of their positions (as Spearman needs)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho (Pearson on average ranks); None when either side is constant."""
    if len(xs) < 2:
        return None
    rx, ry = _average_ranks(xs), _average_ranks(ys)
    mx, my = _mean(rx), _mean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def rank_event(
    ideas: Iterable[IdeaSpec],
    sheets: Iterable[SheetScore],
    *,
    method: str = RankingMethod.RAW,
    min_judges: int = 2,
    consistency: bool = True,
) -> Ranking:
    """Rank one event's ideas from its submitted sheets (see the module's docstring).
    consistency=False skips the judges' Spearman figures (not needed to rank)."""
    if RankingMethod.parse(method) is None:
        raise ValueError(f"unknown ranking method {method!r}")
    sheets = list(sheets)
    ideas = list(ideas)

    # Per judge: μ_j, σ_j over every sheet the judge submitted in the event.
    by_judge: dict[int, list[SheetScore]] = defaultdict(list)
    for sheet in sheets:
        by_judge[sheet.judge_id].append(sheet)
    judge_mean: dict[int, float] = {}
    judge_sd: dict[int, float] = {}
    for judge_id, own in by_judge.items():
        n = len(own)
        mu = sum(s.score for s in own) / n
        judge_mean[judge_id] = mu
        judge_sd[judge_id] = math.sqrt(sum((s.score - mu) ** 2 for s in own) / n)

    # Per idea, one pass: number of sheets, Σ S, Σ z, Σ tie-break marks.
    width = len(sheets[0].tiebreaks) if sheets else 0
    totals: dict[int, list] = {}
    for sheet in sheets:
        sd = judge_sd[sheet.judge_id]
        z = (sheet.score - judge_mean[sheet.judge_id]) / sd if sd > 0 else 0.0
        t = totals.get(sheet.idea_id)
        if t is None:
            totals[sheet.idea_id] = [1, sheet.score, z, list(sheet.tiebreaks)]
        else:
            t[0] += 1
            t[1] += sheet.score
            t[2] += z
            marks = t[3]
            for k in range(width):
                marks[k] += sheet.tiebreaks[k]

    results: list[IdeaResult] = []
    for idea in ideas:
        t = totals.get(idea.id)
        n = t[0] if t else 0
        result = IdeaResult(idea_id=idea.id, judges=n)
        if t:
            result.raw = t[1] / n
            result.mean_z = t[2] / n
            result.score_100 = display_100(result.mean_z)
            result.tiebreaks = tuple(m / n for m in t[3])
        if idea.excluded:
            result.reason = idea.excluded
        elif n < min_judges:
            result.reason = NotRanked.TOO_FEW_JUDGES
        else:
            result.ranked = True
        results.append(result)

    ranked = [r for r in results if r.ranked]
    for by_method in RankingMethod:
        _assign_ranks(ranked, by_method)
    ranked.sort(key=lambda r: (_rank_by(r, method), r.idea_id))
    for r in ranked:
        r.rank = _rank_by(r, method)
    not_ranked = sorted((r for r in results if not r.ranked), key=lambda r: r.idea_id)

    return Ranking(
        method=method,
        ideas=ranked + not_ranked,
        judges=_judge_stats(by_judge, totals, judge_mean, judge_sd, consistency),
    )


def _rank_by(r: IdeaResult, method: str) -> int | None:
    return r.rank_normalised if method == RankingMethod.NORMALISED else r.rank_raw


def _assign_ranks(ranked: list[IdeaResult], method: str) -> None:
    """Competition ranks (1, 2, 2, 4) by score at 4 decimals, then the tie-break means."""

    def key(r: IdeaResult) -> tuple:
        score = r.mean_z if method == RankingMethod.NORMALISED else r.raw
        return (round(score, DECIMALS), *(round(t, DECIMALS) for t in r.tiebreaks))

    keyed = sorted(
        ((key(r), r) for r in ranked), key=lambda kr: (tuple(-k for k in kr[0]), kr[1].idea_id)
    )
    previous_key, previous_rank = None, None
    for position, (k, r) in enumerate(keyed, start=1):
        rank = previous_rank if k == previous_key else position
        setattr(r, f"rank_{method}", rank)
        previous_key, previous_rank = k, rank


def _judge_stats(by_judge, totals, judge_mean, judge_sd, consistency=True) -> list[JudgeStats]:
    """Spearman of each judge's S_ij with the mean of the other judges on the same ideas."""
    stats = []
    for judge_id in sorted(by_judge):
        own, others = [], []
        for sheet in by_judge[judge_id] if consistency else ():
            count, total = totals[sheet.idea_id][0], totals[sheet.idea_id][1]
            if count > 1:
                own.append(sheet.score)
                # rounded so that equal means of the others stay equal (ties get average ranks)
                others.append(round((total - sheet.score) / (count - 1), 9))
        stat = JudgeStats(
            judge_id=judge_id,
            sheets=len(by_judge[judge_id]),
            mean=judge_mean[judge_id],
            sd=judge_sd[judge_id],
            compared=len(own),
        )
        if len(own) >= MIN_CONSISTENCY_IDEAS:
            stat.spearman = spearman(own, others)
        stats.append(stat)
    return stats
