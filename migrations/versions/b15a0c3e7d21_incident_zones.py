"""incident zones (faresone, sperresone, evakueringssone) with their analysis and history

Revision ID: b15a0c3e7d21
Revises: b16a9e2c4d70
Create Date: 2026-12-02 12:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import beredskap.dbtypes


# revision identifiers, used by Alembic.
revision = 'b15a0c3e7d21'
down_revision = 'b16a9e2c4d70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'incident_zones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('geometry', sa.JSON(), nullable=False),
        sa.Column('source', sa.JSON(), nullable=False),
        sa.Column('analysis', sa.JSON(), nullable=True),
        sa.Column('analysis_inputs', sa.String(length=64), nullable=False),
        sa.Column('analysed_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('removed_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('incident_zones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_zones_incident_id'), ['incident_id'], unique=False)

    op.create_table(
        'incident_zone_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('zone_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('geometry', sa.JSON(), nullable=False),
        sa.Column('changed_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('changed_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['changed_by'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['zone_id'], ['incident_zones.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('incident_zone_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_zone_changes_zone_id'), ['zone_id'], unique=False)


def downgrade():
    with op.batch_alter_table('incident_zone_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_zone_changes_zone_id'))
    op.drop_table('incident_zone_changes')
    with op.batch_alter_table('incident_zones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_zones_incident_id'))
    op.drop_table('incident_zones')
