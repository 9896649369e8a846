"""field aliases and national field codes: canonical sectors keep the seed's spellings

Revision ID: 0014_field_aliases
Revises: 0011_notify_outbox
Create Date: 2026-12-02

The canonical list itself (names, national codes, aliases) is data, applied by the
catalogue seed (motcua/catalog/fields.py, data/fields.json): it merges the fields that are
aliases into their canonical field and repoints their procedures.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_field_aliases"
down_revision = "0013_national_codes"
branch_labels = None
depends_on = None

REFERENCE = {"citus": "reference"}


def upgrade() -> None:
    op.add_column("fields", sa.Column("national_code", sa.String(length=20), nullable=True))
    op.create_table(
        "field_aliases",
        sa.Column("field_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_folded", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_id"], ["fields.id"], name=op.f("fk_field_aliases_field_id_fields"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_aliases")),
        sa.UniqueConstraint("name_folded", name=op.f("uq_field_aliases_name_folded")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_field_aliases_field_id"), "field_aliases", ["field_id"])
    op.create_index(op.f("ix_field_aliases_code"), "field_aliases", ["code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_field_aliases_code"), table_name="field_aliases")
    op.drop_index(op.f("ix_field_aliases_field_id"), table_name="field_aliases")
    op.drop_table("field_aliases")
    op.drop_column("fields", "national_code")
