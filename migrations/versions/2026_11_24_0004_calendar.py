"""working-day calendar

Revision ID: 0004_calendar
Revises: 0003_catalog
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0004_calendar"
down_revision = "0003_catalog"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("created_at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_days")),
        sa.UniqueConstraint("day", name=op.f("uq_calendar_days_day")),
        info={"citus": "reference"},
    )
    op.create_table(
        "office_hours",
        sa.Column("agency_id", sa.Uuid(), nullable=True),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.Column("updated_at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_office_hours_agency_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_hours")),
        sa.UniqueConstraint("agency_id", name=op.f("uq_office_hours_agency_id")),
        info={"citus": "reference"},
    )
    op.create_table(
        "calendar_changes",
        sa.Column("at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=150), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_changes")),
        info={"citus": "reference"},
    )
    op.create_index(op.f("ix_calendar_changes_at"), "calendar_changes", ["at"], unique=False)
    op.create_index(op.f("ix_calendar_changes_day"), "calendar_changes", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_changes_day"), table_name="calendar_changes")
    op.drop_index(op.f("ix_calendar_changes_at"), table_name="calendar_changes")
    op.drop_table("calendar_changes")
    op.drop_table("office_hours")
    op.drop_table("calendar_days")
