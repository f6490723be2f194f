"""Commands that run the extraction here: ``extract`` (print), ``eval`` (score against
gold) and ``ingest`` (store).

Each parses options, calls the library (``saidwhat.analyse``, ``saidwhat.evaluation``,
``saidwhat.ingest``) and formats the result; no extraction or SQL lives here.
"""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console

from saidwhat.cli.options import (
    StoreLocation,
    aliases_option,
    engine_option,
    format_option,
    jobs_option,
    limit_option,
    load_alias_file,
    load_nlp,
    model_option,
    outlets_option,
    quiet_option,
    store_option,
    time_budget_option,
)
from saidwhat.cli.output import err_console, wide_console, write_json
from saidwhat.cli.views import statements_table
from saidwhat.wording import counted


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@format_option(
    "table",
    "json",
    "jsonl",
    help="Output: table (one per article), or json or jsonl (both one JSON document per "
    "article per line, as json always printed here).",
)
@jobs_option()
@time_budget_option()
@engine_option()
@outlets_option()
@model_option()
@quiet_option()
def extract_command(
    paths: tuple[str, ...],
    fmt: str,
    jobs: int,
    time_budget: float | None,
    engine: str | None,
    outlets: str | None,
    model: str | None,
    quiet: bool,
) -> None:
    """Extract statements from articles (files, folders, globs; txt or JSONL).

    Prints a table per article, or with --format json (or jsonl) one JSON document per
    article per line. Files that cannot be read are reported on stderr; the others are still
    processed; the exit status is 1 if any failed. On a terminal a progress line counts
    the articles, statements and errors (--quiet: none).
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from saidwhat.analyse import AnalysisFailed, analyse_many, with_settings
    from saidwhat.reading.readers import iter_inputs
    from saidwhat.reading.records import ReadError

    nlp = load_nlp(model)
    failures = 0

    def articles():  # type: ignore[no-untyped-def]
        nonlocal failures
        for item in iter_inputs(paths):
            if isinstance(item, ReadError):
                failures += 1
                err_console.print(f"[red]error[/red] {item}", highlight=False)
            else:
                yield item

    out = wide_console()
    options = with_settings(nlp, time_budget, engine, outlets)
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]extract"),
        TextColumn("{task.completed} articles"),
        TextColumn("{task.fields[statements]} statements"),
        TextColumn("[red]{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet or not err_console.is_terminal,  # stderr of a script: error lines only
    )
    statements = 0
    with bar:
        task = bar.add_task("extract", total=None, statements=0, errors=0)
        for result in analyse_many(articles(), nlp=nlp, n_process=jobs, options=options):
            if isinstance(result, AnalysisFailed):
                failures += 1
                err_console.print(f"[red]error[/red] {result}", highlight=False)
            elif fmt in ("json", "jsonl"):
                write_json(result.to_dict())
                statements += len(result.statements)
            else:
                out.print(statements_table(result))
                statements += len(result.statements)
            bar.update(task, advance=1, statements=statements, errors=failures)
    sys.exit(1 if failures else 0)


@click.command("eval")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True),
    help="Gold: a brat split folder (text/, attributions/), a folder of splits, or JSONL.",
)
@limit_option(None, help="Score only the first N docs per split.")
@click.option("--json", "json_path", default=None, help="Write results as JSON here ('-': stdout).")
@click.option(
    "--errors", "errors_path", default=None, help="Write misses and false alarms (JSONL)."
)
@jobs_option()
@time_budget_option()
@engine_option()
@outlets_option()
@model_option()
def eval_command(
    gold_path: str,
    limit: int | None,
    json_path: str | None,
    errors_path: str | None,
    jobs: int,
    time_budget: float | None,
    engine: str | None,
    outlets: str | None,
    model: str | None,
) -> None:
    """Score the extraction against gold attributions (content, source, cue P/R/F1).

    The metric definitions are in ``saidwhat.evaluation.scoring``.
    """
    from pathlib import Path

    from rich.progress import Progress

    from saidwhat.analyse import with_settings
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
    nlp = load_nlp(model)
    results = []
    with Progress(console=err_console, transient=True) as progress:
        for name, docs in splits.items():
            docs = docs[:limit] if limit is not None else docs
            task = progress.add_task(f"analysing {name}", total=len(docs))
            result = evaluate_split(
                name,
                docs,
                nlp=nlp,
                n_process=jobs,
                on_doc=lambda t=task: progress.advance(t),
                options=with_settings(nlp, time_budget, engine, outlets),
            )
            for failure in result.failures:
                err_console.print(f"[red]error[/red] {failure}", highlight=False, soft_wrap=True)
            results.append(result)
    # with --json - stdout carries only the JSON; the table goes to stderr
    table_console = err_console if json_path == "-" else Console()
    table_console.print(scores_table(results, title=f"saidwhat eval: {gold_path}"))
    if json_path:
        doc = results_json(
            results,
            gold=str(gold_path),
            model=nlp.meta.get("name"),
            engine=with_settings(nlp, time_budget, engine, outlets).engine,
            limit=limit,
        )
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        if json_path == "-":
            sys.stdout.write(text)
        else:
            Path(json_path).write_text(text, encoding="utf-8")
    if errors_path:
        n = write_errors(results, Path(errors_path))
        err_console.print(f"{n} error rows written to {errors_path}", highlight=False)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@store_option(create=True)
@jobs_option()
@aliases_option()
@quiet_option()
@time_budget_option()
@engine_option()
@outlets_option()
@model_option()
@click.option(
    "--embeddings/--no-embeddings",
    default=True,
    show_default=True,
    help="Give each statement a sentence embedding (search by meaning, quote check); "
    "without, `saidwhat reindex` adds them later.",
)
def ingest_command(
    paths: tuple[str, ...],
    db: StoreLocation,
    jobs: int,
    aliases_path: str | None,
    quiet: bool,
    time_budget: float | None,
    engine: str | None,
    outlets: str | None,
    model: str | None,
    embeddings: bool,
) -> None:
    """Analyse articles and store them (files, folders, globs; txt, JSONL, HTML, feeds).

    Articles already stored are skipped, so an interrupted ingest can simply be re-run.
    Unreadable inputs are recorded (see `saidwhat errors`); exit status 1 if any failed.
    """
    import dataclasses

    from saidwhat.analyse import with_settings
    from saidwhat.ingest import ingest

    aliases = load_alias_file(aliases_path)
    store = db.open()
    if store.use_aliases(aliases):
        err_console.print("alias file changed: entities re-merged", highlight=False)
    nlp = load_nlp(model)
    report = ingest(
        paths,
        store,
        nlp=nlp,
        n_process=jobs,
        progress=not quiet,
        console=err_console,
        options=dataclasses.replace(
            with_settings(nlp, time_budget, engine, outlets), embeddings=embeddings
        ),
    )
    if embeddings and report.added:  # an index file kept for the store catches up now
        from saidwhat.store.vector_index import refresh_kept_index

        refresh_kept_index(store.engine)
    store.close()
    err_console.print(
        f"{report.added} added, {counted(report.copies, 'syndicated copy')}, "
        f"{report.duplicates} already stored, {counted(report.statements, 'statement')}, "
        f"{counted(report.errors, 'error')} "
        f"({report.seconds:.1f}s, store {report.store_seconds:.1f}s)",
        highlight=False,
    )
    sys.exit(1 if report.errors else 0)


COMMANDS = [extract_command, eval_command, ingest_command]
