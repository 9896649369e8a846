"""legal content with its sources: the basis of each time limit, of the component list and of
each fee; component conditions; the pages read; a dossier's limit basis and whether it was
entered by the officer (no limit in the catalogue)

Revision ID: 0015_legal_sources
Revises: 0011_notify_outbox
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_legal_sources"
down_revision = "0014_field_aliases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procedures") as batch:
        batch.add_column(sa.Column("time_limit_basis", sa.Text(), nullable=True))
        batch.add_column(sa.Column("online_time_limit_basis", sa.Text(), nullable=True))
        batch.add_column(sa.Column("components_basis", sa.Text(), nullable=True))
        batch.add_column(sa.Column("content_sources", sa.JSON(), nullable=True))
    with op.batch_alter_table("procedure_components") as batch:
        batch.add_column(sa.Column("condition", sa.Text(), nullable=True))
    with op.batch_alter_table("procedure_fees") as batch:
        batch.add_column(sa.Column("basis", sa.Text(), nullable=True))
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("time_limit_basis", sa.Text(), nullable=True))
        # Existing dossiers took their limit from the catalogue (or the old fall-back).
        batch.add_column(
            sa.Column("time_limit_entered", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("time_limit_entered")
        batch.drop_column("time_limit_basis")
    with op.batch_alter_table("procedure_fees") as batch:
        batch.drop_column("basis")
    with op.batch_alter_table("procedure_components") as batch:
        batch.drop_column("condition")
    with op.batch_alter_table("procedures") as batch:
        batch.drop_column("content_sources")
        batch.drop_column("components_basis")
        batch.drop_column("online_time_limit_basis")
        batch.drop_column("time_limit_basis")
