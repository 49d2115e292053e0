"""The ranking formula on small cases computed by hand (judging/scoring.py is pure)."""

import math

import numpy as np
import pytest

from judging.scoring import (
    CriterionSpec,
    IdeaSpec,
    SheetScore,
    display_100,
    rank_event,
    sheet_score,
    sheets_from_marks,
    spearman_by_group,
)

SOCIAL = CriterionSpec(id=1, weight=1, lo=1, hi=5, tiebreak_order=1, key="social_impact")
ECONOMIC = CriterionSpec(id=2, weight=1, lo=1, hi=5, tiebreak_order=2, key="economic_impact")


def sheets(rows):
    """(idea, judge, S) → SheetScore without tie-break marks."""
    return [SheetScore(idea, judge, score) for idea, judge, score in rows]


def ideas(*ids, **excluded):
    return [IdeaSpec(i, excluded.get(f"i{i}")) for i in ids]


def test_weights_count_in_the_sheet_score():
    heavy = CriterionSpec(id=1, weight=3, lo=1, hi=5)
    light = CriterionSpec(id=2, weight=1, lo=1, hi=5)
    # 100 · (3·(5−1)/4 + 1·0) / 4 = 75, and the mirror image is 25.
    assert sheet_score({1: 5, 2: 1}, [heavy, light]) == pytest.approx(75)
    assert sheet_score({1: 1, 2: 5}, [heavy, light]) == pytest.approx(25)


def test_non_default_scales_and_half_points():
    ten = CriterionSpec(id=1, weight=2, lo=0, hi=10)
    five = CriterionSpec(id=2, weight=1, lo=1, hi=5)
    # 100 · (2·7.5/10 + 1·(3−1)/4) / 3 = 100 · 2/3
    assert sheet_score({1: 7.5, 2: 3}, [ten, five]) == pytest.approx(200 / 3)
    assert sheet_score({1: 0, 2: 1}, [ten, five]) == 0
    assert sheet_score({1: 10, 2: 5}, [ten, five]) == pytest.approx(100)


def test_an_incomplete_sheet_is_not_a_score():
    assert sheet_score({1: 5}, [SOCIAL, ECONOMIC]) is None
    assert sheets_from_marks([(10, 7, 1, 5)], [SOCIAL, ECONOMIC]) == []


def test_raw_score_is_the_mean_of_the_judges():
    ranking = rank_event(ideas(1), sheets([(1, 7, 80), (1, 8, 60)]), method="raw", min_judges=2)
    result = ranking.by_idea()[1]
    assert result.raw == pytest.approx(70)
    assert result.judges == 2 and result.rank == 1 and result.ranked


def test_normalisation_lets_the_harsh_judges_best_idea_win_on_split_panels():
    # Panel 1: a harsh judge (7) on ideas 1-3; panel 2: a lenient judge (8) on ideas 4-6.
    marks = [(1, 7, 60), (2, 7, 20), (3, 7, 10), (4, 8, 90), (5, 8, 88), (6, 8, 86)]
    raw = rank_event(ideas(1, 2, 3, 4, 5, 6), sheets(marks), method="raw", min_judges=1)
    normalised = rank_event(
        ideas(1, 2, 3, 4, 5, 6), sheets(marks), method="normalised", min_judges=1
    )
    assert raw.ranked[0].idea_id == 4
    assert normalised.ranked[0].idea_id == 1
    # Judge 7: μ = 30, σ = √(1400/3); judge 8: μ = 88, σ = √(8/3).
    by_idea = normalised.by_idea()
    assert by_idea[1].mean_z == pytest.approx(30 / math.sqrt(1400 / 3))
    assert by_idea[4].mean_z == pytest.approx(2 / math.sqrt(8 / 3))
    assert by_idea[1].score_100 == pytest.approx(50 + 10 * 30 / math.sqrt(1400 / 3))
    # Both figures and both ranks are always computed, whichever method ranks.
    assert (by_idea[1].rank_raw, by_idea[1].rank_normalised, by_idea[1].rank) == (4, 1, 1)
    assert raw.by_idea()[1].rank == 4
    assert by_idea[4].raw == pytest.approx(90)


def test_a_judge_giving_the_same_score_everywhere_has_z_zero():
    ranking = rank_event(
        ideas(1, 2), sheets([(1, 7, 50), (2, 7, 50)]), method="normalised", min_judges=1
    )
    assert [r.mean_z for r in ranking.ideas] == [0, 0]
    assert [r.rank for r in ranking.ideas] == [1, 1]
    assert ranking.judges[0].sd == 0


def test_equal_scores_are_broken_by_the_tie_break_criteria_in_order():
    criteria = [SOCIAL, ECONOMIC]
    # Idea 1: social 5, economic 3 → 75; idea 2: social 3, economic 5 → 75.
    marks = [(1, 7, 1, 5), (1, 7, 2, 3), (2, 7, 1, 3), (2, 7, 2, 5)]
    marks += [(1, 8, 1, 5), (1, 8, 2, 3), (2, 8, 1, 3), (2, 8, 2, 5)]
    ranking = rank_event(
        ideas(1, 2), sheets_from_marks(marks, criteria), method="raw", min_judges=2
    )
    assert [(r.idea_id, r.rank, r.raw) for r in ranking.ranked] == [(1, 1, 75), (2, 2, 75)]
    assert ranking.by_idea()[1].tiebreaks == (5, 3)


