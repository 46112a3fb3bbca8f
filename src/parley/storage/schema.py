"""The tables, declared once for SQLAlchemy Core; Alembic migrations create them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

sites = sa.Table(
    "sites",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("origins", sa.JSON, nullable=False, default=list),
    sa.Column("policy", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

threads = sa.Table(
    "threads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column("key", sa.String(500), nullable=False),
    sa.Column("title", sa.String(500), nullable=False, default=""),
    sa.Column("url", sa.String(2000), nullable=False, default=""),
    sa.Column("article_html", sa.Text, nullable=False, default=""),
    sa.Column("locked", sa.Boolean, nullable=False, default=False),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("site_id", "key", name="uq_threads_site_key"),
)

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("thread_id", sa.Integer, sa.ForeignKey("threads.id"), nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=True),
    sa.Column("depth", sa.Integer, nullable=False, default=0),
    sa.Column("author_name", sa.String(200), nullable=True),
    sa.Column("author_email", sa.String(320), nullable=True),
    sa.Column("author_website", sa.String(2000), nullable=True),
    sa.Column("author_key", sa.String(64), nullable=True),
    sa.Column("network_tag", sa.String(64), nullable=True),  # services/pseudonyms.py
    sa.Column("body_md", sa.Text, nullable=False),
    sa.Column("body_html", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("votes", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("source_ref", sa.String(200), nullable=True),
    sa.UniqueConstraint("thread_id", "source_ref", name="uq_comments_thread_source"),
    sa.Index("ix_comments_thread_status", "thread_id", "status"),
    sa.Index("ix_comments_parent", "parent_id"),
)

votes = sa.Table(
    "votes",
    metadata,
    sa.Column(
        "comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("voter", sa.String(64), primary_key=True),
    sa.Column("value", sa.SmallInteger, nullable=False),
)

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "comment_id",
        sa.Integer,
        sa.ForeignKey("comments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("model_version", sa.String(100), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("scores", sa.JSON, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),  # shown in listings; the rest is secret
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("qps", sa.Float, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

api_usage = sa.Table(
    "api_usage",
    metadata,
    sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id"), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("requests", sa.Integer, nullable=False),
)

score_feedback = sa.Table(
    "score_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=True),  # absent when the caller asked doNotStore
    sa.Column("attribute_scores", sa.JSON, nullable=False),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("community_id", sa.String(200), nullable=True),
    sa.Column("client_token", sa.String(200), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Requests counted per fixed window, shared by every worker and instance on the database.
rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),  # "<kind>:<address>"
    sa.Column("window_start", sa.BigInteger, primary_key=True),  # Unix seconds
    sa.Column("count", sa.Integer, nullable=False),
)

# Readers' reports of public comments: one per reader (author-token identity) per comment.
# A comment with `report_threshold` (site policy) open reports is in the reported queue.
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("reporter", sa.String(64), nullable=False),  # the reader's viewer key
    sa.Column("reason", sa.String(32), nullable=False),  # one of domain.reports.ReportReason
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),  # a moderator decided
    sa.UniqueConstraint("comment_id", "reporter", name="uq_reports_comment_reporter"),
    sa.Index("ix_reports_open", "comment_id", "resolved_at"),
)
