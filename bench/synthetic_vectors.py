"""Vectors for the synthetic benchmark store (``bench/generate_corpus.py``), fast.

The generator's statements are 300 template sentences ("the energy truce would hold
through the winter") each tagged "(item i.j)" to make it unique. Encoding 175,000 of
them one by one would take over an hour on two cores, and would still give 300 tight
clusters. This script encodes each template once with the real encoder, and gives every
statement its template's vector plus its own small random turn (cosine about 0.95 to
the template, seeded by the statement id), normalised: 175,000 distinct vectors grouped
as reworded reports of the same claims are. It is for measuring search latency and
index recall at that size only; ``saidwhat reindex`` is what real stores use.

    .venv/bin/python bench/synthetic_vectors.py --db /tmp/meaning_bench.db
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhat.encoder.sentences import DIMENSIONS, load_sentence_encoder  # noqa: E402
from saidwhat.store import open_store  # noqa: E402
from saidwhat.store.tables import statement_vectors, statements  # noqa: E402
from saidwhat.store.vectors import write_vectors  # noqa: E402

TAG = re.compile(r"\s*\(item [0-9.]+\)\s*$")
TURN = 0.33  # noise norm: cosine to the template 1 / sqrt(1 + 0.33^2), about 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--batch", type=int, default=20_000)
    args = parser.parse_args()
    started = time.perf_counter()
    store = open_store(args.db)
    encoder = load_sentence_encoder()
    templates: dict[str, np.ndarray] = {}
    v = statement_vectors.c
    after, added = 0, 0
    while True:
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(statements.c.id, statements.c.content_text)
                .select_from(
                    statements.outerjoin(statement_vectors, v.statement_id == statements.c.id)
                )
                .where(v.statement_id.is_(None), statements.c.id > after)
                .order_by(statements.c.id)
                .limit(args.batch)
            ).all()
        if not rows:
            break
        keys = [TAG.sub("", r.content_text) for r in rows]
        new = sorted(set(keys) - templates.keys())
        templates.update(zip(new, encoder.encode(new), strict=True))
        pairs = []
        for r, key in zip(rows, keys, strict=True):
            rng = np.random.default_rng(r.id)
            turn = rng.standard_normal(DIMENSIONS).astype(np.float32)
            vec = templates[key] + turn * (TURN / np.linalg.norm(turn))
            pairs.append((r.id, vec / np.linalg.norm(vec)))
        with store.engine.begin() as conn:
            write_vectors(conn, pairs)
        added += len(rows)
        after = rows[-1].id
        print(f"{added:,} vectors, {len(templates)} templates encoded", flush=True)
    store.close()
    print(f"done in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
