"""reform: the reform index scoring sheets and unit scores, satisfaction survey forms and responses

Revision ID: 0029_reform_scoring
Revises: 0028_reform
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0029_reform_scoring"
down_revision = "0028_reform"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reform_score_sheets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reform_score_sheets')),
    sa.UniqueConstraint('year', 'name', name=op.f('uq_reform_score_sheets_year_name'))
    )
    op.create_table('reform_score_items',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('sheet_id', sa.Uuid(), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('max_points', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('evidence_required', sa.Boolean(), nullable=False),
    sa.Column('from_survey', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['reform_score_items.id'], name=op.f('fk_reform_score_items_parent_id_reform_score_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['reform_score_sheets.id'], name=op.f('fk_reform_score_items_sheet_id_reform_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reform_score_items')),
    sa.UniqueConstraint('sheet_id', 'code', name=op.f('uq_reform_score_items_sheet_id_code'))
    )
    with op.batch_alter_table('reform_score_items') as batch_op:
        batch_op.create_index(batch_op.f('ix_reform_score_items_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('reform_unit_scores',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('sheet_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('self_points', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('self_note', sa.Text(), nullable=True),
    sa.Column('self_by_id', sa.Uuid(), nullable=True),
    sa.Column('self_at', motcua.core.db.UTCDateTime(), nullable=True),
    sa.Column('appraised_points', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('appraisal_note', sa.Text(), nullable=True),
    sa.Column('appraised_by_id', sa.Uuid(), nullable=True),
    sa.Column('appraised_at', motcua.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_reform_unit_scores_agency_id_agencies')),
    sa.ForeignKeyConstraint(['appraised_by_id'], ['users.id'], name=op.f('fk_reform_unit_scores_appraised_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['reform_score_items.id'], name=op.f('fk_reform_unit_scores_item_id_reform_score_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['self_by_id'], ['users.id'], name=op.f('fk_reform_unit_scores_self_by_id_users')),
    sa.ForeignKeyConstraint(['sheet_id'], ['reform_score_sheets.id'], name=op.f('fk_reform_unit_scores_sheet_id_reform_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reform_unit_scores')),
    sa.UniqueConstraint('item_id', 'agency_id', name=op.f('uq_reform_unit_scores_item_id_agency_id'))
    )
    with op.batch_alter_table('reform_unit_scores') as batch_op:
        batch_op.create_index('ix_reform_unit_scores_sheet_agency', ['sheet_id', 'agency_id'], unique=False)

    op.create_table('reform_survey_forms',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('intro', sa.Text(), nullable=True),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('satisfied_from', sa.Integer(), nullable=False),
    sa.Column('target_percent', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reform_survey_forms')),
    sa.UniqueConstraint('slug', name=op.f('uq_reform_survey_forms_slug'))
    )
    op.create_table('reform_survey_questions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('form_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('element', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['reform_survey_forms.id'], name=op.f('fk_reform_survey_questions_form_id_reform_survey_forms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reform_survey_questions')),
    sa.UniqueConstraint('form_id', 'position', name=op.f('uq_reform_survey_questions_form_id_position'))
    )
    op.create_table('reform_survey_responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('form_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('field_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('entered_by_id', sa.Uuid(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('submitted_at', motcua.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_reform_survey_responses_agency_id_agencies')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_reform_survey_responses_entered_by_id_users')),
    sa.ForeignKeyConstraint(['field_id'], ['fields.id'], name=op.f('fk_reform_survey_responses_field_id_fields')),
    sa.ForeignKeyConstraint(['form_id'], ['reform_survey_forms.id'], name=op.f('fk_reform_survey_responses_form_id_reform_survey_forms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reform_survey_responses'))
    )
    with op.batch_alter_table('reform_survey_responses') as batch_op:
        batch_op.create_index('ix_reform_survey_responses_form_agency', ['form_id', 'agency_id'], unique=False)

    op.create_table('reform_survey_answers',
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('question_id', sa.Uuid(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['reform_survey_questions.id'], name=op.f('fk_reform_survey_answers_question_id_reform_survey_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['reform_survey_responses.id'], name=op.f('fk_reform_survey_answers_response_id_reform_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'question_id', name=op.f('pk_reform_survey_answers'))
    )


def downgrade() -> None:
    op.drop_table('reform_survey_answers')
    with op.batch_alter_table('reform_survey_responses') as batch_op:
        batch_op.drop_index('ix_reform_survey_responses_form_agency')
    op.drop_table('reform_survey_responses')
    op.drop_table('reform_survey_questions')
    op.drop_table('reform_survey_forms')
    with op.batch_alter_table('reform_unit_scores') as batch_op:
        batch_op.drop_index('ix_reform_unit_scores_sheet_agency')
    op.drop_table('reform_unit_scores')
    with op.batch_alter_table('reform_score_items') as batch_op:
        batch_op.drop_index(batch_op.f('ix_reform_score_items_sheet_id'))
    op.drop_table('reform_score_items')
    op.drop_table('reform_score_sheets')
