"""Issue 21: what each process holds. A web process (gunicorn worker) or an export job loads
the app, not the libraries that only some pages or commands need: PDF parsing (pypdf, 7 MB),
map outlines (shapely, 5 MB), workbooks read or built cell by cell (openpyxl, 5 MB), the rq
worker (rq and redis, 7 MB), certificates (WeasyPrint, 27 MB). Each is imported where it is
used, so the whole-tour export stays within its memory budget (docs/performance.md)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAZY = ("pypdf", "shapely", "openpyxl", "rq", "redis", "weasyprint")

CHILD = """
import json, sys
from app import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
print(json.dumps(sorted(m for m in sys.argv[1:] if m in sys.modules)))
"""


def test_creating_the_app_loads_none_of_the_libraries_some_pages_need(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *LAZY],
        cwd=ROOT, capture_output=True, text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin", "IDEATHON_INSTANCE": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_cell_sanitiser_removes_what_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from exports.cells import ILLEGAL_CHARACTERS_RE as OURS

    every = "".join(chr(c) for c in range(0x80))
    assert OURS.sub("", every) == ILLEGAL_CHARACTERS_RE.sub("", every)
