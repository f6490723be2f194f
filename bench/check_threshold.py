"""The quote check's threshold: how close a reworded quote is to the statement it
rewords, and how close a quote nobody said comes to anything in the example corpus.

14 quotes as a post or a careless report might reword a statement of examples/articles
(each with the statement it rewords, named as in like_queries.yaml) and 8 quotes on the
same topics that nobody in the corpus said. For each it prints the cosine to the
statement (or, for the unsaid ones, the best cosine in the corpus) and the share of the
quote's words found in order in that statement (``query.check.coverage``), then the
threshold that separates the two groups on each measure.

    .venv/bin/python bench/check_threshold.py --db /tmp/ex.db   # a store of the examples
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from like_recall import expected_ids  # noqa: E402

from saidwhat.query import open_reader  # noqa: E402
from saidwhat.query.check import CHECK_THRESHOLD, coverage, says_it  # noqa: E402
from saidwhat.query.similar import encode_query  # noqa: E402
from saidwhat.store.tables import statement_vectors, statements  # noqa: E402
from saidwhat.store.vectors import from_bytes  # noqa: E402

REWORDED = [
    ("We came to Geneva to discuss peace, not a break from the war", "006", "holiday from war"),
    ("Looking at a paper does not mean agreeing to it", "002", "Looking is not agreeing"),
    (
        "More than 40 percent of our power generation has been damaged or destroyed since October",
        "003",
        "forty percent of our generating capacity",
    ),
    ("Every attack like this will get an answer", "005", "Every such attack will receive"),
    ("Russian forces do not hit civilian facilities", "010", "do not strike civilian facilities"),
    ("'Never' is just a negotiating position", "013", "is a negotiating position"),
    (
        "We are not scared of reciprocity; reciprocity is what we proposed",
        "015",
        "We are not afraid of reciprocity",
    ),
    (
        "We haven't changed our goal, we have found a step that serves it",
        "018",
        "We have not changed our goal",
    ),
    ("Nobody in Washington dictates our decisions", "022", "Nobody in Washington"),
    ("It made the room colder, but it did not empty it", "025", "It made the room colder"),
    (
        "There was no such demand and there will be no such demand",
        "026",
        "There was no such demand",
    ),
    (
        "We will keep our word and watch whether the other side keeps theirs",
        "028",
        "We will keep our word. We will watch",
    ),
    (
        "One night is not a victory, but our children slept in warm rooms",
        "030",
        "our children slept in warm rooms",
    ),
    ("Reports of violations are an information attack", "032", "information attack"),
]
UNSAID = [
    "We are working on peace, not a ceasefire",
    "Russia will never sit at the same table as Ukraine",
    "Norway will send troops to monitor the truce",
    "The sanctions must be lifted before any talks begin",
    "Ukraine will attack Russian refineries again next week",
    "The truce has collapsed after one night",
    "The United States will impose new sanctions tomorrow",
    "Kharkiv has had full power all winter",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a store holding examples/articles")
    args = parser.parse_args()
    store = open_reader(args.db)
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(statements.c.id, statements.c.content_text, statement_vectors.c.vector)
            .join_from(statements, statement_vectors)
            .where(statements.c.kind == "statement")
        ).all()
        ids = [r.id for r in rows]
        text = {r.id: r.content_text for r in rows}
        matrix = np.stack([from_bytes(r.vector) for r in rows])
        said = []
        print("reworded quotes: cosine and word coverage of the statement they reword")
        for quote, article, phrase in REWORDED:
            (sid,) = expected_ids(conn, [{"article": article, "phrase": phrase}])
            cos = float(matrix[ids.index(sid)] @ encode_query(quote))
            cov = coverage(quote, text[sid])
            said.append((cos, cov))
            print(f"  {cos:.2f}  {cov:.2f}  {quote}")
    unsaid = []
    wrongly = 0
    print("quotes nobody said: the best cosine and the best coverage in the corpus")
    for quote in UNSAID:
        sims = matrix @ encode_query(quote)
        covs = [coverage(quote, text[i]) for i in ids]
        unsaid.append((float(sims.max()), max(covs)))
        wrongly += any(says_it(float(c), v) for c, v in zip(sims, covs, strict=True))
        print(f"  {sims.max():.2f}  {max(covs):.2f}  {quote}")
    for i, name in enumerate(("cosine", "coverage")):
        lo = max(u[i] for u in unsaid)
        hits = [s[i] for s in said]
        print(
            f"{name}: unsaid at most {lo:.2f}; reworded from {min(hits):.2f}, "
            f"{sum(h > lo for h in hits)} of {len(hits)} above every unsaid one"
        )
    found = sum(says_it(c, v) for c, v in said)
    print(
        f"the check's rule (query.check.says_it, cosine threshold {CHECK_THRESHOLD}): "
        f"{found} of {len(said)} reworded quotes found, {wrongly} of {len(unsaid)} unsaid "
        "ones matched by some statement"
    )


if __name__ == "__main__":
    main()
