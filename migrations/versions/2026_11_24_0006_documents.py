"""form definitions (titles and numbers as data)

Revision ID: 0006_documents
Revises: 0005_dossiers
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0006_documents"
down_revision = "0005_dossiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_definitions",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("paper_size", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_definitions")),
        sa.UniqueConstraint("key", name=op.f("uq_form_definitions_key")),
    )


def downgrade() -> None:
    op.drop_table("form_definitions")
