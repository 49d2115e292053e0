"""sheet_figures: each submitted sheet keeps what it counts for, S_ij (`score`) and its marks
(`marks`, {criterion id: mark}), so that the ranking and the exports read one row per sheet
instead of its score rows (issue 21: at ten times the tour, 252,000 sheets and 1.5 M scores).
Sheets already submitted get them here, computed from their scores as `judging.scoring`
computes S_ij; an incomplete one (not counted before either) gets none.

Revision ID: sheet_figures
Revises: audit_event_order
Create Date: 2026-12-01 06:40:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "sheet_figures"
down_revision = "audit_event_order"
branch_labels = None
depends_on = None

MARKS = sa.JSON().with_variant(JSONB(), "postgresql")
# `judging.states.SheetState.SUBMITTED` as it is spelled today: a migration never imports the code.
SUBMITTED = "submitted"
BLOCK = 5000


def upgrade():
    op.add_column("score_sheets", sa.Column("score", sa.Float(), nullable=True))
    op.add_column("score_sheets", sa.Column("marks", MARKS, nullable=True))
    bind = op.get_bind()
    sheets = sa.table("score_sheets", sa.column("id"), sa.column("status"),
                      sa.column("score", sa.Float()), sa.column("marks", MARKS))  # fmt: skip
    scores = sa.table("scores", sa.column("sheet_id"), sa.column("criterion_id"),
                      sa.column("value", sa.Float()))  # fmt: skip
    criteria = sa.table("criteria", sa.column("id"), sa.column("rubric_id"), sa.column("weight"),
                        sa.column("scale_min"), sa.column("scale_max"))  # fmt: skip
    rubric_of, spec = {}, {}
    for cid, rubric_id, weight, low, high in bind.execute(sa.select(criteria)):
        rubric_of[cid] = rubric_id
        spec[cid] = (float(weight), float(low), float(high))
    size = {}
    for rubric_id in rubric_of.values():
        size[rubric_id] = size.get(rubric_id, 0) + 1
    update = (
        sa.update(sheets)
        .where(sheets.c.id == sa.bindparam("sheet"))
        .values(score=sa.bindparam("figure"), marks=sa.bindparam("given", type_=MARKS))
    )
    submitted = (
        bind.execute(
            sa.select(sheets.c.id).where(sheets.c.status == SUBMITTED).order_by(sheets.c.id)
        )
        .scalars()
        .all()
    )
    for start in range(0, len(submitted), BLOCK):  # a block of sheets at a time
        block = submitted[start : start + BLOCK]
        marks = {sheet_id: {} for sheet_id in block}
        for sheet_id, criterion_id, value in bind.execute(
            sa.select(scores.c.sheet_id, scores.c.criterion_id, scores.c.value).where(
                scores.c.sheet_id.between(block[0], block[-1])
            )
        ):
            if sheet_id in marks:
                marks[sheet_id][criterion_id] = float(value)
        figures = [
            {"sheet": sheet_id, "figure": figure, "given": {str(c): v for c, v in given.items()}}
            for sheet_id, given in marks.items()
            if (figure := _sheet_score(given, rubric_of, spec, size)) is not None
        ]
        if figures:
            bind.execute(update, figures)


def _sheet_score(marks: dict, rubric_of: dict, spec: dict, size: dict) -> float | None:
    """S_ij of a sheet's marks, None when they do not cover one rubric's criteria."""
    rubrics = {rubric_of.get(criterion) for criterion in marks}
    if len(rubrics) != 1 or len(marks) != size.get(next(iter(rubrics)), -1):
        return None
    total = weights = 0.0
    for criterion, value in marks.items():
        weight, low, high = spec[criterion]
        total += weight * (value - low) / (high - low)
        weights += weight
    return 100.0 * total / weights if weights else None


def downgrade():
    # No batch rebuild on SQLite: the trigger on scores (0017_tap) names score_sheets.
    op.drop_column("score_sheets", "marks")
    op.drop_column("score_sheets", "score")
