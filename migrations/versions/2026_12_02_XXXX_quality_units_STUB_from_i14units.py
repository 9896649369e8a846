"""STUB for branch i14audit only: the tables of branch i14units (drop this file at merge; i14units
brings its own revision i14units_1)

Revision ID: i14units_1
Revises: 0026_reports_finished_at
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "i14units_1"
down_revision = "0026_reports_finished_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quality_budget_lines',
    sa.Column('plan', sa.String(length=40), nullable=False),
    sa.Column('source_row', sa.String(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_budget_lines')),
    sa.UniqueConstraint('plan', 'source_row', 'year', name=op.f('uq_quality_budget_lines_plan_source_row_year')),
    info={'citus': 'reference'}
    )
    op.create_table('quality_commune_targets',
    sa.Column('plan', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('communes', sa.Integer(), nullable=True),
    sa.Column('min_share_percent', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_commune_targets')),
    sa.UniqueConstraint('plan', 'year', name=op.f('uq_quality_commune_targets_plan_year')),
    info={'citus': 'reference'}
    )
    op.create_table('quality_plan_activities',
    sa.Column('plan', sa.String(length=40), nullable=False),
    sa.Column('source_row', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('lead', sa.Text(), nullable=True),
    sa.Column('partners', sa.Text(), nullable=True),
    sa.Column('targets', sa.Text(), nullable=True),
    sa.Column('target_units', sa.Integer(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_plan_activities')),
    sa.UniqueConstraint('plan', 'source_row', name=op.f('uq_quality_plan_activities_plan_source_row')),
    info={'citus': 'reference'}
    )
    op.create_table('quality_units',
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('rollout_id', sa.Uuid(), nullable=True),
    sa.Column('standard', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('announcement_number', sa.String(length=60), nullable=True),
    sa.Column('announcement_date', sa.Date(), nullable=True),
    sa.Column('announcement_file', sa.String(length=255), nullable=True),
    sa.Column('consultant', sa.String(length=255), nullable=True),
    sa.Column('budget_vnd', sa.BigInteger(), nullable=True),
    sa.Column('leader_name', sa.String(length=200), nullable=True),
    sa.Column('secretary_id', sa.Uuid(), nullable=True),
    sa.Column('handed_over_to_id', sa.Uuid(), nullable=True),
    sa.Column('handed_over_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_quality_units_agency_id_agencies')),
    sa.ForeignKeyConstraint(['handed_over_to_id'], ['quality_units.id'], name=op.f('fk_quality_units_handed_over_to_id_quality_units')),
    sa.ForeignKeyConstraint(['rollout_id'], ['qms_rollout_units.id'], name=op.f('fk_quality_units_rollout_id_qms_rollout_units')),
    sa.ForeignKeyConstraint(['secretary_id'], ['users.id'], name=op.f('fk_quality_units_secretary_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_units')),
    sa.UniqueConstraint('agency_id', name=op.f('uq_quality_units_agency_id')),
    sa.UniqueConstraint('rollout_id', name=op.f('uq_quality_units_rollout_id')),
    info={'citus': 'reference'}
    )
    op.create_table('quality_documents',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('procedure_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_quality_documents_procedure_id_procedures')),
    sa.ForeignKeyConstraint(['unit_id'], ['quality_units.id'], name=op.f('fk_quality_documents_unit_id_quality_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_documents')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_quality_documents_unit_id_code')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_documents_procedure_id'), 'quality_documents', ['procedure_id'], unique=False)
    op.create_index(op.f('ix_quality_documents_unit_id'), 'quality_documents', ['unit_id'], unique=False)
    op.create_table('quality_scope_items',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.Column('from_unit_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['from_unit_id'], ['quality_units.id'], name=op.f('fk_quality_scope_items_from_unit_id_quality_units')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_quality_scope_items_procedure_id_procedures')),
    sa.ForeignKeyConstraint(['unit_id'], ['quality_units.id'], name=op.f('fk_quality_scope_items_unit_id_quality_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_scope_items')),
    sa.UniqueConstraint('unit_id', 'procedure_id', name=op.f('uq_quality_scope_items_unit_id_procedure_id')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_scope_items_unit_id'), 'quality_scope_items', ['unit_id'], unique=False)
    op.create_table('quality_unit_events',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('from_value', sa.String(length=60), nullable=True),
    sa.Column('to_value', sa.String(length=60), nullable=True),
    sa.Column('other_unit_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_quality_unit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['other_unit_id'], ['quality_units.id'], name=op.f('fk_quality_unit_events_other_unit_id_quality_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['quality_units.id'], name=op.f('fk_quality_unit_events_unit_id_quality_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_unit_events')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_unit_events_unit_id'), 'quality_unit_events', ['unit_id'], unique=False)
    op.create_table('quality_document_versions',
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('change_note', sa.Text(), nullable=True),
    sa.Column('process_template_id', sa.Uuid(), nullable=True),
    sa.Column('distribution', sa.JSON(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('obsolete_on', sa.Date(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('approved_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_quality_document_versions_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_quality_document_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['quality_documents.id'], name=op.f('fk_quality_document_versions_document_id_quality_documents')),
    sa.ForeignKeyConstraint(['process_template_id'], ['process_templates.id'], name=op.f('fk_quality_document_versions_process_template_id_process_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_document_versions')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_quality_document_versions_document_id_number')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_document_versions_document_id'), 'quality_document_versions', ['document_id'], unique=False)


def downgrade() -> None:
    op.drop_table('quality_document_versions')
    op.drop_table('quality_unit_events')
    op.drop_table('quality_scope_items')
    op.drop_table('quality_documents')
    op.drop_table('quality_units')
    op.drop_table('quality_plan_activities')
    op.drop_table('quality_commune_targets')
    op.drop_table('quality_budget_lines')
