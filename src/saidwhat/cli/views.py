"""Rich renderings of what the commands print: pure functions from the library's
dataclasses (``saidwhat.query`` results, an ``Analysis``) to tables and texts.

Kept apart from the commands (options and dispatch) because these are the only parts
with layout logic: a per-day sparkline coloured by speech act, and article text with
statement content, cues and speaker mentions styled in place (offsets come straight from
the store, so the markup lands exactly on the words the extractor found).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from saidwhat.wording import counted

if TYPE_CHECKING:  # the types only: rendering needs no SQL at import time
    from saidwhat.query import (
        ChainRow,
        Comparison,
        OutletRow,
        Page,
        SpeakerDetail,
        SpeakerRow,
        StatementRow,
        Stats,
        TimelinePoint,
    )
    from saidwhat.schema import Analysis
    from saidwhat.store import ErrorRecord

ACT_STYLES = {
    "assert": "white",
    "report": "white",
    "believe": "cyan",
    "confirm": "green",
    "deny": "red",
    "reject": "red3",
    "accuse": "magenta",
    "warn": "yellow",
    "threaten": "bright_red",
    "propose": "blue",
    "promise": "bright_blue",
    "appeal": "bright_cyan",
    "ask": "bright_magenta",
    "thank": "bright_green",
    "praise": "green3",
}


def act_style(act: str) -> str:
    return ACT_STYLES.get(act, "white")


def chain_text(outlet: str | None, via: list[str], speaker: str | None) -> str:
    """IANS ← Tass ← Peskov: who reported it, through whom, from whom."""
    return " ← ".join([outlet or "?", *via, speaker or "?"])


def short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def shown_range(page: Page[Any]) -> str:
    """`` (showing 21–40)`` when a page holds fewer than all matches."""
    if page.total is None or len(page.items) >= page.total:
        return ""
    return f" (showing {page.offset + 1}–{page.offset + len(page.items)})"


# -- extract -------------------------------------------------------------------------------


def statements_table(analysis: Analysis) -> Table:
    """speaker — act — quote — via, for one analysed article (``saidwhat extract``)."""
    art = analysis.article
    title = art.title or art.path or art.id
    meta = " · ".join(x for x in (art.date, art.reported_by) if x)
    table = Table(title=f"{title}" + (f"  [dim]({meta})[/dim]" if meta else ""), show_lines=False)
    table.add_column("speaker", style="bold")
    table.add_column("act")
    table.add_column("type", style="dim")
    table.add_column("statement", overflow="fold", ratio=3)
    table.add_column("through (outlet ← intermediaries)")
    table.add_column("date", style="dim")
    for st in analysis.statements:
        quote = st.content_text
        if len(quote) > 160:
            quote = quote[:157] + "…"
        via = " ← ".join([x for x in [st.reported_by] if x] + [v.name for v in st.via])
        table.add_row(
            st.speaker_name or "?", st.act, st.type, quote, via, st.date or _range(st.date_range)
        )
    return table


def _range(r: tuple[str, str] | None) -> str:
    return f"{r[0]}..{r[1]}" if r else ""


# -- listings ------------------------------------------------------------------------------


def quotes_table(page: Page[StatementRow], cut: int | None = 160) -> Table:
    """A page of statements (``saidwhat quotes``), cut at ``cut`` characters (None: whole)."""
    table = Table(title=counted(page.total or 0, "statement") + shown_range(page), show_lines=True)
    table.add_column("date", style="dim", no_wrap=True)
    table.add_column("speaker", style="bold")
    table.add_column("act")
    table.add_column("statement", overflow="fold", ratio=3)
    table.add_column("source chain", overflow="fold")
    table.add_column("outlets", justify="right")
    table.add_column("article", style="dim", no_wrap=True)
    # search by meaning: the cosine to the query, and the id that --like-id takes
    ranked = any(r.similarity is not None for r in page.items)
    if ranked:
        table.add_column("similar", justify="right")
        table.add_column("id", style="dim", justify="right")
    for r in page.items:
        extra = [f"{r.similarity:.2f}" if r.similarity is not None else "", str(r.id)]
        table.add_row(
            r.date or "",
            speaker_cell(r.speaker, r.speaker_kind),
            act_cell(r.act, r.confidence, r.kind),
            short(r.content, cut) if cut else r.content,
            chain_text(r.reported_by, r.via, r.speaker),
            str(r.outlet_count),
            r.article_id[:8],
            *(extra if ranked else []),
        )
    return table


def compare_table(comparison: Comparison, cut: int | None = 200) -> Table:
    """Speakers side by side (``saidwhat compare``): a column per speaker headed by the
    totals and acts over every match, then that speaker's statements newest first."""
    about = f" on {comparison.about!r}" if comparison.about else ""
    table = Table(title=f"Compared{about}", show_lines=True)
    for side in comparison.sides:
        head = Text(f"{side.name}", style="bold")
        head.append(f" ({side.type}, id {side.id})", style="dim")
        span = " to ".join(d for d in dict.fromkeys((side.first_date, side.last_date)) if d)
        head.append(f"\n{counted(side.total, 'statement')}" + (f", {span}" if span else ""))
        for act, n in side.acts.items():
            head.append("\n")
            head.append(act, style=act_style(act))
            head.append(f" {n}")
        table.add_column(head, overflow="fold", ratio=1, vertical="top")
    depth = max((len(side.statements) for side in comparison.sides), default=0)
    for i in range(depth):
        cells = []
        for side in comparison.sides:
            if i >= len(side.statements):
                cells.append(Text(""))
                continue
            r = side.statements[i]
            cell = Text(f"{r.date or 'undated'} ", style="dim")
            cell.append(r.act, style=act_style(r.act))
            cell.append("\n" + (short(r.content, cut) if cut else r.content))
            cells.append(cell)
        table.add_row(*cells)
    return table


