"""reform: a scoring-sheet item may take its points from what the system measures (on-time share,
online share, 766 score) instead of being typed (issue 15 item 5)

Revision ID: rpages_1
Revises: 0030_quality_audits
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "rpages_1"
down_revision = "0030_quality_audits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reform_score_items") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reform_score_items") as batch_op:
        batch_op.drop_column("source")
