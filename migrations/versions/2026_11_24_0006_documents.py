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
    pass


def downgrade() -> None:
    pass
