"""process templates, dossiers and audit trail

Revision ID: 0005_dossiers
Revises: 0004_calendar
Create Date: 2026-11-24

Tables of motcua.workflow (process_templates, process_steps: reference) and
motcua.dossiers (dossiers and the dossier-scoped tables: distributed by dossier id;
dossier_codes, dossier_code_counters, idempotency_keys: distributed by their key).
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0005_dossiers"
down_revision = '0004_calendar'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dossier_code_counters',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('last_seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_dossier_code_counters')),
    info={'citus': 'distributed', 'distribution_column': 'scope'}
    )
    op.create_table('dossier_codes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('dossier_ref_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_dossier_codes')),
    info={'citus': 'distributed', 'distribution_column': 'code'}
    )
    op.create_table('idempotency_keys',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('resource_type', sa.String(length=32), nullable=False),
    sa.Column('resource_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_idempotency_keys')),
    info={'citus': 'distributed', 'distribution_column': 'key'}
    )
    op.create_table('process_templates',
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('procedure_code', sa.String(length=64), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_process_templates_agency_id_agencies')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_process_templates_procedure_id_procedures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_templates')),
    sa.UniqueConstraint('procedure_id', 'agency_id', 'version', name=op.f('uq_process_templates_procedure_id_agency_id_version')),
    info={'citus': 'reference'}
    )
    op.create_index('ix_process_templates_lookup', 'process_templates', ['procedure_id', 'agency_id', 'active'], unique=False)
    op.create_table('dossiers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('procedure_code', sa.String(length=64), nullable=False),
    sa.Column('procedure_name', sa.Text(), nullable=False),
    sa.Column('template_id', sa.Uuid(), nullable=True),
    sa.Column('template_version', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('receiving_unit_id', sa.Uuid(), nullable=False),
    sa.Column('return_unit_id', sa.Uuid(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('external_status', sa.Integer(), nullable=False),
    sa.Column('applicant_kind', sa.String(length=16), nullable=False),
    sa.Column('applicant_name', sa.String(length=255), nullable=False),
    sa.Column('applicant_name_folded', sa.String(length=255), nullable=False),
    sa.Column('applicant_id_number', sa.String(length=32), nullable=True),
    sa.Column('applicant_phone', sa.String(length=32), nullable=True),
    sa.Column('applicant_email', sa.String(length=255), nullable=True),
    sa.Column('applicant_address', sa.Text(), nullable=True),
    sa.Column('applicant_admin_unit_id', sa.Uuid(), nullable=True),
    sa.Column('received_by_id', sa.Uuid(), nullable=True),
    sa.Column('received_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('effective_receipt_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('time_limit_days', sa.Integer(), nullable=True),
    sa.Column('time_limit_hours', sa.Integer(), nullable=True),
    sa.Column('due_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('original_due_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('progress_due_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('return_method', sa.String(length=16), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('progress_outcome', sa.String(length=16), nullable=True),
    sa.Column('reappointed', sa.Boolean(), nullable=False),
    sa.Column('reappointment_reason', sa.Text(), nullable=True),
    sa.Column('supplement_count', sa.Integer(), nullable=False),
    sa.Column('overdue_alerted_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('current_step_position', sa.Integer(), nullable=True),
    sa.Column('current_step_name', sa.String(length=255), nullable=True),
    sa.Column('current_unit_id', sa.Uuid(), nullable=True),
    sa.Column('current_role', sa.String(length=32), nullable=True),
    sa.Column('current_assignee_id', sa.Uuid(), nullable=True),
    sa.Column('fees_amount', sa.Integer(), nullable=False),
    sa.Column('fees_paid', sa.Boolean(), nullable=False),
    sa.Column('missing_items', sa.JSON(), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_dossiers_agency_id_agencies')),
    sa.ForeignKeyConstraint(['applicant_admin_unit_id'], ['administrative_units.id'], name=op.f('fk_dossiers_applicant_admin_unit_id_administrative_units')),
    sa.ForeignKeyConstraint(['current_unit_id'], ['agencies.id'], name=op.f('fk_dossiers_current_unit_id_agencies')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_dossiers_procedure_id_procedures')),
    sa.ForeignKeyConstraint(['receiving_unit_id'], ['agencies.id'], name=op.f('fk_dossiers_receiving_unit_id_agencies')),
    sa.ForeignKeyConstraint(['return_unit_id'], ['agencies.id'], name=op.f('fk_dossiers_return_unit_id_agencies')),
    sa.ForeignKeyConstraint(['template_id'], ['process_templates.id'], name=op.f('fk_dossiers_template_id_process_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossiers')),
    info={'citus': 'distributed', 'distribution_column': 'id'}
    )
    op.create_index('ix_dossiers_agency_status', 'dossiers', ['agency_id', 'status'], unique=False)
    op.create_index(op.f('ix_dossiers_applicant_id_number'), 'dossiers', ['applicant_id_number'], unique=False)
    op.create_index(op.f('ix_dossiers_applicant_name_folded'), 'dossiers', ['applicant_name_folded'], unique=False)
    op.create_index(op.f('ix_dossiers_code'), 'dossiers', ['code'], unique=False)
    op.create_index('ix_dossiers_receiving_unit_received_at', 'dossiers', ['receiving_unit_id', 'received_at'], unique=False)
    op.create_index(op.f('ix_dossiers_status'), 'dossiers', ['status'], unique=False)
    op.create_table('process_steps',
    sa.Column('template_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('allotment_hours', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('parallel_group', sa.String(length=32), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['process_templates.id'], name=op.f('fk_process_steps_template_id_process_templates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['agencies.id'], name=op.f('fk_process_steps_unit_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_steps')),
    sa.UniqueConstraint('template_id', 'position', name=op.f('uq_process_steps_template_id_position')),
    info={'citus': 'reference'}
    )
    op.create_table('dossier_attachments',
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('component_id', sa.Uuid(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_attachments_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_dossier_attachments')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )
    op.create_table('dossier_components',
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Uuid(), nullable=True),
    sa.Column('supplemented', sa.Boolean(), nullable=False),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_components_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_dossier_components')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )
    op.create_table('dossier_events',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=255), nullable=True),
    sa.Column('actor_role', sa.String(length=32), nullable=True),
    sa.Column('actor_unit_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('from_step', sa.String(length=255), nullable=True),
    sa.Column('to_step', sa.String(length=255), nullable=True),
    sa.Column('from_unit_id', sa.Uuid(), nullable=True),
    sa.Column('to_unit_id', sa.Uuid(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_events_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_dossier_events')),
    sa.UniqueConstraint('dossier_id', 'seq', name=op.f('uq_dossier_events_dossier_id_seq')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )
    op.create_table('dossier_notifications',
    sa.Column('recipient_id', sa.Uuid(), nullable=True),
    sa.Column('recipient_unit_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_notifications_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_dossier_notifications')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )
    op.create_table('dossier_pauses',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('started_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('missing_items', sa.JSON(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=True),
    sa.Column('resume_status', sa.String(length=32), nullable=False),
    sa.Column('requested_by_id', sa.Uuid(), nullable=True),
    sa.Column('ended_by_id', sa.Uuid(), nullable=True),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_pauses_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_dossier_pauses')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )
    op.create_table('dossier_results',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('issued_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('attachment_id', sa.Uuid(), nullable=True),
    sa.Column('issued_by_id', sa.Uuid(), nullable=True),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_results_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_dossier_results')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )
    op.create_table('dossier_steps',
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('parallel_group', sa.String(length=32), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('allotment_hours', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('started_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('finished_by_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_steps_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['unit_id'], ['agencies.id'], name=op.f('fk_dossier_steps_unit_id_agencies')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_dossier_steps')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )


def downgrade() -> None:
    op.drop_table('dossier_steps')
    op.drop_table('dossier_results')
    op.drop_table('dossier_pauses')
    op.drop_table('dossier_notifications')
    op.drop_table('dossier_events')
    op.drop_table('dossier_components')
    op.drop_table('dossier_attachments')
    op.drop_table('process_steps')
    op.drop_index(op.f('ix_dossiers_status'), table_name='dossiers')
    op.drop_index('ix_dossiers_receiving_unit_received_at', table_name='dossiers')
    op.drop_index(op.f('ix_dossiers_code'), table_name='dossiers')
    op.drop_index(op.f('ix_dossiers_applicant_name_folded'), table_name='dossiers')
    op.drop_index(op.f('ix_dossiers_applicant_id_number'), table_name='dossiers')
    op.drop_index('ix_dossiers_agency_status', table_name='dossiers')
    op.drop_table('dossiers')
    op.drop_index('ix_process_templates_lookup', table_name='process_templates')
    op.drop_table('process_templates')
    op.drop_table('idempotency_keys')
    op.drop_table('dossier_codes')
    op.drop_table('dossier_code_counters')
