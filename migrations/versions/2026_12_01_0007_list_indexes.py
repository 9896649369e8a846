"""indexes for lists that cost what the page shows; audit checkpoints (issue 8)

Revision ID: 0007_list_indexes
Revises: 0006_documents
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0007_list_indexes"
down_revision = "0006_documents"
branch_labels = None
depends_on = None

# Written out (not imported from the models) so the revision keeps meaning what it meant.
OPEN = "status NOT IN ('incomplete', 'refused_at_receipt', 'returned', 'stopped', 'withdrawn')"
ALERT = (
    "overdue_alerted_at IS NULL AND status NOT IN ('incomplete', 'payment_requested', 'refused', "
    "'refused_at_receipt', 'result_ready', 'returned', 'stopped', 'supplement_requested', 'withdrawn')"
)


def _partial(name: str, table: str, columns: list[str], where: str) -> None:
    op.create_index(name, table, columns, postgresql_where=sa.text(where), sqlite_where=sa.text(where))


def upgrade() -> None:
    op.create_index("ix_dossiers_agency_received_at", "dossiers", ["agency_id", "received_at"])
    op.create_index("ix_dossiers_return_unit_received_at", "dossiers", ["return_unit_id", "received_at"])
    op.create_index("ix_dossiers_received_at", "dossiers", ["received_at"])
    _partial("ix_dossiers_open_agency", "dossiers", ["agency_id", "received_at"], OPEN)
    _partial("ix_dossiers_open_receiving_unit", "dossiers", ["receiving_unit_id", "received_at"], OPEN)
    _partial("ix_dossiers_open_return_unit", "dossiers", ["return_unit_id", "received_at"], OPEN)
    _partial("ix_dossiers_open_received_at", "dossiers", ["received_at"], OPEN)
    _partial("ix_dossiers_alert_due", "dossiers", ["due_at"], ALERT)
    _partial("ix_dossier_steps_consulted", "dossier_steps", ["unit_id", "dossier_id"], "parallel_group IS NOT NULL")
    op.create_index("ix_dossier_events_at", "dossier_events", ["at"])
    op.create_table(
        "audit_checkpoints",
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("started_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("since", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    op.create_index("ix_audit_checkpoints_started_at", "audit_checkpoints", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_audit_checkpoints_started_at", table_name="audit_checkpoints")
    op.drop_table("audit_checkpoints")
    op.drop_index("ix_dossier_events_at", table_name="dossier_events")
    op.drop_index("ix_dossier_steps_consulted", table_name="dossier_steps")
    for name in ("ix_dossiers_alert_due", "ix_dossiers_open_received_at", "ix_dossiers_open_return_unit",
                 "ix_dossiers_open_receiving_unit", "ix_dossiers_open_agency", "ix_dossiers_received_at",
                 "ix_dossiers_return_unit_received_at", "ix_dossiers_agency_received_at"):
        op.drop_index(name, table_name="dossiers")
