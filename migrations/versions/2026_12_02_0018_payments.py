"""payments: payment requests of a dossier's fees through the national payment platform,
and every confirmation the platform posted (docs/payments.md)

Revision ID: 0018_payments
Revises: 0017_citizens
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import motcua.core.db

revision = "0018_payments"
down_revision = "0017_citizens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payment_callbacks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('received_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('transaction_id', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_callbacks')),
    info={'citus': 'distributed', 'distribution_column': 'id'}
    )
    with op.batch_alter_table('payment_callbacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_callbacks_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_callbacks_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('payment_requests',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('lookup_code', sa.String(length=64), nullable=False),
    sa.Column('transaction_id', sa.String(length=64), nullable=True),
    sa.Column('payment_url', sa.Text(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('fees', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by_id', sa.Uuid(), nullable=True),
    sa.Column('requested_at', motcua.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_amount', sa.BigInteger(), nullable=True),
    sa.Column('receipt_number', sa.String(length=64), nullable=True),
    sa.Column('confirmed_via', sa.String(length=16), nullable=True),
    sa.Column('confirmed_at', motcua.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmation', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_payment_requests_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('dossier_id', 'id', name=op.f('pk_payment_requests')),
    sa.UniqueConstraint('dossier_id', 'lookup_code', name=op.f('uq_payment_requests_dossier_id_lookup_code')),
    info={'citus': 'distributed', 'distribution_column': 'dossier_id'}
    )
    with op.batch_alter_table('payment_requests', schema=None) as batch_op:
        batch_op.create_index('ix_payment_requests_status', ['status'], unique=False)
        batch_op.create_index('ix_payment_requests_transaction_id', ['transaction_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('payment_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_requests_transaction_id')
        batch_op.drop_index('ix_payment_requests_status')

    op.drop_table('payment_requests')
    with op.batch_alter_table('payment_callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_callbacks_transaction_id'))
        batch_op.drop_index(batch_op.f('ix_payment_callbacks_received_at'))

    op.drop_table('payment_callbacks')
