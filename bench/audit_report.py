"""Figures of a reading audit (``../shared/eval/audit.md``) from its judgements.

    .venv/bin/python bench/audit_report.py --judged /tmp/audit/judged \
        --rows /tmp/audit --keep bench/audits/guardian-2026-12-03.json

``--judged`` holds one ``<article>.json`` per judged article (labels per row of the
``before`` and ``after`` row files, and recall counts), written by the judges from the
rows ``bench/audit_rows.py`` wrote under ``--rows`` (``before/``, ``after/`` and, for a
second engine, ``neural/`` with its extra rows judged in ``--judged-neural``). A row counts
as *emitted* when a default listing shows it: every row of an engine without kinds, kind
``statement`` rows of one with them. ``--keep`` writes the judgements with ids, offsets
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judged", default="/tmp/audit/judged")
    ap.add_argument("--judged-neural", default="/tmp/audit/judged_neural")
    ap.add_argument("--rows", default="/tmp/audit")
    ap.add_argument("--keep", default=None)
    args = ap.parse_args()
    rows_dir = Path(args.rows)
    sides: dict[str, list[dict[str, Any]]] = {"before": [], "after": [], "neural": []}
    recall = {s: [0, 0, 0] for s in sides}
    kept = []
    for path in sorted(Path(args.judged).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        art = doc["article"]
        kept.append({k: doc[k] for k in ("article", "before", "after", "recall")})
        by_key = {}
        for side in ("before", "after"):
            rows = rows_of(rows_dir / side / f"{art}.rows.jsonl")
            labels = {j["row"]: j for j in doc[side]}
            for row in rows:
                j = labels.get(row["row"])
                if j is None:
                    continue
                if side == "after":
                    by_key[key(row)] = j
                if side == "before" or listed(row):
                    sides[side].append(j)
            r = doc["recall"]
            recall[side][0] += r["expected"]
            recall[side][1] += r[f"{side}_found"]
            recall[side][2] += r[f"{side}_found_right_speaker"]
        neural_rows = rows_dir / "neural" / f"{art}.rows.jsonl"
        extra_path = Path(args.judged_neural) / f"{art}.json"
        extra = json.loads(extra_path.read_text()) if extra_path.exists() else {"rows": []}
        extra_by_pos = {(j["start"], j["end"]): j for j in extra["rows"]}
        complete = True
        judged_neural = []
        for row in rows_of(neural_rows) if neural_rows.exists() else []:
            j = by_key.get(key(row)) or extra_by_pos.get((row["start"], row["end"]))
            if j is None:
                complete = False
                break
            if listed(row):
                judged_neural.append(j)
        if complete and neural_rows.exists():
            sides["neural"] += judged_neural
            for i in range(3):  # recall: the after engine's counts, less what neural dropped
                recall["neural"][i] += [
                    doc["recall"]["expected"],
                    doc["recall"]["after_found"],
                    doc["recall"]["after_found_right_speaker"],
                ][i]
            if extra["rows"]:
                kept[-1]["neural_extra"] = extra["rows"]
    print(f"{len(kept)} articles judged")
    for side, judged in sides.items():
        if judged:
            print(side, json.dumps(figures(judged, tuple(recall[side]))))  # type: ignore[arg-type]
    if args.keep:
        Path(args.keep).parent.mkdir(parents=True, exist_ok=True)
        Path(args.keep).write_text(json.dumps(kept, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
