"""statement_vectors: one sentence embedding per statement (search by meaning).

384 little-endian float32 of the content's all-MiniLM-L6-v2 embedding, mean pooled and
normalised, in a table of its own (statement rows stay as small as they were). Rows
stored before 0014 have none: ``saidwhat reindex`` computes them.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "statement_vectors",
        sa.Column(
            "statement_id",
            sa.Integer,
            sa.ForeignKey(
                "statements.id",
                ondelete="CASCADE",
                name="fk_statement_vectors_statement_id_statements",
            ),
            autoincrement=False,
        ),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("statement_id", name="pk_statement_vectors"),
    )


def downgrade() -> None:
    op.drop_table("statement_vectors")
