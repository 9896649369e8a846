"""procedure catalogue

Revision ID: 0003_catalog
Revises: 0002_auth
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0003_catalog"
down_revision = '0002_auth'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
