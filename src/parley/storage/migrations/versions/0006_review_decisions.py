"""Moderators' decisions on comments and the audit log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


RULE_MARGIN = 1.0
_assessments = sa.table(
    "assessments", sa.column("id"), sa.column("reasons", sa.JSON), sa.column("margin")
)


def _margin(reasons: list[dict[str, Any]] | None) -> float:
    """domain.review.verdict_margin as of this revision."""
    top = reasons[0] if reasons else None
    if top is None or top.get("action") == "publish":
        return 0.0
    if top.get("score") is not None and top.get("threshold") is not None:
        return float(top["score"]) - float(top["threshold"])
    return RULE_MARGIN


def _fill_margins() -> None:
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(_assessments.c.id, _assessments.c.reasons)
            .where(_assessments.c.id > last)
            .order_by(_assessments.c.id)
            .limit(5000)
        ).all()
        if not rows:
            return
        changes = [{"b_id": id_, "b_margin": _margin(reasons)} for id_, reasons in rows]
        changes = [change for change in changes if change["b_margin"]]
        if changes:
            bind.execute(
                _assessments.update()
                .where(_assessments.c.id == sa.bindparam("b_id"))
                .values(margin=sa.bindparam("b_margin")),
                changes,
            )
        last = rows[-1][0]


def upgrade() -> None:
    op.add_column("assessments", sa.Column("language", sa.String(16), nullable=True))
    op.add_column("assessments", sa.Column("margin", sa.Float, nullable=False, server_default="0"))
    _fill_margins()
    op.drop_index("ix_assessments_comment_id", "assessments")
    op.create_index("ix_assessments_comment_latest", "assessments", ["comment_id", "id"])
    op.create_index("ix_comments_status_created", "comments", ["status", "created_at"])
    op.create_index("ix_comments_created", "comments", ["created_at"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "comment_id",
            sa.Integer,
            sa.ForeignKey("comments.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("label", sa.String(32), nullable=True),
        sa.Column("engine_action", sa.String(16), nullable=True),
        sa.Column("engine_model_version", sa.String(100), nullable=True),
        sa.Column("engine_scores", sa.JSON, nullable=False),
        sa.Column("engine_thresholds", sa.JSON, nullable=False),
        sa.Column("status_before", sa.String(16), nullable=False),
        sa.Column("status_after", sa.String(16), nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
        sa.Column("resolved_reports", sa.JSON, nullable=False),
        sa.Column("undo_id", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_decisions_undo_id", "decisions", ["undo_id"])
    op.create_index("ix_decisions_comment", "decisions", ["comment_id", "id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("site_id", sa.Integer, nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.Column("model_version", sa.String(100), nullable=True),
        sa.Column("threshold", sa.Float, nullable=True),
        sa.Column("undo_id", sa.String(32), nullable=True),
    )
    op.create_index("ix_audit_log_site", "audit_log", ["site_id", "id"])
    op.create_index("ix_audit_log_user", "audit_log", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_user", "audit_log")
    op.drop_index("ix_audit_log_site", "audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_decisions_comment", "decisions")
    op.drop_index("ix_decisions_undo_id", "decisions")
    op.drop_table("decisions")
    op.drop_index("ix_comments_created", "comments")
    op.drop_index("ix_comments_status_created", "comments")
    op.drop_index("ix_assessments_comment_latest", "assessments")
    op.create_index("ix_assessments_comment_id", "assessments", ["comment_id"])
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("margin")
        batch.drop_column("language")
