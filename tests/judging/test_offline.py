"""A jury tablet's offline queue on the server's side (`judging.offline`, issue 19): a replayed
action counts once, last write wins per criterion by the time of the tap, the rules still hold
on replay and a refused action is audited and shown to the organisers, tablets report what they
still hold, and a queued tap keeps the tap's budget of three round trips."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from audit.models import AuditEntry
from competitions.models import JuryMember
from competitions.states import EventState
from extensions import db
from judging import offline, services
from judging.models import JuryDevice, Score, ScoreSheet
from judging.states import RefusedBecause, SheetState, TabletAction
from tests.builders import make_user

from .conftest import build_judging, fill, set_state, sheet_of

MINUTE = 60_000


def _now_ms() -> int:
    return int(time.time() * 1000)


def _queued(body: dict, *, tapped_at=None, action=None) -> dict:
    """A body as the tablet's queue sends it (the tap's time on the server's clock)."""
    return {
        **body,
        "action": action or str(uuid.uuid4()),
        "tapped_at": _now_ms() if tapped_at is None else tapped_at,
        "version": "2026-12-01T00:00:00",
    }


def _tap(client, sheet_id, body, tablet="tablet-a"):
    return client.post(f"/jury/sheets/{sheet_id}/score", json=body, headers={"X-Tablet-Id": tablet})


def _submit(client, sheet_id, body):
    return client.post(f"/jury/sheets/{sheet_id}/submit", json=body)


def _mark(sheet_id, criterion_id):
    db.session.expire_all()
    return db.session.scalar(
        select(Score.value).where(Score.sheet_id == sheet_id, Score.criterion_id == criterion_id)
    )


def _entries(sheet_id, *actions):
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_id == sheet_id, AuditEntry.action.in_(actions))
        .order_by(AuditEntry.id)
    ).all()


@pytest.fixture
def judged(app, login):
    """An event being judged, two ideas, one judge signed in, its rubric locked by a first mark
    on the second idea."""
    event, ideas, judges = build_judging(n_ideas=2, n_judges=1)
    criteria = [c.id for c in event.rubric.criteria]
    services.record_score(sheet_of(ideas[1], judges[0]), criteria[0], 3, judges[0])
    db.session.commit()
    login(judges[0])
    return event, sheet_of(ideas[0], judges[0]).id, criteria, judges[0]


def test_a_queued_tap_is_three_round_trips_too(app, client, judged):
    """The action id and the tap time ride on the fast path's two statements."""
    event, sheet_id, criteria, judge = judged
    db.session.close()
    statements, commits = [], []
    listeners = (
        ("before_cursor_execute", lambda conn, cursor, statement, *a: statements.append(statement)),
        ("commit", lambda conn: commits.append(1)),
    )
    for name, listener in listeners:
        sa_event.listen(db.engine, name, listener)
    try:
        response = _tap(client, sheet_id, _queued({"criterion": criteria[0], "value": 4}))
    finally:
        for name, listener in listeners:
            sa_event.remove(db.engine, name, listener)
    assert response.status_code == 200 and response.json["ok"], response.get_data(as_text=True)
    assert len(statements) == 3 and len(commits) == 1, "\n".join(s[:80] for s in statements)
    assert _mark(sheet_id, criteria[0]) == 4


