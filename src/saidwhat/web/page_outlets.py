"""Outlets and source chains (``/outlets``): which outlets report whom, directly or
through which intermediaries, narrowed by the same filters as the search.

The chains come from ``query.source_chains`` (one row per outlet, chain and speaker);
this page only groups them by outlet and by chain for reading: one card per outlet,
one line per chain (``direct``, ``← Tass``, …) listing the speakers heard that way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from saidwhat.query import ChainRow, list_outlets, source_chains
from saidwhat.web.cache import furniture
from saidwhat.web.params import PageFiltersDep, StoreDep, filter_params, raw_params
from saidwhat.web.render import templates

router = APIRouter(include_in_schema=False)

MAX_CHAIN_ROWS = 3000  # enough for a large corpus' picture; the rest are one-offs
SPEAKERS_PER_LINE = 14


@dataclass
class ChainLine:
    via: list[str]
    rows: list[ChainRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(r.count for r in self.rows)


@dataclass
class OutletCard:
    name: str | None
    lines: dict[tuple[str, ...], ChainLine] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines.values())

    @property
    def relayed(self) -> int:
        return sum(line.count for line in self.lines.values() if line.via)

    def ordered(self) -> list[ChainLine]:
        """Direct first, then chains by how much they carry."""
        return sorted(self.lines.values(), key=lambda c: (bool(c.via), -c.count, c.via))


def group_chains(rows: list[ChainRow], relayed_only: bool = False) -> list[OutletCard]:
    cards: dict[str | None, OutletCard] = {}
    for r in rows:
        if relayed_only and not r.via:
            continue
        card = cards.setdefault(r.outlet, OutletCard(r.outlet))
        card.lines.setdefault(tuple(r.via), ChainLine(list(r.via))).rows.append(r)
    return sorted(cards.values(), key=lambda c: (c.name is None, -c.count, c.name or ""))


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, store: StoreDep, found: PageFiltersDep) -> HTMLResponse:
    f, error = found
    relayed_only = request.query_params.get("relayed") in ("1", "true", "on")
    cards: list[OutletCard] = []
    if f is not None:
        rows = source_chains(store, f.replace(limit=MAX_CHAIN_ROWS, offset=0))
        cards = group_chains(rows, relayed_only)
    params = filter_params(f) if f is not None else raw_params(request)
    context = {
        "nav": "outlets",
        "outlets": furniture(request, "outlets", lambda: list_outlets(store)),
        "cards": cards,
        "params": params,
        "relayed_only": relayed_only,
        "per_line": SPEAKERS_PER_LINE,
        "error": error,
        "relayed": sum(c.relayed for c in cards),
        "total": sum(c.count for c in cards),
    }
    return templates.TemplateResponse(
        request, "outlets.html", context, status_code=400 if error else 200
    )
