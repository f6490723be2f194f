"""Eval results for people (a rich table) and for machines (JSON, error JSONL)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from saidwhat.evaluation.run import SplitResult

LABELS = {
    "content_overlap": "content (overlap)",
    "content_exact": "content (exact)",
    "source": "source",
    "cue": "cue",
}


def scores_table(results: Sequence[SplitResult], title: str = "saidwhat eval") -> Table:
    """One row per split and metric: P, R, F1 and the counts behind them."""
    table = Table(title=title)
    table.add_column("split", style="bold", no_wrap=True)
    table.add_column("metric", no_wrap=True)
    for col in ("P", "R", "F1", "TP", "pred", "gold"):
        table.add_column(col, justify="right", no_wrap=True)
    for res in results:
        for i, (metric, c) in enumerate(res.scores.metrics.items()):
            table.add_row(
                res.name if i == 0 else "",
                LABELS.get(metric, metric),
                f"{c.precision:.3f}",
                f"{c.recall:.3f}",
                f"[bold]{c.f1:.3f}[/bold]",
                str(c.tp),
                str(c.n_pred),
                str(c.n_gold),
                end_section=i == len(res.scores.metrics) - 1,
            )
    table.caption = "; ".join(f"{r.name}: {r.scores.docs} docs, {r.seconds:.1f}s" for r in results)
    return table


def results_json(results: Sequence[SplitResult], **meta: Any) -> dict[str, Any]:
    """The machine-readable results: ``meta`` (gold path, model ...) plus one entry per split."""
    return {
        **meta,
        "splits": {
            r.name: {
                **r.scores.to_dict(),
                "seconds": round(r.seconds, 2),
                "failures": r.failures,
            }
            for r in results
        },
    }


def write_errors(results: Sequence[SplitResult], path: Path) -> int:
    """Write every miss, false alarm and wrong span as JSONL; returns the row count."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in results:
            for row in r.scores.errors:
                fh.write(json.dumps({"split": r.name, **row}, ensure_ascii=False) + "\n")
                n += 1
    return n
