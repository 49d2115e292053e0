"""judging.results is the one door to results: bank and reporting import nothing else of
judging, and the results come as typed, frozen values."""

import ast
import dataclasses
from pathlib import Path

import pytest

from judging import results

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("package", ["bank", "reporting"])
def test_bank_and_reporting_read_judging_only_through_its_results_api(package):
    imported = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                imported |= {n for n in names if n.startswith("judging")}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names if a.name.startswith("judging")}
    modules = {name for name in imported if name.count(".") <= 1}
    assert modules <= {"judging.results"}, modules


def test_results_never_change_once_made():
    row = results.ResultRow(
        idea_id=1, receipt_code="OUJ-AAAA", title="T", sector="agrifood", rank=1, is_winner=True,
        override_reason=None, ranked=True, not_ranked_reason=None, judges=3, score_100=60.0,
        mean_z=1.0, raw=70.0,
    )  # fmt: skip
    with pytest.raises(AttributeError):  # a row is a tuple
        row.rank = 2
    figures = results.Results(
        event_id=1, number=1, method="raw", validated_at=None, published_at=None, reason=None,
        provisional=False, rows=(row,),
    )  # fmt: skip
    assert figures.winners == [row] and figures.row(1) is row and not figures.amended
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures.rows = ()


def test_one_label_per_figure_in_each_language(app):
    from flask_babel import force_locale

    for locale, expected in (
        ("fr", {"score_100": "Score /100", "mean_z": "Score z moyen", "raw": "Score brut /100"}),
        ("ar", {"score_100": "الدرجة /100", "mean_z": "متوسط الدرجة المعيارية z"}),
    ):
        with force_locale(locale):
            labels = {name: str(label) for name, label in results.FIGURE_LABELS.items()}
        assert expected.items() <= labels.items()
