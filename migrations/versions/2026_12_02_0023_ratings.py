"""ratings: citizens' ratings of dossiers, their outbox to the national portal, counter kiosks

Revision ID: 0023_ratings
Revises: 0022_notify_applicant
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0023_ratings"
down_revision = "0022_notify_applicant"
branch_labels = None
depends_on = None

UNSENT = "sent_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("procedure_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("citizen_id", sa.Uuid(), nullable=True),
        sa.Column("kiosk_id", sa.Uuid(), nullable=True),
        sa.Column("officer_id", sa.Uuid(), nullable=True),
        sa.Column("time_score", sa.SmallInteger(), nullable=False),
        sa.Column("contacts_score", sa.SmallInteger(), nullable=False),
        sa.Column("attitude_score", sa.SmallInteger(), nullable=False),
        sa.Column("satisfaction", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rated_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_ratings_agency_id_agencies")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=op.f("fk_ratings_dossier_id_dossiers")),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedures.id"], name=op.f("fk_ratings_procedure_id_procedures")),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_ratings")),
    )
    op.create_index("ix_ratings_agency_rated", "ratings", ["agency_id", "rated_at"])
    op.create_table(
        "rating_outbox",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("sent_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=op.f("fk_rating_outbox_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_rating_outbox")),
    )
    op.create_index("ix_rating_outbox_due", "rating_outbox", ["next_attempt_at"],
                    postgresql_where=sa.text(UNSENT), sqlite_where=sa.text(UNSENT))
    op.create_table(
        "rating_kiosks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("pairing_hash", sa.String(length=64), nullable=True),
        sa.Column("pairing_expires_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("device_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("paired_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", motcua.core.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_rating_kiosks_officer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_kiosks")),
        sa.UniqueConstraint("device_hash", name=op.f("uq_rating_kiosks_device_hash")),
        sa.UniqueConstraint("pairing_hash", name=op.f("uq_rating_kiosks_pairing_hash")),
    )
    op.create_index(op.f("ix_rating_kiosks_officer_id"), "rating_kiosks", ["officer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rating_kiosks_officer_id"), table_name="rating_kiosks")
    op.drop_table("rating_kiosks")
    op.drop_index("ix_rating_outbox_due", table_name="rating_outbox")
    op.drop_table("rating_outbox")
    op.drop_index("ix_ratings_agency_rated", table_name="ratings")
    op.drop_table("ratings")
