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
    sa.Column("article_from_page", sa.Boolean, nullable=False, server_default=sa.false()),
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
    sa.Index("ix_comments_status_created", "status", "created_at"),  # the review queues
    sa.Index("ix_comments_created", "created_at"),  # and the queue of all recent ones
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
    ),
    sa.Column("model_version", sa.String(100), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("scores", sa.JSON, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("language", sa.String(16), nullable=True),  # as detected
    # How far the strictest reason is over its threshold (domain.review.verdict_margin):
    # the review queues rank by it.
    sa.Column("margin", sa.Float, nullable=False, default=0.0),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_assessments_comment_latest", "comment_id", "id"),  # a comment's latest
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
    # Migration 0011: the site whose suggestions the key's callers send; daily quotas per
    # method (None: none); origins whose browser pages may call with the key (CORS).
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", name="fk_api_keys_site")),
    sa.Column("per_day", sa.Integer, nullable=True),
    sa.Column("suggest_per_day", sa.Integer, nullable=True),
    sa.Column("cors_origins", sa.JSON, nullable=False, server_default=sa.text("'[]'")),
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
    # Migration 0011: the key's site when the suggestion came (None: a key without one).
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", name="fk_score_feedback_site")),
    sa.Index("ix_score_feedback_site", "site_id", "id"),
)

# Each key's requests per method and UTC day as counted against its daily quota (migration
# 0011), by every worker at once; a worker may count a few ahead and hand back what it did
# not use.
api_quota_days = sa.Table(
    "api_quota_days",
    metadata,
    sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id"), primary_key=True),
    sa.Column("method", sa.String(32), primary_key=True),  # analyze | suggestscore
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("requests", sa.Integer, nullable=False),
)

# Requests counted per slice of a sliding window, shared by every worker and instance.
rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),  # "<kind>:<address>", "apikey:<id>:…"
    sa.Column("window_start", sa.BigInteger, primary_key=True),  # Unix milliseconds
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

# A moderator's decision on a comment: the comment's state before and after (undo and restore
# put `before` back), and the engine's verdict it confirmed or overrode beside the moderator's
# label, so that a later model can be calibrated on them. Kept when the comment is erased.
decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    sa.Column("action", sa.String(16), nullable=False),  # domain.review.ReviewAction
    sa.Column("reason", sa.String(32), nullable=True),  # domain.review.RejectionReason
    sa.Column("label", sa.String(32), nullable=True),  # domain.review.ModeratorLabel
    sa.Column("engine_action", sa.String(16), nullable=True),
    sa.Column("engine_model_version", sa.String(100), nullable=True),
    sa.Column("engine_scores", sa.JSON, nullable=False),
    sa.Column("engine_thresholds", sa.JSON, nullable=False),  # label -> threshold crossed
    sa.Column("status_before", sa.String(16), nullable=False),
    sa.Column("status_after", sa.String(16), nullable=False),
    sa.Column("before", sa.JSON, nullable=False),  # domain.review.CommentState
    sa.Column("after", sa.JSON, nullable=False),
    sa.Column("resolved_reports", sa.JSON, nullable=False),  # report ids this decision closed
    sa.Column("undo_id", sa.String(32), nullable=True, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_decisions_comment", "comment_id", "id"),
)

# Every decision and setting change: who, what, when, before and after.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column(  # None: the CLI or the system
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("site_id", sa.Integer, nullable=True),
    sa.Column("action", sa.String(64), nullable=False),  # "comment.approve", "site.policy", ...
    sa.Column("target", sa.String(200), nullable=False),  # "comment:12", "site:3", ...
    sa.Column("before", sa.JSON, nullable=True),
    sa.Column("after", sa.JSON, nullable=True),
    sa.Column("model_version", sa.String(100), nullable=True),  # of the verdict overridden
    sa.Column("threshold", sa.Float, nullable=True),
    sa.Column("undo_id", sa.String(32), nullable=True),
    sa.Index("ix_audit_log_site", "site_id", "id"),
    sa.Index("ix_audit_log_user", "user_id", "id"),
)

