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

Column arithmetic over the sheets (numpy); cost grows linearly with the number of sheets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import is_not
from typing import NamedTuple

import numpy as np
import numpy.ma  # noqa: F401  np.unique imports it on its first call: 0.06-0.09 s of a cold ranking

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


class IdeaSpec(NamedTuple):
    """An idea as ranking sees it (a tuple: cheap to build by tens of thousands)."""

    id: int
    excluded: NotRanked | None = None  # one of NotRanked.EXCLUDED


class SheetScore(NamedTuple):
    """One submitted sheet reduced to what ranking needs (a tuple: cheap to build by thousands)."""

    idea_id: int
    judge_id: int
    score: float  # S_ij, 0–100
    tiebreaks: tuple[float, ...] = ()  # raw marks on the tie-break criteria, in order


@dataclass(slots=True)
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


def _average_ranks_by_group(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Each value's rank among the values of its group (0..size-1), ties sharing the mean of
    their positions, for every group at once (one sort, not one per group). The ranks of a
    group are its positions in the sort of all, so they are offset by the same number for the
    whole group: what Pearson's r on them does not see."""
    by_value = np.argsort(values)
    keys = groups[by_value]
    if size <= np.iinfo(np.int16).max:
        keys = keys.astype(np.int16)  # a stable sort of 16-bit keys is a radix sort
    order = by_value[np.argsort(keys, kind="stable")]  # a third of a lexsort's time
    group, ordered = groups[order], values[order]
    new = (group[1:] != group[:-1]) | (ordered[1:] != ordered[:-1])
    starts = np.flatnonzero(np.concatenate(([True], new)))
    ends = np.append(starts[1:], len(values)) - 1
    ranks = np.empty(len(values))
    ranks[order] = np.repeat((starts + ends) / 2, ends - starts + 1)
    return ranks


def spearman_by_group(groups: np.ndarray, xs: np.ndarray, ys: np.ndarray, size: int) -> list:
    """Spearman's rho (Pearson's r on average ranks) of xs against ys within each group
    0..size-1 (a judge's sheets), None where a group has fewer than two pairs or either side
    is constant; every group at once."""
    rx = _average_ranks_by_group(groups, xs, size)
    ry = _average_ranks_by_group(groups, ys, size)
    n = np.bincount(groups, minlength=size)
    per_group = np.maximum(n, 1)
    dx = rx - (np.bincount(groups, weights=rx, minlength=size) / per_group)[groups]
    dy = ry - (np.bincount(groups, weights=ry, minlength=size) / per_group)[groups]
    sxx = np.bincount(groups, weights=dx * dx, minlength=size)
    syy = np.bincount(groups, weights=dy * dy, minlength=size)
    sxy = np.bincount(groups, weights=dx * dy, minlength=size)
    defined = (n >= 2) & (sxx != 0) & (syy != 0)
    rho = np.divide(sxy, np.sqrt(sxx * syy), out=np.zeros(size), where=defined)
    return [float(r) if ok else None for r, ok in zip(rho.tolist(), defined.tolist(), strict=True)]


@dataclass
class SheetArrays:
    """An event's submitted, complete sheets as columns (one row per sheet): what ranking needs,
    without a Python object per sheet (a 10× tour has 252,000 of them)."""

    idea_ids: np.ndarray  # int64
    judge_ids: np.ndarray  # int64
    scores: np.ndarray  # float64, S_ij 0–100
    tiebreaks: np.ndarray  # float64, shape (sheets, tie-break criteria): raw marks, in order

    @classmethod
    def of(cls, sheets: Iterable[SheetScore]) -> SheetArrays:
        sheets = list(sheets)
        width = len(sheets[0].tiebreaks) if sheets else 0
        return cls(
            np.array([s.idea_id for s in sheets], dtype=np.int64),
            np.array([s.judge_id for s in sheets], dtype=np.int64),
            np.array([s.score for s in sheets], dtype=np.float64),
            np.array([s.tiebreaks for s in sheets], dtype=np.float64).reshape(len(sheets), width),
        )


@dataclass
class RankedColumns:
    """An event's ranking as columns, one value per idea, ranked ideas by rank then the others
    by id: what `rank_event` returns as `IdeaResult`s, without an object per idea."""

    idea_id: list[int]
    judges: list[int]
    raw: list[float | None]
    mean_z: list[float | None]
    score_100: list[float | None]
    tiebreaks: list[tuple[float, ...]]
    rank: list[int | None]
    rank_raw: list[int | None]
    rank_normalised: list[int | None]
    ranked: list[bool]
    reason: list[str | None]
    position: list[int]  # where each idea stands in the ideas given to `rank_columns`

    def rows(self):
        """One tuple per idea, in the order of `IdeaResult`'s fields."""
        return zip(
            self.idea_id, self.judges, self.raw, self.mean_z, self.score_100, self.tiebreaks,
            self.rank, self.rank_raw, self.rank_normalised, self.ranked, self.reason,
            strict=True,
        )  # fmt: skip


def rank_event(
    ideas: Iterable[IdeaSpec],
    sheets: Iterable[SheetScore] | SheetArrays,
    *,
    method: str = RankingMethod.RAW,
    min_judges: int = 2,
    consistency: bool = True,
) -> Ranking:
    """Rank one event's ideas from its submitted sheets (see the module's docstring).
    consistency=False skips the judges' Spearman figures (not needed to rank)."""
    ideas = list(ideas)
    columns, judges = rank_columns(
        [idea.id for idea in ideas],
        [idea.excluded for idea in ideas],
        sheets,
        method=method,
        min_judges=min_judges,
        consistency=consistency,
    )
    return Ranking(method=method, ideas=[IdeaResult(*row) for row in columns.rows()], judges=judges)


def rank_columns(
    idea_ids: Sequence[int],
    excluded: Sequence[NotRanked | None],
    sheets: Iterable[SheetScore] | SheetArrays,
    *,
    method: str = RankingMethod.RAW,
    min_judges: int = 2,
    consistency: bool = True,
) -> tuple[RankedColumns, list[JudgeStats]]:
    """`rank_event` as columns, and the judges' figures: the ideas given as columns too (their
    ids, and why each is left out if it is), no tuple per idea.

    The sums run over the sheets in their order, one after the other, as a loop would add them
    (numpy's `bincount`), so that scores are the same to the last bit whatever the order of
    the ideas; `tests/judging/test_scoring_arrays.py` holds it against the loop it replaced."""
    if RankingMethod.parse(method) is None:
        raise ValueError(f"unknown ranking method {method!r}")
    data = sheets if isinstance(sheets, SheetArrays) else SheetArrays.of(sheets)

    # Per judge: μ_j, σ_j over every sheet the judge submitted in the event.
    judge_ids, judge_of = _factorise(data.judge_ids)
    judge_n = np.bincount(judge_of, minlength=len(judge_ids))
    judge_mean = np.bincount(judge_of, weights=data.scores, minlength=len(judge_ids)) / judge_n
    deviation = data.scores - judge_mean[judge_of]
    judge_sd = np.sqrt(
        np.bincount(judge_of, weights=deviation * deviation, minlength=len(judge_ids)) / judge_n
    )
    sd = judge_sd[judge_of]
    z = np.divide(deviation, sd, out=np.zeros_like(deviation), where=sd > 0)

    # Per idea: number of sheets, Σ S, Σ z, Σ tie-break marks.
    scored_ids, idea_of = _factorise(data.idea_ids)
    size = len(scored_ids)
    count = np.bincount(idea_of, minlength=size)
    total = np.bincount(idea_of, weights=data.scores, minlength=size)
    raw = total / np.maximum(count, 1)
    mean_z = np.bincount(idea_of, weights=z, minlength=size) / np.maximum(count, 1)
    width = data.tiebreaks.shape[1]
    tiebreaks = [
        np.bincount(idea_of, weights=data.tiebreaks[:, k], minlength=size) / np.maximum(count, 1)
        for k in range(width)
    ]
    # The same per idea given (`idea_ids`), in their order (NaN and 0 for one without a sheet).
    wanted = np.fromiter(idea_ids, dtype=np.int64, count=len(idea_ids))
    at = np.searchsorted(scored_ids, wanted)
    found = at < size
    found[found] = scored_ids[at[found]] == wanted[found]
    at = np.where(found, at, 0)
    n = np.where(found, count[at] if size else 0, 0)
    raw_i = np.where(found, raw[at] if size else np.nan, np.nan)
    mean_z_i = np.where(found, mean_z[at] if size else np.nan, np.nan)
    marks_i = [np.where(found, t[at] if size else np.nan, np.nan) for t in tiebreaks]
    left_out = np.fromiter(map(is_not, excluded, repeat(None)), dtype=bool, count=len(excluded))
    ranked = ~left_out & (n >= min_judges) & (n > 0)
    # The tie-break means as compared (4 decimals), the same for both methods' ranks.
    mark_keys = [round_half_even(np.where(ranked, m, 0.0), DECIMALS) for m in marks_i]
    ranks = {
        by_method: _competition_ranks(
            wanted, ranked, mean_z_i if by_method == RankingMethod.NORMALISED else raw_i, mark_keys
        )
        for by_method in RankingMethod
    }
    chosen = ranks[
        RankingMethod.NORMALISED if method == RankingMethod.NORMALISED else RankingMethod.RAW
    ]
    order = np.lexsort((wanted, np.where(ranked, chosen, 0), ~ranked))  # ranked by rank, then
    score_100 = np.clip(50.0 + 10.0 * mean_z_i, 0.0, 100.0)

    # Every column in the final order, as Python values (None where an idea has no sheet, or
    # no rank): set on object columns, not idea by idea.
    ranked_o = ranked[order]
    unranked = ~ranked_o
    unscored = n[order] == 0
    rank_columns = [_in_order(r, order, unranked) for r in (chosen, ranks[RankingMethod.RAW])]
    rank_columns.append(_in_order(ranks[RankingMethod.NORMALISED], order, unranked))
    figures = [_in_order(c, order, unscored) for c in (raw_i, mean_z_i, score_100)]
    positions = order.tolist()
    if width:
        tiebreak_column = list(zip(*(m[order].tolist() for m in marks_i), strict=True))
        for k in np.flatnonzero(unscored).tolist():
            tiebreak_column[k] = ()
    else:
        tiebreak_column = [()] * len(positions)
    reasons = [None] * len(positions)
    for k in np.flatnonzero(unranked).tolist():
        reasons[k] = excluded[positions[k]] or NotRanked.TOO_FEW_JUDGES
    columns = RankedColumns(
        idea_id=wanted[order].tolist(),
        judges=n[order].tolist(),
        raw=figures[0],
        mean_z=figures[1],
        score_100=figures[2],
        tiebreaks=tiebreak_column,
        rank=rank_columns[0],
        rank_raw=rank_columns[1],
        rank_normalised=rank_columns[2],
        ranked=ranked_o.tolist(),
        reason=reasons,
        position=positions,
    )

    stats = []
    if consistency:
        # The mean of the other judges of the same idea, rounded so that equal means stay equal.
        shared = count[idea_of] > 1
        mean_others = np.divide(
            total[idea_of] - data.scores,
            count[idea_of] - 1,
            out=np.zeros_like(data.scores),
            where=shared,
        )
        others = round_half_even(mean_others, 9)
        compared = np.bincount(judge_of[shared], minlength=len(judge_ids)).tolist()
        rho = spearman_by_group(
            judge_of[shared], data.scores[shared], others[shared], len(judge_ids)
        )
    for j, judge_id in enumerate(judge_ids.tolist()):
        stat = JudgeStats(
            judge_id=judge_id,
            sheets=int(judge_n[j]),
            mean=float(judge_mean[j]),
            sd=float(judge_sd[j]),
        )
        if consistency:
            stat.compared = compared[j]
            if stat.compared >= MIN_CONSISTENCY_IDEAS:
                stat.spearman = rho[j]
        stats.append(stat)
    return columns, stats


def _factorise(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(ids, return_inverse=True)` for ids that are a table's keys (small, not
    negative): counted instead of sorted, a tenth of the time for an event's jury."""
    if not len(ids) or ids.min() < 0 or ids.max() > 4 * len(ids) + 1024:
        return np.unique(ids, return_inverse=True)
    present = np.bincount(ids) > 0
    return np.flatnonzero(present), (np.cumsum(present) - 1)[ids]


def _in_order(values: np.ndarray, order: np.ndarray, blank: np.ndarray) -> list:
    """`values` in `order` as Python numbers, None where `blank` (in that order)."""
    column = values[order].astype(object)
    column[blank] = None
    return column.tolist()


def round_half_even(values: np.ndarray, decimals: int) -> np.ndarray:
    """Python's `round(x, decimals)` on every element, to the last bit: numpy's own rounding
    (x·10^d, rint, ÷10^d) differs from it only near a half, where Python's is taken."""
    scale = 10.0**decimals
    scaled = values * scale
    rounded = np.rint(scaled) / scale
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for k in np.flatnonzero(near_half & np.isfinite(values)).tolist():
        rounded[k] = round(float(values[k]), decimals)
    return rounded


def _competition_ranks(
    ids: np.ndarray, ranked: np.ndarray, score: np.ndarray, mark_keys: list[np.ndarray]
) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) of the ranked ideas by score at 4 decimals, then the
    tie-break means (`mark_keys`: already at 4 decimals, 0 where not ranked), higher first; 0
    for the others."""
    keys = [round_half_even(np.where(ranked, score, 0.0), DECIMALS), *mark_keys]
    order = np.lexsort((ids, *(-k for k in reversed(keys)), ~ranked))
    order = order[: int(ranked.sum())]
    ranks = np.zeros(len(ids), dtype=np.int64)
    if len(order):
        ordered = np.stack([k[order] for k in keys])
        new = np.concatenate(([True], (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)))
        positions = np.arange(1, len(order) + 1)
        ranks[order] = np.maximum.accumulate(np.where(new, positions, 0))
    return ranks
