"""statements.speaker_kind and statements.described_by_id: who kind of speaker spoke.

``speaker_kind`` is ``schema.SPEAKER_KINDS``: ``named`` (a named entity, or a role noun
or pronoun resolved to one), ``described`` (a person known only by a description, "a
resident of Izium", kept with that description) or ``anonymous`` ("diplomatic sources",
"officials"). ``described_by_id`` is the entity a description names ("Izium"), never the
speaker (``described_by_local`` its id within the article, for re-merges). A row stored before 0013 with a speaker entity was a named speaker; one without
is left NULL (its kind was never decided, and a guess would be a figure nobody measured).

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("statements", sa.Column("speaker_kind", sa.String(length=16)))
    op.add_column("statements", sa.Column("described_by_local", sa.String(length=32)))
    op.add_column("statements", sa.Column("described_by_id", sa.Integer))
    op.create_index("ix_statements_speaker_kind", "statements", ["speaker_kind"])
    op.create_index("ix_statements_described_by_id", "statements", ["described_by_id"])
    op.execute("UPDATE statements SET speaker_kind = 'named' WHERE speaker_entity_id IS NOT NULL")


def downgrade() -> None:
    # Plain SQL, as in 0007 and 0008: a batch "copy and move" would trip the foreign keys.
    op.execute("DROP INDEX IF EXISTS ix_statements_described_by_id")
    op.execute("DROP INDEX IF EXISTS ix_statements_speaker_kind")
    op.execute("ALTER TABLE statements DROP COLUMN described_by_id")
    op.execute("ALTER TABLE statements DROP COLUMN described_by_local")
    op.execute("ALTER TABLE statements DROP COLUMN speaker_kind")
