"""dvcqg exchange: the dossier outbox, the reconciliation ledger, submissions taken

Revision ID: 0020_dvcqg_exchange
Revises: 0019_population_lookups
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0020_dvcqg_exchange"
down_revision = "0019_population_lookups"
branch_labels = None
depends_on = None

UNSENT = "sent_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "dvcqg_outbox",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("handler", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Boolean(), nullable=False),
        sa.Column("created_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("sent_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=op.f("fk_dvcqg_outbox_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("dossier_id", "seq", name=op.f("pk_dvcqg_outbox")),
    )
    op.create_index("ix_dvcqg_outbox_pending", "dvcqg_outbox", ["dossier_id", "seq"],
                    postgresql_where=sa.text(UNSENT), sqlite_where=sa.text(UNSENT))
    op.create_table(
        "dvcqg_sync",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("last_sent_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("acked_seq", sa.Integer(), nullable=False),
        sa.Column("acked_status", sa.Integer(), nullable=True),
        sa.Column("acked_due_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("acked_progress", sa.Integer(), nullable=False),
        sa.Column("checked_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("national_status", sa.Integer(), nullable=True),
        sa.Column("national_due_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("national_progress", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=op.f("fk_dvcqg_sync_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_dvcqg_sync")),
    )
    op.create_index("ix_dvcqg_sync_state_next", "dvcqg_sync", ["state", "next_attempt_at"])
    op.create_table(
        "dvcqg_inbound",
        sa.Column("national_id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dossier_ref_id", sa.Uuid(), nullable=False),
        sa.Column("pause_id", sa.Uuid(), nullable=True),
        sa.Column("received_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("national_id", name=op.f("pk_dvcqg_inbound")),
    )


def downgrade() -> None:
    op.drop_table("dvcqg_inbound")
    op.drop_index("ix_dvcqg_sync_state_next", table_name="dvcqg_sync")
    op.drop_table("dvcqg_sync")
    op.drop_index("ix_dvcqg_outbox_pending", table_name="dvcqg_outbox")
    op.drop_table("dvcqg_outbox")