def test_a_replayed_tap_counts_once(app, client, judged):
    event, sheet_id, criteria, judge = judged
    body = _queued({"criterion": criteria[0], "value": 4})
    answers = [_tap(client, sheet_id, body) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "replayed" not in answers[0].json
    assert answers[1].json["replayed"] is True and answers[2].json["replayed"] is True
    entries = _entries(sheet_id, "score")
    assert len(entries) == 1 and entries[0].client_action == body["action"]
    assert entries[0].source == "tablet-a"
    assert _mark(sheet_id, criteria[0]) == 4


def test_a_replayed_comment_and_submit_count_once(app, client, judged):
    event, sheet_id, criteria, judge = judged
    for criterion in criteria:
        assert (
            _tap(client, sheet_id, _queued({"criterion": criterion, "value": 3})).status_code == 200
        )
    comment = _queued({"comment": "Solide, à suivre."})
    submit = _queued({})
    for _ in range(2):
        assert _tap(client, sheet_id, comment).status_code == 200
        answer = _submit(client, sheet_id, submit)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.json["status"] == SheetState.SUBMITTED
    assert len(_entries(sheet_id, "comment")) == 1
    assert len(_entries(sheet_id, "submit")) == 1
    assert db.session.get(ScoreSheet, sheet_id).comment == "Solide, à suivre."


def test_last_write_wins_per_criterion_by_the_time_of_the_tap(app, client, judged):
    """Tablet A online, tablet B offline: B's taps arrive later; the newest tap holds, an
    older one is audited as late and changes nothing."""
    event, sheet_id, criteria, judge = judged
    now = _now_ms()
    assert _tap(client, sheet_id, _queued({"criterion": criteria[0], "value": 4}, tapped_at=now - 10 * MINUTE)).status_code == 200  # fmt: skip
    newer = _tap(client, sheet_id, _queued({"criterion": criteria[0], "value": 2}, tapped_at=now - 5 * MINUTE), "tablet-b")  # fmt: skip
    assert newer.status_code == 200 and "late" not in newer.json
    assert _mark(sheet_id, criteria[0]) == 2
    older = _tap(client, sheet_id, _queued({"criterion": criteria[0], "value": 5}, tapped_at=now - 8 * MINUTE), "tablet-b")  # fmt: skip
    assert older.status_code == 200 and older.json["late"] is True
    assert _mark(sheet_id, criteria[0]) == 2
    entries = _entries(sheet_id, "score", "late_score")
    assert [(e.action, e.new["value"], e.source) for e in entries] == [
        ("score", 4, "tablet-a"),
        ("score", 2, "tablet-b"),
        ("late_score", 5, "tablet-b"),
    ]
    # A later tap on the other tablet wins again (and takes the fast path).
    assert (
        _tap(client, sheet_id, _queued({"criterion": criteria[0], "value": 1})).status_code == 200
    )
    assert _mark(sheet_id, criteria[0]) == 1


def test_a_tap_time_ahead_of_the_server_is_taken_as_now(app, client, judged):
    """A tablet whose clock runs ahead (and has not learnt its offset yet) cannot hold a mark
    against every later tap: its time is taken as the server's now."""
    event, sheet_id, criteria, judge = judged
    ahead = _now_ms() + 60 * MINUTE
    assert _tap(client, sheet_id, _queued({"criterion": criteria[0], "value": 4}, tapped_at=ahead)).status_code == 200  # fmt: skip
    db.session.expire_all()
    stored = db.session.scalar(select(Score.tapped_at).where(Score.sheet_id == sheet_id))
    assert abs(stored - datetime.now(UTC)) < timedelta(seconds=30)
    assert (
        _tap(client, sheet_id, _queued({"criterion": criteria[0], "value": 2})).status_code == 200
    )
    assert _mark(sheet_id, criteria[0]) == 2


def _bring_about(case, event, sheet_id, judge):
    if case == "judging closed":
        set_state(event, "deliberation")
    elif case == "sheet submitted":
        fill(db.session.get(ScoreSheet, sheet_id), 3)
    elif case == "judge removed":
        db.session.execute(JuryMember.__table__.delete().where(JuryMember.user_id == judge.id))
        db.session.commit()


@pytest.mark.parametrize(
    ("case", "status", "because"),
    [
        ("judging closed", 409, RefusedBecause.JUDGING_CLOSED),
        ("sheet submitted", 409, RefusedBecause.SUBMITTED),
        ("judge removed", 403, RefusedBecause.REMOVED),
    ],
)
@pytest.mark.parametrize("kind", list(TabletAction))
def test_a_queued_action_refused_on_arrival_is_audited_and_counts_nothing(
    app, client, login, judged, case, status, because, kind
):
    event, sheet_id, criteria, judge = judged
    if kind == TabletAction.SUBMIT and case != "sheet submitted":
        for criterion in criteria:  # the sheet was complete on the tablet
            assert _tap(client, sheet_id, _queued({"criterion": criterion, "value": 3})).status_code == 200  # fmt: skip
    _bring_about(case, event, sheet_id, judge)
    db.session.expire_all()
    marks_before = {s.criterion_id: s.value for s in db.session.scalars(select(Score).where(Score.sheet_id == sheet_id))}  # fmt: skip
    status_before = db.session.get(ScoreSheet, sheet_id).status
    body = {
        TabletAction.SCORE: {"criterion": criteria[0], "value": 5},
        TabletAction.COMMENT: {"comment": "Écrit hors ligne"},
        TabletAction.SUBMIT: {},
    }[kind]
    body = _queued(body, tapped_at=_now_ms() - 3 * MINUTE)
    send = _submit if kind == TabletAction.SUBMIT else _tap
    for _ in range(2):  # replayed: refused again, reported once
        answer = send(client, sheet_id, body)
        assert answer.status_code == status, answer.get_data(as_text=True)
        assert answer.json["ok"] is False and answer.json["error"]
    db.session.expire_all()
    assert {s.criterion_id: s.value for s in db.session.scalars(select(Score).where(Score.sheet_id == sheet_id))} == marks_before  # fmt: skip
    sheet = db.session.get(ScoreSheet, sheet_id)
    assert sheet.status == status_before and sheet.comment == ""
    [entry] = _entries(sheet_id, offline.REFUSED)
    assert entry.user_id == judge.id and entry.event_id == event.id
    assert entry.client_action == body["action"]
    assert entry.new["refused_because"] == because and entry.new["attempted"] == kind
    assert entry.new["idea_id"] == sheet.idea_id and entry.new["version"] == body["version"]
    # The organisers see it on the progress page.
    organiser = login(make_user("organiser"))
    assert organiser
    page = client.get(f"/judging/{event.slug}/progress?lang=en").get_data(as_text=True)
    assert 'class="table table-sm bg-white refused-actions"' in page
    assert str(offline.REFUSAL_LABELS[because]) in page


def test_a_refusal_of_an_action_sent_at_once_is_not_reported(app, client, judged):
    """A tap without an action id (an old page, a script) is refused as before, unrecorded."""
    event, sheet_id, criteria, judge = judged
    set_state(event, "deliberation")
    assert _tap(client, sheet_id, {"criterion": criteria[0], "value": 3}).status_code == 409
    assert _entries(sheet_id, offline.REFUSED) == []


@pytest.mark.parametrize(
    "change",
    [
        {"action": "x"},
        {"action": "not a uuid at all!"},
        {"action": 12345678},
        {"tapped_at": "yesterday"},
        {"tapped_at": -5},
        {"tapped_at": 10**20},
        {"tapped_at": True},
    ],
)
def test_a_bad_action_id_or_time_is_refused_clearly(app, client, judged, change):
    event, sheet_id, criteria, judge = judged
    body = {**_queued({"criterion": criteria[0], "value": 3}), **change}
    answer = _tap(client, sheet_id, body)
    assert answer.status_code == 422 and answer.json["error"]
    assert _mark(sheet_id, criteria[0]) is None


def test_tablets_report_what_they_hold_and_the_progress_page_shows_them(app, client, login, judged):
    event, sheet_id, criteria, judge = judged
    now = _now_ms()
    report = {"device": str(uuid.uuid4()), "pending": 3, "oldest": now - 7 * MINUTE,
              "last_sync": now - 9 * MINUTE, "sent_at": now}  # fmt: skip
    assert client.post("/jury/tablet", json=report).json == {"ok": True}
    assert client.post("/jury/tablet", json={**report, "pending": 5}).status_code == 200
    [device] = db.session.scalars(select(JuryDevice)).all()
    assert device.judge_id == judge.id and device.pending == 5
    assert abs(device.oldest_pending_at - (datetime.now(UTC) - timedelta(minutes=7))) < timedelta(seconds=30)  # fmt: skip
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/progress?lang=en").get_data(as_text=True)
    assert 'data-pending="5"' in page and judge.name in page
    # Synced: the tablet leaves the list.
    login(judge)
    assert client.post("/jury/tablet", json={**report, "pending": 0}).status_code == 200
    login(make_user("organiser"))
    page = client.get(f"/judging/{event.slug}/progress?lang=en").get_data(as_text=True)
    assert 'data-pending="' not in page


@pytest.mark.parametrize(
    "change",
    [
        {"device": ""},
        {"device": "a/b"},
        {"device": "x" * 41},
        {"device": None},
        {"pending": -1},
        {"pending": "3"},
        {"pending": 10**9},
        {"pending": True},
        {"oldest": "hier"},
        {"last_sync": float("inf")},
    ],
)
def test_a_bad_tablet_report_is_refused_clearly(app, client, judged, change):
    report = {"device": str(uuid.uuid4()), "pending": 1, "oldest": _now_ms(), "sent_at": _now_ms()}
    answer = client.post("/jury/tablet", json={**report, **change})
    assert answer.status_code == 422 and answer.json["error"]
    assert db.session.scalars(select(JuryDevice)).all() == []


def test_a_tablet_report_needs_the_csrf_token(app, client, judged, csrf_on):
    report = {"device": str(uuid.uuid4()), "pending": 1}
    assert client.post("/jury/tablet", json=report).status_code == 400


def test_a_judges_tablet_keeps_their_list_and_sheets_in_judging_for_offline_use(app, client, login):
    """The service worker's manifest (core.offline) names the judge's list and each sheet of
    an event being judged; not another judge's, not those of an event out of judging; the
    pages say they may be kept."""
    event, ideas, judges = build_judging(n_ideas=2, n_judges=2)
    build_judging(n_ideas=1, n_judges=1, state=EventState.OPEN)
    login(judges[0])
    pages = client.get("/offline/manifest.json").json["pages"]
    mine = [f"/jury/sheets/{sheet_of(idea, judges[0]).id}" for idea in ideas]
    assert pages == ["/jury", *mine]
    assert "Ideathon-Offline" in client.get(mine[0]).headers
    assert "Ideathon-Offline" in client.get("/jury").headers
