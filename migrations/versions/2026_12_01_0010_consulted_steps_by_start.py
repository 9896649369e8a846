"""consulted steps by start: the inbox's consultation branch reads only recent steps

Revision ID: 0010_consulted_steps_by_start
Revises: 0009_form07_book_files
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_consulted_steps_by_start"
down_revision = "0009_form07_book_files"
branch_labels = None
depends_on = None

WHERE = "parallel_group IS NOT NULL"


def upgrade() -> None:
    op.create_index("ix_dossier_steps_consulted_started", "dossier_steps", ["unit_id", "started_at"],
                    postgresql_where=sa.text(WHERE), sqlite_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index("ix_dossier_steps_consulted_started", table_name="dossier_steps")
