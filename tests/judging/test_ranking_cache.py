"""The ranking keeps each event's sheets between calls (`judging.services._SheetCache`) and is
never stale: every change to what it reads (a sheet submitted, reopened, amended and submitted
again, voided with its judge) changes the key it is kept under."""

import pytest
from sqlalchemy import event as sa_event

from extensions import db
from judging import services
from tests.builders import make_user

from .conftest import build_judging, fill, sheet_of


def _statements(call):
    """(the call's result, the SQL statements it ran)."""
    seen = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        return call(), seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)


def _reads_sheets(statements) -> bool:
    """Whether the sheets' figures were read (one row per sheet, not the fingerprint's)."""
    return any("score_sheets.judge_id, score_sheets.score" in s for s in statements)


def _raw(event, idea):
    rows = {r["idea_id"]: r for r in services.event_ranking(event)["ideas"]}
    return rows[idea.id]["raw"], rows[idea.id]["judges"]


def test_the_sheets_are_read_once_until_they_change(app):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    first, statements = _statements(lambda: services.event_ranking(event, consistency=True))
    assert _reads_sheets(statements)
    again, statements = _statements(lambda: services.event_ranking(event, consistency=True))
    assert not _reads_sheets(statements)  # one small fingerprint query, no marks read
    assert again == first
    fill(sheet_of(ideas[1], judges[0]), 1)  # a new submitted sheet: read again
    after, statements = _statements(lambda: services.event_ranking(event))
    assert _reads_sheets(statements)
    assert {r["idea_id"]: r["judges"] for r in after["ideas"]} == {ideas[0].id: 1, ideas[1].id: 1}


def test_a_reopened_then_amended_sheet_is_never_stale(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2, min_judges=1)
    sheet = sheet_of(ideas[0], judges[0])
    fill(sheet, 5)
    fill(sheet_of(ideas[0], judges[1]), 5)
    assert _raw(event, ideas[0]) == (pytest.approx(100), 2)
    services.reopen_sheet(sheet, make_user("organiser"))
    db.session.commit()
    assert _raw(event, ideas[0]) == (pytest.approx(100), 1)  # the reopened sheet left
    fill(sheet, 1)  # the same sheet, other marks, submitted again: same count, same ids
    assert _raw(event, ideas[0]) == (pytest.approx(50), 2)


def test_a_removed_judges_voided_sheets_leave_the_ranking(app):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    fill(sheet_of(ideas[0], judges[1]), 1)
    assert _raw(event, ideas[0]) == (pytest.approx(50), 2)
    services.on_jury_member_removed(event, user=judges[1], submitted="void")
    db.session.commit()
    assert _raw(event, ideas[0]) == (pytest.approx(100), 1)


def test_a_submitted_sheet_counts_for_what_it_was_submitted_with(app):
    """Its S_ij is kept on it when submitted: the rubric it was scored with cannot change."""
    from competitions import services as tour

    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, min_judges=1)
    criteria = event.rubric.criteria
    fill(
        sheet_of(ideas[0], judges[0]), [criteria[0].scale_max] + [c.scale_min for c in criteria[1:]]
    )
    before = _raw(event, ideas[0])[0]
    change = {"name": {"fr": "Impact"}, "weight": criteria[0].weight * 3, "scale_min": 1,
              "scale_max": 5}  # fmt: skip
    with pytest.raises(tour.RubricLocked):
        tour.update_criterion(criteria[0], change)
    db.session.rollback()
    assert _raw(event, ideas[0])[0] == before


