"""the samarbeidsavtale as a record: dates as written, basis, parties, signatories, goals, mandates, §1 note

Revision ID: b16a9e2c4d70
Revises: 7c3d1e9a5b20
Create Date: 2026-12-02 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b16a9e2c4d70'
down_revision = '7c3d1e9a5b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('coop_agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_basis', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('parties', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('signatories', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('goals', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('mandates', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch_op.add_column(sa.Column('outside_note', sa.Text(), server_default='', nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_coop_agreements_period_start'), ['period_start'])


def downgrade():
    with op.batch_alter_table('coop_agreements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_coop_agreements_period_start'), type_='unique')
        for column in ('outside_note', 'mandates', 'goals', 'signatories', 'parties', 'period_basis', 'valid_to',
                       'valid_from'):
            batch_op.drop_column(column)
