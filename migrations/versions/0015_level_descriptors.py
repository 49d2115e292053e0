"""level descriptors: a criterion describes each whole level of its scale, not only its two ends

`criteria.descriptors` held {"low": {lang: text}, "high": {lang: text}}; it now holds one entry
per whole level, keyed by the level ({"1": {...}, "5": {...}}). The JSON column stays; the data
move keeps every existing text: "low" becomes the scale's bottom, "high" its top. Going down
keeps the two ends only (the middle levels have no place in the old shape).

Revision ID: level_descriptors
Revises: file_store
Create Date: 2026-11-30 21:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "level_descriptors"
down_revision = "file_store"
branch_labels = None
depends_on = None

criteria = sa.table(
    "criteria",
    sa.column("id", sa.Integer),
    sa.column("scale_min", sa.Integer),
    sa.column("scale_max", sa.Integer),
    sa.column("descriptors", sa.JSON),
)


def _rewrite(change) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(criteria.c.id, criteria.c.scale_min, criteria.c.scale_max, criteria.c.descriptors)
    ).all()
    for row in rows:
        new = change(row.descriptors or {}, row.scale_min, row.scale_max)
        if new != (row.descriptors or {}):
            bind.execute(criteria.update().where(criteria.c.id == row.id).values(descriptors=new))


def _to_levels(old: dict, low: int, high: int) -> dict:
    if "low" not in old and "high" not in old:
        return old
    new = {key: value for key, value in old.items() if key not in ("low", "high")}
    for end, level in (("low", low), ("high", high)):
        if old.get(end):
            new[str(level)] = old[end]
    return new


def _to_ends(new: dict, low: int, high: int) -> dict:
    old = {}
    if new.get(str(low)):
        old["low"] = new[str(low)]
    if new.get(str(high)):
        old["high"] = new[str(high)]
    return old


def upgrade():
    _rewrite(_to_levels)


def downgrade():
    _rewrite(_to_ends)
