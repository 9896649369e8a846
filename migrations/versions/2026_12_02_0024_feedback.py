"""feedback: feedback and petitions (PAKN), their history, and the time limit of each stage

Revision ID: 0024_feedback
Revises: 0023_ratings
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0024_feedback"
down_revision = "0023_ratings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("feedback_stages",
    sa.Column("key", sa.String(length=32), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("working_days", sa.Integer(), nullable=True),
    sa.Column("counted_from", sa.String(length=16), nullable=False),
    sa.Column("basis", sa.Text(), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("updated_at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("key", name=op.f("pk_feedback_stages")),
    info={"citus": "reference"}
    )
    op.create_table("feedback_items",
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("subject", sa.String(length=16), nullable=False),
    sa.Column("procedure_id", sa.Uuid(), nullable=True),
    sa.Column("dossier_code", sa.String(length=60), nullable=True),
    sa.Column("dossier_ref", sa.Uuid(), nullable=True),
    sa.Column("officer", sa.String(length=200), nullable=True),
    sa.Column("agency_id", sa.Uuid(), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("content", sa.Text(), nullable=False),
    sa.Column("search_folded", sa.Text(), nullable=False),
    sa.Column("sender_name", sa.String(length=200), nullable=False),
    sa.Column("sender_phone", sa.String(length=20), nullable=True),
    sa.Column("sender_email", sa.String(length=254), nullable=True),
    sa.Column("citizen_id", sa.Uuid(), nullable=True),
    sa.Column("vote_key_hash", sa.String(length=64), nullable=False),
    sa.Column("attachment_name", sa.String(length=255), nullable=True),
    sa.Column("attachment_type", sa.String(length=100), nullable=True),
    sa.Column("attachment_size", sa.Integer(), nullable=True),
    sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("classification", sa.String(length=16), nullable=True),
    sa.Column("received_at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column("classify_due_at", motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("answer_due_at", motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("publish_due_at", motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("classified_at", motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("rejected_reason", sa.Text(), nullable=True),
    sa.Column("answer", sa.Text(), nullable=True),
    sa.Column("answered_at", motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("answered_by_id", sa.Uuid(), nullable=True),
    sa.Column("published_at", motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("helpful", sa.Boolean(), nullable=True),
    sa.Column("voted_at", motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("alerted_stage", sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_feedback_items_agency_id_agencies")),
    sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"], name=op.f("fk_feedback_items_answered_by_id_users")),
    sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], name=op.f("fk_feedback_items_citizen_id_citizens")),
    sa.ForeignKeyConstraint(["procedure_id"], ["procedures.id"], name=op.f("fk_feedback_items_procedure_id_procedures")),
    sa.PrimaryKeyConstraint("code", name=op.f("pk_feedback_items")),
    info={"citus": "distributed", "distribution_column": "code"}
    )
    op.create_index("ix_feedback_items_agency_status", "feedback_items", ["agency_id", "status"])
    op.create_index("ix_feedback_items_status_received_at", "feedback_items", ["status", "received_at"])

    op.create_table("feedback_events",
    sa.Column("feedback_code", sa.String(length=32), nullable=False),
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("at", motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column("action", sa.String(length=32), nullable=False),
    sa.Column("actor_id", sa.Uuid(), nullable=True),
    sa.Column("actor_name", sa.String(length=200), nullable=False),
    sa.Column("from_agency_id", sa.Uuid(), nullable=True),
    sa.Column("to_agency_id", sa.Uuid(), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_feedback_events_actor_id_users")),
    sa.ForeignKeyConstraint(["feedback_code"], ["feedback_items.code"], name=op.f("fk_feedback_events_feedback_code_feedback_items")),
    sa.ForeignKeyConstraint(["from_agency_id"], ["agencies.id"], name=op.f("fk_feedback_events_from_agency_id_agencies")),
    sa.ForeignKeyConstraint(["to_agency_id"], ["agencies.id"], name=op.f("fk_feedback_events_to_agency_id_agencies")),
    sa.PrimaryKeyConstraint("feedback_code", "id", name=op.f("pk_feedback_events")),
    info={"citus": "distributed", "distribution_column": "feedback_code"}
    )


def downgrade() -> None:
    op.drop_table("feedback_events")
    op.drop_index("ix_feedback_items_status_received_at", table_name="feedback_items")
    op.drop_index("ix_feedback_items_agency_status", table_name="feedback_items")
    op.drop_table("feedback_items")
    op.drop_table("feedback_stages")
