"""referat approved by both ledergrupper; formannskap questions; regional politiråd member list; Oversiktsbilde
writing team and sources; Trusselvurdering record; deputies in the directory; and the standing item
«Felles fokusområder og tiltak» on every politiråd not yet held (data)

Revision ID: c16b4d2e8a90
Revises: 99fad6251bfd
Create Date: 2026-12-02 17:40:00.000000

"""
import re
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import beredskap.dbtypes


# revision identifiers, used by Alembic.
revision = 'c16b4d2e8a90'
down_revision = '99fad6251bfd'
branch_labels = None
depends_on = None

STANDING_ITEM_TITLE = "Felles fokusområder og tiltak"
STANDING_NOTE = (
    "Fast sak: politirådet vurderer felles fokusområder og tiltak i hvert møte (samarbeidsavtalen pkt. 3.1)."
)
_CASE_NUMBER = re.compile(r"^(\d{1,4})/(\d{2})$")


def upgrade():
    with op.batch_alter_table('coop_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_approved_kommune_at', beredskap.dbtypes.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('minutes_approved_kommune_by', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('minutes_approved_politi_at', beredskap.dbtypes.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('minutes_approved_politi_by', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('minutes_approved_politi_station', sa.String(length=60), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('minutes_sent_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('coop_people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deputy_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_coop_people_deputy_of_id_coop_people'), 'coop_people',
                                    ['deputy_of_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('coop_overview_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('sources', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    op.create_table('coop_meeting_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('asked_by', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['coop_meetings.id'],
                            name=op.f('fk_coop_meeting_questions_meeting_id_coop_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_meeting_questions'))
    )
    with op.batch_alter_table('coop_meeting_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_meeting_questions_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('coop_member_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('updated_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_member_lists')),
    sa.UniqueConstraint('key', name=op.f('uq_coop_member_lists_key'))
    )
    op.create_table('coop_threat_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('updated_at', beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coop_threat_assessments')),
    sa.UniqueConstraint('year', name=op.f('uq_coop_threat_assessments_year'))
    )
    add_standing_items(op.get_bind())
    add_team_leader(op.get_bind())


def add_team_leader(conn) -> None:
    """The Arbeidsutvalget for kriseledelse (§4.3) with its leader's position, in an existing crisis organisation."""
    positions = sa.table('roster_positions', sa.column('id', sa.Integer), sa.column('key', sa.String),
                         sa.column('team', sa.String), sa.column('title', sa.String),
                         sa.column('sort_order', sa.Integer), sa.column('created_at', beredskap.dbtypes.UTCDateTime()),
                         sa.column('version', sa.Integer))
    if conn.execute(sa.select(positions.c.id).limit(1)).first() is None:
        return  # an empty organisation: the demo seed or the users build it
    key = 'arbeidsutvalg_kriseledelse.leder'
    if conn.execute(sa.select(positions.c.id).where(positions.c.key == key)).first() is None:
        conn.execute(positions.insert().values(
            key=key, team='arbeidsutvalg_kriseledelse', title='Sikkerhet- og beredskapskoordinator (leder)',
            sort_order=0, created_at=datetime.now(UTC), version=1,
        ))


def add_standing_items(conn) -> int:
    """Every politiråd not yet held gets «Felles fokusområder og tiltak» first on its saksliste (§3.1).

    Meetings held already keep the saksliste they had: the record of a past meeting is not rewritten. A draft that
    had approvals loses them, as any saksliste change does; a sent saksliste keeps its status (it went out before
    the item existed) and shows the item from now on."""
    meetings = sa.table('coop_meetings', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                        sa.column('year', sa.Integer), sa.column('status', sa.String),
                        sa.column('approved_kommune_at', sa.DateTime), sa.column('approved_kommune_by', sa.String),
                        sa.column('approved_politi_at', sa.DateTime), sa.column('approved_politi_by', sa.String),
                        sa.column('approved_politi_station', sa.String))
    items = sa.table('coop_agenda_items', sa.column('id', sa.Integer), sa.column('meeting_id', sa.Integer),
                     sa.column('position', sa.Integer), sa.column('number', sa.String), sa.column('title', sa.String),
                     sa.column('kind', sa.String), sa.column('note', sa.Text), sa.column('presenter', sa.String),
                     sa.column('proposal', sa.Text), sa.column('minutes', sa.Text), sa.column('standing', sa.Boolean),
                     sa.column('focus_area_ids', sa.JSON), sa.column('version', sa.Integer))
    has_standing = sa.select(items.c.meeting_id).where(items.c.standing.is_(sa.true()))
    rows = conn.execute(
        sa.select(meetings.c.id, meetings.c.year, meetings.c.status)
        .where(meetings.c.kind == 'politirad', meetings.c.status.in_(('draft', 'sent')),
               meetings.c.id.not_in(has_standing))
        .order_by(meetings.c.id)
    ).all()
    for meeting_id, year, status in rows:
        suffix = f"{year % 100:02d}"
        numbers = conn.execute(
            sa.select(items.c.number).select_from(items.join(meetings, meetings.c.id == items.c.meeting_id))
            .where(meetings.c.kind == 'politirad', meetings.c.year == year)
        ).scalars()
        highest = 0
        for number in numbers:
            match = _CASE_NUMBER.match(number or "")
            if match and match.group(2) == suffix:
                highest = max(highest, int(match.group(1)))
        conn.execute(items.insert().values(
            meeting_id=meeting_id, position=0, number=f"{highest + 1}/{suffix}", title=STANDING_ITEM_TITLE,
            kind='drøfting', note=STANDING_NOTE, presenter='', proposal='', minutes='', standing=True,
            focus_area_ids=[], version=1,
        ))
        if status == 'draft':
            conn.execute(meetings.update().where(meetings.c.id == meeting_id).values(
                approved_kommune_at=None, approved_kommune_by='', approved_politi_at=None, approved_politi_by='',
                approved_politi_station='',
            ))
    return len(rows)


def downgrade():
    op.execute(sa.text("DELETE FROM roster_positions WHERE key = 'arbeidsutvalg_kriseledelse.leder'"))
    # The standing items added by upgrade() stay: they are ordinary saksliste items of the meetings now.
    op.drop_table('coop_threat_assessments')
    op.drop_table('coop_member_lists')
    with op.batch_alter_table('coop_meeting_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coop_meeting_questions_meeting_id'))
    op.drop_table('coop_meeting_questions')
    with op.batch_alter_table('coop_overview_reports', schema=None) as batch_op:
        batch_op.drop_column('sources')
        batch_op.drop_column('team')
    with op.batch_alter_table('coop_people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_coop_people_deputy_of_id_coop_people'), type_='foreignkey')
        batch_op.drop_column('deputy_of_id')
    with op.batch_alter_table('coop_meetings', schema=None) as batch_op:
        batch_op.drop_column('minutes_sent_at')
        batch_op.drop_column('minutes_approved_politi_station')
        batch_op.drop_column('minutes_approved_politi_by')
        batch_op.drop_column('minutes_approved_politi_at')
        batch_op.drop_column('minutes_approved_kommune_by')
        batch_op.drop_column('minutes_approved_kommune_at')
