"""watch_sources, saved_searches and alerts: ``saidwhat watch`` and its alerts.

New tables only; nothing existing changes. ``watch_sources`` keeps each polled URL's
validators (ETag, Last-Modified) so a later run (cron with ``--once``) still sends
conditional requests, and its failures for the backoff. ``alerts`` keeps what matched
with each alert, so the history outlives a statement re-analysed away.

Revision ID: 0012
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    op.create_table(
        "watch_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_polled", when),
        sa.Column("last_status", sa.String(40)),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_poll", when),
        sa.Column("last_error", sa.Text),
        sa.Column("items_new", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("filters", sa.Text, nullable=False),
        sa.Column("webhook", sa.String(2000)),
        sa.Column("created_at", when, nullable=False),
        sa.Column("last_statement_id", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "search_id",
            sa.Integer,
            sa.ForeignKey("saved_searches.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("statement_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("act", sa.String(16)),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("created_at", when, nullable=False),
        sa.Column("webhook_status", sa.Text),
        sa.UniqueConstraint("search_id", "statement_id", name="uq_alerts_search_statement"),
    )


def downgrade() -> None:
    op.drop_table("alerts")
    op.drop_table("saved_searches")
    op.drop_table("watch_sources")
