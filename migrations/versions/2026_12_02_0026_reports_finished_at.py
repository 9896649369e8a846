"""reports: an index on dossiers.finished_at (statistics read the dossiers finished since a
period's start or still open, not the whole history)

Revision ID: 0026_reports_finished_at
Revises: 0025_eservice
Create Date: 2026-12-02
"""

from alembic import op

revision = "0026_reports_finished_at"
down_revision = "0025_eservice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dossiers_finished_at", "dossiers", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_finished_at", table_name="dossiers")
