"""population: the access log of lookups of the National Population Database (through LGSP)

Revision ID: 0019_population_lookups
Revises: 0018_payments (on main: the head when merged)
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0019_population_lookups"
down_revision = "0018_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "population_lookups",
        sa.Column("at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("id_number", sa.String(length=12), nullable=False),
        sa.Column("dossier_ref_id", sa.Uuid(), nullable=True),
        sa.Column("dossier_code", sa.String(length=40), nullable=True),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_population_lookups_agency_id_agencies")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_population_lookups_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_population_lookups")),
    )
    op.create_index("ix_population_lookups_at", "population_lookups", ["at"])
    op.create_index("ix_population_lookups_id_number", "population_lookups", ["id_number"])
    op.create_index("ix_population_lookups_user_id_at", "population_lookups", ["user_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_population_lookups_user_id_at", table_name="population_lookups")
    op.drop_index("ix_population_lookups_id_number", table_name="population_lookups")
    op.drop_index("ix_population_lookups_at", table_name="population_lookups")
    op.drop_table("population_lookups")
