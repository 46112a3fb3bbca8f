"""Comments keep a keyed, daily tag of the poster's network instead of a hash of their address.

The old values were unkeyed hashes of whole IP addresses, reversible by trying every address:
they are forgotten, not converted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text("UPDATE comments SET remote_addr = NULL"))
    op.alter_column("comments", "remote_addr", new_column_name="network_tag")


def downgrade() -> None:
    op.alter_column("comments", "network_tag", new_column_name="remote_addr")
