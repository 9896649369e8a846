"""citizens: citizen and business accounts signed in with the national identity (VNeID),
and the links waiting for their owner's confirmation

Revision ID: 0017_citizens
Revises: 0016_procedure_applications (on main: the head when merged)
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0017_citizens"
down_revision = "0016_procedure_applications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "citizens",
        sa.Column("tech_id", sa.String(length=100), nullable=True),
        sa.Column("account_type", sa.String(length=16), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("id_number", sa.String(length=20), nullable=True),
        sa.Column("old_id_number", sa.String(length=20), nullable=True),
        sa.Column("passport", sa.String(length=20), nullable=True),
        sa.Column("gender", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("tax_code", sa.String(length=20), nullable=True),
        sa.Column("business_code", sa.String(length=20), nullable=True),
        sa.Column("business_name", sa.String(length=300), nullable=True),
        sa.Column("created_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("linked_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("last_login_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizens")),
        sa.UniqueConstraint("tech_id", name=op.f("uq_citizens_tech_id")),
        info={"citus": "reference"},
    )
    for column in ("business_code", "id_number", "old_id_number", "tax_code"):
        op.create_index(op.f(f"ix_citizens_{column}"), "citizens", [column])
    op.create_table(
        "citizen_link_requests",
        sa.Column("citizen_id", sa.Uuid(), nullable=False),
        sa.Column("tech_id", sa.String(length=100), nullable=False),
        sa.Column("matched_by", sa.String(length=32), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("created_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("decided_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"],
                                name=op.f("fk_citizen_link_requests_citizen_id_citizens"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_link_requests")),
        info={"citus": "reference"},
    )
    op.create_index(op.f("ix_citizen_link_requests_citizen_id"), "citizen_link_requests", ["citizen_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_citizen_link_requests_citizen_id"), table_name="citizen_link_requests")
    op.drop_table("citizen_link_requests")
    for column in ("business_code", "id_number", "old_id_number", "tax_code"):
        op.drop_index(op.f(f"ix_citizens_{column}"), table_name="citizens")
    op.drop_table("citizens")