def speaker_cell(name: str | None, speaker_kind: str | None) -> Text:
    """The speaker, with what kind of speaker it is when the article names no one: a
    described person, an anonymous source, an unresolved phrase, or a person the store
    inferred from a dated role (shown, so nobody mistakes it for a name in the text)."""
    cell = Text(name or "?")
    if speaker_kind in ("described", "anonymous", "unresolved", "inferred"):
        cell.append(f" ({speaker_kind})", style="dim italic")
    return cell


def act_cell(act: str, confidence: float | None = None, kind: str = "statement") -> Text:
    """The act in its colour, a dim ``belief``, ``hedge`` or ``author`` beside it for a row that is
    not words said (so one listed with ``--all-kinds`` never passes for a quote),
    and under it the confidence when the engine gave one (dim: a second line in a cell
    the quote already makes tall, not another column)."""
    cell = Text(act, style=act_style(act))
    if kind != "statement":
        cell.append(f" {kind}", style="dim italic")
    if confidence is not None:
        cell.append(f"\nconf {confidence:.2f}", style="dim")
    return cell


def speakers_table(page: Page[SpeakerRow]) -> Table:
    """A page of the speakers ranking (``saidwhat speakers``)."""
    table = Table(title=counted(page.total or 0, "speaker") + shown_range(page))
    for col, kw in [
        ("id", {"style": "dim", "justify": "right"}),
        ("speaker", {"style": "bold"}),
        ("type", {"style": "dim"}),
        ("roles", {"overflow": "fold"}),
        ("statements", {"justify": "right"}),
        ("claims", {"justify": "right"}),
        ("first", {"style": "dim"}),
        ("last", {"style": "dim"}),
    ]:
        table.add_column(col, **kw)
    for s in page.items:
        table.add_row(
            str(s.id),
            s.name,
            s.type,
            ", ".join(s.roles),
            str(s.statements),
            str(s.claims),
            s.first_date or "",
            s.last_date or "",
        )
    return table


def chains_table(rows: Sequence[ChainRow]) -> Table:
    """Source chains with their counts (``saidwhat chains``)."""
    table = Table(title="source chains (outlet ← via ← speaker)")
    table.add_column("chain", overflow="fold")
    table.add_column("statements", justify="right")
    for c in rows:
        table.add_row(chain_text(c.outlet, c.via, c.speaker), str(c.count))
    return table


