"""Two tablets signed in as the same judge autosave the same sheet against a real server."""

import threading

import pytest
from sqlalchemy import select

from bench.http import Client, meta_csrf
from bench.workloads import sign_in
from competitions.states import EventState
from tests.load.conftest import require_endpoint

pytestmark = pytest.mark.load


def _judge_with_a_sheet(live_db):
    """An event being judged, one judge (password sign-in), one idea, one assigned sheet."""
    from judging.models import ScoreSheet
    from tests import builders

    def build():
        event = builders.make_event(state=EventState.JUDGING)
        judge = builders.make_user("jury")
        builders.add_jury(event, judge)
        idea = builders.make_idea(event)
        sheet = ScoreSheet(event_id=event.id, idea_id=idea.id, judge_id=judge.id)
        from extensions import db

        db.session.add(sheet)
        db.session.commit()
        criterion = event.rubric.criteria[0]
        return judge.email, sheet.id, criterion.id, criterion.key

    return live_db.run(build)


def _tablet(url, email, sheet_id, tablet):
    client = Client(url)
    sign_in(client, email, "Tablette-2025!")
    page = client.get(f"/jury/sheets/{sheet_id}")
    assert page.status == 200
    return client, {"X-CSRFToken": meta_csrf(page.text), "X-Tablet-Id": tablet}


def _tap(client, headers, sheet_id, criterion_id, value):
    return client.request(
        "POST",
        f"/jury/sheets/{sheet_id}/score",
        body=f'{{"criterion": {criterion_id}, "value": {value}}}',
        headers={**headers, "Content-Type": "application/json", "Accept": "application/json"},
    )


def test_two_tablets_autosaving_one_sheet_last_write_wins_and_both_are_audited(
    live_db, live_server
):
    from audit.models import AuditEntry
    from extensions import db
    from judging.models import Score

    require_endpoint(live_db, "judging.save_score", "the sheet's autosave endpoint")
    email, sheet_id, criterion_id, key = _judge_with_a_sheet(live_db)
    a, a_headers = _tablet(live_server.url, email, sheet_id, "tablet-A")
    b, b_headers = _tablet(live_server.url, email, sheet_id, "tablet-B")
    try:
        # Both tap at the same moment, twenty times over: never an error.
        barrier = threading.Barrier(2)
        statuses = []

        def taps(client, headers, values):
            for value in values:
                barrier.wait()
                response = _tap(client, headers, sheet_id, criterion_id, value)
                statuses.append((response.status, response.json().get("ok")))

        threads = [
            threading.Thread(target=taps, args=(a, a_headers, [2] * 20)),
            threading.Thread(target=taps, args=(b, b_headers, [4] * 20)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert statuses == [(200, True)] * 40

        # Then one after the other: the later write is what stays.
        assert _tap(a, a_headers, sheet_id, criterion_id, 3).status == 200
        assert _tap(b, b_headers, sheet_id, criterion_id, 5).status == 200
    finally:
        a.close()
        b.close()

    def stored():
        values = db.session.scalars(
            select(Score.value).where(
                Score.sheet_id == sheet_id, Score.criterion_id == criterion_id
            )
        ).all()
        entries = db.session.execute(
            select(AuditEntry.source, AuditEntry.new)
            .where(AuditEntry.entity == "score", AuditEntry.entity_id == sheet_id)
            .order_by(AuditEntry.id)
        ).all()
        return values, entries

    values, entries = live_db.run(stored)
    assert values == [5.0], "one score row per (sheet, criterion), holding the last write"
    assert {source for source, _new in entries} == {"tablet-A", "tablet-B"}, "both in the log"
    assert [(s, n["value"]) for s, n in entries[-2:]] == [("tablet-A", 3.0), ("tablet-B", 5.0)]
    assert entries[-1][1]["criterion"] == key
