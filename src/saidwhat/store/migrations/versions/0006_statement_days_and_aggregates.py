"""statements.day / day_to / article_date (indexed), and the speaker and chain aggregates.

Date filters compared ``coalesce(statement date, range, article date)`` across a join,
which no index can serve (a month took 0.3 s on 175,000 statements); the day is now a
column of the statement itself, filled in here for stored statements the way
``store.rows.statement_days`` fills it for new ones; ``article_date`` (the article's
date, copied) is the order pages are listed in, sorted without reading the articles
table. ``speaker_stats`` and
``chain_counts`` (``store.aggregates``) hold the speaker ranking and the source chains,
built here from the stored statements and kept current by the writer from now on.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from saidwhat.store.aggregates import rebuild

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("statements", sa.Column("day", sa.String(length=10), nullable=True))
    op.add_column("statements", sa.Column("day_to", sa.String(length=10), nullable=True))
    op.add_column("statements", sa.Column("article_date", sa.String(length=10), nullable=True))
    op.execute(
        "UPDATE statements SET "
        "day = coalesce(statements.date, statements.date_from, articles.date), "
        "day_to = coalesce(statements.date, statements.date_to, articles.date), "
        "article_date = articles.date "
        "FROM articles WHERE articles.id = statements.article_id"
    )
    order = ["article_date", "article_id", "id"]  # the page order, for index-only pages
    op.create_index("ix_statements_day_day_to", "statements", ["day", "day_to", *order])
    op.create_index(
        "ix_statements_article_order", "statements", ["article_date", "article_id", "id"]
    )
    op.create_index(
        "ix_statements_ranged_day_to",
        "statements",
        ["day_to", "day", *order],
        sqlite_where=sa.text("day < day_to"),
        postgresql_where=sa.text("day < day_to"),
    )
    op.create_table(
        "speaker_stats",
        sa.Column("entity_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.String(length=10), nullable=True),
        sa.Column("last_day", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_speaker_stats")),
    )
    op.create_index("ix_speaker_stats_statements", "speaker_stats", ["statements"])
    op.create_table(
        "chain_counts",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("reported_by", sa.Text(), nullable=True),
        sa.Column("via_text", sa.Text(), nullable=True),
        sa.Column("speaker_entity_id", sa.Integer(), nullable=True),
        sa.Column("speaker_name", sa.Text(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_chain_counts")),
    )
    op.create_index(op.f("ix_chain_counts_n"), "chain_counts", ["n"])
    op.create_index(
        op.f("ix_chain_counts_speaker_entity_id"), "chain_counts", ["speaker_entity_id"]
    )
    rebuild(op.get_bind(), kinds=False)  # statements.kind comes in 0008


def downgrade() -> None:
    op.drop_table("chain_counts")
    op.drop_table("speaker_stats")
    # Plain SQL, as in 0002: a batch "copy and move" would trip the foreign keys.
    for name in (
        "ix_statements_article_order",
        "ix_statements_ranged_day_to",
        "ix_statements_day_day_to",
    ):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for col in ("article_date", "day_to", "day"):
        op.execute(f"ALTER TABLE statements DROP COLUMN {col}")
