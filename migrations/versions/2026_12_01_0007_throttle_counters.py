"""throttle counters: failed logins per account and address, public lookup per address

Revision ID: hardening_1
Revises: 0006_documents
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "hardening_1"
down_revision = "0006_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle_counters",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("blocked_until", motcua.core.db.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttle_counters")),
    )


def downgrade() -> None:
    op.drop_table("throttle_counters")
