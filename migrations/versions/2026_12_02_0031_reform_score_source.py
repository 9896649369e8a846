"""reform: a scoring-sheet item may take its points from what the system measures (on-time share,
online share, 766 score) instead of being typed (issue 15 item 5)

Revision ID: 0031_reform_score_source
Revises: 0030_quality_audits
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_reform_score_source"
down_revision = "0030_quality_audits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reform_score_items") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reform_score_items") as batch_op:
        batch_op.drop_column("source")
