"""notify: notice templates (editable wording per kind and channel) and citizens' channel choices

Revision ID: 0022_notify_applicant
Revises: 0021_dossier_lookup_keys
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0022_notify_applicant"
down_revision = "0021_dossier_lookup_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_templates",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("kind", "channel", name=op.f("pk_notify_templates")),
        info={"citus": "reference"},
    )
    op.create_table(
        "notify_preferences",
        sa.Column("citizen_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.Column("updated_at", motcua.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"],
                                name=op.f("fk_notify_preferences_citizen_id_citizens"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("citizen_id", name=op.f("pk_notify_preferences")),
        info={"citus": "reference"},
    )


def downgrade() -> None:
    op.drop_table("notify_preferences")
    op.drop_table("notify_templates")
