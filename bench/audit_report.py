"""Figures of a reading audit (``../shared/eval/audit.md``) from its judgements.

    .venv/bin/python bench/audit_report.py --judged /tmp/audit/judged \
        --rows /tmp/audit --keep bench/audits/guardian-2026-12-03.json

``--judged`` holds one ``<article>.json`` per judged article (labels per row of the
``before`` and ``after`` row files, and recall counts), written by the judges from the
rows ``bench/audit_rows.py`` wrote under ``--rows``. The final engines' rows (``--finals``,
e.g. the rules and the neural engine at the commit measured) take the label of the same
row (same offsets, speaker and content) among those judged, or of a row judged later
(``--extra``); rows with neither are counted and reported, never guessed. A row counts
as *emitted* when a default listing shows it: every row of an engine without kinds, kind
``statement`` rows of one with them. Recall for the final engines is the judges' count
for the after rows. ``--keep`` writes the judgements with ids, offsets
and labels only (no article text) so the next audit can compare, row by row.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

LABELS = ("real", "speaker", "content", "act", "via", "usable")


def rows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["start"], row["end"], row["speaker"], row["content"])


def figures(judged: list[dict[str, Any]], recall: tuple[int, int, int]) -> dict[str, Any]:
    n = len(judged)
    real = [j for j in judged if j["real"]]
    share = lambda part, whole: round(100 * len(part) / len(whole), 1) if whole else None  # noqa: E731
    expected, found, right = recall
    return {
        "emitted": n,
        "precision": share(real, judged),
        "speaker_right": share([j for j in real if j["speaker"] == "right"], real),
        "content_right": share([j for j in real if j["content"] == "right"], real),
        "act_ok": share([j for j in real if j["act"] == "ok"], real),
        "fully_usable": share([j for j in judged if j["usable"]], judged),
        "recall": round(100 * found / expected, 1) if expected else None,
        "recall_right_speaker": round(100 * right / expected, 1) if expected else None,
    }


def listed(row: dict[str, Any]) -> bool:
    return row.get("kind", "statement") == "statement"


def labelled(rows: list[dict[str, Any]], labels: dict[tuple[Any, ...], dict[str, Any]]):
    """The judged labels of the listed rows, and how many listed rows have none."""
    judged, missing = [], 0
    for row in rows:
        if not listed(row):
            continue
        j = labels.get(key(row)) or labels.get((row["start"], row["end"]))
        if j is None:
            missing += 1
        else:
            judged.append(j)
    return judged, missing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judged", default="/tmp/audit/judged")
    ap.add_argument("--rows", default="/tmp/audit")
    ap.add_argument("--seen", default="after_judged_base", help="the after rows the judges saw")
    ap.add_argument("--extra", default="judged_delta", help="labels of rows judged later")
    ap.add_argument("--finals", default="final_rules,final_neural")
    ap.add_argument("--keep", default=None)
    args = ap.parse_args()
    base = Path(args.rows)
    finals = args.finals.split(",")
    sides: dict[str, list[dict[str, Any]]] = {"before": [], **{f: [] for f in finals}}
    recall = {s: [0, 0, 0] for s in sides}
    unjudged = dict.fromkeys(finals, 0)
    kept = []
    for path in sorted(Path(args.judged).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        art = doc["article"]
        record = {k: doc[k] for k in ("article", "before", "after", "recall")}
        before_rows = rows_of(base / "before" / f"{art}.rows.jsonl")
        seen = base / args.seen / f"{art}.rows.jsonl"
        after_rows = rows_of(seen if seen.exists() else base / "after" / f"{art}.rows.jsonl")
        by_row = {j["row"]: j for j in doc["before"]}
        sides["before"] += [by_row[r["row"]] for r in before_rows if r["row"] in by_row]
        labels = {}
        for row in after_rows:
            j = {x["row"]: x for x in doc["after"]}.get(row["row"])
            if j is not None:
                labels[key(row)] = j
        extra_path = base / args.extra / f"{art}.json"
        if extra_path.exists():
            extra = json.loads(extra_path.read_text(encoding="utf-8"))["rows"]
            record["later"] = extra
            labels.update({(j["start"], j["end"]): j for j in extra})
        r = doc["recall"]
        recall["before"] = [
            a + b
            for a, b in zip(
                recall["before"],
                (r["expected"], r["before_found"], r["before_found_right_speaker"]),
                strict=True,
            )
        ]
        for final in finals:
            judged, missing = labelled(rows_of(base / final / f"{art}.rows.jsonl"), labels)
            sides[final] += judged
            unjudged[final] += missing
            recall[final] = [
                a + b
                for a, b in zip(
                    recall[final],
                    (r["expected"], r["after_found"], r["after_found_right_speaker"]),
                    strict=True,
                )
            ]
        kept.append(record)
    print(f"{len(kept)} articles judged; listed rows without a judgement: {unjudged}")
    for side, judged in sides.items():
        print(side, json.dumps(figures(judged, tuple(recall[side]))))  # type: ignore[arg-type]
    if args.keep:
        Path(args.keep).parent.mkdir(parents=True, exist_ok=True)
        Path(args.keep).write_text(json.dumps(kept, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
