"""Thread health: each comment's branch state, derailment alerts, and the branch rules a
site's policy applies to a derailing branch (flag replies, slow them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "branch_states",
        sa.Column(
            "comment_id",
            sa.Integer,
            sa.ForeignKey("comments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("site_id", sa.Integer, nullable=False),
        sa.Column("thread_id", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "thread_alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, nullable=False),
        sa.Column(
            "thread_id",
            sa.Integer,
            sa.ForeignKey("threads.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "branch_root",
            sa.Integer,
            sa.ForeignKey("comments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "at_comment",
            sa.Integer,
            sa.ForeignKey("comments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("root_path", sa.Text, nullable=False),
        sa.Column(
            "widened_at",
            sa.Integer,
            sa.ForeignKey("comments.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("drift", sa.Float, nullable=False),
        sa.Column("heat", sa.Float, nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "closed_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
    )
    op.create_index("ix_thread_alerts_site_status", "thread_alerts", ["site_id", "status", "id"])
    op.create_index("ix_thread_alerts_thread", "thread_alerts", ["thread_id", "id"])
    op.add_column("branch_rules", sa.Column("cooldown_s", sa.Integer, nullable=True))
    op.add_column(
        "branch_rules", sa.Column("last_reply_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("branch_rules") as table:
        table.drop_column("last_reply_at")
        table.drop_column("cooldown_s")
    op.drop_index("ix_thread_alerts_thread", "thread_alerts")
    op.drop_index("ix_thread_alerts_site_status", "thread_alerts")
    op.drop_table("thread_alerts")
    op.drop_table("branch_states")
