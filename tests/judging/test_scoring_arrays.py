"""The array ranking (`judging.scoring.rank_event`, numpy) against the loop it replaced, kept
here verbatim as the reference: on randomized events (sparse juries, ties, exclusions, both
methods) the ranks are identical and every figure equal to the last few bits."""

import math
import random
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pytest

from competitions.states import RankingMethod
from judging.scoring import (
    DECIMALS,
    MIN_CONSISTENCY_IDEAS,
    IdeaResult,
    IdeaSpec,
    JudgeStats,
    Ranking,
    SheetScore,
    display_100,
    rank_event,
    round_half_even,
    spearman_by_group,
)
from judging.states import NotRanked

# --- The loop, as it was (judging/scoring.py before issue 21) ---------------------------------


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


def spearman_loop(xs: list[float], ys: list[float]) -> float | None:
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


def _rank_by(r: IdeaResult, method: str) -> int | None:
    return r.rank_normalised if method == RankingMethod.NORMALISED else r.rank_raw


def rank_event_loop(
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
            stat.spearman = spearman_loop(own, others)
        stats.append(stat)
    return stats


# --- The comparison ------------------------------------------------------------------------------


def _random_event(rng: random.Random):
    """Ideas, some excluded; judges, each scoring a random share of the ideas; marks on a coarse
    grid (S on 1/24ths of 100, as six criteria on 1–5 give) so that ties are common."""
    ideas = [
        IdeaSpec(100 + i, rng.choice((None,) * 8 + NotRanked.EXCLUDED))
        for i in range(rng.randint(0, 60))
    ]
    judges = [500 + j for j in range(rng.randint(1, 9))]
    width = rng.randint(0, 3)
    sheets = []
    for judge in judges:
        severity = rng.uniform(-2, 2)
        for idea in ideas:
            if rng.random() < rng.choice((0.4, 0.8, 1.0)):
                step = min(24, max(0, round(12 + severity + rng.gauss(0, 5))))
                tiebreaks = tuple(float(rng.randint(1, 5)) for _ in range(width))
                sheets.append(SheetScore(idea.id, judge, 100.0 * step / 24, tiebreaks))
    rng.shuffle(sheets)
    return ideas, sheets


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("seed", range(60))
def test_the_array_ranking_ranks_as_the_loop_did(seed):
    rng = random.Random(seed)
    ideas, sheets = _random_event(rng)
    method = rng.choice(list(RankingMethod))
    min_judges = rng.randint(1, 3)
    new = rank_event(ideas, sheets, method=method, min_judges=min_judges, consistency=True)
    old = rank_event_loop(ideas, sheets, method=method, min_judges=min_judges, consistency=True)
    assert [r.idea_id for r in new.ideas] == [r.idea_id for r in old.ideas]
    for a, b in zip(new.ideas, old.ideas, strict=True):
        fields = ("rank", "rank_raw", "rank_normalised", "ranked", "reason", "judges")
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields], a.idea_id
        for f in ("raw", "mean_z", "score_100"):
            assert _close(getattr(a, f), getattr(b, f)), (a.idea_id, f)
        assert len(a.tiebreaks) == len(b.tiebreaks)
        assert all(_close(x, y) for x, y in zip(a.tiebreaks, b.tiebreaks, strict=True))
    assert [(j.judge_id, j.sheets, j.compared) for j in new.judges] == [
        (j.judge_id, j.sheets, j.compared) for j in old.judges
    ]
    for a, b in zip(new.judges, old.judges, strict=True):
        assert _close(a.mean, b.mean) and _close(a.sd, b.sd)
        assert (a.spearman is None) == (b.spearman is None)
        if a.spearman is not None:
            assert math.isclose(a.spearman, b.spearman, abs_tol=1e-9)
        assert a.flagged == b.flagged


def test_the_ranking_does_not_depend_on_the_order_of_the_sheets():
    rng = random.Random(7)
    ideas, sheets = _random_event(rng)
    first = rank_event(ideas, sheets, method="normalised")
    rng.shuffle(sheets)
    again = rank_event(ideas, sheets, method="normalised")
    assert [(r.idea_id, r.rank) for r in first.ideas] == [(r.idea_id, r.rank) for r in again.ideas]


def test_rounding_arrays_is_pythons_round_to_the_last_bit():
    """Ties at 4 decimals decide ranks: the array rounding must agree with `round` everywhere,
    halves included (S is a multiple of 100/24 with six criteria on 1–5, and means of those)."""
    rng = random.Random(3)
    values = [rng.uniform(-5, 100) for _ in range(20_000)]
    values += [100.0 * k / 24 / j for k in range(25) for j in range(1, 9)]
    values += [k / 10**4 + 0.5 / 10**4 for k in range(-20_000, 20_000, 7)]  # halves at 4 decimals
    array = np.array(values)
    for decimals in (4, 9):
        assert round_half_even(array, decimals).tolist() == [round(v, decimals) for v in values]


def test_every_judges_spearman_at_once_is_the_loops_judge_by_judge():
    """`spearman_by_group` ranks every judge's sheets in one sort: each group's rho is the
    loop's on that group alone (ties, constant sides, groups of one, an empty group)."""
    rng = random.Random(11)
    for _ in range(30):
        size = rng.randint(1, 9)
        groups = [rng.randrange(size) for _ in range(rng.randint(0, 80))]
        xs = [float(rng.choice((40, 55, 62.5, 70, 85))) for _ in groups]
        ys = [round(rng.uniform(30, 90), rng.choice((0, 9))) for _ in groups]
        if groups and rng.random() < 0.2:
            ys = [ys[0]] * len(ys)  # one side constant
        found = spearman_by_group(
            np.array(groups, dtype=np.int64), np.array(xs), np.array(ys), size
        )
        for g in range(size):
            mine = [k for k, group in enumerate(groups) if group == g]
            expected = spearman_loop([xs[k] for k in mine], [ys[k] for k in mine])
            assert (found[g] is None) == (expected is None), (g, mine)
            if expected is not None:
                assert math.isclose(found[g], expected, abs_tol=1e-12)
