"""action_cards.alert_team: a card whose measure is an alert names the team to call out

Revision ID: b8e41f0c2d17
Revises: a13f5e2c7b41
Create Date: 2026-12-02 12:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e41f0c2d17'
down_revision = 'a13f5e2c7b41'
branch_labels = None
depends_on = None

# The demo library's alerting cards, so an existing installation offers «Send varsling nå» for them too.
ALERT_CARDS = (
    ('Varsle kriseledelsen%', 'kriseledelse'),
    ('Aktiver psykososialt kriseteam%', 'psykososialt_kriseteam'),
)


def upgrade():
    with op.batch_alter_table('action_cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alert_team', sa.String(length=40), nullable=True))
    cards = sa.table('action_cards', sa.column('title', sa.String), sa.column('alert_team', sa.String))
    for pattern, team in ALERT_CARDS:
        op.execute(cards.update().where(cards.c.title.like(pattern)).values(alert_team=team))


def downgrade():
    with op.batch_alter_table('action_cards', schema=None) as batch_op:
        batch_op.drop_column('alert_team')
