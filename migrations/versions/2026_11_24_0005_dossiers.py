"""process templates, dossiers and audit trail

Revision ID: 0005_dossiers
Revises: 0004_calendar
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0005_dossiers"
down_revision = '0004_calendar'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
