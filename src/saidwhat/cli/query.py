"""Read commands: ``quotes``, ``speakers``, ``speaker``, ``article``, ``chains``,
``stats``, ``export`` and ``errors``.

Thin by design: options (declared once in ``options``) become a ``QueryFilters``, the
``saidwhat.query`` functions do the work, ``views`` renders tables and ``output`` writes
the machine-readable formats. Every command here but ``errors`` opens the store as a
reader: a missing SQLite file is an error naming it, never a new empty store.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click
from rich.console import Console

from saidwhat.cli.article_text import article_view
from saidwhat.cli.facet_view import facet_tables
from saidwhat.cli.options import (
    JSON_DOCUMENT_ALIAS,
    JSON_LINES_ALIAS,
    STATEMENT_FILTERS,
    StoreLocation,
    filter_options,
    format_option,
    limit_option,
    make_filters,
    offset_option,
    store_option,
)
from saidwhat.cli.output import emit_records, err_console, show, wide_console, write_json
from saidwhat.cli.views import (
    chains_table,
    errors_table,
    quotes_table,
    speaker_view,
    speakers_table,
    stats_view,
)
from saidwhat.query.facets import FACETS
from saidwhat.query.sorting import SORTS, check_sort
from saidwhat.wording import counted

RECORD_FORMATS = ("table", "json", "jsonl", "csv")
DOCUMENT_FORMATS = ("table", "json")


@click.command("quotes")
@filter_options(*STATEMENT_FILTERS, "article")
@click.option(
    "--like",
    help="Search by meaning: statements closest to this text (full text and embeddings, "
    "fused by rank), best first; the other filters apply.",
)
@click.option(
    "--like-id",
    "like_id",
    type=click.IntRange(1, 2**31 - 1),
    help="More like this: statements closest in meaning to statement ID.",
)
@limit_option(20)
@offset_option()
@format_option(
    *RECORD_FORMATS,
    "parquet",
    aliases=JSON_LINES_ALIAS,
    help="Output: table, json, jsonl or csv (this page); with --output, csv, jsonl or "
    "parquet (the whole result).",
)
@click.option("--full", is_flag=True, help="Statements in full in the table (not cut at 160).")
@click.option(
    "--width",
    type=click.IntRange(40, 1000),
    default=None,
    help="Table width in columns (default: the terminal's, or 160 when piped).",
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default=None,
    help="newest (default), oldest, or relevance (best match to --about first).",
)
@click.option(
    "--facets",
    "facet_names",
    default=None,
    metavar="NAMES",
    help=f"Count the whole result per value of these facets (comma list: {', '.join(FACETS)}); "
    "each is counted without its own filter. Printed as tables, or in --format json.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write every matching statement (not one page) to this file, in --format csv, "
    "jsonl or parquet (as `saidwhat export`).",
)
@store_option(create=False)
def quotes_command(
    db: StoreLocation,
    limit: int,
    offset: int,
    fmt: str,
    full: bool,
    width: int | None,
    sort: str | None,
    facet_names: str | None,
    output: str | None,
    **opts: Any,
) -> None:
    """Search statements: who said what, when, through whom (newest first; with --like,
    closest in meaning first)."""
    from saidwhat.query import find_article, search_statements
    from saidwhat.query.facets import check_facets, facet_counts

    names = _facet_names(facet_names, fmt, output)
    if output is None and fmt == "parquet":
        raise click.UsageError("--format parquet writes a file: give --output FILE")
    with db.open() as store:
        if opts.get("article"):
            full_id = find_article(store, opts["article"])
            if full_id is None:
                raise click.ClickException(f"no article {opts['article']!r}")
            opts["article"] = full_id
        f = make_filters(limit or None, offset, **opts)
        if output is not None:
            _write_result(store, f, fmt, output, sort)
            return
        page = search_statements(store, f, with_total=fmt == "table" or bool(names), sort=sort)
        facets = facet_counts(store, f, check_facets(names)) if names else None
    if facets is not None and fmt == "json":
        document = {"items": [r.to_dict() for r in page.items], "total": page.total}
        write_json(document | {"facets": asdict(facets)})
        return
    if not emit_records((r.to_dict() for r in page.items), fmt):
        console = wide_console(width)
        console.print(quotes_table(page, cut=None if full else 160))
        for table in facet_tables(facets, names) if facets is not None else []:
            console.print(table)


def _facet_names(given: str | None, fmt: str, output: str | None) -> list[str]:
    """The ``--facets`` asked for (a usage error naming the valid ones otherwise)."""
    from saidwhat.query import UnknownValue
    from saidwhat.query.facets import check_facets

    try:
        names = check_facets(given)
    except UnknownValue as exc:
        raise click.UsageError(str(exc)) from exc
    if names and (output is not None or fmt not in ("table", "json")):
        raise click.UsageError(
            "--facets prints tables or JSON: --format table or json, no --output"
        )
    return names


def _write_result(store: Any, f: Any, fmt: str, output: str, sort: str | None) -> None:
    """``quotes --output FILE``: the whole result, as ``saidwhat export`` writes it."""
    from saidwhat.query.export import FORMATS, export_statements

    if fmt not in FORMATS:
        raise click.UsageError(f"--output writes {', '.join(FORMATS)}: give --format")
    try:
        n = export_statements(store, output, fmt, f, sort=check_sort(sort))
    except OSError as exc:
        raise click.ClickException(f"{output}: {exc.strerror or exc}") from exc
    err_console.print(f"{counted(n, 'statement')} written to {output}", highlight=False)


@click.command("speakers")
@filter_options()
@click.option("--entity-type", help="PERSON, ORG, ... (default: all).")
@limit_option(30)
@format_option(*RECORD_FORMATS, aliases=JSON_LINES_ALIAS)
@store_option(create=False)
def speakers_command(
    db: StoreLocation, entity_type: str | None, limit: int, fmt: str, **opts: Any
) -> None:
    """Who speaks most: statements, distinct claims, roles, first and last day."""
    from saidwhat.query import list_speakers

    f = make_filters(limit or None, **opts)
    with db.open() as store:
        page = list_speakers(store, f, entity_type=entity_type)
    if not emit_records((s.to_dict() for s in page.items), fmt):
        wide_console().print(speakers_table(page))


@click.command("speaker")
@click.argument("name")
@filter_options(
    "since",
    "until",
    help={"since": "Timeline from this ISO date.", "until": "Timeline up to this ISO date."},
)
@format_option(
    *DOCUMENT_FORMATS,
    aliases=JSON_DOCUMENT_ALIAS,
    help="Output: table, or json (profile, timeline, topics and latest as one object).",
)
@store_option(create=False)
def speaker_command(
    db: StoreLocation, name: str, since: str | None, until: str | None, fmt: str
) -> None:
    """One speaker: roles over time, statements per day by act, topics, latest quotes."""
    from saidwhat.query import get_speaker, search_statements, speaker_timeline, speaker_topics

    f = make_filters(10, since=since, until=until)
    with db.open() as store:
        detail = get_speaker(store, name)
        if detail is None:
            raise click.ClickException(f"no speaker matches {name!r}")
        timeline = speaker_timeline(store, detail.id, f)
        topics = speaker_topics(store, detail.id, limit=15)
        latest = search_statements(store, f.replace(speaker=detail.id), with_total=False)
    if fmt == "json":
        write_json(
            {
                "speaker": detail.to_dict(),
                "timeline": [p.to_dict() for p in timeline],
                "topics": [{"term": t, "count": n} for t, n in topics],
                "latest": [r.to_dict() for r in latest.items],
            }
        )
        return
    show(speaker_view(detail, timeline, topics, latest.items))


@click.command("article")
@click.argument("article_id")
@format_option(
    *DOCUMENT_FORMATS,
    aliases=JSON_DOCUMENT_ALIAS,
    help="Output: table (the marked-up text), or json (article, statements, entities).",
)
@store_option(create=False)
def article_command(db: StoreLocation, article_id: str, fmt: str) -> None:
    """An article's text with its statements marked (speaker, cue, content by act).

    ARTICLE_ID may be shortened to any unique prefix (as `quotes` shows it)."""
    from saidwhat.query import find_article, get_article

    with db.open() as store:
        full_id = find_article(store, article_id)
        detail = get_article(store, full_id) if full_id else None
    if detail is None:
        raise click.ClickException(f"no article {article_id!r}")
    if fmt == "json":
        write_json(detail.to_dict())
        return
    show(article_view(detail))


@click.command("chains")
@filter_options()
@limit_option(30)
@format_option(*RECORD_FORMATS, aliases=JSON_LINES_ALIAS)
@store_option(create=False)
def chains_command(db: StoreLocation, limit: int, fmt: str, **opts: Any) -> None:
    """Source chains: which outlets report whom, through which intermediaries."""
    from saidwhat.query import source_chains

    with db.open() as store:
        rows = source_chains(store, make_filters(limit or None, **opts))
    if not emit_records((c.to_dict() for c in rows), fmt):
        wide_console().print(chains_table(rows))


@click.command("stats")
@format_option(
    *DOCUMENT_FORMATS,
    aliases=JSON_DOCUMENT_ALIAS,
    help="Output: table, or json (the counts and top outlets as one object).",
)
@store_option(create=False)
def stats_command(db: StoreLocation, fmt: str) -> None:
    """What the store holds: articles, copies, statements, claims, speakers, outlets."""
    from saidwhat.query import stats_document

    with db.open() as store:
        document = stats_document(store)
    if fmt == "json":
        write_json(document.to_dict())
        return
    show(stats_view(store.url, document, document.top_outlets))


@click.command("export")
@filter_options()
@format_option("jsonl", "csv", "parquet", default=None)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@limit_option(0, help="At most this many statements (0: all).")
@store_option(create=False)
def export_command(db: StoreLocation, fmt: str, out: str, limit: int, **opts: Any) -> None:
    """Export statements (all, or those matching the filters) as JSONL, CSV or Parquet."""
    from saidwhat.query.export import export_statements

    f = make_filters(None, **opts)
    with db.open() as store:
        try:
            n = export_statements(store, out, fmt, f, limit=limit or None)
        except OSError as exc:
            raise click.ClickException(f"{out}: {exc.strerror or exc}") from exc
    err_console.print(f"{counted(n, 'statement')} written to {out}", highlight=False)


@click.command("errors")
@format_option(
    *RECORD_FORMATS,
    help=(
        "Output: table, json or jsonl (both one JSON object per line, as json always "
        "printed here), csv (CSV with a header row)."
    ),
)
@store_option(create=True)  # as it always did: an absent store has no errors
def errors_command(db: StoreLocation, fmt: str) -> None:
    """List the inputs that failed to ingest, with the reason."""
    with db.open() as store:
        errors = store.errors()
    rows = (
        {"path": e.path, "stage": e.stage, "reason": e.reason, "at": e.at.isoformat()}
        for e in errors
    )
    # ``errors --format json`` printed an object per line before --format meant the same
    # everywhere; it keeps doing so (the same as jsonl) so no script breaks
    if not emit_records(rows, "jsonl" if fmt == "json" else fmt):
        Console().print(errors_table(errors))


COMMANDS = [
    quotes_command,
    speakers_command,
    speaker_command,
    article_command,
    chains_command,
    stats_command,
    export_command,
    errors_command,
]