# Console accounts (owners and moderators) and the sites a moderator is assigned.
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),  # argon2id, with its parameters
    sa.Column("role", sa.String(16), nullable=False),  # one of domain.accounts.Role
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)

user_sites = sa.Table(
    "user_sites",
    metadata,
    sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    ),
)

# Console sessions; the id is the SHA-256 of the cookie's random token, never the token.
admin_sessions = sa.Table(
    "admin_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),  # the absolute lifetime
    sa.Index("ix_admin_sessions_user", "user_id"),
)

# Every sign-in attempt, shared by every worker: failures lock a name, attempts limit an address.
login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("outcome", sa.String(8), nullable=False),  # one of domain.accounts.LoginOutcome
    sa.Column("at", sa.Float, nullable=False),  # Unix seconds
    sa.Index("ix_login_attempts_name", "name", "at"),
    sa.Index("ix_login_attempts_address", "address", "at"),
)

# Moderators' sanctions on authors, per site (services/sanctions.py): a warning, a suspension
# (until), a ban, or always-hold, matched by the author key, a keyed hash of the email (never
# the address) or a network tag (a /24 on one day). Lifting keeps the row, with who and when.
sanctions = sa.Table(
    "sanctions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    sa.Column("author_key", sa.String(64), nullable=True),  # whose drawer it was made from
    sa.Column("kind", sa.String(16), nullable=False),  # domain.sanctions.SanctionKind
    sa.Column("match_by", sa.String(16), nullable=False),  # domain.sanctions.SanctionBy
    sa.Column("value", sa.String(64), nullable=False),  # author key, email hash or network tag
    sa.Column("until", sa.DateTime(timezone=True), nullable=True),  # None: until lifted
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column(
        "lifted_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Index("ix_sanctions_match", "site_id", "value"),
    sa.Index("ix_sanctions_author", "site_id", "author_key"),
)

# Rules on a branch: no new replies under a comment (lock), every new reply held or flagged,
# or one new reply per `cooldown_s` (slow; `last_reply_at` is the latest one accepted).
branch_rules = sa.Table(
    "branch_rules",
    metadata,
    sa.Column(
        "comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("rule", sa.String(16), primary_key=True),  # domain.sanctions.BranchRule
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("cooldown_s", sa.Integer, nullable=True),
    sa.Column("last_reply_at", sa.DateTime(timezone=True), nullable=True),
)

# Moderators' notes on an author (per site), shown in the author drawer.
author_notes = sa.Table(
    "author_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    sa.Column("author_key", sa.String(64), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    sa.Column("body", sa.String(2000), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_author_notes_author", "site_id", "author_key", "id"),
)

# What thread health keeps of each comment (moderation/thread_health.py `BranchState`): its
# running figures as JSON, its sentence vector (float16) beside them. Replies read their
# parent's and branch root's states instead of re-scoring them.
branch_states = sa.Table(
    "branch_states",
    metadata,
    sa.Column(
        "comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("site_id", sa.Integer, nullable=False),
    sa.Column("thread_id", sa.Integer, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
)

# Derailment alerts: the branch that turned, where it was seen, why, what the site's policy did
# (`step`: domain.thread_health.DerailmentStep), and a moderator closing it.
thread_alerts = sa.Table(
    "thread_alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, nullable=False),
    sa.Column(
        "thread_id", sa.Integer, sa.ForeignKey("threads.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "branch_root", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "at_comment", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("reasons", sa.Text, nullable=False),  # a JSON list of strings
    sa.Column("root_path", sa.Text, nullable=False),  # JSON: the branch root's ancestors' ids
    sa.Column(  # the comment that showed the turn was higher up (the alert moved to its root)
        "widened_at", sa.Integer, sa.ForeignKey("comments.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("drift", sa.Float, nullable=False),
    sa.Column("heat", sa.Float, nullable=False),
    sa.Column("step", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # domain.thread_health.AlertStatus
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column(
        "closed_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Index("ix_thread_alerts_site_status", "site_id", "status", "id"),
    sa.Index("ix_thread_alerts_thread", "thread_id", "id"),
)

# The author drawer reads one author's comments across threads.
sa.Index("ix_comments_author_key", comments.c.author_key)
