"""An Excel import is refused before parsing when it unpacks to more than a few tens of
megabytes (finding 13 of issue 15: a 311 KB file holding a 300 MB cell took 712 MB)."""

import io
import tracemalloc

import pytest
from sqlalchemy import func, select

from exports.unpacked import WORKBOOK_MAX_UNPACKED, unpacks_beyond
from extensions import db
from submissions import paper
from submissions.models import Idea
from tests.builders import inflate_cell, make_event, make_user
from tests.submissions.test_paper_import import GOOD_ROW, filled

HUGE = 300 * 1024 * 1024


@pytest.fixture
def bomb(runner, tmp_path):
    """A filled template whose first idea's problem is a 300 MB cell (a few hundred KB zipped)."""
    path = filled(runner, tmp_path, [dict(GOOD_ROW, problem="PLACEHOLDER-CELL")])
    data = inflate_cell(path, "PLACEHOLDER-CELL", HUGE)
    assert len(data) < 2 * 1024 * 1024
    return data


def test_a_zip_bomb_workbook_is_refused_before_parsing_in_little_memory(app, bomb):
    event = make_event()
    tracemalloc.start()
    try:
        with pytest.raises(paper.ImportRejected) as refused:
            paper.import_ideas(event, bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert "trop volumineux une fois décompressé (plus de 32 Mo)" in str(refused.value.messages[0])
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_the_upload_page_names_the_refusal(app, client, login, bomb):
    login(make_user("organiser"))
    event = make_event()
    response = client.post(
        f"/tour/events/{event.slug}/ideas/import",
        data={"file": (io.BytesIO(bomb), "ideas.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code < 500
    assert "trop volumineux une fois" in response.get_data(as_text=True)


def test_a_full_template_stays_well_below_the_limit(runner, tmp_path, app):
    rows = [dict(GOOD_ROW, title=f"Idée {n}", problem="p" * 2000) for n in range(300)]
    data = filled(runner, tmp_path, rows).read_bytes()
    assert not unpacks_beyond(data)
    assert not unpacks_beyond(data, limit=WORKBOOK_MAX_UNPACKED // 4)


def test_a_file_that_is_no_zip_is_left_to_the_parser(app):
    assert not unpacks_beyond(b"not a workbook at all")
    event = make_event()
    with pytest.raises(paper.ImportRejected) as refused:
        paper.import_ideas(event, b"not a workbook at all")
    assert "n'est pas un classeur Excel" in str(refused.value.messages[0])
