"""Assignment of ideas to judges (judging/assignment.py is pure)."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from judging.assignment import assign


def loads(result):
    return Counter(j for js in result.values() for j in js)


def test_everyone_judges_everything_when_not_split():
    result = assign([1, 2, 3], [7, 8], per_idea=None)
    assert result == {1: [7, 8], 2: [7, 8], 3: [7, 8]}


def test_conflicts_are_never_assigned_even_when_not_split():
    result = assign([1, 2], [7, 8], per_idea=None, conflicts=[(1, 8)])
    assert result == {1: [7], 2: [7, 8]}


def test_split_panels_give_k_judges_per_idea_with_balanced_load():
    result = assign(range(1, 31), range(100, 107), per_idea=3)
    assert all(len(js) == 3 for js in result.values())
    counts = loads(result)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert sum(counts.values()) == 90


def test_assignment_is_deterministic():
    args = dict(per_idea=2, conflicts=[(3, 101)])
    assert assign([5, 3, 1, 4], [102, 101, 100], **args) == assign(
        [1, 3, 4, 5], [100, 101, 102], **args
    )


def test_a_conflicted_judge_is_replaced():
    result = assign([1], [7, 8, 9], per_idea=2, existing={1: [8]}, conflicts=[(1, 7)])
    assert result == {1: [9]}


def test_existing_sheets_are_kept_and_only_topped_up():
    result = assign([1, 2], [7, 8, 9], per_idea=2, existing={1: [7, 8], 2: [9]})
    assert list(result) == [2] and len(result[2]) == 1 and result[2][0] in (7, 8)


def test_the_calibration_idea_goes_to_every_judge():
    result = assign([1, 2, 3], [7, 8, 9], per_idea=1, everyone=[1])
    assert result[1] == [7, 8, 9]
    assert all(len(result[i]) == 1 for i in (2, 3))


@given(
    n_ideas=st.integers(1, 40),
    n_judges=st.integers(1, 9),
    k=st.integers(1, 4),
    conflicts=st.sets(st.tuples(st.integers(1, 40), st.integers(1, 9)), max_size=15),
)
def test_properties_k_judges_no_conflict_balanced(n_ideas, n_judges, k, conflicts):
    ideas, judges = range(1, n_ideas + 1), range(1, n_judges + 1)
    result = assign(ideas, judges, per_idea=k, conflicts=conflicts)
    for idea in ideas:
        available = [j for j in judges if (idea, j) not in conflicts]
        assert len(result.get(idea, [])) == min(k, len(available))
        assert not any((idea, j) in conflicts for j in result.get(idea, []))
    if not conflicts:
        counts = [loads(result).get(j, 0) for j in judges]
        assert max(counts) - min(counts) <= 1


def test_panels_share_the_ideas_and_each_idea_is_judged_within_its_panel():
    panels = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2}
    new = assign(range(10, 16), panels, per_idea=3, panels=panels)
    assert all(len(js) == 3 for js in new.values())
    by_panel = {1: [], 2: []}
    for idea, js in new.items():
        assert len({panels[j] for j in js}) == 1, f"idea {idea} judged across panels: {js}"
        by_panel[panels[js[0]]].append(idea)
    assert len(by_panel[1]) == len(by_panel[2]) == 3


def test_a_panel_too_small_for_k_is_topped_up_from_another_panel():
    panels = {1: 1, 2: 1, 3: 2, 4: 2, 5: 2}
    new = assign([10, 11], panels, per_idea=3, panels=panels, conflicts=[(11, 3)])
    assert [panels[j] for j in new[10]].count(1) == 2 and len(new[10]) == 3
    assert 3 not in new[11] and len(new[11]) == 3
