"""articles.text_hash: the hash of the whitespace-normalised text, indexed.

The same article read again with CRLF line ends or a trailing newline has another id
(``content_id`` hashes the text as read, and ids must not change under stored links),
so it was stored a second time as a syndicated copy. The writer now also looks the new
article up by ``linking.copies.text_hash`` and calls such a twin a duplicate. Stored
articles get their hash here, in batches (it is computed in Python, as the writer
does); twins already stored stay stored (both rows keep their statements: nothing
stored is dropped), and a later twin is a duplicate of the older one.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from saidwhat.linking.copies import text_hash

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    op.add_column("articles", sa.Column("text_hash", sa.String(length=32), nullable=True))
    conn = op.get_bind()
    articles = sa.table(
        "articles", sa.column("id", sa.String), sa.column("text", sa.Text), sa.column("text_hash")
    )
    update = (
        sa.update(articles)
        .where(articles.c.id == sa.bindparam("b_id"))
        .values(text_hash=sa.bindparam("b_hash"))
    )
    after = ""
    while True:  # keyset pages: memory stays flat on a large store
        rows = conn.execute(
            sa.select(articles.c.id, articles.c.text)
            .where(articles.c.id > after)
            .order_by(articles.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(update, [{"b_id": r.id, "b_hash": text_hash(r.text)} for r in rows])
        after = rows[-1].id
    op.create_index(op.f("ix_articles_text_hash"), "articles", ["text_hash"])


def downgrade() -> None:
    # Plain SQL, as in 0002: a batch "copy and move" of articles would trip the foreign
    # keys that point at it.
    op.execute("DROP INDEX IF EXISTS ix_articles_text_hash")
    op.execute("ALTER TABLE articles DROP COLUMN text_hash")
