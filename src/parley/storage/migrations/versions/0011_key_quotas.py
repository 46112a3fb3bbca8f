"""Scoring-API keys that belong to a site, with daily quotas and their own CORS origins:
`api_keys.site_id`, `per_day`, `suggest_per_day`, `cors_origins`; `score_feedback.site_id`
(suggestions kept per site); `api_quota_days`, each key's requests per method and day as
counted against its daily quota by every worker.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("site_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("per_day", sa.Integer, nullable=True))
        batch.add_column(sa.Column("suggest_per_day", sa.Integer, nullable=True))
        batch.add_column(
            sa.Column("cors_origins", sa.JSON, nullable=False, server_default=sa.text("'[]'"))
        )
        batch.create_foreign_key("fk_api_keys_site", "sites", ["site_id"], ["id"])
    with op.batch_alter_table("score_feedback") as batch:
        batch.add_column(sa.Column("site_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_score_feedback_site", "sites", ["site_id"], ["id"])
        batch.create_index("ix_score_feedback_site", ["site_id", "id"])
    op.create_table(
        "api_quota_days",
        sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id"), primary_key=True),
        sa.Column("method", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("requests", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("api_quota_days")
    with op.batch_alter_table("score_feedback") as batch:
        batch.drop_index("ix_score_feedback_site")
        batch.drop_constraint("fk_score_feedback_site", type_="foreignkey")
        batch.drop_column("site_id")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_constraint("fk_api_keys_site", type_="foreignkey")
        for column in ("cors_origins", "suggest_per_day", "per_day", "site_id"):
            batch.drop_column(column)
