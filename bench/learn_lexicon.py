"""Learn the cue lexicon from PolNeAR's train split: src/saidwhat/data/cue_lexicon.tsv.

For every attribution candidate the parse proposes (``find_candidates``: a lemma in a
construction such as ccomp, xcomp, dobj, noun_that), count how often its cue and content
overlap a gold attribution. The precision of each (lemma, construction) decides at run time
whether such a candidate is kept (``cues.is_cue``). Only words and counts are written: no
text of the corpus.

    .venv/bin/python bench/learn_lexicon.py --gold ../shared/eval/polnear/train
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
from pathlib import Path

from rich.progress import track

from saidwhat.attribution.candidates import find_candidates
from saidwhat.attribution.quotes import find_quotes
from saidwhat.evaluation.gold import read_gold
from saidwhat.nlp import load_pipeline

OUT = Path(__file__).resolve().parents[1] / "src" / "saidwhat" / "data" / "cue_lexicon.tsv"
MIN_COUNT = 3


def overlaps(a: tuple[int, int], spans) -> bool:  # type: ignore[no-untyped-def]
    return any(a[0] < e and s < a[1] for s, e in spans)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True, help="PolNeAR train split folder")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    gold_docs = [d for docs in read_gold(args.gold).values() for d in docs]
    nlp = load_pipeline()
    seen: collections.Counter[tuple[str, str]] = collections.Counter()
    right: collections.Counter[tuple[str, str]] = collections.Counter()
    docs = nlp.pipe((g.text for g in gold_docs), n_process=args.jobs, batch_size=8)
    for gold, doc in track(
        zip(gold_docs, docs, strict=True), total=len(gold_docs), description="learning cues"
    ):
        quoted = [(q.start, q.end) for q in find_quotes(doc.text)]
        for cand in find_candidates(doc):
            # The extractor never uses a cue inside a quote (`"I think ..."`): skip them here
            # too, or quoted speech would make `think` look like a poor cue.
            if not cand.content or any(s <= cand.cue.idx < e for s, e in quoted):
                continue
            key = (cand.lemma, cand.pattern)
            seen[key] += 1
            cue = cand.cue_span
            for att in gold.attributions:
                if (
                    att.cue
                    and overlaps(cue, att.cue)
                    and any(overlaps(c, att.content) for c in cand.content)
                ):
                    right[key] += 1
                    break
    rows = [
        (lemma, pattern, n, right[(lemma, pattern)], right[(lemma, pattern)] / n)
        for (lemma, pattern), n in seen.items()
        if n >= MIN_COUNT
    ]
    rows.sort(key=lambda r: (-r[2], r[0]))
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["lemma", "pattern", "count", "correct", "precision"])
        for lemma, pattern, n, ok, p in rows:
            w.writerow([lemma, pattern, n, ok, f"{p:.3f}"])
    print(f"{len(rows)} (lemma, construction) pairs written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
