"""staff accounts, roles, sessions and API tokens

Revision ID: 0002_auth
Revises: 0001_org
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0002_auth"
down_revision = '0001_org'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
