"""The rows a reading audit judges (``../shared/eval/audit.md``), for a seeded sample.

    .venv/bin/python bench/audit_rows.py --corpus ../shared/corpus/guardian --sample 30 \
        --seed 17 --engine rules --out /tmp/audit/after

Writes one ``<article>.rows.jsonl`` per sampled article under ``--out`` (outside the repo:
the rows quote copyrighted news): per statement its index, offsets, speaker, kind, act,
type, via, cue, confidence and content text, so a judge can read the article beside them.
The judgements themselves are kept with ids and labels only (``bench/audit_report.py``).
The sample is ``random.Random(seed).sample`` of the sorted file names, so the same seed
draws the same articles for the next audit.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from saidwhat.analyse import AnalysisFailed, analyse_many, with_settings
from saidwhat.nlp import load_pipeline
from saidwhat.reading.readers import read_path


def sample(corpus: Path, size: int, seed: int) -> list[Path]:
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
    return sorted(random.Random(seed).sample(files, min(size, len(files))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="../shared/corpus/guardian")
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--engine", default=None)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = sample(Path(args.corpus), args.sample, args.seed)
    articles = [next(iter(read_path(p))) for p in paths]
    nlp = load_pipeline()
    options = with_settings(nlp, None, args.engine)
    for path, result in zip(paths, analyse_many(articles, nlp=nlp, options=options), strict=True):
        if isinstance(result, AnalysisFailed):
            print(f"{path.name}: {result}")
            continue
        names = {e.id: (e.name, e.type) for e in result.entities}
        with (out / f"{path.stem}.rows.jsonl").open("w", encoding="utf-8") as fh:
            for i, st in enumerate(result.statements):
                row = {
                    "row": i,
                    "start": st.start,
                    "end": st.end,
                    "speaker": names.get(st.speaker, (st.speaker_name, None))[0],
                    "speaker_type": names.get(st.speaker, (None, None))[1],
                    "speaker_mention": st.speaker_mention.text if st.speaker_mention else None,
                    "kind": st.kind,
                    "act": st.act,
                    "type": st.type,
                    "via": [v.name for v in st.via],
                    "cue": st.cue.text if st.cue else None,
                    "confidence": st.confidence,
                    "content": st.content_text,
                }
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{path.name}: {len(result.statements)} rows")


if __name__ == "__main__":
    main()
