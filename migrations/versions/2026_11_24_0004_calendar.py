"""working-day calendar

Revision ID: 0004_calendar
Revises: 0003_catalog
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0004_calendar"
down_revision = '0003_catalog'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
