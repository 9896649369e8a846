"""throttle counters: failed logins per account and address, public lookup per address

Revision ID: 0008_throttle_counters
Revises: 0007_list_indexes
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0008_throttle_counters"
down_revision = "0007_list_indexes"
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
