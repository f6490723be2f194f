"""statements.kind: statement, belief or hedge (``schema.STATEMENT_KINDS``, schema 1.1).

NOT NULL with the server default ``'statement'``, so every stored row becomes a
statement: that is what the engine that stored it meant (it never told a belief or a
hedge apart), not a guess. The speaker and chain aggregates (``store.aggregates``) count
only the kinds a default listing shows; with no belief stored yet they are already right,
so nothing is rebuilt. Indexed: ``kind = 'hedge'`` picks few rows, and a count that
leaves beliefs out reads the index alone.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from saidwhat.store.aggregates import rebuild

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "statements",
        sa.Column("kind", sa.String(length=16), nullable=False, server_default="statement"),
    )
    op.create_index("ix_statements_kind", "statements", ["kind"])


def downgrade() -> None:
    # Plain SQL, as in 0002, 0006 and 0007: a batch "copy and move" would trip the
    # foreign keys.
    op.execute("DROP INDEX IF EXISTS ix_statements_kind")
    op.execute("ALTER TABLE statements DROP COLUMN kind")
    # Before 0008 the aggregates counted every statement: the beliefs they left out are
    # statements like any other there (and an upgrade makes them 'statement').
    rebuild(op.get_bind(), kinds=False)
