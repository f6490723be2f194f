"""Hand-made corrections to entity merging, read from a YAML file.

``saidwhat ingest --aliases FILE`` (or ``$SAIDWHAT_ALIASES``) applies them; when the file
differs from the one last applied, the store re-merges every entity, so a correction also
fixes what is already stored. Format::

    merge:                       # these names are one entity, shown as `canonical`
      - canonical: Volodymyr Zelensky
        aliases: [Zelenskiy, V. Zelensky, Zelenskyy]
        type: PERSON             # optional, default PERSON
    split:                       # names never merged by surname or spelling alone
      - name: Orlov              # (a plain string works too: `- Orlov`)

Names are compared normalised (case, accents and punctuation ignored).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from saidwhat.linking.names import normalise

ALIASES_ENV = "SAIDWHAT_ALIASES"


class AliasFileError(ValueError):
    """The alias file cannot be read or has the wrong shape (message names the file)."""


@dataclass(frozen=True)
class MergeRule:
    canonical: str
    type: str
    names: frozenset[str]  # normalised canonical + aliases


@dataclass
class Aliases:
    merge: list[MergeRule] = field(default_factory=list)
    split: frozenset[str] = frozenset()  # normalised names
    digest: str = ""  # sha1 of the file, "" when there is none

    def rule_for(self, name: str, type_: str) -> MergeRule | None:
        key = normalise(name)
        return next((r for r in self.merge if r.type == type_ and key in r.names), None)

    def is_split(self, name: str) -> bool:
        return normalise(name) in self.split

    def pinned_name(self, names: list[str], type_: str) -> str | None:
        """The canonical name a merge rule fixes for an entity with these names."""
        for name in names:
            rule = self.rule_for(name, type_)
            if rule is not None:
                return rule.canonical
        return None


NO_ALIASES = Aliases()


def parse_aliases(data: object, source: str = "aliases") -> Aliases:
    if data is None:
        return Aliases()
    if not isinstance(data, dict) or set(data) - {"merge", "split"}:
        raise AliasFileError(f"{source}: expected a mapping with 'merge' and/or 'split' lists")
    rules = []
    for i, item in enumerate(data.get("merge") or []):
        if not isinstance(item, dict) or not isinstance(item.get("canonical"), str):
            raise AliasFileError(f"{source}: merge[{i}] needs a 'canonical' name")
        names = item.get("aliases") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise AliasFileError(f"{source}: merge[{i}].aliases must be a list of names")
        canonical = item["canonical"].strip()
        rules.append(
            MergeRule(
                canonical=canonical,
                type=str(item.get("type", "PERSON")).upper(),
                names=frozenset(normalise(n) for n in [canonical, *names]),
            )
        )
    split = set()
    for i, item in enumerate(data.get("split") or []):
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str):
            raise AliasFileError(f"{source}: split[{i}] needs a 'name'")
        split.add(normalise(name))
    return Aliases(merge=rules, split=frozenset(split))


def load_aliases(path: str | os.PathLike[str] | None = None) -> Aliases:
    """Read ``path`` (default ``$SAIDWHAT_ALIASES``); no file configured means no aliases."""
    path = path or os.environ.get(ALIASES_ENV)
    if not path:
        return Aliases()
    try:
        raw = Path(path).read_bytes()
        data = yaml.safe_load(raw)
    except OSError as exc:
        raise AliasFileError(f"{path}: cannot read alias file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise AliasFileError(f"{path}: not valid YAML ({exc})") from exc
    aliases = parse_aliases(data, str(path))
    aliases.digest = hashlib.sha1(raw).hexdigest()
    return aliases
