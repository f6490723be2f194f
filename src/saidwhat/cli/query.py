"""Read commands: ``quotes``, ``speakers``, ``speaker``, ``article``, ``chains``,
``stats`` and ``export``.

Thin by design: options become a ``QueryFilters``, the ``saidwhat.query`` functions do
the work, and this module only formats (rich tables on a terminal, ``--json`` as one
JSON object per line, ``--csv`` with a header). ``register(main)`` adds the commands to
the ``saidwhat`` group.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from saidwhat.store.engine import DB_ENV, DEFAULT_DB

err_console = Console(stderr=True, soft_wrap=True)  # one line per error, never wrapped

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


def wide_console() -> Console:
    """Standard output; piped output is not squeezed into 80 columns (it is read in pagers
    and logs, where wrapped table cells are unreadable)."""
    return Console(width=None if sys.stdout.isatty() else 160)


def act_style(act: str) -> str:
    return ACT_STYLES.get(act, "white")


# -- shared options ----------------------------------------------------------------------


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        envvar=DB_ENV,
        default=None,
        help=f"Store: a SQLite path or postgresql://... URL (default ./{DEFAULT_DB}).",
    )(f)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")(f)
    return click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")(f)


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The statement filters every listing command shares (see ``QueryFilters``)."""
    options = [
        click.option("--speaker", help="Entity id or name (aliases, any case)."),
        click.option("--about", help="Words in the statement (full-text, stemmed)."),
        click.option("--act", multiple=True, help="Speech act(s): deny, warn, ... (repeat)."),
        click.option("--type", "type_", multiple=True, help="direct | indirect | mixed."),
        click.option("--since", help="From this ISO date (YYYY[-MM[-DD]])."),
        click.option("--until", help="Up to this ISO date, inclusive."),
        click.option("--outlet", help="Reported by this outlet or agency."),
        click.option("--via", help="Through this intermediary (substring)."),
        click.option("--distinct-claims", is_flag=True, help="Count syndicated copies once."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def make_filters(limit: int | None, offset: int = 0, **opts: Any):  # type: ignore[no-untyped-def]
    from saidwhat.query import QueryFilters

    try:
        return QueryFilters(
            speaker=opts.get("speaker"),
            about=opts.get("about"),
            act=tuple(opts.get("act") or ()) or None,
            type=tuple(opts.get("type_") or ()) or None,
            since=opts.get("since"),
            until=opts.get("until"),
            outlet=opts.get("outlet"),
            via=opts.get("via"),
            article_id=opts.get("article"),
            distinct_claims=bool(opts.get("distinct_claims")),
            limit=limit,
            offset=offset,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def open_db(db: str | None):  # type: ignore[no-untyped-def]
    from saidwhat.query import StoreNotFound, open_reader

    try:
        return open_reader(db)
    except StoreNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # bad URL, server down, unreadable file: one line, exit 1
        raise click.ClickException(f"cannot open store {db or DEFAULT_DB}: {exc}") from exc


def emit(records: Iterable[dict[str, Any]], as_json: bool, as_csv: bool) -> bool:
    """Write machine-readable output when asked; False means: print a table instead."""
    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    if as_json:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return True
    if as_csv:
        writer: csv.DictWriter[str] | None = None
        for r in records:
            flat = {k: _flat(v) for k, v in r.items()}
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=list(flat))
                writer.writeheader()
            writer.writerow(flat)
        return True
    return False


def show(parts: Iterable[Any]) -> None:
    """Print renderables one below the other (``print(*parts)`` would join texts)."""
    console = wide_console()
    for part in parts:
        console.print(part)


def _flat(v: Any) -> Any:
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return "; ".join(v)
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else v


def _short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def chain_text(outlet: str | None, via: list[str], speaker: str | None) -> str:
    """IANS ← Tass ← Peskov: who reported it, through whom, from whom."""
    return " ← ".join([outlet or "?", *via, speaker or "?"])


# -- commands ----------------------------------------------------------------------------


@click.command("quotes")
@filter_options
@click.option("--article", help="Only this article (id or unique id prefix).")
@click.option("--limit", default=20, show_default=True, help="Rows to show (0: all).")
@click.option("--offset", default=0, help="Skip this many rows first.")
@output_options
@db_option
def quotes_command(
    db: str | None, limit: int, offset: int, as_json: bool, as_csv: bool, **opts: Any
) -> None:
    """Search statements: who said what, when, through whom (newest first)."""
    from saidwhat.query import find_article, search_statements

    with open_db(db) as store:
        if opts.get("article"):
            opts["article"] = find_article(store, opts["article"]) or opts["article"]
        f = make_filters(limit or None, offset, **opts)
        page = search_statements(store, f, with_total=not (as_json or as_csv))
    if emit((r.to_dict() for r in page.items), as_json, as_csv):
        return
    table = Table(title=f"{page.total} statements" + _shown(page), show_lines=True)
    table.add_column("date", style="dim", no_wrap=True)
    table.add_column("speaker", style="bold")
    table.add_column("act")
    table.add_column("statement", overflow="fold", ratio=3)
    table.add_column("source chain", overflow="fold")
    table.add_column("outlets", justify="right")
    table.add_column("article", style="dim", no_wrap=True)
    for r in page.items:
        table.add_row(
            r.date or "",
            r.speaker or "?",
            Text(r.act, style=act_style(r.act)),
            _short(r.content),
            chain_text(r.reported_by, r.via, r.speaker),
            str(r.outlet_count),
            r.article_id[:8],
        )
    wide_console().print(table)


def _shown(page: Any) -> str:
    if page.total is None or len(page.items) >= page.total:
        return ""
    return f" (showing {page.offset + 1}–{page.offset + len(page.items)})"


@click.command("speakers")
@filter_options
@click.option("--entity-type", help="PERSON, ORG, ... (default: all).")
@click.option("--limit", default=30, show_default=True, help="Rows to show (0: all).")
@output_options
@db_option
def speakers_command(
    db: str | None, entity_type: str | None, limit: int, as_json: bool, as_csv: bool, **opts: Any
) -> None:
    """Who speaks most: statements, distinct claims, roles, first and last day."""
    from saidwhat.query import list_speakers

    f = make_filters(limit or None, **opts)
    with open_db(db) as store:
        page = list_speakers(store, f, entity_type=entity_type)
    if emit((s.to_dict() for s in page.items), as_json, as_csv):
        return
    table = Table(title=f"{page.total} speakers" + _shown(page))
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
    wide_console().print(table)


@click.command("speaker")
@click.argument("name")
@click.option("--since", help="Timeline from this ISO date.")
@click.option("--until", help="Timeline up to this ISO date.")
@click.option("--json", "as_json", is_flag=True, help="Profile, timeline and topics as JSON.")
@db_option
def speaker_command(
    db: str | None, name: str, since: str | None, until: str | None, as_json: bool
) -> None:
    """One speaker: roles over time, statements per day by act, topics, latest quotes."""
    from saidwhat.cli_views import speaker_view
    from saidwhat.query import get_speaker, search_statements, speaker_timeline, speaker_topics

    f = make_filters(10, since=since, until=until)
    with open_db(db) as store:
        detail = get_speaker(store, name)
        if detail is None:
            raise click.ClickException(f"no speaker matches {name!r}")
        timeline = speaker_timeline(store, detail.id, f)
        topics = speaker_topics(store, detail.id, limit=15)
        latest = search_statements(store, f.replace(speaker=detail.id), with_total=False)
    if as_json:
        doc = {
            "speaker": detail.to_dict(),
            "timeline": [p.to_dict() for p in timeline],
            "topics": [{"term": t, "count": n} for t, n in topics],
            "latest": [r.to_dict() for r in latest.items],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return
    show(speaker_view(detail, timeline, topics, latest.items))


@click.command("article")
@click.argument("article_id")
@click.option(
    "--json", "as_json", is_flag=True, help="The article, statements and entities as JSON."
)
@db_option
def article_command(db: str | None, article_id: str, as_json: bool) -> None:
    """An article's text with its statements marked (speaker, cue, content by act).

    ARTICLE_ID may be shortened to any unique prefix (as `quotes` shows it)."""
    from saidwhat.cli_views import article_view
    from saidwhat.query import find_article, get_article

    with open_db(db) as store:
        full_id = find_article(store, article_id)
        detail = get_article(store, full_id) if full_id else None
    if detail is None:
        raise click.ClickException(f"no article {article_id!r}")
    if as_json:
        sys.stdout.write(json.dumps(detail.to_dict(), ensure_ascii=False) + "\n")
        return
    show(article_view(detail))


@click.command("chains")
@filter_options
@click.option("--limit", default=30, show_default=True, help="Rows to show (0: all).")
@output_options
@db_option
def chains_command(db: str | None, limit: int, as_json: bool, as_csv: bool, **opts: Any) -> None:
    """Source chains: which outlets report whom, through which intermediaries."""
    from saidwhat.query import source_chains

    with open_db(db) as store:
        rows = source_chains(store, make_filters(limit or None, **opts))
    if emit((c.to_dict() for c in rows), as_json, as_csv):
        return
    table = Table(title="source chains (outlet ← via ← speaker)")
    table.add_column("chain", overflow="fold")
    table.add_column("statements", justify="right")
    for c in rows:
        table.add_row(chain_text(c.outlet, c.via, c.speaker), str(c.count))
    wide_console().print(table)


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
@db_option
def stats_command(db: str | None, as_json: bool) -> None:
    """What the store holds: articles, copies, statements, claims, speakers, outlets."""
    from saidwhat.query import list_outlets, stats

    with open_db(db) as store:
        s = stats(store)
        outlets = list_outlets(store, limit=10)
    if as_json:
        doc = s.to_dict() | {"top_outlets": [o.to_dict() for o in outlets]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"store {store.url}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("count", justify="right")
    for key, value in s.to_dict().items():
        if key != "acts":
            table.add_row(key.replace("_", " "), str(value if value is not None else "—"))
    acts = Table(title="statements by act")
    acts.add_column("act")
    acts.add_column("n", justify="right")
    for act, n in s.acts.items():
        acts.add_row(Text(act, style=act_style(act)), str(n))
    top = Table(title="top outlets")
    for col in ("outlet", "articles", "statements", "first", "last"):
        top.add_column(col)
    for o in outlets:
        top.add_row(
            o.name, str(o.articles), str(o.statements), o.first_date or "", o.last_date or ""
        )
    show([table, acts, top])


@click.command("export")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--limit", default=0, help="At most this many statements (0: all).")
@db_option
def export_command(db: str | None, fmt: str, out: str, limit: int, **opts: Any) -> None:
    """Export statements (all, or those matching the filters) as JSONL, CSV or Parquet."""
    from saidwhat.query.export import export_statements

    f = make_filters(None, **opts)
    with open_db(db) as store:
        try:
            n = export_statements(store, out, fmt, f, limit=limit or None)
        except OSError as exc:
            raise click.ClickException(f"{out}: {exc.strerror or exc}") from exc
    err_console.print(f"{n} statements written to {out}", highlight=False)


COMMANDS = [
    quotes_command,
    speakers_command,
    speaker_command,
    article_command,
    chains_command,
    stats_command,
    export_command,
]


def register(group: click.Group) -> None:
    """Add the read commands to the ``saidwhat`` group."""
    for command in COMMANDS:
        group.add_command(command)
