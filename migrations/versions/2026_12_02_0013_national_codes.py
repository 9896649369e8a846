"""national catalogue: local ↔ national procedure codes, and the national list as last pulled

Revision ID: 0013_national_codes
Revises: 0012_catalog_decisions (on main: the head when merged)
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0013_national_codes"
down_revision = "0012_catalog_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procedure_national_codes",
        sa.Column("procedure_id", sa.Uuid(), nullable=False),
        sa.Column("national_code", sa.String(length=32), nullable=False),
        sa.Column("national_name", sa.Text(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=100), nullable=False),
        sa.Column("confirmed_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedures.id"],
                                name=op.f("fk_procedure_national_codes_procedure_id_procedures"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_national_codes")),
        sa.UniqueConstraint("procedure_id", name=op.f("uq_procedure_national_codes_procedure_id")),
    )
    op.create_index(op.f("ix_procedure_national_codes_national_code"), "procedure_national_codes",
                    ["national_code"])
    op.create_table(
        "dvcqg_procedures",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_folded", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("first_seen_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("gone_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dvcqg_procedures")),
        sa.UniqueConstraint("code", name=op.f("uq_dvcqg_procedures_code")),
    )


def downgrade() -> None:
    op.drop_table("dvcqg_procedures")
    op.drop_index(op.f("ix_procedure_national_codes_national_code"), table_name="procedure_national_codes")
    op.drop_table("procedure_national_codes")
