"""What a merged entity looks like, computed from its observations: pure, no database.

An entity's columns (canonical name, name counts, aliases, article count, first and last
seen) and its role rows are a function of the observations that joined it. The store
computes them in two situations and both come here, so they cannot drift apart: the
incremental writer adds one article's observations to a stored entity (``stored``), and
the re-merge and the re-evaluation recompute an entity from all its observations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, Protocol

from saidwhat.linking.aliases import Aliases
from saidwhat.linking.names import canonical_name, entity_key, parse_person
from saidwhat.linking.resolver import Observation


class StoredEntity(Protocol):
    """The columns of a stored entity that new observations add to."""

    name_counts: dict[str, int] | None
    aliases: list[str] | None
    article_count: int
    first_seen: str | None
    last_seen: str | None


def name_fields(name: str, type_: str) -> dict[str, str]:
    """The lookup keys of an entity named ``name``: its key, and for people the first
    name and surname key that candidate lookups and the resolver compare."""
    if type_ != "PERSON":
        return {"key": entity_key(type_, name), "first_name": "", "surname_key": ""}
    p = parse_person(name)
    return {"key": entity_key(type_, name), "first_name": p.first, "surname_key": p.key}


def entity_stats(
    group: Sequence[Observation], aliases: Aliases, stored: StoredEntity | None = None
) -> dict[str, Any]:
    """The entity's columns from ``group`` (observations of one type), added to what
    ``stored`` already counts when given. A name counts once per article."""
    type_ = group[0].type
    counts: Counter[str] = Counter(dict(stored.name_counts or {})) if stored else Counter()
    names: set[str] = set(stored.aliases or []) if stored else set()
    article_ids = {o.article_id for o in group}
    for article in article_ids:
        counts.update({o.display for o in group if o.article_id == article})
    for o in group:
        names.add(o.display)
        names.update(a for a in o.aliases if a)
    dates = [o.date for o in group if o.date]
    if stored is not None:
        dates += [d for d in (stored.first_seen, stored.last_seen) if d]
    name = aliases.pinned_name(sorted(counts), type_) or canonical_name(dict(counts), type_)
    return {
        "name": name,
        **name_fields(name, type_),
        "aliases": sorted(names),
        "name_counts": dict(sorted(counts.items())),
        "article_count": (stored.article_count if stored else 0) + len(article_ids),
        "first_seen": min(dates) if dates else None,
        "last_seen": max(dates) if dates else None,
    }


def role_stats(group: Sequence[Observation]) -> list[dict[str, Any]]:
    """The entity's ``entity_roles`` rows (without the entity id), by role: in how many
    articles it had the role, in how many with its full name, first and last seen."""
    per_role: dict[str, dict[str, str | None]] = {}
    role_articles: dict[str, set[str]] = defaultdict(set)
    named_articles: dict[str, set[str]] = defaultdict(set)
    for o in group:
        for role in {r.strip() for r in o.roles if r.strip()}:
            role_articles[role].add(o.article_id)
            if o.names_in_full:
                named_articles[role].add(o.article_id)
            cur = per_role.setdefault(role, {"first_seen": None, "last_seen": None})
            if o.date:
                cur["first_seen"] = min(filter(None, [cur["first_seen"], o.date]))
                cur["last_seen"] = max(filter(None, [cur["last_seen"], o.date]))
    return [
        {
            "role": role,
            **v,
            "count": len(role_articles[role]),
            "named_count": len(named_articles[role]),
        }
        for role, v in sorted(per_role.items())
    ]
