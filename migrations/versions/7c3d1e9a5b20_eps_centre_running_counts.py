"""running counts on eps_centres (present, left, inquiries by status)

Revision ID: 7c3d1e9a5b20
Revises: e0a2fc84faa4
Create Date: 2026-11-28 10:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3d1e9a5b20'
down_revision = 'e0a2fc84faa4'
branch_labels = None
depends_on = None

COUNTS = (
    ('present_count', 'eps_evacuees', "status = 'present'"),
    ('left_count', 'eps_evacuees', "status = 'left'"),
    ('open_inquiry_count', 'eps_inquiries', "status = 'open'"),
    ('reunited_inquiry_count', 'eps_inquiries', "status = 'reunited'"),
    ('closed_inquiry_count', 'eps_inquiries', "status = 'closed'"),
)


def upgrade():
    with op.batch_alter_table('eps_centres', schema=None) as batch_op:
        for column, _table, _where in COUNTS:
            batch_op.add_column(sa.Column(column, sa.Integer(), server_default='0', nullable=False))

    # Existing centres start from what their registry holds now.
    for column, table, where in COUNTS:
        op.execute(
            f"UPDATE eps_centres SET {column} = "
            f"(SELECT count(*) FROM {table} WHERE {table}.centre_id = eps_centres.id AND {table}.{where})"
        )


def downgrade():
    with op.batch_alter_table('eps_centres', schema=None) as batch_op:
        for column, _table, _where in reversed(COUNTS):
            batch_op.drop_column(column)