def test_second_tie_break_criterion_decides_when_the_first_is_equal():
    third = CriterionSpec(id=3, weight=2, lo=1, hi=5)
    criteria = [SOCIAL, ECONOMIC, third]
    # Idea 1: 4, 3, 4 → S = 100·(3/4+2/4+2·3/4)/4; idea 2: 4, 4, 3.5 → 100·(3/4+3/4+2·2.5/4)/4.
    marks = [(1, 7, 1, 4), (1, 7, 2, 3), (1, 7, 3, 4), (2, 7, 1, 4), (2, 7, 2, 4), (2, 7, 3, 3.5)]
    ranking = rank_event(
        ideas(1, 2), sheets_from_marks(marks, criteria), method="raw", min_judges=1
    )
    assert ranking.by_idea()[1].raw == pytest.approx(ranking.by_idea()[2].raw)
    assert [r.idea_id for r in ranking.ranked] == [2, 1]
    assert [r.rank for r in ranking.ranked] == [1, 2]


def test_ties_that_survive_the_criteria_share_a_rank():
    criteria = [SOCIAL, ECONOMIC]
    marks = []
    for idea, (social, economic) in {1: (5, 5), 2: (4, 4), 3: (4, 4), 4: (3, 3)}.items():
        marks += [(idea, 7, 1, social), (idea, 7, 2, economic)]
    ranking = rank_event(
        ideas(1, 2, 3, 4), sheets_from_marks(marks, criteria), method="raw", min_judges=1
    )
    assert [(r.idea_id, r.rank) for r in ranking.ranked] == [(1, 1), (2, 2), (3, 2), (4, 4)]


def test_scores_equal_at_four_decimals_are_a_tie():
    ranking = rank_event(ideas(1, 2), sheets([(1, 7, 70.00001), (2, 7, 70.00002)]), min_judges=1)
    assert [r.rank for r in ranking.ranked] == [1, 1]


def test_fewer_sheets_than_the_minimum_is_not_ranked_with_the_reason():
    marks = [(1, 7, 90), (2, 7, 50), (2, 8, 40)]
    ranking = rank_event(ideas(1, 2, 3), sheets(marks), method="raw", min_judges=2)
    assert [r.idea_id for r in ranking.ranked] == [2]
    assert {r.idea_id: r.reason for r in ranking.not_ranked} == {
        1: "too_few_judges",
        3: "too_few_judges",
    }
    assert ranking.by_idea()[1].raw == 90 and ranking.by_idea()[1].rank is None


def test_calibration_and_ineligible_ideas_are_listed_apart():
    marks = [(i, j, 50 + i) for i in (1, 2, 3) for j in (7, 8)]
    specs = [IdeaSpec(1, "calibration"), IdeaSpec(2, "ineligible"), IdeaSpec(3)]
    ranking = rank_event(specs, sheets(marks), method="raw", min_judges=2)
    assert [(r.idea_id, r.rank) for r in ranking.ranked] == [(3, 1)]
    assert {r.idea_id: r.reason for r in ranking.not_ranked} == {1: "calibration", 2: "ineligible"}


def test_a_conflicted_judges_absence_does_not_count_against_the_idea():
    # Judge 9 declared a conflict on idea 1: no sheet; the idea keeps the mean of the other two.
    marks = [(1, 7, 80), (1, 8, 80), (2, 7, 70), (2, 8, 70), (2, 9, 70)]
    ranking = rank_event(ideas(1, 2), sheets(marks), method="raw", min_judges=2)
    assert ranking.by_idea()[1].raw == 80 and ranking.by_idea()[1].judges == 2
    assert [r.idea_id for r in ranking.ranked] == [1, 2]


def test_display_figure_is_fifty_plus_ten_times_n_clipped():
    assert display_100(0) == 50
    assert display_100(1.5) == 65
    assert display_100(-7) == 0 and display_100(9) == 100


def spearman(xs, ys):
    """One judge's figure: `spearman_by_group` with a single group."""
    return spearman_by_group(
        np.zeros(len(xs), dtype=np.int64), np.array(xs, float), np.array(ys, float), 1
    )[0]


def test_spearman_matches_hand_values():
    assert spearman([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]) == pytest.approx(-1)
    # Ties get average ranks: x ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4 → ρ = 4.5/√(4.5·5)
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(4.5 / math.sqrt(4.5 * 5))
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_a_judge_ranking_against_the_others_is_flagged():
    marks = []
    for idea in range(1, 7):
        marks += [(idea, 7, 10 * idea), (idea, 8, 10 * idea + 5), (idea, 9, 100 - 10 * idea)]
    ranking = rank_event(ideas(*range(1, 7)), sheets(marks), method="raw", min_judges=2)
    stats = {s.judge_id: s for s in ranking.judges}
    assert stats[9].flagged and stats[9].spearman < 0
    assert not stats[7].flagged
    assert stats[7].compared == 6


def test_consistency_needs_five_shared_ideas():
    marks = [(i, 7, i) for i in range(1, 5)] + [(i, 8, 10 - i) for i in range(1, 5)]
    ranking = rank_event(ideas(1, 2, 3, 4), sheets(marks), min_judges=1)
    assert all(s.spearman is None and not s.flagged for s in ranking.judges)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        rank_event([], [], method="median")


def test_consistency_can_be_skipped_without_changing_the_ranking():
    marks = [(i, j, (10 * i + 7 * j) % 97) for i in range(1, 8) for j in (7, 8, 9)]
    full = rank_event(ideas(*range(1, 8)), sheets(marks), method="normalised", min_judges=2)
    lean = rank_event(
        ideas(*range(1, 8)), sheets(marks), method="normalised", min_judges=2, consistency=False
    )
    assert [(r.idea_id, r.rank) for r in full.ideas] == [(r.idea_id, r.rank) for r in lean.ideas]
    assert any(s.spearman is not None for s in full.judges)
    assert all(s.spearman is None for s in lean.judges)
