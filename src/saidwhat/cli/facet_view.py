"""``saidwhat quotes --facets``: the facets of a result as tables (``query.facets``).

One small table per facet (value, statements, a mark for the chosen ones) and the date
histogram as rows of bars, so the terminal shows what the search page's sidebar shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.table import Table

from saidwhat.query.facets import FacetSet

BAR = 30  # characters of the longest histogram bar


def facet_tables(facets: FacetSet, names: list[str]) -> Iterator[Any]:
    for name in names:
        if name == "date":
            if facets.date is not None:
                yield histogram_table(facets)
            continue
        table = Table(title=name.replace("_", " "), title_justify="left")
        table.add_column("value")
        if name == "speaker":
            table.add_column("id", justify="right")
        table.add_column("statements", justify="right")
        for v in getattr(facets, name) or []:
            label = ("* " if v.selected else "") + v.label
            cells = [label, v.value] if name == "speaker" else [label]
            table.add_row(*cells, str(v.count))
        yield table


def histogram_table(facets: FacetSet) -> Table:
    assert facets.date is not None
    buckets = facets.date.buckets
    table = Table(title=f"dates (per {facets.date.unit})", title_justify="left")
    for col, justify in (("from", "left"), ("to", "left"), ("statements", "right"), ("", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    peak = max((b.count for b in buckets), default=0) or 1
    for b in buckets:
        table.add_row(b.since, b.until, str(b.count), "█" * round(b.count * BAR / peak))
    return table
