"""statements.speaker_evidence: why the store credits a statement to a person the
article never names (speaker kind ``inferred``).

"The Kremlin spokesman said" with nobody named in the article is a described speaker;
when the store knows exactly one person named with that very role around that day, the
statement is credited to that person, its speaker kind ``inferred`` and this column the
evidence (the role, the days it was seen, in how many articles with the full name). A
nullable JSON column; nothing existing changes (stored described rows are inferred at
the next re-merge).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.add_column("statements", sa.Column("speaker_evidence", json))


def downgrade() -> None:
    # Plain SQL, as in 0007 and 0008: a batch "copy and move" would trip the foreign keys.
    # Inferred rows go back to what the article says: a described speaker.
    op.execute(
        "UPDATE statements SET speaker_entity_id = NULL, speaker_kind = 'described' "
        "WHERE speaker_kind = 'inferred'"
    )
    op.execute("ALTER TABLE statements DROP COLUMN speaker_evidence")
