"""organisation: administrative units and agencies

Revision ID: 0001_org
Revises: 
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db  # noqa: F401

revision = "0001_org"
down_revision = None
branch_labels = None
depends_on = None

REFERENCE = {"citus": "reference"}


def upgrade() -> None:
    op.create_table(
        "administrative_units",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_folded", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["administrative_units.id"],
            name=op.f("fk_administrative_units_parent_id_administrative_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_administrative_units")),
        sa.UniqueConstraint("code", "valid_from", name=op.f("uq_administrative_units_code_valid_from")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_administrative_units_code"), "administrative_units", ["code"])
    op.create_index(op.f("ix_administrative_units_name_folded"), "administrative_units", ["name_folded"])
    op.create_index(op.f("ix_administrative_units_parent_id"), "administrative_units", ["parent_id"])

    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("code_provisional", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_folded", sa.String(length=255), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("admin_unit_id", sa.Uuid(), nullable=True),
        sa.Column("is_one_stop", sa.Boolean(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("successor_id", sa.Uuid(), nullable=True),
        sa.Column("dissolved_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("seed_key", sa.String(length=100), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["admin_unit_id"], ["administrative_units.id"],
            name=op.f("fk_agencies_admin_unit_id_administrative_units"),
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["agencies.id"], name=op.f("fk_agencies_parent_id_agencies")),
        sa.ForeignKeyConstraint(
            ["successor_id"], ["agencies.id"], name=op.f("fk_agencies_successor_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("code", name=op.f("uq_agencies_code")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_agencies_seed_key")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_agencies_admin_unit_id"), "agencies", ["admin_unit_id"])
    op.create_index(op.f("ix_agencies_name_folded"), "agencies", ["name_folded"])
    op.create_index(op.f("ix_agencies_parent_id"), "agencies", ["parent_id"])

    op.create_table(
        "agency_aliases",
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("alias", sa.String(length=255), nullable=False),
        sa.Column("alias_folded", sa.String(length=255), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_agency_aliases_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_aliases")),
        sa.UniqueConstraint("alias_folded", name=op.f("uq_agency_aliases_alias_folded")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_agency_aliases_agency_id"), "agency_aliases", ["agency_id"])

    op.create_table(
        "qms_rollout_units",
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("group_name", sa.String(length=255), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.String(length=20), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_qms_rollout_units_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qms_rollout_units")),
        sa.UniqueConstraint("source_row", name=op.f("uq_qms_rollout_units_source_row")),
        info=REFERENCE,
    )
    op.create_index(op.f("ix_qms_rollout_units_agency_id"), "qms_rollout_units", ["agency_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_qms_rollout_units_agency_id"), table_name="qms_rollout_units")
    op.drop_table("qms_rollout_units")
    op.drop_index(op.f("ix_agency_aliases_agency_id"), table_name="agency_aliases")
    op.drop_table("agency_aliases")
    op.drop_index(op.f("ix_agencies_parent_id"), table_name="agencies")
    op.drop_index(op.f("ix_agencies_name_folded"), table_name="agencies")
    op.drop_index(op.f("ix_agencies_admin_unit_id"), table_name="agencies")
    op.drop_table("agencies")
    op.drop_index(op.f("ix_administrative_units_parent_id"), table_name="administrative_units")
    op.drop_index(op.f("ix_administrative_units_name_folded"), table_name="administrative_units")
    op.drop_index(op.f("ix_administrative_units_code"), table_name="administrative_units")
    op.drop_table("administrative_units")
