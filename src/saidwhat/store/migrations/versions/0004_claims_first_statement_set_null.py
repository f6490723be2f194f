"""claims.first_statement_id: nullable, ON DELETE SET NULL.

Deleting an article cascades to its statements; a claim naming one of them as its first
report must not block that.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.alter_column("first_statement_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.drop_constraint(
            batch_op.f("fk_claims_first_statement_id_statements"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_claims_first_statement_id_statements"),
            "statements",
            ["first_statement_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_claims_first_statement_id_statements"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_claims_first_statement_id_statements"),
            "statements",
            ["first_statement_id"],
            ["id"],
        )
        batch_op.alter_column("first_statement_id", existing_type=sa.INTEGER(), nullable=False)
