"""procedure catalogue: fields, procedures, implementing agencies, components, fees, versions

Revision ID: 0003_catalog
Revises: 0002_auth
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0003_catalog"
down_revision = "0002_auth"
branch_labels = None
depends_on = None

REFERENCE = {"citus": "reference"}


def upgrade() -> None:
    op.create_table(
        "fields",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_folded", sa.String(length=255), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fields")),
        sa.UniqueConstraint("code", name=op.f("uq_fields_code")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_fields_name_folded"), "fields", ["name_folded"])

    op.create_table(
        "procedures",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("code_provisional", sa.Boolean(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_folded", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("field_id", sa.Uuid(), nullable=True),
        sa.Column("time_limit_days", sa.Integer(), nullable=True),
        sa.Column("time_limit_hours", sa.Integer(), nullable=True),
        sa.Column("online_time_limit_days", sa.Integer(), nullable=True),
        sa.Column("online_time_limit_hours", sa.Integer(), nullable=True),
        sa.Column("time_limit_note", sa.Text(), nullable=True),
        sa.Column("receipt_cutoff", sa.Time(), nullable=True),
        sa.Column("result_description", sa.Text(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("online_level", sa.String(length=16), nullable=False),
        sa.Column("cross_boundary", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("simplification_resolution", sa.String(length=255), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.Column("updated_at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_id"], ["fields.id"], name=op.f("fk_procedures_field_id_fields")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedures")),
        sa.UniqueConstraint("code", name=op.f("uq_procedures_code")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_procedures_field_id"), "procedures", ["field_id"])
    op.create_index(op.f("ix_procedures_level"), "procedures", ["level"])
    op.create_index(op.f("ix_procedures_status"), "procedures", ["status"])

    op.create_table(
        "procedure_agencies",
        sa.Column("procedure_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("source_rows", sa.String(length=255), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_procedure_agencies_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_procedure_agencies_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_agencies")),
        sa.UniqueConstraint(
            "procedure_id", "agency_id", name=op.f("uq_procedure_agencies_procedure_id_agency_id")
        ),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_procedure_agencies_agency_id"), "procedure_agencies", ["agency_id"])
    op.create_index(
        op.f("ix_procedure_agencies_procedure_id"), "procedure_agencies", ["procedure_id"]
    )

    op.create_table(
        "procedure_components",
        sa.Column("procedure_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("form_template", sa.String(length=255), nullable=True),
        sa.Column("original_count", sa.Integer(), nullable=False),
        sa.Column("copy_count", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_procedure_components_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_components")),
        info=REFERENCE,
    )
    op.create_index(
        op.f("ix_procedure_components_procedure_id"), "procedure_components", ["procedure_id"]
    )

    op.create_table(
        "procedure_fees",
        sa.Column("procedure_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_procedure_fees_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_fees")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_procedure_fees_procedure_id"), "procedure_fees", ["procedure_id"])

    op.create_table(
        "procedure_versions",
        sa.Column("procedure_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("decision_number", sa.String(length=100), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_procedure_versions_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_versions")),
        sa.UniqueConstraint(
            "procedure_id", "number", name=op.f("uq_procedure_versions_procedure_id_number")
        ),
        info=REFERENCE,
    )
    op.create_index(
        op.f("ix_procedure_versions_procedure_id"), "procedure_versions", ["procedure_id"]
    )


def downgrade() -> None:
    op.drop_table("procedure_versions")
    op.drop_table("procedure_fees")
    op.drop_table("procedure_components")
    op.drop_table("procedure_agencies")
    op.drop_table("procedures")
    op.drop_table("fields")
