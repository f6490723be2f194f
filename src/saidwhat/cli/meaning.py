"""``saidwhat reindex`` (sentence embeddings for the statements stored without one) and
``saidwhat check`` (who said a quote, first where, in which wordings).

Ingest embeds as it stores (``--no-embeddings`` to skip); a store filled before 0014, by
``saidwhat load`` or by the web upload gets its vectors here, a committed batch at a
time (an interrupted run keeps what it did and a re-run carries on). The vector index
is then caught up, so the first search by meaning does not pay for it.
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa

from saidwhat.cli.check_view import check_view
from saidwhat.cli.options import (
    JSON_DOCUMENT_ALIAS,
    StoreLocation,
    format_option,
    quiet_option,
    store_option,
)
from saidwhat.cli.output import err_console, show, write_json
from saidwhat.wording import counted


@click.command("reindex")
@store_option(create=False, missing="must exist")
@quiet_option()
@click.option(
    "--batch",
    type=click.IntRange(1, 10_000),
    default=256,
    show_default=True,
    help="Statements per committed batch.",
)
def reindex_command(db: StoreLocation, quiet: bool, batch: int) -> None:
    """Embed every statement that has no sentence embedding yet (search by meaning)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from saidwhat.encoder import EncoderUnavailable
    from saidwhat.store import open_store, resolve_url
    from saidwhat.store.vector_index import vector_index
    from saidwhat.store.vectors import fill_missing, missing_count

    url = sa.make_url(resolve_url(db.url))
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise click.ClickException(f"{db.shown}: no such store")
    with open_store(db.url) as store:
        with store.engine.connect() as conn:
            todo = missing_count(conn)
        try:
            from saidwhat.encoder.sentences import load_sentence_encoder

            encoder = load_sentence_encoder() if todo else None
        except EncoderUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
        bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
            disable=quiet,
        )
        with bar:
            task = bar.add_task("embedding statements", total=todo)
            added = (
                fill_missing(store.engine, encoder, batch, lambda n: bar.advance(task, n))
                if encoder is not None
                else 0
            )
        with store.engine.connect() as conn:
            indexed = vector_index(store.engine).catch_up(conn)
    err_console.print(
        f"{counted(added, 'statement')} embedded, {counted(indexed, 'vector')} added to the index",
        highlight=False,
    )


@click.command("check")
@click.argument("text")
@click.option("--speaker", default=None, help="Did this person say it (name, alias or id)?")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Cosine of the meanings that, with half the words in order, makes a match "
    "(default 0.8; README, 'Quote check').",
)
@format_option("table", "json", aliases=JSON_DOCUMENT_ALIAS)
@store_option(create=False)
def check_command(
    db: StoreLocation, text: str, speaker: str | None, threshold: float | None, fmt: str
) -> None:
    """Check a quote: the statements that say TEXT, who said it (with --speaker: that
    person, someone else, or nobody in the corpus), the earliest report, every report's
    source chain and outlet, and each wording against TEXT word by word."""
    from saidwhat.query.check import CHECK_THRESHOLD, check_quote

    if not text.strip():
        raise click.UsageError("TEXT: the quote to check is empty")
    with db.open() as store:
        result = check_quote(
            store, text, speaker, CHECK_THRESHOLD if threshold is None else threshold
        )
    if fmt == "json":
        write_json(result.to_dict())
    else:
        show(check_view(result))


COMMANDS = [reindex_command, check_command]
