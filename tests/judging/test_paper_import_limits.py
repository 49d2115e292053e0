"""A paper score sheet's import (finding 13 of issue 15): a 32,767-character comment full of
control characters is refused and stores nothing, an import is audited with its comments, and
a workbook that unpacks to a huge cell is refused before parsing."""

import io
import tracemalloc
import zipfile

import pytest
from sqlalchemy import select

from audit.models import AuditEntry
from extensions import db
from judging import paper
from judging.models import Score
from judging.services import JudgingError
from tests.builders import inflate_cell, make_user

from .conftest import build_judging, sheet_of
from .test_paper_import import _cli, _fill_rows, _workbook


def with_control_characters(path, text: str) -> bytes:
    """The workbook with the comment PLACEHOLDER-CELL replaced by `text`, its control characters
    written as Excel stores them (_x0007_ for BEL): openpyxl will not write them itself."""
    escaped = "".join(f"_x{ord(c):04X}_" if ord(c) < 32 else c for c in text).encode()
    output = io.BytesIO()
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(b"PLACEHOLDER-CELL", escaped))
    return output.getvalue()


def _commented(tmp_path, event, text):
    def edit(ws):
        _fill_rows(ws, 4)
        ws.cell(row=2, column=ws.max_column, value="PLACEHOLDER-CELL")

    return with_control_characters(_workbook(tmp_path, event, edit), text)


def test_a_32767_character_comment_with_control_characters_is_refused(app, runner, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)
    data = _commented(tmp_path, event, ("\x07\x1b" + "x" * 5) * 4681)  # Excel's cell limit
    path = tmp_path / "long.xlsx"
    path.write_bytes(data)
    result = _cli(runner, event, path)
    assert result.exit_code == 1
    assert "5\u202f000 caractères au maximum" in result.output
    assert db.session.scalars(select(Score)).all() == []
    assert not sheet_of(ideas[0], judges[0]).comment


def test_an_import_is_audited_with_who_what_and_each_comment(app, runner, client, login, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)

    organiser = login(make_user("organiser"))
    data = _commented(tmp_path, event, "Très clair, bien chiffré")
    response = client.post(
        f"/judging/{event.slug}/import-scores",
        data={"file": (io.BytesIO(data), "scores.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event.id)).all()
    [imported] = [e for e in entries if e.action == "import_scores"]
    assert imported.user_id == organiser.id and imported.source == "upload"
    assert imported.new["imported"] == 1
    sheet = sheet_of(ideas[0], judges[0])
    [submitted] = [e for e in entries if e.entity == "sheet" and e.action == "submit"]
    assert submitted.new["comment"] == sheet.comment == "Très clair, bien chiffré"


def test_a_zip_bomb_score_sheet_is_refused_before_parsing(app, tmp_path):
    event, ideas, judges = build_judging(n_ideas=1, n_judges=1)

    def placeholder(ws):
        _fill_rows(ws, 4)
        ws.cell(row=2, column=ws.max_column, value="PLACEHOLDER-CELL")

    bomb = inflate_cell(_workbook(tmp_path, event, placeholder), "PLACEHOLDER-CELL", 300 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(JudgingError) as refused:
            paper.import_score_sheet(event, io.BytesIO(bomb), None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert "trop volumineux une fois décompressé" in str(refused.value)
    assert db.session.scalars(select(Score)).all() == []
