"""Every workbook the app hands out, opened by LibreOffice (headless, as `soffice --convert-to
pdf`): the rankings of an event (ar, fr, en) and of the tour, the bank, the ideas template and
the paper score sheet, all from the demo tour. Each must convert to a PDF that pypdf reads, and
a 6-idea event's ranking must print on one landscape page width (issue 17).

Skipped where LibreOffice is not installed (CI installs Debian's libreoffice-calc-nogui)."""

import shutil
import subprocess
from functools import partial
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from accounts.models import User
from demo.seed import ORGANISER, seed_demo
from extensions import db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIX_IDEAS = "oujda-2025"  # the demo's published stop: 6 ideas, 3 judges
DOWNLOADS = {
    "rankings-oujda-fr": f"/tour/events/{SIX_IDEAS}/rankings.xlsx?language=fr",
    "rankings-oujda-ar": f"/tour/events/{SIX_IDEAS}/rankings.xlsx?language=ar",
    "rankings-oujda-en": f"/tour/events/{SIX_IDEAS}/rankings.xlsx?language=en",
    "bank-fr": "/tour/bank/export.xlsx?sheet_lang=fr",
    "bank-ar": "/tour/bank/export.xlsx?sheet_lang=ar",
    "ideas-template-fr": "/tour/ideas-template.xlsx?lang=fr",
    "ideas-template-ar": "/tour/ideas-template.xlsx?lang=ar",
    "score-sheet-dakhla": "/judging/dakhla-2025/score-sheet.xlsx",
}


def to_pdf(workbooks: list[Path], directory: Path) -> dict[str, Path]:
    """One LibreOffice process converts them all, with its own profile (others may run too)."""
    profile = directory / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(directory), *map(str, workbooks)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {path.stem: directory / f"{path.stem}.pdf" for path in workbooks}


@pytest.fixture
def demo_downloads(app, client, login, tmp_path, monkeypatch):
    """The demo tour seeded, every workbook downloaded by its organiser (and the tour's
    workbook, written by the background job's builder)."""
    import accounts.services
    from reporting.services import write_tour_workbook

    # Nobody signs in with a password here: the demo's 40 accounts get a cheap hash.
    cheap = partial(accounts.services.generate_password_hash, method="pbkdf2:sha256:1")
    monkeypatch.setattr(accounts.services, "generate_password_hash", cheap)
    seed_demo()
    db.session.commit()
    login(db.session.scalar(select(User).where(User.email == ORGANISER[0])))
    files = []
    for name, url in DOWNLOADS.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert response.mimetype == XLSX, name
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(response.data)
        response.close()  # a file sent from disk stays open until then
        files.append(path)
    tour = tmp_path / "rankings-tour-fr.xlsx"
    write_tour_workbook(tour, "fr")
    files.append(tour)
    return files


def test_every_exported_workbook_opens_in_libreoffice(demo_downloads, tmp_path):
    pdfs = to_pdf(demo_downloads, tmp_path)
    for name, pdf in pdfs.items():
        assert pdf.exists(), f"LibreOffice made no PDF of {name}"
        assert len(PdfReader(pdf).pages) >= 1, name


def _ranking_sheet_alone(source: Path, target: Path, city: str) -> Path:
    """The event's ranking sheet (named after its city), without the other sheets."""
    workbook = load_workbook(BytesIO(source.read_bytes()))
    for sheet in list(workbook):
        if sheet.title != city:
            workbook.remove(sheet)
    assert workbook.sheetnames == [city]
    workbook.save(target)
    return target


@pytest.mark.xfail(
    strict=False,
    reason="the print setup (landscape, fit to width, repeated header row) is h6's part of "
    "issue 17; today one event prints on several pages of a few columns",
)
def test_a_six_idea_ranking_prints_on_one_landscape_page_width(demo_downloads, tmp_path):
    source = next(p for p in demo_downloads if p.stem == "rankings-oujda-fr")
    alone = _ranking_sheet_alone(source, tmp_path / "oujda-ranking.xlsx", "Oujda")
    pages = PdfReader(to_pdf([alone], tmp_path)["oujda-ranking"]).pages
    # 6 ideas fit one page's height: a second page would be the columns that did not fit.
    assert len(pages) == 1, f"{len(pages)} pages"
    box = pages[0].mediabox
    assert box.width > box.height, "portrait"
