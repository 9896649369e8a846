"""notify outbox: messages sent by the worker; alerts not yet handed to it are found by index

Revision ID: 0011_notify_outbox
Revises: 0010_consulted_steps_by_start
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0011_notify_outbox"
down_revision = "0010_consulted_steps_by_start"
branch_labels = None
depends_on = None

UNSENT = "sent_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "notify_messages",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("sent_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_notify_messages")),
    )
    op.create_index("ix_notify_messages_status_next_attempt_at", "notify_messages", ["status", "next_attempt_at"])
    # Alerts written before this revision have sent_at NULL: the alert job hands them to the
    # outbox (dossiers.service.alerts.queue_unsent_alerts), reading them through this index.
    op.create_index("ix_dossier_notifications_unsent", "dossier_notifications", ["created_at"],
                    postgresql_where=sa.text(UNSENT), sqlite_where=sa.text(UNSENT))


def downgrade() -> None:
    op.drop_index("ix_dossier_notifications_unsent", table_name="dossier_notifications")
    op.drop_index("ix_notify_messages_status_next_attempt_at", table_name="notify_messages")
    op.drop_table("notify_messages")
