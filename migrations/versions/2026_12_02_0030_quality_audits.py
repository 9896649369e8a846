"""quality: legal-change tasks, internal audits with findings and corrective actions, management
reviews, objective targets (issue 14 items 3-6)

Revision ID: 0030_quality_audits
Revises: 0029_reform_scoring
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0030_quality_audits"
down_revision = "0029_reform_scoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quality_version_scans',
    sa.Column('procedure_version_id', sa.Uuid(), nullable=False),
    sa.Column('tasks', sa.Integer(), nullable=False),
    sa.Column('scanned_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procedure_version_id'], ['procedure_versions.id'], name=op.f('fk_quality_version_scans_procedure_version_id_procedure_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('procedure_version_id', name=op.f('pk_quality_version_scans')),
    info={'citus': 'reference'}
    )
    op.create_table('quality_audits',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('auditors', sa.Text(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('reminded_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['quality_units.id'], name=op.f('fk_quality_audits_unit_id_quality_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_audits')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_audits_planned_on'), 'quality_audits', ['planned_on'], unique=False)
    op.create_index(op.f('ix_quality_audits_status'), 'quality_audits', ['status'], unique=False)
    op.create_index(op.f('ix_quality_audits_unit_id'), 'quality_audits', ['unit_id'], unique=False)
    op.create_table('quality_legal_tasks',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('procedure_version_id', sa.Uuid(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('decision_number', sa.String(length=100), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by', sa.String(length=100), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=True),
    sa.Column('flagged_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_quality_legal_tasks_procedure_id_procedures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procedure_version_id'], ['procedure_versions.id'], name=op.f('fk_quality_legal_tasks_procedure_version_id_procedure_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['quality_units.id'], name=op.f('fk_quality_legal_tasks_unit_id_quality_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_legal_tasks')),
    sa.UniqueConstraint('unit_id', 'procedure_version_id', name=op.f('uq_quality_legal_tasks_unit_id_procedure_version_id')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_legal_tasks_due_on'), 'quality_legal_tasks', ['due_on'], unique=False)
    op.create_index(op.f('ix_quality_legal_tasks_procedure_id'), 'quality_legal_tasks', ['procedure_id'], unique=False)
    op.create_index(op.f('ix_quality_legal_tasks_procedure_version_id'), 'quality_legal_tasks', ['procedure_version_id'], unique=False)
    op.create_index(op.f('ix_quality_legal_tasks_status'), 'quality_legal_tasks', ['status'], unique=False)
    op.create_index(op.f('ix_quality_legal_tasks_unit_id'), 'quality_legal_tasks', ['unit_id'], unique=False)
    op.create_table('quality_reviews',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('chaired_by', sa.String(length=255), nullable=True),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.Column('reminded_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['quality_units.id'], name=op.f('fk_quality_reviews_unit_id_quality_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_reviews')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_reviews_planned_on'), 'quality_reviews', ['planned_on'], unique=False)
    op.create_index(op.f('ix_quality_reviews_unit_id'), 'quality_reviews', ['unit_id'], unique=False)
    op.create_table('quality_targets',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('on_time_share_min', sa.Integer(), nullable=True),
    sa.Column('overdue_max', sa.Integer(), nullable=True),
    sa.Column('satisfaction_min', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=100), nullable=True),
    sa.Column('updated_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['quality_units.id'], name=op.f('fk_quality_targets_unit_id_quality_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_targets')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_quality_targets_unit_id_year')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_targets_unit_id'), 'quality_targets', ['unit_id'], unique=False)
    op.create_table('quality_findings',
    sa.Column('audit_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('clause', sa.String(length=20), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('root_cause', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('verified_by', sa.String(length=100), nullable=True),
    sa.Column('verification_note', sa.Text(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['quality_audits.id'], name=op.f('fk_quality_findings_audit_id_quality_audits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_findings')),
    sa.UniqueConstraint('audit_id', 'number', name=op.f('uq_quality_findings_audit_id_number')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_findings_audit_id'), 'quality_findings', ['audit_id'], unique=False)
    op.create_index(op.f('ix_quality_findings_status'), 'quality_findings', ['status'], unique=False)
    op.create_table('quality_actions',
    sa.Column('finding_id', sa.Uuid(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=255), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('reminded_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['quality_findings.id'], name=op.f('fk_quality_actions_finding_id_quality_findings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_actions')),
    info={'citus': 'reference'}
    )
    op.create_index(op.f('ix_quality_actions_due_on'), 'quality_actions', ['due_on'], unique=False)
    op.create_index(op.f('ix_quality_actions_finding_id'), 'quality_actions', ['finding_id'], unique=False)
    # An existing catalogue's history is the starting point of legal-change tracking, not a
    # list of changes every unit missed (quality/legal_changes.py `baseline`).
    op.execute("INSERT INTO quality_version_scans (procedure_version_id, tasks, scanned_at) "
               "SELECT id, 0, CURRENT_TIMESTAMP FROM procedure_versions")


def downgrade() -> None:
    op.drop_table('quality_actions')
    op.drop_table('quality_findings')
    op.drop_table('quality_targets')
    op.drop_table('quality_reviews')
    op.drop_table('quality_legal_tasks')
    op.drop_table('quality_audits')
    op.drop_table('quality_version_scans')
