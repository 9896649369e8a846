"""reports: an index on dossiers.finished_at (statistics read the dossiers finished since a
period's start or still open, not the whole history)

Revision ID: i13stats_1
Revises: 0020_dvcqg_exchange (on main: the head when merged)
Create Date: 2026-12-02
"""

from alembic import op

revision = "i13stats_1"
down_revision = "0020_dvcqg_exchange"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dossiers_finished_at", "dossiers", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_finished_at", table_name="dossiers")
