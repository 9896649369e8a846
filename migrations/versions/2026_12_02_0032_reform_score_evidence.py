"""reform: evidence files on the reform index scores (the unit's and the council's), a unit's
submission of its self-assessment for appraisal, and the sheet's "appraisal needs a file" switch
(issue 15 item 3)

Revision ID: 0032_reform_score_evidence
Revises: 0031_reform_score_source
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0032_reform_score_evidence"
down_revision = "0031_reform_score_source"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reform_score_sheets") as batch_op:
        batch_op.add_column(sa.Column("appraisal_evidence", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "reform_score_evidence",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sheet_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_reform_score_evidence_agency_id_agencies")),
        sa.ForeignKeyConstraint(["item_id"], ["reform_score_items.id"],
                                name=op.f("fk_reform_score_evidence_item_id_reform_score_items"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sheet_id"], ["reform_score_sheets.id"],
                                name=op.f("fk_reform_score_evidence_sheet_id_reform_score_sheets"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"],
                                name=op.f("fk_reform_score_evidence_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reform_score_evidence")),
    )
    with op.batch_alter_table("reform_score_evidence") as batch_op:
        batch_op.create_index("ix_reform_score_evidence_sheet_agency", ["sheet_id", "agency_id"], unique=False)
    op.create_table(
        "reform_score_submissions",
        sa.Column("sheet_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_by_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_by_name", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_reform_score_submissions_agency_id_agencies")),
        sa.ForeignKeyConstraint(["sheet_id"], ["reform_score_sheets.id"],
                                name=op.f("fk_reform_score_submissions_sheet_id_reform_score_sheets"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["users.id"],
                                name=op.f("fk_reform_score_submissions_submitted_by_id_users")),
        sa.PrimaryKeyConstraint("sheet_id", "agency_id", name=op.f("pk_reform_score_submissions")),
    )


def downgrade() -> None:
    op.drop_table("reform_score_submissions")
    with op.batch_alter_table("reform_score_evidence") as batch_op:
        batch_op.drop_index("ix_reform_score_evidence_sheet_agency")
    op.drop_table("reform_score_evidence")
    with op.batch_alter_table("reform_score_sheets") as batch_op:
        batch_op.drop_column("appraisal_evidence")
