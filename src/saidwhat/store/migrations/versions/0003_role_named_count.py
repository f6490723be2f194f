"""entity_roles.named_count: roles seen with the person's full name.

Only those are evidence for telling namesakes apart; counting the roles of bare-surname
mentions too made the outcome depend on arrival order. Existing rows count as named
(the best guess without re-reading the observations; ``saidwhat`` re-merges recompute it).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "entity_roles",
        sa.Column("named_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute("UPDATE entity_roles SET named_count = count")


def downgrade() -> None:
    with op.batch_alter_table("entity_roles") as batch_op:
        batch_op.drop_column("named_count")
