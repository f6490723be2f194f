"""Surname spelling variants replace the head/tail lookup keys of people.

The head/tail columns (first and last three letters of the surname key) made fuzzy
candidate lookups far too broad on real corpora ("-kov", "-sky" endings); the new
``surname_variants`` table finds keys one edit apart exactly (symmetric deletes).
Existing person keys are filled in here; new ones are added by the writer.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "surname_variants",
        sa.Column("variant", sa.String(length=100), nullable=False),
        sa.Column("surname_key", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("variant", "surname_key", name=op.f("pk_surname_variants")),
    )
    # Plain SQL (SQLite >= 3.35 and PostgreSQL both drop columns in place): a batch
    # "copy and move" of entities would trip the foreign keys that point at it.
    for col in ("key_head", "key_tail"):
        op.execute(f"DROP INDEX IF EXISTS ix_entities_{col}")
        op.execute(f"ALTER TABLE entities DROP COLUMN {col}")
    from saidwhat.linking.names import spelling_variants

    bind = op.get_bind()
    keys = bind.execute(
        sa.text("SELECT DISTINCT surname_key FROM article_entities WHERE surname_key <> ''")
    ).scalars()
    rows = [{"v": v, "k": k} for k in keys for v in sorted(spelling_variants(k)) if len(k) >= 7]
    if rows:
        bind.execute(
            sa.text("INSERT INTO surname_variants (variant, surname_key) VALUES (:v, :k)"), rows
        )


def downgrade() -> None:
    for col in ("key_head", "key_tail"):
        op.add_column(
            "entities", sa.Column(col, sa.String(length=8), nullable=False, server_default="")
        )
        op.create_index(f"ix_entities_{col}", "entities", [col])
    op.drop_table("surname_variants")
