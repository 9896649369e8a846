"""catalog decisions: publication decisions, the versions they applied, abolition dates

Revision ID: 0012_catalog_decisions
Revises: 0011_notify_outbox
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0012_catalog_decisions"
down_revision = "0011_notify_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_decisions",
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("source_file", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("applied_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_decisions")),
        sa.UniqueConstraint("number", "signed_on", name=op.f("uq_catalog_decisions_number_signed_on")),
    )
    op.create_index(op.f("ix_catalog_decisions_status"), "catalog_decisions", ["status"])
    with op.batch_alter_table("procedures") as batch:
        batch.add_column(sa.Column("abolished_on", sa.Date(), nullable=True))
    with op.batch_alter_table("procedure_versions") as batch:
        batch.add_column(sa.Column("decision_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_procedure_versions_decision_id_catalog_decisions"),
            "catalog_decisions", ["decision_id"], ["id"],
        )
        batch.create_index(op.f("ix_procedure_versions_decision_id"), ["decision_id"])


def downgrade() -> None:
    with op.batch_alter_table("procedure_versions") as batch:
        batch.drop_index(op.f("ix_procedure_versions_decision_id"))
        batch.drop_constraint(op.f("fk_procedure_versions_decision_id_catalog_decisions"), type_="foreignkey")
        batch.drop_column("decision_id")
    with op.batch_alter_table("procedures") as batch:
        batch.drop_column("abolished_on")
    op.drop_index(op.f("ix_catalog_decisions_status"), table_name="catalog_decisions")
    op.drop_table("catalog_decisions")
