"""an alert's «kommer» answer may carry when the person arrives (minutes from the answer)

Revision ID: c17a4e0b9d31
Revises: c16b4d2e8a90
Create Date: 2026-12-02 17:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c17a4e0b9d31'
down_revision = 'c16b4d2e8a90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('roster_alert_recipients') as batch_op:
        batch_op.add_column(sa.Column('eta_minutes', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('roster_alert_recipients') as batch_op:
        batch_op.drop_column('eta_minutes')
