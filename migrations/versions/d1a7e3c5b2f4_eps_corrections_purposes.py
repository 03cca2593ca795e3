"""EPS desk without dead ends: corrections kept with their old values, access purposes, the EPS-leder of a centre

Revision ID: d1a7e3c5b2f4
Revises: c17a4e0b9d31
Create Date: 2026-12-03 07:40:00.000000

"""

from alembic import op
import sqlalchemy as sa

import beredskap.dbtypes


# revision identifiers, used by Alembic.
revision = "d1a7e3c5b2f4"
down_revision = "c17a4e0b9d31"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "eps_access_purposes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_eps_access_purposes_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eps_access_purposes")),
    )
    op.create_table(
        "eps_record_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("at", beredskap.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_eps_record_changes_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["eps_centres.id"],
            name=op.f("fk_eps_record_changes_centre_id_eps_centres"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eps_record_changes")),
    )
    with op.batch_alter_table("eps_record_changes") as batch_op:
        batch_op.create_index(batch_op.f("ix_eps_record_changes_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index("ix_eps_record_changes_subject", ["subject_type", "subject_id"], unique=False)
    with op.batch_alter_table("eps_centres") as batch_op:
        batch_op.add_column(sa.Column("leader_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_eps_centres_leader_user_id_users"), "users", ["leader_user_id"], ["id"], ondelete="SET NULL"
        )
    # Whoever opened a centre has led it so far.
    op.execute("UPDATE eps_centres SET leader_user_id = created_by")


def downgrade():
    with op.batch_alter_table("eps_centres") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_eps_centres_leader_user_id_users"), type_="foreignkey")
        batch_op.drop_column("leader_user_id")
    with op.batch_alter_table("eps_record_changes") as batch_op:
        batch_op.drop_index("ix_eps_record_changes_subject")
        batch_op.drop_index(batch_op.f("ix_eps_record_changes_centre_id"))
    op.drop_table("eps_record_changes")
    op.drop_table("eps_access_purposes")
