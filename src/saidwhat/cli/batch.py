"""``saidwhat batch`` and ``saidwhat load``: the scale-out commands.

Thin over ``saidwhat.batch.run_batch`` and ``saidwhat.load.load_batch``: options,
progress bars and the one-line summary live here, nothing else.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from saidwhat.batch import DEFAULT_PARTITION_SIZE, BatchProgress
from saidwhat.cli.options import (
    StoreLocation,
    aliases_option,
    engine_option,
    load_alias_file,
    load_nlp,
    model_option,
    outlets_option,
    quiet_option,
    store_option,
    time_budget_option,
)
from saidwhat.cli.output import err_console
from saidwhat.wording import counted


class BarProgress(BatchProgress):
    """Partitions done (of those cut so far; the total is known once reading ends)."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task = bar.add_task("batch", total=None, articles=0, statements=0, failed=0)
        self.articles = self.statements = self.failures = 0

    def _tick(self, **fields: Any) -> None:
        self.bar.update(
            self.task,
            articles=self.articles,
            statements=self.statements,
            failed=self.failures,
            **fields,
        )

    def planned(self, partitions: int, articles: int, final: bool) -> None:
        if final:
            self._tick(total=partitions)

    def skipped(self, pid: str, articles: int) -> None:
        self.bar.advance(self.task)

    def done(self, pid: str, articles: int, statements: int) -> None:
        self.articles += articles
        self.statements += statements
        self.bar.advance(self.task)
        self._tick()

    def failed(self, pid: str, reason: str) -> None:
        self.failures += 1
        self.bar.console.print(f"[red]partition failed[/red] {pid}: {reason}", highlight=False)
        self.bar.advance(self.task)
        self._tick()

    def problem(self, message: str) -> None:
        self.bar.console.print(f"[red]error[/red] {message}", highlight=False, soft_wrap=True)


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "-o", required=True, help="Output folder (Parquet + manifest.json).")
@click.option(
    "--scheduler",
    default=None,
    help="Existing Dask scheduler, e.g. tcp://host:8786 (default: a local cluster).",
)
@click.option(
    "--workers", "-w", type=int, default=None, help="Local cluster workers (default: CPUs)."
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=DEFAULT_PARTITION_SIZE,
    show_default=True,
    help="Articles per partition (one Dask task).",
)
@click.option("--retries", type=int, default=2, show_default=True, help="Retries per partition.")
@quiet_option()
@time_budget_option()
@engine_option()
@outlets_option()
@model_option()
def batch_command(
    inputs: tuple[str, ...],
    out: str,
    scheduler: str | None,
    workers: int | None,
    partition_size: int,
    retries: int,
    quiet: bool,
    time_budget: float | None,
    engine: str | None,
    outlets: str | None,
    model: str | None,
) -> None:
    """Analyse a corpus on a Dask cluster into Parquet (files, folders, globs, JSONL, Parquet).

    Writes statements, entities, mentions and articles partitioned by article date, plus
    a manifest; re-running skips partitions already done. Load the result into a store
    with `saidwhat load OUT --db URL`. Exit status 1 if any input or partition failed.
    """
    from saidwhat.batch import dask_client, run_batch

    if not scheduler:  # fail fast on the client rather than in every worker
        load_nlp(model)
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]batch"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("partitions"),
        TextColumn("{task.fields[articles]} articles"),
        TextColumn("{task.fields[statements]} statements"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
    )
    try:
        with dask_client(scheduler, workers) as client, bar:
            report = run_batch(
                list(inputs),
                out,
                client,
                partition_size=partition_size,
                model=model,
                retries=retries,
                progress=BarProgress(bar),
                time_budget=time_budget,
                engine=engine,
                # absolute: a worker's working folder need not be this one
                outlets=os.path.abspath(outlets) if outlets else None,
            )
    except OSError as exc:  # scheduler unreachable, output folder not writable
        raise click.ClickException(f"batch failed: {exc}") from exc
    err_console.print(
        f"{counted(report.articles, 'article')} analysed in "
        f"{counted(report.done, 'partition')} ({report.skipped} already done, "
        f"{report.failed} failed) on {counted(report.workers, 'worker')}, "
        f"{counted(report.statements, 'statement')}, "
        f"{counted(len(report.read_errors), 'unreadable input')}, "
        f"{counted(len(report.article_failures), 'failed article')}, "
        f"{counted(report.duplicates, 'duplicate')} "
        f"({report.seconds:.1f}s, {report.articles_per_second:.1f} articles/s) -> {out}",
        highlight=False,
    )
    if report.stale:
        err_console.print(
            f"[yellow]note[/yellow] {counted(report.stale, 'partition')} in {out} "
            "come from other inputs "
            "or another --partition-size; `saidwhat load` loads them too",
            highlight=False,
        )
    sys.exit(0 if report.ok else 1)


@click.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@store_option(create=True)
@aliases_option()
@click.option(
    "--remerge",
    is_flag=True,
    help="Re-merge all entities afterwards, independent of arrival order (see docs/batch.md).",
)
@quiet_option()
def load_command(
    folder: str, db: StoreLocation, aliases_path: str | None, remerge: bool, quiet: bool
) -> None:
    """Load the Parquet output of `saidwhat batch` into a store (SQLite or PostgreSQL).

    Entities are merged across the corpus exactly as `saidwhat ingest` merges them;
    articles already stored are skipped, so loading twice adds nothing.
    """
    from saidwhat.batch import done_partitions
    from saidwhat.ingest import NotABatchFolder, check_batch_folder, load_batch

    try:
        check_batch_folder(folder)
    except NotABatchFolder as exc:
        raise click.ClickException(str(exc)) from exc
    aliases = load_alias_file(aliases_path)
    total = sum(m.get("articles", 0) for m in done_partitions(folder).values())
    store = db.open()
    store.use_aliases(aliases)
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]load"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("articles"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
    )
    with bar:
        task = bar.add_task("load", total=total)
        report = load_batch(
            folder, store, on_article=lambda n: bar.update(task, completed=n), remerge=remerge
        )
    store.close()
    for problem in report.problems:
        err_console.print(f"[red]error[/red] {problem}", highlight=False, soft_wrap=True)
    err_console.print(
        f"{report.added} added, {counted(report.copies, 'syndicated copy')}, "
        f"{report.duplicates} already stored, {counted(report.statements, 'statement')}, "
        f"{counted(report.entities, 'entity')}, "
        f"{counted(report.errors_recorded, 'batch error')} recorded "
        f"({report.seconds:.1f}s)",
        highlight=False,
    )
    sys.exit(1 if report.problems else 0)


COMMANDS = [batch_command, load_command]
