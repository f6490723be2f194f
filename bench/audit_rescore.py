"""Figures of a reading audit for the engines as they are now, from every judgement kept.

    .venv/bin/python bench/audit_rows.py --sample 30 --seed 17 --engine rules --out /tmp/audit/main_rules
    .venv/bin/python bench/audit_rows.py --sample 30 --seed 17 --engine neural --out /tmp/audit/main_neural
    .venv/bin/python bench/audit_rescore.py --kept bench/audits/guardian-2026-12-03.json \
        --judged /tmp/audit/judged2 --keep bench/audits/guardian-2026-12-04.json

A row the engines emit now takes the label of the row judged at the same offsets with the
same speaker, from the judgements kept in the repo (``--kept``: ids, offsets and labels,
no article text) or from new judges' files (``--judged``: one ``<article>.json`` per
article, with ``rows`` and ``recall``, written from the rows ``audit_rows.py`` wrote).
Rows of an older judgement carry no speaker (the kept files hold none), so they match by
offsets alone; ``--changed`` lists rows (article, start, end) whose speaker changed since,
which are then left unjudged rather than given a stale label. Rows with no label are
counted and reported, never guessed. Only the rows a default listing shows (kind
``statement``) are judged. ``--keep`` writes the new judgements with offsets and labels
only, so the next audit compares.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

LABELS = ("real", "speaker", "content", "act", "via", "usable")


def rows_of(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("kind", "statement") == "statement"]


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def figures(judged: list[dict[str, Any]], recall: list[int]) -> dict[str, Any]:
    real = [j for j in judged if j["real"]]
    expected, found, right = recall
    return {
        "judged_rows": len(judged),
        "precision": share(len(real), len(judged)),
        "speaker_right": share(sum(j["speaker"] == "right" for j in real), len(real)),
        "unresolved": share(sum(j["speaker"] == "unresolved" for j in real), len(real)),
        "content_right": share(sum(j["content"] == "right" for j in real), len(real)),
        "act_ok": share(sum(j["act"] == "ok" for j in real), len(real)),
        "fully_usable": share(sum(bool(j["usable"]) for j in judged), len(judged)),
        "recall": share(found, expected),
        "recall_right_speaker": share(right, expected),
        "expected": expected,
    }


def kept_labels(path: Path) -> dict[str, dict[str, Any]]:
    """Per article: labels by (start, end), recall counts of the rules engine then."""
    out = {}
    for rec in json.loads(path.read_text(encoding="utf-8")):
        labels = {(j["start"], j["end"]): j for j in rec["after"]}
        labels.update({(j["start"], j["end"]): j for j in rec.get("later", [])})
        r = rec["recall"]
        recall = [r["expected"], r["after_found"], r["after_found_right_speaker"]]
        out[rec["article"]] = {"labels": labels, "recall": {"rules": recall, "neural": recall}}
    return out


def judged_labels(folder: Path, union: Path) -> dict[str, dict[str, Any]]:
    """New judgements, by (start, end, speaker) of the union rows the judges saw (two
    engines may give the same offsets to different speakers). A long article may be
    split between judges (``<article>-a.json``, ``<article>-b.json``): their rows are
    joined and their recall counts added."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        art = doc["article"]
        if art in docs:
            docs[art]["rows"] += doc["rows"]
            for k, v in doc["recall"].items():
                docs[art]["recall"][k] += v
        else:
            docs[art] = doc
    out = {}
    for art, doc in docs.items():
        seen = {r["row"]: r for r in rows_of(union / f"{art}.rows.jsonl")}
        r = doc["recall"]
        labels = {}
        for j in doc["rows"]:
            row = seen[j["row"]]
            assert (row["start"], row["end"]) == (j["start"], j["end"]), (art, j["row"])
            labels[(row["start"], row["end"], row["speaker"])] = j
        out[art] = {
            "labels": labels,
            "recall": {
                "rules": [r["expected"], r["rules_found"], r["rules_found_right_speaker"]],
                "neural": [r["expected"], r["neural_found"], r["neural_found_right_speaker"]],
            },
            "doc": doc,
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kept", action="append", default=[])
    ap.add_argument("--judged", default=None)
    ap.add_argument("--rows", default="/tmp/audit")
    ap.add_argument("--finals", default="main_rules:rules,main_neural:neural")
    ap.add_argument("--changed", default=None, help="JSON list of [article, start, end]")
    ap.add_argument("--keep", default=None)
    args = ap.parse_args()
    sources: dict[str, dict[str, Any]] = {}
    for kept in args.kept:
        sources.update(kept_labels(Path(kept)))
    union = Path(args.rows) / "union"
    new = judged_labels(Path(args.judged), union) if args.judged else {}
    sources.update(new)
    changed = (
        {tuple(x) for x in json.loads(Path(args.changed).read_text())} if args.changed else set()
    )
    base = Path(args.rows)
    for final in args.finals.split(","):
        folder, engine = final.split(":")
        judged: list[dict[str, Any]] = []
        recall = [0, 0, 0]
        missing = 0
        for art, source in sorted(sources.items()):
            for row in rows_of(base / folder / f"{art}.rows.jsonl"):
                labels = source["labels"]
                label = labels.get((row["start"], row["end"], row["speaker"])) or labels.get(
                    (row["start"], row["end"])
                )
                if label is None or (art, row["start"], row["end"]) in changed:
                    missing += 1
                else:
                    judged.append(label)
            recall = [a + b for a, b in zip(recall, source["recall"][engine], strict=True)]
        print(
            engine,
            f"{len(sources)} articles, {missing} rows unjudged",
            json.dumps(figures(judged, recall)),
        )
    if args.keep:
        kept_docs = [
            {
                "article": art,
                "rows": [
                    {k: j[k] for k in ("row", "start", "end", *LABELS)} for j in s["doc"]["rows"]
                ],
                "recall": s["doc"]["recall"],
            }
            for art, s in sorted(new.items())
        ]
        Path(args.keep).write_text(json.dumps(kept_docs, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
