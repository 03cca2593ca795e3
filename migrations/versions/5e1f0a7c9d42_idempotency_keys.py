"""idempotency_keys: claimed Idempotency-Key values and their stored first responses (CONTRACT §12)

Revision ID: 5e1f0a7c9d42
Revises: b8e41f0c2d17
Create Date: 2026-12-02 12:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import beredskap.dbtypes


# revision identifiers, used by Alembic.
revision = '5e1f0a7c9d42'
down_revision = 'b8e41f0c2d17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('created_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'key', name='uq_idempotency_keys_user_key')
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index('ix_idempotency_keys_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_idempotency_keys_created_at')

    op.drop_table('idempotency_keys')
