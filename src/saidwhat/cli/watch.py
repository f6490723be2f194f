"""``saidwhat watch`` (poll feeds and pages) and ``saidwhat searches`` (saved searches
and their alerts). Thin: ``saidwhat.watch`` polls and alerts, ``store.watching`` and
``query.alerts`` keep and read the state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click
from rich.table import Table

from saidwhat.cli.options import (
    STATEMENT_FILTERS,
    StoreLocation,
    engine_option,
    filter_options,
    load_nlp,
    make_filters,
    model_option,
    outlets_option,
    quiet_option,
    store_option,
    time_budget_option,
)
from saidwhat.cli.output import err_console, wide_console, write_json
from saidwhat.wording import counted


@click.command("watch")
@click.argument("sources", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, help="Poll interval: 30s, 10m, 1h.")
@click.option("--once", is_flag=True, help="Poll every source once and exit (for cron).")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds per request.")
@store_option(create=True)
@quiet_option()
@time_budget_option()
@engine_option()
@outlets_option()
@model_option()
def watch_command(
    sources: tuple[str, ...],
    every: str,
    once: bool,
    timeout: float,
    db: StoreLocation,
    quiet: bool,
    time_budget: float | None,
    engine: str | None,
    outlets: str | None,
    model: str | None,
) -> None:
    """Poll RSS/Atom feeds and pages, ingest each new item once, raise saved-search alerts.

    Requests are conditional (ETag, Last-Modified: an unchanged feed is one 304); a
    failing source is backed off and recorded (`saidwhat errors`) while the others go
    on. Without --once it runs until interrupted (Ctrl-C).
    """
    from saidwhat.analyse import with_settings
    from saidwhat.watch import WatchOptions, parse_every, watch

    try:
        options = WatchOptions(every=parse_every(every), timeout=timeout)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    bad = [s for s in sources if not s.startswith(("http://", "https://"))]
    if bad:
        raise click.BadParameter(f"{bad[0]!r} is not an http(s) URL", param_hint="SOURCES")
    store = db.open()
    nlp = load_nlp(model)
    failed = []

    def show(result: Any) -> None:
        if result.status == "error":
            failed.append(result.url)
        if not quiet or result.status == "error":
            err_console.print(result.line(), highlight=False, markup=False)

    try:
        watch(
            store,
            list(sources),
            once=once,
            nlp=nlp,
            options=options,
            attribution=with_settings(nlp, time_budget, engine, outlets),
            on_result=show,
        )
    except KeyboardInterrupt:
        err_console.print("stopped", highlight=False)
    finally:
        store.close()
    if once and failed:
        raise SystemExit(1)


@click.group("searches")
def searches_group() -> None:
    """Saved searches: any filter set; new matches raise alerts (Atom feed, webhook)."""


@searches_group.command("save")
@click.argument("name")
@filter_options(*STATEMENT_FILTERS)
@click.option("--webhook", default=None, help="POST each new alert as JSON to this URL.")
@store_option(create=True)
def save_command(db: StoreLocation, name: str, webhook: str | None, **opts: Any) -> None:
    """Save the filters as NAME; statements stored from now on that match raise alerts."""
    from saidwhat.store.watching import SearchExists, save_search

    f = make_filters(None, **opts)
    saved = {k: v for k, v in f.to_dict().items() if k not in ("limit", "offset")}
    if webhook and not webhook.startswith(("http://", "https://")):
        raise click.BadParameter(f"{webhook!r} is not an http(s) URL", param_hint="--webhook")
    with db.open() as store:
        try:
            search_id = save_search(store, name.strip(), saved, webhook, datetime.now(UTC))
        except SearchExists as exc:
            raise click.UsageError(str(exc)) from exc
    err_console.print(f"saved search {search_id}: {name}", highlight=False)


@searches_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@store_option(create=False)
def list_command(db: StoreLocation, as_json: bool) -> None:
    """The saved searches, their filters and how many alerts each raised."""
    from saidwhat.query.alerts import list_searches

    with db.open() as store:
        found = list_searches(store)
    if as_json:
        write_json([_plain(s) for s in found])
        return
    table = Table(title=counted(len(found), "saved search"))
    for col in ("id", "name", "filters", "webhook", "alerts"):
        table.add_column(col)
    for s in found:
        shown = ", ".join(
            f"{k}={v}" for k, v in s.filters.items() if v not in (None, False, [], ())
        )
        table.add_row(str(s.id), s.name, shown, s.webhook or "", str(s.alerts))
    wide_console().print(table)


@searches_group.command("alerts")
@click.argument("name")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@store_option(create=False)
def alerts_command(db: StoreLocation, name: str, limit: int, as_json: bool) -> None:
    """A saved search's alerts, newest first."""
    from saidwhat.query.alerts import get_search, list_alerts

    with db.open() as store:
        search = get_search(store, name)
        if search is None:
            raise click.UsageError(f"no saved search {name!r}")
        rows = list_alerts(store, search.id, limit)
    if as_json:
        write_json([_plain(r) for r in rows])
        return
    table = Table(title=f"{search.name}: {counted(len(rows), 'alert')}", show_lines=True)
    for col in ("alert", "date", "speaker", "act", "statement", "webhook"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r.id),
            r.date or "",
            r.speaker or "?",
            r.act or "",
            r.content,
            r.webhook_status or "",
        )
    wide_console().print(table)


@searches_group.command("delete")
@click.argument("name")
@store_option(create=False)
def delete_command(db: StoreLocation, name: str) -> None:
    """Delete a saved search and its alerts."""
    from saidwhat.query.alerts import get_search
    from saidwhat.store.watching import delete_search

    with db.open() as store:
        search = get_search(store, name)
        if search is None:
            raise click.UsageError(f"no saved search {name!r}")
        delete_search(store, search.id)


def _plain(item: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(item).items()}


COMMANDS = [watch_command, searches_group]
