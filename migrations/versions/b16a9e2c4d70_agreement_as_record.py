"""the samarbeidsavtale as a record (dates as written, basis, parties, signatories, goals, mandates, §1 note);
politiråd: standing item, innspill (coop_proposals), approval by a named politistasjon, sent mail (coop_dispatches), attachments (coop_attachments)

Revision ID: b16a9e2c4d70
Revises: 5e1f0a7c9d42
Create Date: 2026-12-02 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import beredskap.dbtypes


# revision identifiers, used by Alembic.
revision = 'b16a9e2c4d70'
down_revision = '5e1f0a7c9d42'
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
    with op.batch_alter_table('coop_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_politi_station', sa.String(length=60), server_default='',
                                      nullable=False))
    with op.batch_alter_table('coop_agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standing', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('focus_area_ids', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    op.create_table('coop_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('from_unit', sa.String(length=200), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('proposed_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('decided_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['coop_agenda_items.id'], name=op.f('fk_coop_proposals_agenda_item_id_coop_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['coop_meetings.id'], name=op.f('fk_coop_proposals_meeting_id_coop_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_proposals'))
    )
    with op.batch_alter_table('coop_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_proposals_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('coop_dispatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('backend', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('created_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['coop_meetings.id'], name=op.f('fk_coop_dispatches_meeting_id_coop_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_dispatches'))
    )
    with op.batch_alter_table('coop_dispatches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_dispatches_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('coop_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=160), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['coop_meetings.id'], name=op.f('fk_coop_attachments_meeting_id_coop_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_attachments'))
    )
    with op.batch_alter_table('coop_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_attachments_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('coop_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coop_attachments_meeting_id'))
    op.drop_table('coop_attachments')
    with op.batch_alter_table('coop_dispatches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coop_dispatches_meeting_id'))
    op.drop_table('coop_dispatches')
    with op.batch_alter_table('coop_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coop_proposals_meeting_id'))
    op.drop_table('coop_proposals')
    with op.batch_alter_table('coop_agenda_items', schema=None) as batch_op:
        batch_op.drop_column('focus_area_ids')
        batch_op.drop_column('standing')
    with op.batch_alter_table('coop_meetings', schema=None) as batch_op:
        batch_op.drop_column('approved_politi_station')
    with op.batch_alter_table('coop_agreements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_coop_agreements_period_start'), type_='unique')
        for column in ('outside_note', 'mandates', 'goals', 'signatories', 'parties', 'period_basis', 'valid_to',
                       'valid_from'):
            batch_op.drop_column(column)
