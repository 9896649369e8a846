"""eservice: local online submission (offered procedures, drafts, submissions); population
lookups made by a citizen (user_id nullable, citizen_id)

Revision ID: 0025_eservice
Revises: 0024_feedback
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0025_eservice"
down_revision = "0024_feedback"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('online_drafts',
    sa.Column('citizen_id', sa.Uuid(), nullable=False),
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('receiving_unit_id', sa.Uuid(), nullable=False),
    sa.Column('applicant', sa.JSON(), nullable=False),
    sa.Column('lookup_message', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_online_drafts_agency_id_agencies')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_online_drafts_citizen_id_citizens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_online_drafts_procedure_id_procedures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['receiving_unit_id'], ['agencies.id'], name=op.f('fk_online_drafts_receiving_unit_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_drafts'))
    )
    with op.batch_alter_table('online_drafts') as batch_op:
        batch_op.create_index(batch_op.f('ix_online_drafts_citizen_id'), ['citizen_id'], unique=False)

    op.create_table('online_services',
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_online_services_procedure_id_procedures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_services')),
    sa.UniqueConstraint('procedure_id', name=op.f('uq_online_services_procedure_id'))
    )
    op.create_table('online_draft_files',
    sa.Column('draft_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('component_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['online_drafts.id'], name=op.f('fk_online_draft_files_draft_id_online_drafts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('draft_id', 'id', name=op.f('pk_online_draft_files')),
    sa.UniqueConstraint('draft_id', 'component_id', name=op.f('uq_online_draft_files_draft_id_component_id'))
    )
    op.create_table('online_submissions',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('citizen_id', sa.Uuid(), nullable=False),
    sa.Column('submitted_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_online_submissions_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_online_submissions_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_online_submissions'))
    )
    with op.batch_alter_table('online_submissions') as batch_op:
        batch_op.create_index(batch_op.f('ix_online_submissions_citizen_id'), ['citizen_id'], unique=False)

    with op.batch_alter_table('population_lookups') as batch_op:
        batch_op.add_column(sa.Column('citizen_id', sa.Uuid(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.Uuid(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_population_lookups_citizen_id_citizens'), 'citizens', ['citizen_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('population_lookups') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_population_lookups_citizen_id_citizens'), type_='foreignkey')
        batch_op.alter_column('user_id',
               existing_type=sa.Uuid(),
               nullable=False)
        batch_op.drop_column('citizen_id')

    with op.batch_alter_table('online_submissions') as batch_op:
        batch_op.drop_index(batch_op.f('ix_online_submissions_citizen_id'))

    op.drop_table('online_submissions')
    op.drop_table('online_draft_files')
    op.drop_table('online_services')
    with op.batch_alter_table('online_drafts') as batch_op:
        batch_op.drop_index(batch_op.f('ix_online_drafts_citizen_id'))

    op.drop_table('online_drafts')
