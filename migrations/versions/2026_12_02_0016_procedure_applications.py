"""procedure applications: level, validity and source per procedure–agency row

Revision ID: 0016_procedure_applications
Revises: 0011_notify_outbox
Create Date: 2026-12-02

Existing rows get the level of their agency, the agency's own validity (an application of a
dissolved agency ends the day before it was dissolved) and, for rows of the seed table, the
decision that published it. The 2025 reorganisation's new applications are written by
`motcua seed` (catalog.reorganisation), which is data, not schema.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_procedure_applications"
down_revision = "0015_legal_sources"
branch_labels = None
depends_on = None

SEED_SOURCE = "Quyết định 517/QĐ-UBND ngày 30/3/2020 (seed 003)"


def upgrade() -> None:
    with op.batch_alter_table("procedure_agencies") as batch:
        batch.add_column(sa.Column("level", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
        batch.add_column(sa.Column("source", sa.String(length=255), nullable=True))
        batch.drop_constraint("uq_procedure_agencies_procedure_id_agency_id", type_="unique")
        batch.create_unique_constraint(
            "uq_procedure_agencies_procedure_id_agency_id_valid_from",
            ["procedure_id", "agency_id", "valid_from"],
        )
    agency = "(SELECT a.{col} FROM agencies a WHERE a.id = procedure_agencies.agency_id)"
    op.execute(
        sa.text(
            "UPDATE procedure_agencies SET "
            f"level = COALESCE({agency.format(col='level')}, 'province'), "
            f"valid_from = {agency.format(col='valid_from')}, "
            f"valid_to = {agency.format(col='valid_to')}"
        )
    )
    op.execute(
        sa.text("UPDATE procedure_agencies SET source = :source WHERE source_rows IS NOT NULL").bindparams(
            source=SEED_SOURCE
        )
    )
    with op.batch_alter_table("procedure_agencies") as batch:
        batch.alter_column("level", existing_type=sa.String(length=16), nullable=False)
        batch.create_index(batch.f("ix_procedure_agencies_level"), ["level"])


def downgrade() -> None:
    with op.batch_alter_table("procedure_agencies") as batch:
        batch.drop_index(batch.f("ix_procedure_agencies_level"))
        batch.drop_constraint("uq_procedure_agencies_procedure_id_agency_id_valid_from", type_="unique")
        batch.create_unique_constraint(
            "uq_procedure_agencies_procedure_id_agency_id", ["procedure_id", "agency_id"]
        )
        batch.drop_column("source")
        batch.drop_column("valid_to")
        batch.drop_column("valid_from")
        batch.drop_column("level")
