"""book files: tracking books (form 07) printed by the worker into one PDF

Revision ID: 0009_form07_book_files
Revises: 0008_throttle_counters
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0009_form07_book_files"
down_revision = "0008_throttle_counters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "book_files",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=False),
        sa.Column("requested_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("parts", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_book_files_requested_by_id_users")),
        sa.ForeignKeyConstraint(["unit_id"], ["agencies.id"], name=op.f("fk_book_files_unit_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_files")),
    )
    op.create_index("ix_book_files_requested_by_id_requested_at", "book_files", ["requested_by_id", "requested_at"])
    op.create_index("ix_book_files_status_requested_at", "book_files", ["status", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_book_files_status_requested_at", table_name="book_files")
    op.drop_index("ix_book_files_requested_by_id_requested_at", table_name="book_files")
    op.drop_table("book_files")