def test_a_whole_tour_export_keeps_no_sheets(app):
    from judging.results import results_of_events

    event, ideas, judges = build_judging(n_ideas=1, n_judges=1, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    results_of_events([event], keep=False)  # what the export reads, each event once
    _ranking, statements = _statements(lambda: services.event_ranking(event))
    assert _reads_sheets(statements)  # nothing was kept: the memory stays the export's own


def test_a_sheet_submitted_between_the_key_and_the_marks_is_never_served_stale(app, monkeypatch):
    """The sheets read are kept under the key of the rows read, not under the key asked just
    before: a sheet submitted in between (another request's commit) and reopened afterwards
    brings the key back to what was asked, and the kept rows (with that sheet) must not serve."""
    event, ideas, judges = build_judging(n_ideas=1, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    connection = db.session.connection()
    specs = {event.id: services.criterion_specs(event.rubric)}
    asked = services._sheet_fingerprints(connection, [event], specs, {})  # before it is sent
    app.extensions.pop("judging.sheet_cache", None)
    late = sheet_of(ideas[0], judges[1])
    fill(late, 1)  # committed after the key was asked, before the marks are read
    monkeypatch.setattr(services, "_sheet_fingerprints", lambda *args: asked)
    assert _raw(event, ideas[0]) == (pytest.approx(50), 2)
    monkeypatch.undo()
    services.reopen_sheet(late, make_user("organiser"))  # the key is back to `asked`
    db.session.commit()
    assert _raw(event, ideas[0]) == (pytest.approx(100), 1)


def test_sheets_read_by_the_caller_rank_only_for_the_specs_they_were_read_for(app):
    """The export hands the ranking the sheets it read (`results.sheet_table`): ranked as they
    are, nothing read; read for other criteria, they are not trusted and the sheets are read."""
    from judging.results import criterion_specs, deciding_rubric, sheet_table

    event, ideas, judges = build_judging(n_ideas=2, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    fill(sheet_of(ideas[1], judges[1]), 2)
    specs = criterion_specs(deciding_rubric(event))
    table = sheet_table(event.id, specs)
    expected = services.rankings_for_events([event], keep=False)[event.id]
    given = {event.id: (table.specs, table.arrays())}
    ranked, statements = _statements(
        lambda: services.rankings_for_events([event], keep=False, sheets=given)[event.id]
    )
    assert not _reads_sheets(statements)
    assert ranked == expected
    other = {event.id: (table.specs[1:], table.arrays())}  # read for another rubric
    ranked, statements = _statements(
        lambda: services.rankings_for_events([event], keep=False, sheets=other)[event.id]
    )
    assert _reads_sheets(statements)
    assert ranked == expected


def _counting_rankings(monkeypatch) -> list:
    """The rankings made (`_rank` calls) from now on."""
    made = []
    make = services._rank

    def counted(*args, **kwargs):
        made.append(args[0].id)
        return make(*args, **kwargs)

    monkeypatch.setattr(services, "_rank", counted)
    return made


def test_the_ranking_is_made_once_while_nothing_it_reads_changes(app, monkeypatch):
    """The progress and deliberation pages ask for the same ranking at every load: made from
    the kept sheets once, then served again (a copy each time) until something changes."""
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    fill(sheet_of(ideas[1], judges[1]), 2)
    made = _counting_rankings(monkeypatch)
    first = services.event_ranking(event, consistency=True)
    assert services.event_ranking(event, consistency=True) == first
    assert made == [event.id]
    services.event_ranking(event)  # without the consistency figures: another ranking
    services.event_ranking(event)
    assert made == [event.id, event.id]
    fill(sheet_of(ideas[1], judges[0]), 4)  # a sheet: made again
    services.event_ranking(event, consistency=True)
    assert len(made) == 3


def test_a_kept_ranking_is_never_changed_by_its_callers(app):
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    first = services.event_ranking(event, consistency=True)
    expected = services.event_ranking(event, consistency=True)
    first["ideas"][0]["rank"] = 99  # what the deliberation and the calibration do to theirs
    first["judges"][0]["far"] = True
    first["ideas"].pop()
    assert services.event_ranking(event, consistency=True) == expected


@pytest.mark.parametrize(
    "change",
    [
        "eligibility", "duplicate", "calibration", "method", "min_judges", "winners_count",
        "title",
    ],
)  # fmt: skip
def test_what_the_ranking_reads_beside_the_sheets_shows_at_once(app, change):
    """No sheet changes, yet the ranking must: an idea left out or back, the event's method,
    minimum of judges or number of winners, an idea's title."""
    from submissions.states import Eligibility

    event, ideas, judges = build_judging(n_ideas=2, n_judges=2, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    fill(sheet_of(ideas[0], judges[1]), 3)
    fill(sheet_of(ideas[1], judges[0]), 2)
    before = services.event_ranking(event)
    row = lambda ranking, idea: next(r for r in ranking["ideas"] if r["idea_id"] == idea.id)  # noqa: E731
    if change == "eligibility":
        ideas[0].eligibility = Eligibility.INELIGIBLE
    elif change == "duplicate":
        ideas[0].duplicate_of_id = ideas[1].id
    elif change == "calibration":
        ideas[0].is_calibration = True
    elif change == "method":
        event.ranking_method = "normalised" if before["method"] == "raw" else "raw"
    elif change == "min_judges":
        event.min_judges = 2
    elif change == "winners_count":
        event.winners_count = before["winners_count"] + 1
    else:
        ideas[0].title = "Un autre titre"
    db.session.commit()
    after = services.event_ranking(event)
    if change in ("eligibility", "duplicate", "calibration"):
        assert row(before, ideas[0])["ranked"] and not row(after, ideas[0])["ranked"]
    elif change == "method":
        assert after["method"] != before["method"]
    elif change == "min_judges":
        assert row(before, ideas[1])["ranked"] and not row(after, ideas[1])["ranked"]
    elif change == "winners_count":
        assert after["winners_count"] == before["winners_count"] + 1
    else:
        assert row(after, ideas[0])["title"] == "Un autre titre"


def test_only_the_last_rankings_are_kept(app, monkeypatch):
    """A ranking at ten times the tour holds about 3 MB: a worker keeps the last few (the
    events being judged now), not one per event it ever ranked."""
    monkeypatch.setattr(services._SheetCache, "RANKINGS", 1)
    first, ideas, judges = build_judging(n_ideas=1, n_judges=1, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 5)
    second, ideas, judges = build_judging(n_ideas=1, n_judges=1, min_judges=1)
    fill(sheet_of(ideas[0], judges[0]), 3)
    made = _counting_rankings(monkeypatch)
    for event in (first, second, first, first):
        services.event_ranking(event)
    assert made == [first.id, second.id, first.id]  # the second pushed the first out


def test_events_ranked_together_each_break_ties_on_their_own_criteria(app):
    """The sheets of several events are read in one query, each sheet's tie-break marks named
    by its own event's rubric: social impact first in one, economic impact first in another,
    none in a third (equal scores then share a rank)."""
    order_of = {"social": {"social_impact": 1, "economic_impact": 2},
                "economic": {"social_impact": 2, "economic_impact": 1},
                "none": {}}  # fmt: skip
    events = {}
    for name, orders in order_of.items():
        event, ideas, judges = build_judging(n_ideas=2, n_judges=1, min_judges=1)
        for criterion in event.rubric.criteria:
            criterion.tiebreak_order = orders.get(criterion.key)
        db.session.commit()
        keys = [c.key for c in event.rubric.criteria]
        # Equal S_ij (weights 3 and 3): the first idea is stronger on social impact, the
        # second on economic impact.
        for idea, strong in zip(ideas, ("social_impact", "economic_impact"), strict=True):
            weak = "economic_impact" if strong == "social_impact" else "social_impact"
            marks = {strong: 5, weak: 1}
            fill(sheet_of(idea, judges[0]), [marks.get(key, 3) for key in keys])
        events[name] = (event, ideas)
    together = services.rankings_for_events([event for event, _ideas in events.values()])
    for name, (event, ideas) in events.items():
        ranks = {row["idea_id"]: row["rank"] for row in together[event.id]["ideas"]}
        expected = {"social": [1, 2], "economic": [2, 1], "none": [1, 1]}[name]
        assert [ranks[idea.id] for idea in ideas] == expected, name
        app.extensions.pop("judging.sheet_cache")  # nothing kept: read again, alone
        alone = services.event_ranking(event)  # the same marks
        assert alone["ideas"] == together[event.id]["ideas"], name


def test_sheet_rows_read_in_any_order_are_cut_by_event_whole():
    """`_event_blocks` cuts a block of rows read by event: in event order (the usual table) and
    mixed (a table written out of order), each event gets all its rows, in the order read,
    with their ids and `updated_at` beside them, and a missing mark as NaN."""
    import math
    from datetime import datetime

    def row(event, idea, judge, score, mark, sheet_id, minute):
        return (event, idea, judge, score, mark, sheet_id, datetime(2025, 4, 3, 10, minute))

    rows = [
        row(7, 1, 10, 80.0, 5.0, 101, 1),
        row(3, 2, 11, 60.0, None, 102, 2),
        row(7, 3, 12, 40.0, 3.0, 103, 3),
        row(3, 4, 10, 20.0, 1.0, 104, 4),
        row(9, 5, 11, 10.0, 2.0, 105, 5),
    ]
    for given in (sorted(rows, key=lambda r: r[0]), rows):
        cut = {
            event: (block, ids, stamps)
            for event, block, ids, stamps in services._event_blocks(given)
        }
        assert sorted(cut) == [3, 7, 9]
        for event, (block, ids, stamps) in cut.items():
            mine = [r for r in given if r[0] == event]
            assert list(ids) == [r[5] for r in mine]
            assert list(stamps) == [r[6] for r in mine]
            assert block.shape == (4, len(mine))
            for k, r in enumerate(mine):
                values = block[:, k].tolist()
                assert values[:3] == [r[1], r[2], r[3]]
                assert (math.isnan(values[3]) and r[4] is None) or values[3] == r[4]