def stats_view(store_url: str, s: Stats, outlets: Sequence[OutletRow]) -> list[Any]:
    """The renderables of ``saidwhat stats``: counts, statements by act, top outlets."""
    table = Table(title=f"store {store_url}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("count", justify="right")
    for key, value in s.to_dict().items():
        if key not in ("acts", "kinds", "speaker_kinds", "top_outlets"):  # tables of their own
            table.add_row(key.replace("_", " "), str(value if value is not None else "—"))
    acts = Table(title="statements by act")
    acts.add_column("act")
    acts.add_column("n", justify="right")
    for act, n in s.acts.items():
        acts.add_row(Text(act, style=act_style(act)), str(n))
    kinds = Table(title="statements by kind")
    kinds.add_column("kind")
    kinds.add_column("n", justify="right")
    for kind, n in s.kinds.items():
        kinds.add_row(kind, str(n))
    speaker_kinds = Table(title="by speaker kind")
    speaker_kinds.add_column("speaker kind")
    speaker_kinds.add_column("n", justify="right")
    for kind, n in s.speaker_kinds.items():
        speaker_kinds.add_row(kind, str(n))
    top = Table(title="top outlets")
    for col in ("outlet", "articles", "statements", "first", "last"):
        top.add_column(col)
    for o in outlets:
        top.add_row(
            o.name, str(o.articles), str(o.statements), o.first_date or "", o.last_date or ""
        )
    return [table, acts, kinds, speaker_kinds, top]


def errors_table(errors: Sequence[ErrorRecord]) -> Table:
    """The inputs that failed to ingest (``saidwhat errors``)."""
    table = Table(title=f"{len(errors)} failed inputs")
    table.add_column("path", overflow="fold")
    table.add_column("stage")
    table.add_column("reason", overflow="fold", ratio=2)
    table.add_column("at", style="dim")
    for e in errors:
        table.add_row(e.path, e.stage, e.reason, e.at.strftime("%Y-%m-%d %H:%M:%S"))
    return table


# -- one speaker, one article --------------------------------------------------------------

BARS = "▁▂▃▄▅▆▇█"
MAX_COLUMNS = 90


def _day(s: str) -> date:
    return date.fromisoformat(s[:10])


def _bucket(days: Sequence[date]) -> tuple[str, Any]:
    """The coarsest unit that keeps the sparkline within ``MAX_COLUMNS``."""
    span = (max(days) - min(days)).days + 1
    if span <= MAX_COLUMNS:
        return "day", lambda d: d
    if span <= MAX_COLUMNS * 7:
        return "week", lambda d: d - timedelta(days=d.weekday())
    return "month", lambda d: d.replace(day=1)


def _steps(first: date, last: date, unit: str) -> list[date]:
    out, d = [], first
    while d <= last:
        out.append(d)
        if unit == "day":
            d += timedelta(days=1)
        elif unit == "week":
            d += timedelta(days=7)
        else:
            d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def sparkline(points: Sequence[TimelinePoint]) -> list[Any]:
    """Statements per day (or week/month for long spans): bar height = count, colour =
    the day's most frequent act; then a legend of acts."""
    points = [p for p in points if p.day]
    if not points:
        return [Text("no dated statements", style="dim")]
    unit, key = _bucket([_day(p.day) for p in points])
    per: dict[date, Counter[str]] = defaultdict(Counter)
    for p in points:
        per[key(_day(p.day))][p.act] += p.count
    steps = _steps(min(per), max(per), unit)
    top = max(sum(c.values()) for c in per.values())
    line = Text()
    for step in steps:
        acts = per.get(step)
        if not acts:
            line.append(" ")
            continue
        n = sum(acts.values())
        level = min(len(BARS) - 1, round((len(BARS) - 1) * n / top)) if top > 1 else len(BARS) - 1
        line.append(BARS[level], style=act_style(acts.most_common(1)[0][0]))
    first, last = steps[0].isoformat(), steps[-1].isoformat()
    gap = max(1, len(steps) - len(first) - len(last))
    axis = Text(
        first + " " * gap + last if len(steps) > len(first) + len(last) else f"{first} … {last}",
        style="dim",
    )
    totals: Counter[str] = Counter()
    for c in per.values():
        totals.update(c)
    legend = Text(f"per {unit}, max {top}:  ", style="dim")
    for act, n in totals.most_common():
        legend.append(f"■ {act} {n}  ", style=act_style(act))
    return [line, axis, legend]


def speaker_view(
    detail: SpeakerDetail,
    timeline: Sequence[TimelinePoint],
    topics: Sequence[tuple[str, int]],
    latest: Sequence[StatementRow],
) -> list[Any]:
    """The renderables of ``saidwhat speaker NAME``."""
    head = Text()
    head.append(detail.name, style="bold")
    head.append(f"  #{detail.id} {detail.type}  ", style="dim")
    head.append(
        f"{counted(detail.statements, 'statement')} "
        f"({counted(detail.claims, 'distinct claim')}), "
        f"{detail.first_date or '?'} … {detail.last_date or '?'}"
    )
    parts: list[Any] = [head]
    others = [a for a in detail.aliases if a != detail.name]
    if others:
        parts.append(Text("also named: " + ", ".join(others), style="dim"))
    if detail.roles:
        roles = Table(title="roles over time", title_justify="left")
        for col in ("role", "first seen", "last seen", "articles"):
            roles.add_column(col)
        for r in detail.roles:
            roles.add_row(r.role, r.first_seen or "", r.last_seen or "", str(r.count))
        parts.append(roles)
    parts.append(Text("\nstatements over time", style="bold"))
    parts += sparkline(timeline)
    if detail.via or detail.outlets:
        where = Text("\nreported by: ", style="bold")
        where.append(", ".join(f"{k} ({v})" for k, v in detail.outlets.items()))
        if detail.via:
            where.append("\nthrough: ", style="bold")
            where.append(", ".join(f"{k} ({v})" for k, v in detail.via.items()))
        parts.append(where)
    if topics:
        t = Text("topics: ", style="bold")
        t.append(", ".join(f"{term} ({n})" for term, n in topics))
        parts.append(t)
    if latest:
        table = Table(title="latest statements", title_justify="left", show_lines=True)
        table.add_column("date", style="dim", no_wrap=True)
        table.add_column("act")
        table.add_column("statement", overflow="fold", ratio=3)
        table.add_column("source chain", overflow="fold")
        for r in latest:
            table.add_row(
                r.date or "",
                act_cell(r.act, kind=r.kind),
                r.content,
                chain_text(r.reported_by, r.via, None).removesuffix(" ← ?"),
            )
        parts.append(table)
    return parts
