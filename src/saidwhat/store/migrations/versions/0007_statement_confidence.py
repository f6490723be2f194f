"""statements.confidence: the engine's estimate that a statement is right (schema 1.1).

A nullable float and nothing filled in: statements stored before it were extracted by an
engine that gave no confidence, and guessing one now would claim a calibration they never
had. NULL is "unknown", which a ``min_confidence`` filter leaves out (precision before
recall). No index: the filter narrows a page read in the article order, which the order
index already serves, and it is mostly given beside other filters.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("statements", sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    # Plain SQL, as in 0002 and 0006: a batch "copy and move" would trip the foreign keys.
    op.execute("ALTER TABLE statements DROP COLUMN confidence")
