"""names in languages: the names organisers type, in Arabic and English beside the French

`competitions.name_ar/_en`, `rubrics.name_ar/_en`, `events.city_en`, `events.venue_ar/_en`
(`events.city_ar` existed already). The French text stays where it was, so existing names are
kept as they are; rubrics still named with the default French name get its Arabic and English
names (written out here: a migration never imports the code). Criteria already keep their
texts as {"fr", "ar", "en"} mappings.

Revision ID: names_in_languages
Revises: roles
Create Date: 2026-11-30 21:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "names_in_languages"
down_revision = "roles"
branch_labels = None
depends_on = None

COLUMNS = {
    "competitions": (("name_ar", 200), ("name_en", 200)),
    "rubrics": (("name_ar", 200), ("name_en", 200)),
    "events": (("city_en", 100), ("venue_ar", 200), ("venue_en", 200)),
}
DEFAULT_RUBRIC = {
    "fr": "Grille idéathon coopératives",
    "ar": "شبكة تقييم أفكار التعاونيات",
    "en": "Cooperatives ideathon rubric",
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, length in columns:
                batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    rubrics = sa.table(
        "rubrics", sa.column("name", sa.String), sa.column("name_ar"), sa.column("name_en")
    )
    op.execute(
        rubrics.update()
        .where(rubrics.c.name == DEFAULT_RUBRIC["fr"])
        .values(name_ar=DEFAULT_RUBRIC["ar"], name_en=DEFAULT_RUBRIC["en"])
    )


def downgrade():
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35 and later have it): a batch copy would
    # drop and rebuild tables that other rows point to, which SQLite's foreign keys refuse.
    for table, columns in COLUMNS.items():
        for name, _length in reversed(columns):
            op.drop_column(table, name)
